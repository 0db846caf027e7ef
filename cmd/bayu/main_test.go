package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"bayu/store/storetest"
)

// runServer starts the real program (Main.Run serve on port :0) on a fresh database.
func runServer(t *testing.T) (base string, run func(args ...string) string) {
	t.Helper()
	dbURL := storetest.URL(t)
	env := func(k string) string {
		if k == "DATABASE_URL" {
			return dbURL
		}
		return ""
	}
	run = func(args ...string) string {
		var out bytes.Buffer
		m := &Main{Stdout: &out, Stderr: io.Discard, Getenv: env}
		if err := m.Run(context.Background(), args); err != nil {
			t.Fatalf("bayu %s: %v", strings.Join(args, " "), err)
		}
		return out.String()
	}
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	done := make(chan error, 1)
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Getenv: env, Listening: func(a string) { addr <- a }}
	go func() { done <- m.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	select {
	case a := <-addr:
		return "http://" + a, run
	case err := <-done:
		t.Fatalf("serve stopped: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("server did not start")
	}
	return "", nil
}

// lastLine is the token `bayu user add` prints last.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

type client struct {
	t    *testing.T
	base string
}

func (c client) call(token, method, path string, body any) map[string]any {
	c.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, c.base+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(res.Body)
	if err := json.Unmarshal(raw, &out); err != nil || res.StatusCode >= 300 {
		c.t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, raw)
	}
	return out
}

func TestEndToEndEveryMethodToItsEnd(t *testing.T) {
	base, run := runServer(t)
	coord := lastLine(run("user", "add", "--name", "coord", "--role", "coordinator"))
	eval := lastLine(run("user", "add", "--name", "eval", "--role", "evaluator"))
	dist := lastLine(run("user", "add", "--name", "yuzhong", "--role", "district", "--district", "500103", "--password", "s3cret-pass"))
	if !strings.HasPrefix(coord, "bayu_") || coord == eval {
		t.Fatalf("user add printed %q", coord)
	}
	c := client{t: t, base: base}
	type step struct {
		token, event string
		data         map[string]any
	}
	eva := map[string]any{"score": 92, "authentic": true, "no_classified": true, "no_infringement": true, "comment": "精品"}
	common := []step{{dist, "report", nil}, {dist, "recommend", nil}, {eval, "evaluate", eva}, {coord, "accept", nil}}
	walks := map[string]struct {
		steps []step
		end   string
	}{
		"donation": {append(common[:4:4], step{coord, "sign_agreement", map[string]any{"signed_on": "2026-08-10", "parties": "实训中心；捐赠人"}},
			step{coord, "store", map[string]any{"location": "A-01"}}), "stored"},
		"deposit": {append(common[:4:4], step{coord, "sign_agreement", map[string]any{"signed_on": "2026-08-10", "parties": "实训中心；寄存人", "return_due": "2027-08-10"}},
			step{coord, "store", map[string]any{"location": "A-02"}},
			step{coord, "display", map[string]any{"venue": "世界技能博物馆", "from": "2026-09-01", "until": "2026-12-31"}},
			step{coord, "end_display", nil},
			step{coord, "return", map[string]any{"returned_on": "2027-08-01", "receipt": "回执001"}}), "returned"},
		"consignment": {append(common[:4:4], step{coord, "sign_agreement", map[string]any{"signed_on": "2026-08-10", "parties": "实训中心；寄售人", "asking_price_cny": 5000, "term_end": "2027-02-10"}},
			step{coord, "store", map[string]any{"location": "A-03"}},
			step{coord, "sell", map[string]any{"price_cny": 4800, "sold_on": "2026-10-01"}}), "sold"},
		"replication": {append(common[:4:4], step{coord, "sign_agreement", map[string]any{"signed_on": "2026-08-10", "parties": "实训中心；持有人", "original_return_due": "2026-10-10"}},
			step{coord, "start_replication", nil},
			step{coord, "complete_replication", map[string]any{"original_returned_on": "2026-10-01", "location": "B-01"}}), "stored"},
	}
	for method, w := range walks {
		x := c.call(dist, "POST", "/api/v1/exhibits", map[string]any{
			"name": "展品（" + method + "）", "category": "工艺品", "description": "端到端测试", "method": method,
			"source_unit": "渝中区技能大师工作室", "contact_name": "李乔", "contact_phone": "18225293447", "valuation_text": "约3000元",
		})
		id := int64(x["id"].(float64))
		for _, s := range w.steps {
			body := map[string]any{"event": s.event, "data": s.data, "version": x["version"]}
			x = c.call(s.token, "POST", fmt.Sprintf("/api/v1/exhibits/%d/events", id), body)
		}
		if x["state"] != w.end {
			t.Errorf("%s ended in %v, want %s", method, x["state"], w.end)
		}
		h := c.call(coord, "GET", fmt.Sprintf("/api/v1/exhibits/%d/history", id), nil)["transitions"].([]any)
		if len(h) != len(w.steps)+1 {
			t.Errorf("%s: %d history rows, want %d", method, len(h), len(w.steps)+1)
		}
		if last := h[len(h)-1].(map[string]any); last["to"] != w.end || last["actor"] != "coord" {
			t.Errorf("%s: last history row %v", method, last)
		}
	}

	run("user", "disable", "yuzhong")
	req, _ := http.NewRequest("GET", base+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+dist)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 401 {
		t.Errorf("a disabled user's token still works: %d", res.StatusCode)
	}
}
