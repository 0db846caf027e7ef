package store_test

import (
	"context"
	"testing"
	"time"

	"bayu/store"
	"bayu/store/storetest"
	"bayu/workflow"
	"bayu/workflow/sample"
)

var t0 = time.Date(2026, 7, 15, 2, 0, 0, 0, time.UTC)

type env struct {
	s     *store.Store
	coord workflow.Actor
	eval  workflow.Actor
	dist  workflow.Actor // unit 500101
}

func newEnv(t testing.TB) *env {
	t.Helper()
	s := storetest.New(t, store.Options{Clock: func() time.Time { return t0 }})
	e := &env{s: s}
	e.coord = e.user(t, "coord", workflow.Coordinator, "")
	e.eval = e.user(t, "eval", workflow.Evaluator, "")
	e.dist = e.user(t, "wanzhou", workflow.District, "500101")
	return e
}

func (e *env) user(t testing.TB, name string, r workflow.Role, district string) workflow.Actor {
	t.Helper()
	u, _, err := e.s.CreateUser(context.Background(), store.NewUser{Name: name, Role: r, District: district})
	if err != nil {
		t.Fatal(err)
	}
	return u.Actor()
}

// actorFor picks the env's user allowed to fire ev.
func (e *env) actorFor(ev workflow.Event) workflow.Actor {
	switch sample.Actor(ev, "500101").Role {
	case workflow.Evaluator:
		return e.eval
	case workflow.District:
		return e.dist
	}
	return e.coord
}

func (e *env) create(t testing.TB, n int, m workflow.Method) *workflow.Exhibit {
	t.Helper()
	x, err := e.s.CreateExhibit(context.Background(), e.dist, workflow.CreateInput{District: "500101", Fields: sample.Fields(n, m)})
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// fire fires ev on x with valid data through the store.
func (e *env) fire(t testing.TB, x *workflow.Exhibit, ev workflow.Event) (*workflow.Exhibit, error) {
	t.Helper()
	a := e.actorFor(ev)
	c := sample.Command(x, ev, a, t0)
	return e.s.Fire(context.Background(), a, store.FireRequest{ExhibitID: x.ID, Event: ev, Reason: c.Reason, Data: c.Data})
}

// walk creates an exhibit of method m and drives it to state s.
func (e *env) walk(t testing.TB, n int, m workflow.Method, s workflow.State) *workflow.Exhibit {
	t.Helper()
	path, ok := sample.Path(m, s)
	if !ok {
		t.Fatalf("no path to %s for %s", s, m)
	}
	x := e.create(t, n, m)
	for _, ev := range path {
		next, err := e.fire(t, x, ev)
		if err != nil {
			t.Fatalf("walk to %s: %s: %v", s, ev, err)
		}
		x = next
	}
	return x
}

func (e *env) history(t testing.TB, id int64) []store.HistoryEntry {
	t.Helper()
	h, err := e.s.History(context.Background(), e.coord, id)
	if err != nil {
		t.Fatal(err)
	}
	return h
}
