package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"bayu/store"
	"bayu/store/storetest"
	"bayu/workflow"
	"bayu/workflow/sample"
)

// accepted is one request the server answered 200 to: it must be in the history.
type accepted struct {
	exhibit int64
	version int64
	event   string
}

// TestKillDashNineLosesNothing starts the server, loads it, kills it with SIGKILL
// mid-load, restarts it, and checks that the database is consistent: states end
// their histories, histories are paths through the state machine, every answered
// request is in the history, and the hash chains verify.
func TestKillDashNineLosesNothing(t *testing.T) {
	dbURL := storetest.URL(t)
	ctx := context.Background()
	st, err := store.Open(ctx, dbURL, store.Options{PasswordCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tokens := map[workflow.Role]string{}
	actors := map[workflow.Role]workflow.Actor{}
	for _, u := range []store.NewUser{{Name: "c", Role: workflow.Coordinator}, {Name: "e", Role: workflow.Evaluator},
		{Name: "d", Role: workflow.District, District: "500101"}} {
		user, tok, err := st.CreateUser(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		tokens[u.Role], actors[u.Role] = tok, user.Actor()
	}
	var stored []*workflow.Exhibit
	for i := range 16 {
		x, err := seedStored(ctx, st, actors, i)
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, x)
	}

	addr := freeAddr(t)
	env := []string{"DATABASE_URL=" + dbURL, "BAYU_DATA_DIR=" + t.TempDir()}
	srv := startChild(t, env, "serve", "--addr", addr)
	base := "http://" + addr
	waitHealthy(t, base, srv)

	var mu sync.Mutex
	var ok []accepted
	post := func(role workflow.Role, path string, body any) (*workflow.Exhibit, error) {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", base+"/api/v1"+path, bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+tokens[role])
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		if res.StatusCode >= 300 {
			return nil, fmt.Errorf("%d %s", res.StatusCode, raw)
		}
		var x workflow.Exhibit
		if err := json.Unmarshal(raw, &x); err != nil {
			return nil, err
		}
		return &x, nil
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() { // display round trips on two exhibits of this client's own
			defer wg.Done()
			own := []*workflow.Exhibit{stored[2*i], stored[2*i+1]}
			day := workflow.DateOf(time.Now())
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				x := own[n%2]
				ev, data := "display", map[string]any{"venue": "博物馆", "from": day, "until": day.AddDays(9)}
				if x.State == workflow.OnDisplay {
					ev, data = "end_display", nil
				}
				next, err := post(workflow.Coordinator, fmt.Sprintf("/exhibits/%d/events", x.ID), map[string]any{"event": ev, "data": data, "version": x.Version})
				if err != nil {
					continue // the server is down or was down: outcome unknown, the check below does not count it
				}
				mu.Lock()
				ok = append(ok, accepted{x.ID, next.Version, ev})
				mu.Unlock()
				own[n%2] = next
			}
		}()
	}
	for i := range 4 {
		wg.Add(1)
		go func() { // whole lifecycles of new exhibits
			defer wg.Done()
			path, _ := sample.Path(workflow.Donation, workflow.Stored)
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				f := sample.Fields(1000*i+n, workflow.Donation)
				x, err := post(workflow.District, "/exhibits", map[string]any{"district": "500101", "name": f.Name, "category": f.Category,
					"description": f.Description, "method": "donation", "source_unit": f.SourceUnit, "contact_name": f.ContactName, "contact_phone": f.ContactPhone})
				if err != nil {
					continue
				}
				for _, ev := range path {
					c := sample.Command(x, ev, workflow.Actor{}, time.Now())
					next, err := post(sample.Actor(ev, "500101").Role, fmt.Sprintf("/exhibits/%d/events", x.ID),
						map[string]any{"event": ev, "reason": c.Reason, "data": c.Data, "version": x.Version})
					if err != nil {
						break
					}
					mu.Lock()
					ok = append(ok, accepted{x.ID, next.Version, string(ev)})
					mu.Unlock()
					x = next
				}
			}
		}()
	}
	time.Sleep(1500 * time.Millisecond) // load, not a deadline: let requests be in flight
	if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	srv.cmd.Wait()
	mu.Lock()
	beforeKill := len(ok)
	mu.Unlock()
	srv = startChild(t, env, "serve", "--addr", addr)
	waitHealthy(t, base, srv)
	time.Sleep(300 * time.Millisecond)
	close(stop)
	wg.Wait()
	srv.cmd.Process.Signal(syscall.SIGTERM)
	srv.cmd.Wait()
	if beforeKill < 20 || len(ok) <= beforeKill {
		t.Fatalf("too little load to prove anything: %d answered before the kill, %d in all", beforeKill, len(ok))
	}

	checkConsistent(t, st, ok)
	var out bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &out, Getenv: func(k string) string {
		if k == "DATABASE_URL" {
			return dbURL
		}
		return ""
	}}
	if err := m.Run(ctx, []string{"audit", "verify"}); err != nil {
		t.Fatalf("audit verify after the crash: %v\n%s", err, out.String())
	}
	t.Logf("%d requests answered, %d before the kill", len(ok), beforeKill)
}

