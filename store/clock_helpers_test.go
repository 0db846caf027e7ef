package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"bayu/store"
	"bayu/store/storetest"
	"bayu/workflow"
	"bayu/workflow/campaign"
	"bayu/workflow/sample"
)

// shanghai is the campaign zone of the tests.
var shanghai, _ = campaign.Location("")

// at is an instant in Shanghai.
func at(y int, m time.Month, d, hour int) time.Time {
	return time.Date(y, m, d, hour, 0, 0, 0, shanghai)
}

// day is a calendar day.
func day(y int, m time.Month, d int) workflow.Date { return workflow.NewDate(y, m, d) }

// testClock is a clock the test moves by hand; nothing ever sleeps on it.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// clockEnv is env with a clock the test moves and district users per unit.
type clockEnv struct {
	*env
	clk   *testClock
	units map[string]workflow.Actor
}

// newClockEnv is newEnv with a clock the test moves, starting at start.
func newClockEnv(t testing.TB, start time.Time) *clockEnv {
	t.Helper()
	return newClockEnvOn(t, storetest.URL(t), start)
}

// newClockEnvOn is newClockEnv on the database at url.
func newClockEnvOn(t testing.TB, url string, start time.Time) *clockEnv {
	t.Helper()
	db, err := sqlx.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clk := &testClock{t: start}
	e := &env{s: store.New(db, store.Options{Clock: clk.Now, Location: shanghai})}
	e.coord = e.user(t, "coord", workflow.Coordinator, "")
	e.eval = e.user(t, "eval", workflow.Evaluator, "")
	e.dist = e.user(t, "wanzhou", workflow.District, "500101")
	return &clockEnv{env: e, clk: clk, units: map[string]workflow.Actor{"500101": e.dist}}
}

// districtOf is a district user of the unit, created on first use.
func (e *clockEnv) districtOf(t testing.TB, unit string) workflow.Actor {
	t.Helper()
	if a, ok := e.units[unit]; ok {
		return a
	}
	a := e.user(t, "district-"+unit, workflow.District, unit)
	e.units[unit] = a
	return a
}

// createIn creates exhibit n of method m in unit with the clock at when.
func (e *clockEnv) createIn(t testing.TB, unit string, n int, m workflow.Method, when time.Time) *workflow.Exhibit {
	t.Helper()
	e.clk.Set(when)
	x, err := e.s.CreateExhibit(context.Background(), e.districtOf(t, unit), workflow.CreateInput{District: unit, Fields: sample.Fields(n, m)})
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// fireAt fires ev on x with the clock at when, sample data overridden by data.
func (e *clockEnv) fireAt(t testing.TB, x *workflow.Exhibit, ev workflow.Event, when time.Time, data map[string]any) *workflow.Exhibit {
	t.Helper()
	e.clk.Set(when)
	a := e.actorFor(ev)
	if a.Role == workflow.District || ev == workflow.Report {
		a = e.districtOf(t, x.District)
	}
	c := sample.Command(x, ev, a, when.In(shanghai))
	raw := c.Data
	for k, v := range sample.Raw(data) {
		raw[k] = v
	}
	next, err := e.s.Fire(context.Background(), a, store.FireRequest{ExhibitID: x.ID, Event: ev, Reason: c.Reason, Data: raw})
	if err != nil {
		t.Fatalf("%s on #%d at %s: %v", ev, x.ID, when, err)
	}
	return next
}

// walkAt drives x through events, an hour apart from when on.
func (e *clockEnv) walkAt(t testing.TB, x *workflow.Exhibit, when time.Time, evs ...workflow.Event) *workflow.Exhibit {
	t.Helper()
	for i, ev := range evs {
		x = e.fireAt(t, x, ev, when.Add(time.Duration(i)*time.Minute), nil)
	}
	return x
}

// run runs one job at now with no senders.
func (e *clockEnv) run(t testing.TB, job store.JobName, now time.Time) store.JobResult {
	t.Helper()
	res, err := e.s.RunJob(context.Background(), job, now, store.Delivery{})
	if err != nil {
		t.Fatalf("%s at %s: %v", job, now, err)
	}
	return res
}

// notices are the notices created since the beginning, by key.
func (e *clockEnv) notices(t testing.TB) map[string]store.Notice {
	t.Helper()
	ns, err := e.s.Notices(context.Background(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]store.Notice, len(ns))
	for _, n := range ns {
		out[n.Key] = n
	}
	return out
}
