package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime/pprof"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/lib/pq"

	bayuhttp "bayu/http"
	"bayu/store"
	"bayu/workflow"
	"bayu/workflow/sample"
)

// benchConfig is what `bayu bench transitions` is asked to do.
type benchConfig struct {
	clients    int
	duration   time.Duration
	mode       string // "display": display/end_display round trips; "lifecycle": create to stored
	keep       bool
	cpuProfile string
	memProfile string
}

// bench drives real HTTP transitions against a fresh database and reports
// throughput and latency: the application's side of the pgbench comparison
// in bench/pg_limit.sh.
func (m *Main) bench(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "transitions" {
		return fmt.Errorf("usage: bayu bench transitions [--clients N] [--duration D] [--mode display|lifecycle]")
	}
	fs := flag.NewFlagSet("bench transitions", flag.ContinueOnError)
	var bc benchConfig
	fs.IntVar(&bc.clients, "clients", 32, "concurrent HTTP clients")
	fs.DurationVar(&bc.duration, "duration", 30*time.Second, "how long to drive load")
	fs.StringVar(&bc.mode, "mode", "display", "display (display/end_display round trips) or lifecycle (create to stored)")
	fs.BoolVar(&bc.keep, "keep", false, "keep the benchmark database afterwards")
	fs.StringVar(&bc.cpuProfile, "cpuprofile", "", "write a CPU profile of the run to this file")
	fs.StringVar(&bc.memProfile, "memprofile", "", "write a profile of what the run allocated to this file")
	c, err := m.config(fs, args[1:])
	if err != nil {
		return err
	}
	if bc.clients < 1 || bc.duration <= 0 || (bc.mode != "display" && bc.mode != "lifecycle") {
		return fmt.Errorf("--clients must be ≥ 1, --duration > 0, --mode display or lifecycle")
	}
	dbURL, drop, err := freshDatabase(ctx, c.DatabaseURL)
	if err != nil {
		return err
	}
	if !bc.keep {
		defer drop()
	} else {
		fmt.Fprintln(m.Stdout, "database kept:", dbURL)
	}
	c.DatabaseURL = dbURL
	st, err := m.open(ctx, c)
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := newBenchRun(ctx, st, bc)
	if err != nil {
		return err
	}
	if bc.cpuProfile != "" {
		f, err := os.Create(bc.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	res := r.drive(ctx)
	res.print(m.Stdout, bc)
	if bc.memProfile != "" {
		f, err := os.Create(bc.memProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			return err
		}
	}
	if res.errors > 0 {
		return fmt.Errorf("%d requests failed; first: %v", res.errors, res.firstErr)
	}
	return nil
}

// freshDatabase creates an empty database beside the one named by dbURL.
func freshDatabase(ctx context.Context, dbURL string) (string, func(), error) {
	u, err := url.Parse(dbURL)
	if err != nil || u.Scheme == "" {
		return "", nil, fmt.Errorf("bench needs DATABASE_URL in URL form")
	}
	name := fmt.Sprintf("bayu_bench_%d", time.Now().UnixNano())
	admin := *u
	admin.Path = "/postgres"
	if _, err := execAdmin(ctx, admin.String(), `CREATE DATABASE `+pq.QuoteIdentifier(name)); err != nil {
		return "", nil, err
	}
	u.Path = "/" + name
	drop := func() {
		_, _ = execAdmin(context.Background(), admin.String(), `DROP DATABASE IF EXISTS `+pq.QuoteIdentifier(name)+` WITH (FORCE)`)
	}
	return u.String(), drop, nil
}

func execAdmin(ctx context.Context, adminURL, stmt string) (int64, error) {
	st, err := store.Open(ctx, adminURL, store.Options{})
	if err != nil {
		return 0, err
	}
	defer st.Close()
	res, err := st.DB().ExecContext(ctx, stmt)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// benchRun is one load run: a server on a loopback port and the clients' work.
type benchRun struct {
	cfg    benchConfig
	addr   string // the server's host:port
	tokens map[workflow.Role]string
	owned  [][]*workflow.Exhibit // display mode: each client's own stored exhibits
	stop   func()
}

func newBenchRun(ctx context.Context, st *store.Store, bc benchConfig) (*benchRun, error) {
	r := &benchRun{cfg: bc, tokens: map[workflow.Role]string{}}
	actors := map[workflow.Role]workflow.Actor{}
	for _, u := range []store.NewUser{
		{Name: "bench-coordinator", Role: workflow.Coordinator},
		{Name: "bench-evaluator", Role: workflow.Evaluator},
		{Name: "bench-district", Role: workflow.District, District: "500101"},
	} {
		user, token, err := st.CreateUser(ctx, u)
		if err != nil {
			return nil, err
		}
		r.tokens[u.Role] = token
		actors[u.Role] = user.Actor()
	}
	if bc.mode == "display" {
		// Each client gets exhibits of its own, so clients measure throughput, not
		// each other's lock waits (the race tests cover contention).
		r.owned = make([][]*workflow.Exhibit, bc.clients)
		for i := range r.owned {
			for j := range 4 {
				x, err := seedStored(ctx, st, actors, i*4+j)
				if err != nil {
					return nil, err
				}
				r.owned[i] = append(r.owned[i], x)
			}
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: bayuhttp.NewServer(st, bayuhttp.Options{}).Handler()}
	go srv.Serve(ln)
	r.stop = func() { srv.Close() }
	r.addr = ln.Addr().String()
	return r, nil
}

// seedStored walks a donation to stored through the store (setup, not measured).
func seedStored(ctx context.Context, st *store.Store, actors map[workflow.Role]workflow.Actor, n int) (*workflow.Exhibit, error) {
	x, err := st.CreateExhibit(ctx, actors[workflow.District], workflow.CreateInput{District: "500101", Fields: sample.Fields(n, workflow.Donation)})
	if err != nil {
		return nil, err
	}
	path, _ := sample.Path(workflow.Donation, workflow.Stored)
	for _, ev := range path {
		a := actors[sample.Actor(ev, "500101").Role]
		c := sample.Command(x, ev, a, st.Now())
		if x, err = st.Fire(ctx, a, store.FireRequest{ExhibitID: x.ID, Event: ev, Reason: c.Reason, Data: c.Data}); err != nil {
			return nil, err
		}
	}
	return x, nil
}

// benchHead is what the load generator reads of an answered exhibit: what the
// next request needs, not the whole exhibit.
type benchHead struct {
	ID         int64           `json:"id"`
	Version    int64           `json:"version"`
	State      workflow.State  `json:"state"`
	Method     workflow.Method `json:"method"`
	SourceUnit string          `json:"source_unit"`
}

// call sends one JSON request on c and decodes the exhibit it answers with.
func (r *benchRun) call(ctx context.Context, c *benchConn, role workflow.Role, method, path string, body []byte) (*workflow.Exhibit, error) {
	raw, err := r.send(ctx, c, role, method, path, body)
	if err != nil {
		return nil, err
	}
	var head benchHead
	if err := json.Unmarshal(raw, &head); err != nil {
		return nil, err
	}
	x := &workflow.Exhibit{ID: head.ID, Version: head.Version, State: head.State}
	x.Method, x.SourceUnit = head.Method, head.SourceUnit
	return x, nil
}

// send sends one JSON request on c and returns the body of a 2xx answer.
func (r *benchRun) send(ctx context.Context, c *benchConn, role workflow.Role, method, path string, body []byte) ([]byte, error) {
	status, raw, err := c.do(ctx, method, "/api/v1"+path, r.tokens[role], body)
	if err != nil {
		return nil, err
	}
	if status >= 300 {
		return nil, fmt.Errorf("%s %s: %d %s", method, path, status, raw)
	}
	return raw, nil
}

// versionOf reads the version of an answered exhibit, the one number the next
// display request needs, without decoding the other fifty fields: the answer is
// the server's own JSON, whose only "version" key is the exhibit's. Were it read
// wrong, the next request would be refused as a version conflict and counted.
func versionOf(raw []byte) (int64, error) {
	const key = `"version":`
	i := bytes.Index(raw, []byte(key))
	if i < 0 {
		return 0, fmt.Errorf("no version in %.200s", raw)
	}
	rest := raw[i+len(key):]
	end := 0
	for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
		end++
	}
	return strconv.ParseInt(string(rest[:end]), 10, 64)
}

// benchResult is what a run measured.
type benchResult struct {
	transitions int
	errors      int
	firstErr    error
	latencies   []time.Duration
	elapsed     time.Duration
	cpu         cpuUse
}

func (r *benchRun) drive(ctx context.Context) benchResult {
	defer r.stop()
	ctx, cancel := context.WithTimeout(ctx, r.cfg.duration)
	defer cancel()
	var mu sync.Mutex
	var res benchResult
	record := func(lat []time.Duration, n int, err error) {
		mu.Lock()
		defer mu.Unlock()
		res.latencies = append(res.latencies, lat...)
		res.transitions += n
		if err != nil && !errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			res.errors++
			if res.firstErr == nil {
				res.firstErr = err
			}
		}
	}
	start, cpu0 := time.Now(), sampleCPU()
	var wg sync.WaitGroup
	for i := range r.cfg.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r.cfg.mode == "display" {
				r.displayLoop(ctx, r.owned[i], record)
			} else {
				r.lifecycleLoop(ctx, i, record)
			}
		}()
	}
	wg.Wait()
	res.elapsed, res.cpu = time.Since(start), cpu0.until(sampleCPU())
	return res
}

