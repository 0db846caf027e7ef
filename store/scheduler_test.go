package store_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"bayu/store"
	"bayu/store/deliver"
	"bayu/workflow/campaign"
)

// The cron side of the scheduler starts and stops without waiting for a tick;
// the ticks themselves are driven by hand in the other tests.
func TestSchedulerStartsOnceAndStops(t *testing.T) {
	t.Parallel()
	e := newClockEnv(t, at(2026, 4, 1, 9))
	sc := store.NewScheduler(e.s, store.Delivery{}, nil)
	if err := sc.Start(); err != nil {
		t.Fatal(err)
	}
	if err := sc.Start(); err == nil {
		t.Error("a second Start was accepted")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	sc.Stop(ctx)
	sc.Stop(ctx) // stopping twice is harmless
	if ctx.Err() != nil {
		t.Error("Stop waited for its deadline")
	}
}

// A tick runs only the jobs with work due, and records a run only when it did
// something, so that `bayu jobs list` shows the last real work.
func TestTickRecordsOnlyRunsThatDidSomething(t *testing.T) {
	t.Parallel()
	e := newClockEnv(t, at(2026, 4, 1, 9))
	ctx := context.Background()
	if _, err := e.s.CreateCampaign(ctx, e.coord, campaign.Default(2026)); err != nil {
		t.Fatal(err)
	}
	sc := store.NewScheduler(e.s, store.Delivery{}, nil)
	if due, err := e.s.DueJobs(ctx, at(2026, 6, 16, 23)); err != nil || len(due) != 0 {
		t.Fatalf("due before anything is: %v %v", due, err)
	}
	if err := sc.Tick(ctx, at(2026, 6, 16, 23)); err != nil {
		t.Fatal(err)
	}
	if runs, _ := e.s.JobRuns(ctx); len(runs) != 0 {
		t.Errorf("idle tick recorded %v", runs)
	}
	due, _ := e.s.DueJobs(ctx, at(2026, 6, 17, 0))
	if len(due) != 1 || due[0] != store.JobPhaseReminders {
		t.Fatalf("due at 06-17: %v", due)
	}
	if err := sc.Tick(ctx, at(2026, 6, 17, 0)); err != nil {
		t.Fatal(err)
	}
	runs, _ := e.s.JobRuns(ctx)
	r, ok := runs[store.JobPhaseReminders]
	if len(runs) != 1 || !ok || r.Done != 1 || r.Created != 42 || !r.LastAt.Equal(at(2026, 6, 17, 0)) {
		t.Errorf("runs %+v", runs)
	}
	next, err := e.s.NextDue(ctx)
	if err != nil || !next[store.JobPhaseReminders].Equal(at(2026, 6, 24, 0)) || !next[store.JobListClose].Equal(at(2026, 8, 1, 0)) {
		t.Errorf("next due %v %v", next, err)
	}
}

// The notices a tick makes are sent in the same tick.
func TestTickSendsWhatItMade(t *testing.T) {
	t.Parallel()
	e := newClockEnv(t, at(2026, 4, 1, 9))
	ctx := context.Background()
	var mu sync.Mutex
	got := 0
	hook := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		got++
	}))
	t.Cleanup(hook.Close)
	webhook, err := deliver.NewWebhook(deliver.WebhookConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.SetContact(ctx, e.dist.UserID, store.Contact{Webhook: hook.URL}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.CreateCampaign(ctx, e.coord, campaign.Default(2026)); err != nil {
		t.Fatal(err)
	}
	sc := store.NewScheduler(e.s, store.Delivery{Senders: map[deliver.Channel]deliver.Sender{deliver.ChannelWebhook: webhook}}, nil)
	if err := sc.Tick(ctx, at(2026, 6, 17, 0)); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	posts := got
	mu.Unlock()
	if posts != 1 {
		t.Errorf("the unit's webhook got %d posts in the tick, want 1", posts)
	}
	runs, _ := e.s.JobRuns(ctx)
	if runs[store.JobDeliveries].Done != 1 {
		t.Errorf("runs %+v", runs)
	}
}
