package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"testing"
	"time"
)

// TestMain lets a test start the real program as a separate process: the test
// binary re-executes itself with BAYU_TEST_CHILD set to the arguments to run.
// Crash and multi-instance tests need a process they can kill -9.
func TestMain(m *testing.M) {
	if args := os.Getenv("BAYU_TEST_CHILD"); args != "" {
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
		defer stop()
		if err := NewMain().Run(ctx, splitArgs(args)); err != nil {
			fmt.Fprintln(os.Stderr, "bayu child:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func splitArgs(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '\x1f' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}

// child is a bayu process started by a test.
type child struct {
	cmd *exec.Cmd
	log *os.File
}

// startChild runs `bayu args...` as its own process with the given environment.
func startChild(t *testing.T, env []string, args ...string) *child {
	t.Helper()
	joined := ""
	for i, a := range args {
		if i > 0 {
			joined += "\x1f"
		}
		joined += a
	}
	log, err := os.CreateTemp(t.TempDir(), "child-*.log")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), env...), "BAYU_TEST_CHILD="+joined)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return &child{cmd: cmd, log: log}
}

// output is what the child printed, for failure messages.
func (c *child) output() string {
	b, _ := os.ReadFile(c.log.Name())
	return string(b)
}

// freeAddr finds a loopback port nobody listens on.
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitHealthy polls /healthz until the child answers (start-up, not a deadline).
func waitHealthy(t *testing.T, base string, c *child) {
	t.Helper()
	for range 300 {
		res, err := http.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		if c.cmd.ProcessState != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server did not come up:\n%s", c.output())
}
