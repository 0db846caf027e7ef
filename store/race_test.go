package store_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"bayu/store"
	"bayu/workflow"
	"bayu/workflow/sample"
)

// 64 goroutines fire the same event at one exhibit: exactly one wins.
func TestSameEventRaceHasOneWinner(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	x := e.walk(t, 1, workflow.Deposit, workflow.Reported)
	before := len(e.history(t, x.ID))
	var wg sync.WaitGroup
	results := make([]error, 64)
	start := make(chan struct{})
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, results[i] = e.s.Fire(context.Background(), e.dist, store.FireRequest{ExhibitID: x.ID, Event: workflow.Recommend})
		}()
	}
	close(start)
	wg.Wait()
	won, lost := 0, 0
	for _, err := range results {
		switch {
		case err == nil:
			won++
		case workflow.ErrorCode(err) == workflow.CodeInvalidTransition:
			lost++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if won != 1 || lost != 63 {
		t.Fatalf("won %d, lost %d; want 1 and 63", won, lost)
	}
	if after := len(e.history(t, x.ID)); after != before+1 {
		t.Fatalf("history grew by %d, want 1", after-before)
	}
}

// Random events race over 20 exhibits; afterwards every exhibit's state is the end
// of its history, and its history is a valid path through the table.
func TestRandomRacesKeepHistoryConsistent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	var ids []int64
	for i := range 20 {
		ids = append(ids, e.create(t, i, workflow.Methods[i%4]).ID)
	}
	rounds := 1000
	if testing.Short() {
		rounds = 200
	}
	events := workflow.Events()
	var wg sync.WaitGroup
	work := make(chan int)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				r := rand.New(rand.NewPCG(uint64(i), 7))
				id := ids[r.IntN(len(ids))]
				ev := events[r.IntN(len(events))]
				x, err := e.s.Exhibit(ctx, e.coord, id)
				if err != nil {
					t.Error(err)
					return
				}
				a := e.actorFor(ev)
				c := sample.Command(x, ev, a, t0)
				req := store.FireRequest{ExhibitID: id, Event: ev, Reason: c.Reason, Data: c.Data}
				if r.IntN(2) == 0 {
					req.Version = &x.Version
				}
				_, err = e.s.Fire(ctx, a, req)
				switch workflow.ErrorCode(err) {
				case workflow.CodeInternal:
					if err != nil {
						t.Errorf("round %d: %v", i, err)
					}
				case workflow.CodeConflict:
					t.Errorf("round %d: unexpected conflict %v", i, err)
				}
			}
		}()
	}
	for i := range rounds {
		work <- i
	}
	close(work)
	wg.Wait()

	for _, id := range ids {
		x, err := e.s.Exhibit(ctx, e.coord, id)
		if err != nil {
			t.Fatal(err)
		}
		h := e.history(t, id)
		if h[0].Event != workflow.CreateEvent || h[0].To != workflow.Mobilized {
			t.Fatalf("exhibit %d does not start with its creation", id)
		}
		state := workflow.Mobilized
		for i, row := range h[1:] {
			if row.Seq != i+2 || *row.From != state {
				t.Fatalf("exhibit %d row %d: from %s, expected %s", id, row.Seq, *row.From, state)
			}
			if !validEdge(row.Event, state, row.To) {
				t.Fatalf("exhibit %d row %d: %s from %s to %s is not in the table", id, row.Seq, row.Event, state, row.To)
			}
			state = row.To
		}
		if x.State != state || x.Version != int64(len(h)) {
			t.Fatalf("exhibit %d: state %s v%d, history ends at %s after %d rows", id, x.State, x.Version, state, len(h))
		}
	}
}

func validEdge(ev workflow.Event, from, to workflow.State) bool {
	for _, tr := range workflow.Table() {
		if tr.Event == ev && tr.To == to && slices.Contains(tr.From, from) {
			return true
		}
	}
	return false
}

func BenchmarkFire(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	xs := make([]*workflow.Exhibit, b.N)
	for i := range xs {
		xs[i] = e.walk(b, i, workflow.Deposit, workflow.Reported)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := e.s.Fire(ctx, e.dist, store.FireRequest{ExhibitID: xs[i].ID, Event: workflow.Recommend}); err != nil {
			b.Fatal(err)
		}
	}
}
