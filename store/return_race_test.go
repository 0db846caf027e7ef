package store_test

import (
	"context"
	"sync"
	"testing"

	"bayu/store"
	"bayu/workflow"
	"bayu/workflow/sample"
)

// Items are returned while the sweep sends their reminders. A transition locks
// the exhibit and then its reminder row; the sweep locks reminder rows and then
// needs the exhibit (the notice refers to it). Were the sweep to wait for the
// exhibit, the two would deadlock; it skips exhibits being moved instead, and
// sends their reminders at the next tick if they are still due.
func TestReturnsRacingTheSweepNeitherDeadlockNorLeaveReminders(t *testing.T) {
	t.Parallel()
	e := newClockEnv(t, at(2026, 5, 1, 9))
	ctx := context.Background()
	var items []*workflow.Exhibit
	for i := range 40 {
		x := e.toAccepted(t, i, workflow.Deposit)
		x = e.fireAt(t, x, workflow.SignAgreement, at(2026, 5, 10, 10), map[string]any{"return_due": "2026-06-20"})
		items = append(items, e.fireAt(t, x, workflow.Store, at(2026, 5, 10, 11), nil))
	}
	e.clk.Set(at(2026, 6, 25, 10)) // every -30d, -7d and -1d step and the day itself are due
	var wg sync.WaitGroup
	errs := make(chan error, 2*len(items))
	wg.Go(func() {
		for range 10 { // small batches, so that the sweep and the returns interleave
			if _, err := e.s.RunJob(ctx, store.JobReturns, at(2026, 6, 25, 10), store.Delivery{}); err != nil {
				errs <- err
			}
		}
	})
	for _, x := range items {
		wg.Go(func() {
			_, err := e.s.Fire(ctx, e.coord, store.FireRequest{ExhibitID: x.ID, Event: workflow.Return,
				Data: sample.Raw(map[string]any{"returned_on": "2026-06-25", "receipt": "回执"})})
			if err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("racing: %v", err)
	}
	if p := e.pending(t); len(p) != 0 {
		t.Errorf("%d returned items keep a pending reminder", len(p))
	}
}
