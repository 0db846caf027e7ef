package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer lets the test read what the demo printed while it still runs.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// With no server reachable, the demo starts its own cluster, seeds it, prints the
// logins and serves: what a newcomer gets from the README's first command.
func TestDemoStartsAPrivateClusterAndSeeds(t *testing.T) {
	dir, err := os.MkdirTemp("/var/tmp", "bayu-demo-test-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	t.Cleanup(func() { os.RemoveAll(dir) })
	var out lockedBuffer
	addr := make(chan string, 1)
	m := &Main{Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" },
		DefaultDatabaseURL: "postgres://root@127.0.0.1:1/bayu?sslmode=disable&connect_timeout=2",
		ClusterDir:         dir + "/pgdata", Listening: func(a string) { addr <- a }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, []string{"demo", "--addr", "127.0.0.1:0"}) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("demo: %v", err)
		}
	}()
	var base string
	select {
	case a := <-addr:
		base = "http://" + a
	case err := <-done:
		t.Fatalf("demo stopped: %v\n%s", err, out.String())
	case <-time.After(120 * time.Second):
		t.Fatalf("demo did not start:\n%s", out.String())
	}
	printed := out.String()
	if !strings.Contains(printed, dir+"/pgdata") || !strings.Contains(printed, "seeded 150 exhibits") {
		t.Fatalf("demo output:\n%s", printed)
	}
	var token string
	for _, line := range strings.Split(printed, "\n") {
		if strings.HasPrefix(line, "demo-coordinator") {
			f := strings.Fields(line)
			token = f[len(f)-1]
		}
	}
	states := map[string]int{}
	cursor := ""
	for {
		req, _ := http.NewRequest("GET", base+"/api/v1/exhibits?limit=200&cursor="+cursor, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var page struct {
			Exhibits []struct {
				State, District string
			}
			NextCursor string `json:"next_cursor"`
		}
		json.NewDecoder(res.Body).Decode(&page)
		res.Body.Close()
		for _, x := range page.Exhibits {
			states[x.State]++
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	if len(states) != 14 {
		t.Errorf("demo covers %d states, want all 14: %v", len(states), states)
	}
}
