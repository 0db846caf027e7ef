package workflow_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"bayu/workflow"
	"bayu/workflow/sample"
)

var at = time.Date(2026, 7, 15, 3, 0, 0, 0, time.UTC)

func TestTableHasTheProductsShape(t *testing.T) {
	if got := len(workflow.States()); got != 14 {
		t.Errorf("states: got %d, want 14", got)
	}
	if got := len(workflow.Events()); got != 16 {
		t.Errorf("events: got %d, want 16", got)
	}
	for _, s := range []workflow.State{workflow.Returned, workflow.Sold, workflow.Withdrawn, workflow.Rejected} {
		if !s.Terminal() {
			t.Errorf("%s should be terminal", s)
		}
	}
	if got := workflow.AllowedEvents(workflow.NotRecommended); !slices.Equal(got, []workflow.Event{workflow.Reconsider}) {
		t.Errorf("not_recommended leaves only by reconsider, got %v", got)
	}
	for _, s := range workflow.States() {
		if s.Label().ZH == "" || s.Label().EN == "" {
			t.Errorf("state %s has no label", s)
		}
	}
	for _, e := range workflow.Events() {
		if e.Label().ZH == "" {
			t.Errorf("event %s has no label", e)
		}
	}
}

// walk drives a fresh exhibit of method m to state s through real events.
func walk(t *testing.T, m workflow.Method, s workflow.State) *workflow.Exhibit {
	t.Helper()
	path, ok := sample.Path(m, s)
	if !ok {
		return nil
	}
	x := &workflow.Exhibit{ID: 1, District: "500101", Fields: sample.Fields(1, m), State: workflow.Mobilized, Version: 1}
	for _, ev := range path {
		next, err := workflow.Fire(context.Background(), *x, sample.Command(x, ev, sample.Actor(ev, x.District), at))
		if err != nil {
			t.Fatalf("walking to %s by %s: %v", s, ev, err)
		}
		x = &next
	}
	return x
}

func TestEveryStateEventPair(t *testing.T) {
	for _, s := range workflow.States() {
		for _, ev := range workflow.Events() {
			var want workflow.State
			for _, tr := range workflow.Table() {
				if tr.Event == ev && slices.Contains(tr.From, s) {
					want = tr.To
				}
			}
			x := exhibitFor(t, s, ev)
			next, err := workflow.Fire(context.Background(), *x, sample.Command(x, ev, sample.Actor(ev, x.District), at))
			if want == "" {
				if workflow.ErrorCode(err) != workflow.CodeInvalidTransition {
					t.Errorf("%s from %s: want invalid_transition, got %v", ev, s, err)
				} else if !strings.Contains(err.Error(), string(s)) {
					t.Errorf("%s from %s: message does not name the state: %v", ev, s, err)
				}
				continue
			}
			if err != nil || next.State != want {
				t.Errorf("%s from %s: want %s, got %s, %v", ev, s, want, next.State, err)
			}
			if x.State != s {
				t.Errorf("Fire modified its input exhibit")
			}
		}
	}
}

// exhibitFor returns an exhibit in state s whose method lets ev pass its method rule
// when any method can; otherwise one of any method that reaches s.
func exhibitFor(t *testing.T, s workflow.State, ev workflow.Event) *workflow.Exhibit {
	var fallback *workflow.Exhibit
	for _, m := range workflow.Methods {
		x := walk(t, m, s)
		if x == nil {
			continue
		}
		if workflow.MethodAllows(x, ev) {
			return x
		}
		fallback = x
	}
	if fallback == nil {
		t.Fatalf("no method reaches %s", s)
	}
	return fallback
}

func TestInvalidTransitionNamesAllowedEvents(t *testing.T) {
	x := walk(t, workflow.Deposit, workflow.Reported)
	_, err := workflow.Fire(context.Background(), *x, sample.Command(x, workflow.Accept, sample.Actor(workflow.Accept, "500101"), at))
	var e *workflow.Error
	if !errors.As(err, &e) || e.Code != workflow.CodeInvalidTransition {
		t.Fatalf("got %v", err)
	}
	for _, want := range []string{"reported", "decline", "recommend", "withdraw"} {
		if !strings.Contains(e.Message.EN, want) || !strings.Contains(e.Message.ZH, want) {
			t.Errorf("message %q / %q does not name %s", e.Message.ZH, e.Message.EN, want)
		}
	}
}

func TestUnknownEventIsBadRequest(t *testing.T) {
	x := walk(t, workflow.Deposit, workflow.Reported)
	_, err := workflow.Fire(context.Background(), *x, workflow.Command{Event: "teleport", Actor: sample.Actor(workflow.Accept, "")})
	if workflow.ErrorCode(err) != workflow.CodeBadRequest {
		t.Fatalf("got %v", err)
	}
}

func TestDiagramsAreStable(t *testing.T) {
	for _, format := range []string{"mmd", "dot"} {
		first, err := workflow.Diagram(format)
		if err != nil {
			t.Fatal(err)
		}
		for range 20 {
			again, _ := workflow.Diagram(format)
			if again != first {
				t.Fatalf("%s diagram changes between calls", format)
			}
		}
		for _, e := range workflow.Events() {
			if !strings.Contains(first, string(e)) {
				t.Errorf("%s diagram lacks %s", format, e)
			}
		}
	}
}

// Fire reuses state machines: a refusal, a move and a command from another
// state, in any order and from many goroutines, must each see only their own
// exhibit's state and guard.
func TestReusedMachinesKeepNothingBetweenCommands(t *testing.T) {
	stored := walk(t, workflow.Donation, workflow.Stored)
	evaluated := walk(t, workflow.Donation, workflow.Evaluated)
	coord := sample.Actor(workflow.Display, stored.District)
	display := sample.Command(stored, workflow.Display, coord, at)
	// A district may not accept: the guard refuses, after the FSM found the edge.
	refused := sample.Command(evaluated, workflow.Accept, sample.Actor(workflow.Recommend, evaluated.District), at)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				switch (g + i) % 4 {
				case 0:
					if next, err := workflow.Fire(context.Background(), *stored, display); err != nil || next.State != workflow.OnDisplay {
						t.Errorf("display from stored: %s %v", next.State, err)
					}
				case 1:
					if _, err := workflow.Fire(context.Background(), *stored, sample.Command(stored, workflow.Report, coord, at)); workflow.ErrorCode(err) != workflow.CodeInvalidTransition {
						t.Errorf("report from stored: %v", err)
					}
				case 2:
					next, err := workflow.Fire(context.Background(), *evaluated, refused)
					if workflow.ErrorCode(err) != workflow.CodeForbidden || next.State != workflow.Evaluated {
						t.Errorf("a refused accept moved the exhibit: %s %v", next.State, err)
					}
				case 3:
					if next, err := workflow.Fire(context.Background(), *evaluated, sample.Command(evaluated, workflow.Accept, sample.Actor(workflow.Accept, evaluated.District), at)); err != nil || next.State != workflow.Accepted {
						t.Errorf("accept from evaluated: %s %v", next.State, err)
					}
				}
			}
		}()
	}
	wg.Wait()
}