func (r *benchRun) displayLoop(ctx context.Context, own []*workflow.Exhibit, record func([]time.Duration, int, error)) {
	c := newBenchConn(r.addr)
	defer c.close()
	day := workflow.DateOf(time.Now())
	// The two bodies differ only in the version, appended to a prefix made once.
	display, _ := json.Marshal(map[string]any{"venue": "世界技能博物馆", "from": day, "until": day.AddDays(30)})
	steps := [][]byte{
		[]byte(`{"event":"display","data":` + string(display) + `,"version":`),
		[]byte(`{"event":"end_display","version":`),
	}
	var body []byte
	for i := 0; ctx.Err() == nil; i++ {
		x := own[i%len(own)]
		var lat []time.Duration
		var err error
		for _, prefix := range steps {
			body = append(strconv.AppendInt(append(body[:0], prefix...), x.Version, 10), '}')
			t0 := time.Now()
			var raw []byte
			if raw, err = r.send(ctx, c, workflow.Coordinator, "POST", "/exhibits/"+strconv.FormatInt(x.ID, 10)+"/events", body); err != nil {
				break
			}
			if x.Version, err = versionOf(raw); err != nil {
				break
			}
			lat = append(lat, time.Since(t0))
		}
		record(lat, len(lat), err)
	}
}

