package http_test

import (
	"bytes"
	"strconv"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"bayu/workflow"
	"bayu/workflow/sample"
)

// stored walks a deposit of 500101 to stored over the API, signed on 07-10
// with the item due back on 2026-09-30.
func (a *api) stored() int64 {
	a.t.Helper()
	id, x := a.create("wanzhou")
	ex := &workflow.Exhibit{Fields: workflow.Fields{Method: workflow.Deposit, SourceUnit: x["source_unit"].(string)}}
	day := time.Date(2026, 7, 10, 10, 0, 0, 0, time.UTC)
	for _, step := range []struct {
		user string
		ev   workflow.Event
	}{{"wanzhou", workflow.Report}, {"wanzhou", workflow.Recommend}, {"eval", workflow.Evaluate}, {"coord", workflow.Accept},
		{"coord", workflow.SignAgreement}, {"coord", workflow.Store}} {
		c := sample.Command(ex, step.ev, workflow.Actor{}, day)
		if step.ev == workflow.SignAgreement {
			c.Data["return_due"] = []byte(`"2026-09-30"`)
		}
		if r := a.fire(step.user, id, map[string]any{"event": step.ev, "reason": c.Reason, "data": c.Data}); r.status != 200 {
			a.t.Fatalf("%s: %d %s", step.ev, r.status, r.body)
		}
	}
	return id
}

// feed fetches and parses the calendar of the user's token.
func (a *api) feed(user string) map[string]*ical.Event {
	a.t.Helper()
	r := a.do("", "GET", "/api/v1/calendar.ics?token="+a.tokens[user], nil)
	if r.status != 200 || r.header.Get("Content-Type") != "text/calendar; charset=utf-8" {
		a.t.Fatalf("calendar: %d %s %s", r.status, r.header.Get("Content-Type"), r.body)
	}
	cal, err := ical.NewDecoder(bytes.NewReader(r.body)).Decode()
	if err != nil {
		a.t.Fatalf("the feed does not parse: %v\n%s", err, r.body)
	}
	out := map[string]*ical.Event{}
	for _, ev := range cal.Events() {
		uid, _ := ev.Props.Text(ical.PropUID)
		out[uid] = &ev
	}
	return out
}

func TestCalendarFeedAndRenewal(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	cid := strconv.FormatInt(a.newCampaign(), 10)
	id := a.stored()
	uid := "return-" + strconv.FormatInt(id, 10) + "@bayu"

	if r := a.do("", "GET", "/api/v1/calendar.ics", nil); r.status != 401 {
		t.Errorf("no token: %d", r.status)
	}
	if r := a.do("", "GET", "/api/v1/calendar.ics?token=bayu_nope", nil); r.status != 401 {
		t.Errorf("bad token: %d", r.status)
	}
	events := a.feed("wanzhou")
	// Collection opens, three phases and three phase ends, and the return date.
	if len(events) != 8 {
		t.Errorf("%d events in wanzhou's feed, want 8", len(events))
	}
	lists := events["campaign-"+cid+"-recommend-deadline@bayu"]
	if lists == nil {
		t.Fatal("no list deadline in the feed")
	}
	if s, _ := lists.Props.Text(ical.PropSummary); s != "【截止】推荐名单报送截止" {
		t.Errorf("list deadline summary %q", s)
	}
	if start, err := lists.DateTimeStart(time.UTC); err != nil || start.Format(time.DateOnly) != "2026-07-31" {
		t.Errorf("list deadline starts %v %v", start, err)
	}
	due := events[uid]
	if due == nil {
		t.Fatalf("no return date in the feed of the item's unit")
	}
	if start, _ := due.DateTimeStart(time.UTC); start.Format(time.DateOnly) != "2026-09-30" {
		t.Errorf("return date %v", start)
	}
	if _, ok := a.feed("fuling")[uid]; ok {
		t.Error("another unit's feed shows the item")
	}

	// A renewal moves the date in the feed; only coordinators may renew.
	path := "/api/v1/exhibits/" + strconv.FormatInt(id, 10) + "/agreement"
	if r := a.do("wanzhou", "PATCH", path, map[string]any{"return_due": "2026-12-31"}); r.status != 403 {
		t.Errorf("district renewing: %d", r.status)
	}
	if r := a.do("coord", "PATCH", path, map[string]any{"term_end": "2026-12-31"}); r.status != 422 || r.fields(t)["term_end"] == nil {
		t.Errorf("a deposit's term end: %d %s", r.status, r.body)
	}
	r := a.do("coord", "PATCH", path, map[string]any{"return_due": "2026-12-31", "reason": "续签"})
	if r.status != 200 || r.json(t)["agreement"].(map[string]any)["return_due"] != "2026-12-31" {
		t.Fatalf("renew: %d %s", r.status, r.body)
	}
	if start, _ := a.feed("coord")[uid].DateTimeStart(time.UTC); start.Format(time.DateOnly) != "2026-12-31" {
		t.Errorf("renewed return date in the feed %v", start)
	}
	h := a.do("coord", "GET", "/api/v1/exhibits/"+strconv.FormatInt(id, 10)+"/history", nil).json(t)["transitions"].([]any)
	if last := h[len(h)-1].(map[string]any); last["event"] != "renew" || last["reason"] != "续签" {
		t.Errorf("last history row %v", last)
	}
}