// checkConsistent checks the database against the state machine and the answers.
func checkConsistent(t *testing.T, st *store.Store, ok []accepted) {
	t.Helper()
	var rows []struct {
		Exhibit int64   `db:"exhibit_id"`
		Seq     int64   `db:"seq"`
		Event   string  `db:"event"`
		From    *string `db:"from_state"`
		To      string  `db:"to_state"`
	}
	if err := st.DB().Select(&rows, `SELECT exhibit_id, seq, event, from_state, to_state FROM exhibit_history ORDER BY exhibit_id, seq`); err != nil {
		t.Fatal(err)
	}
	type key struct{ id, seq int64 }
	events := map[key]string{}
	last := map[int64]string{}
	for i, r := range rows {
		events[key{r.Exhibit, r.Seq}] = r.Event
		if r.Seq == 1 {
			if r.From != nil || r.To != "mobilized" {
				t.Fatalf("exhibit %d starts with %v→%s", r.Exhibit, r.From, r.To)
			}
		} else {
			prev := rows[i-1]
			if prev.Exhibit != r.Exhibit || prev.Seq != r.Seq-1 || r.From == nil || *r.From != prev.To {
				t.Fatalf("exhibit %d row %d does not follow row %d", r.Exhibit, r.Seq, prev.Seq)
			}
			if workflow.KnownEvent(workflow.Event(r.Event)) && !edge(workflow.Event(r.Event), workflow.State(*r.From), workflow.State(r.To)) {
				t.Fatalf("exhibit %d row %d: %s from %s to %s is not in the table", r.Exhibit, r.Seq, r.Event, *r.From, r.To)
			}
		}
		last[r.Exhibit] = r.To
	}
	var states []struct {
		ID      int64  `db:"id"`
		State   string `db:"state"`
		Version int64  `db:"version"`
	}
	st.DB().Select(&states, `SELECT id, state, version FROM exhibits`)
	for _, x := range states {
		if last[x.ID] != x.State {
			t.Fatalf("exhibit %d is %s but its history ends at %s", x.ID, x.State, last[x.ID])
		}
		if _, ok := events[key{x.ID, x.Version}]; !ok {
			t.Fatalf("exhibit %d at version %d has no history row %d", x.ID, x.Version, x.Version)
		}
	}
	for _, a := range ok {
		if events[key{a.exhibit, a.version}] != a.event {
			t.Fatalf("answered %s of exhibit %d (version %d) is not in the history", a.event, a.exhibit, a.version)
		}
	}
}

func edge(ev workflow.Event, from, to workflow.State) bool {
	for _, tr := range workflow.Table() {
		if tr.Event == ev && tr.To == to && slices.Contains(tr.From, from) {
			return true
		}
	}
	return false
}