func (r *benchRun) lifecycleLoop(ctx context.Context, client int, record func([]time.Duration, int, error)) {
	c := newBenchConn(r.addr)
	defer c.close()
	for n := 0; ctx.Err() == nil; n++ {
		f := sample.Fields(client*100000+n, workflow.Donation)
		body := map[string]any{"district": "500101", "name": f.Name, "category": f.Category, "description": f.Description,
			"method": f.Method, "source_unit": f.SourceUnit, "contact_name": f.ContactName, "contact_phone": f.ContactPhone}
		b, _ := json.Marshal(body)
		x, err := r.call(ctx, c, workflow.District, "POST", "/exhibits", b)
		if err != nil {
			record(nil, 0, err)
			continue
		}
		var lat []time.Duration
		path, _ := sample.Path(workflow.Donation, workflow.Stored)
		for _, ev := range path {
			role := sample.Actor(ev, "500101").Role
			cmd := sample.Command(x, ev, workflow.Actor{Role: role}, time.Now())
			t0 := time.Now()
			var next *workflow.Exhibit
			b, _ := json.Marshal(map[string]any{"event": ev, "reason": cmd.Reason, "data": cmd.Data, "version": x.Version})
			next, err = r.call(ctx, c, role, "POST", fmt.Sprintf("/exhibits/%d/events", x.ID), b)
			if err != nil {
				break
			}
			lat = append(lat, time.Since(t0))
			x = next
		}
		record(lat, len(lat), err)
	}
}

func (res benchResult) print(w io.Writer, bc benchConfig) {
	slices.Sort(res.latencies)
	pct := func(p float64) time.Duration {
		if len(res.latencies) == 0 {
			return 0
		}
		return res.latencies[min(len(res.latencies)-1, int(p*float64(len(res.latencies))))]
	}
	rate := float64(res.transitions) / res.elapsed.Seconds()
	fmt.Fprintf(w, "mode=%s clients=%d duration=%s\n", bc.mode, bc.clients, res.elapsed.Round(time.Millisecond))
	fmt.Fprintf(w, "transitions=%d errors=%d\n", res.transitions, res.errors)
	fmt.Fprintf(w, "throughput=%.1f transitions/s\n", rate)
	fmt.Fprintf(w, "latency p50=%s p99=%s\n", pct(0.50).Round(10*time.Microsecond), pct(0.99).Round(10*time.Microsecond))
	res.cpu.print(w, res.transitions)
}
