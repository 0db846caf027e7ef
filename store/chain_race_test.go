package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"bayu/store"
	"bayu/workflow"
	"bayu/workflow/sample"
)

// 1,000 transitions race over 50 exhibits, with refusals (wrong state, stale
// version) recorded in the audit log as they happen; afterwards every chain is
// intact and holds exactly what happened.
func TestConcurrentTransitionsKeepEveryChainValid(t *testing.T) {
	t.Parallel()
	e := newKeyedEnv(t, store.Options{AuditKey: testKey})
	e.s.DB().SetMaxOpenConns(20) // as store.Open does; the server's connections are shared by parallel tests
	ctx := context.Background()
	const exhibits, transitions, workers = 50, 1000, 100
	xs := make([]*workflow.Exhibit, exhibits)
	var wg sync.WaitGroup
	for w := range 10 { // the walks to stored race too, five exhibits a worker
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < exhibits; i += 10 {
				x, err := walkToStored(ctx, e, i)
				if err != nil {
					t.Error(err)
					return
				}
				xs[i] = x
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}

	// Every worker toggles one exhibit between stored and on display, reading
	// it first; two workers share each exhibit, so they collide.
	var refused atomic.Int64
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := xs[w%exhibits].ID
			for done := 0; done < transitions/workers; {
				x, err := e.s.Exhibit(ctx, e.coord, id)
				if err != nil {
					t.Error(err)
					return
				}
				ev := workflow.Display
				if x.State == workflow.OnDisplay {
					ev = workflow.EndDisplay
				}
				req := sampleRequest(x, ev, e.coord)
				if done%2 == 0 {
					req.Version = &x.Version
				}
				_, err = e.s.Fire(ctx, e.coord, req)
				switch workflow.ErrorCode(err) {
				case "":
				case workflow.CodeInvalidTransition, workflow.CodeVersionConflict:
					refused.Add(1)
					continue
				default:
					if err != nil {
						t.Errorf("%s on %d: %v", ev, id, err)
						return
					}
				}
				done++
			}
		}()
	}
	wg.Wait()

	rep := verify(t, e.s, "")
	if !rep.OK {
		t.Fatalf("after the race: %d problems, first %+v", rep.Problems, rep.FirstBad)
	}
	want := int64(exhibits*7+transitions) + 3 + refused.Load() // history rows, users, refusals
	if rep.Checked != want {
		t.Fatalf("checked %d rows, want %d (%d refusals)", rep.Checked, want, refused.Load())
	}
	t.Logf("%d transitions and %d refusals on %d exhibits; %d rows verified", transitions, refused.Load(), exhibits, rep.Checked)
}

// sampleRequest is the store request for ev with valid sample data.
func sampleRequest(x *workflow.Exhibit, ev workflow.Event, a workflow.Actor) store.FireRequest {
	c := sample.Command(x, ev, a, t0)
	return store.FireRequest{ExhibitID: x.ID, Event: ev, Reason: c.Reason, Data: c.Data}
}

// walkToStored creates donation n and fires its way to stored, returning
// errors rather than failing, for use from goroutines.
func walkToStored(ctx context.Context, e *env, n int) (*workflow.Exhibit, error) {
	x, err := e.s.CreateExhibit(ctx, e.dist, workflow.CreateInput{District: "500101", Fields: sample.Fields(n, workflow.Donation)})
	if err != nil {
		return nil, err
	}
	path, _ := sample.Path(workflow.Donation, workflow.Stored)
	for _, ev := range path {
		a := e.actorFor(ev)
		if x, err = e.s.Fire(ctx, a, sampleRequest(x, ev, a)); err != nil {
			return nil, err
		}
	}
	return x, nil
}
