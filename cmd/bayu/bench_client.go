package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"
)

// benchConn is one keep-alive HTTP/1.1 connection of the load generator.
//
// The generator shares the machine's cores with the server it measures and with
// PostgreSQL, so what it spends is taken from them. net/http's Transport hands
// every request to two goroutines of its own and builds a Request with its header
// map; on two cores that cost a sixth of the bayu process (pprof, docs/PERFORMANCE.md).
// Here one goroutine writes each request from a reused buffer and reads the answer
// with the standard library's http.ReadResponse on the same connection.
type benchConn struct {
	addr string // host:port
	conn net.Conn
	r    *bufio.Reader
	req  []byte
	body bytes.Buffer
}

func newBenchConn(addr string) *benchConn { return &benchConn{addr: addr} }

// do sends one request and returns the status and the answer's body, which is
// valid until the next call.
func (c *benchConn) do(ctx context.Context, method, path, token string, body []byte) (int, []byte, error) {
	if c.conn == nil {
		if err := c.dial(ctx); err != nil {
			return 0, nil, err
		}
	}
	c.req = append(c.req[:0], method...)
	c.req = append(c.req, ' ')
	c.req = append(c.req, path...)
	c.req = append(c.req, " HTTP/1.1\r\nHost: "...)
	c.req = append(c.req, c.addr...)
	c.req = append(c.req, "\r\nAuthorization: Bearer "...)
	c.req = append(c.req, token...)
	c.req = append(c.req, "\r\nContent-Type: application/json\r\nContent-Length: "...)
	c.req = strconv.AppendInt(c.req, int64(len(body)), 10)
	c.req = append(c.req, "\r\n\r\n"...)
	c.req = append(c.req, body...)
	if _, err := c.conn.Write(c.req); err != nil {
		c.close()
		return 0, nil, err
	}
	res, err := http.ReadResponse(c.r, nil)
	if err != nil {
		c.close()
		return 0, nil, err
	}
	c.body.Reset()
	_, err = c.body.ReadFrom(res.Body)
	res.Body.Close()
	if err != nil || res.Close {
		c.close()
	}
	if err != nil {
		return 0, nil, err
	}
	return res.StatusCode, c.body.Bytes(), nil
}

func (c *benchConn) dial(ctx context.Context) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", c.addr)
	if err != nil {
		return fmt.Errorf("connect to the server under test: %w", err)
	}
	// The run ends at its deadline: a request still waiting then gives up.
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl.Add(5 * time.Second))
	}
	c.conn, c.r = conn, bufio.NewReaderSize(conn, 16<<10)
	return nil
}

func (c *benchConn) close() {
	if c.conn != nil {
		c.conn.Close()
		c.conn, c.r = nil, nil
	}
}
