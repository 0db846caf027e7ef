package http_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"bayu/store"
	"bayu/workflow/campaign"
)

// The API tests' clock reads 2026-07-10 10:00 in Shanghai: the recommend phase
// of the default 2026 calendar, 22 days before the lists close.

func (a *api) newCampaign() int64 {
	a.t.Helper()
	r := a.do("coord", "POST", "/api/v1/campaigns", map[string]any{"year": 2026})
	if r.status != 201 {
		a.t.Fatalf("create campaign: %d %s", r.status, r.body)
	}
	return int64(r.json(a.t)["id"].(float64))
}

func TestCampaignsOverHTTP(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	if r := a.do("coord", "GET", "/api/v1/campaigns/current", nil); r.status != 404 || r.errCode(t) != "not_found" {
		t.Errorf("no campaign yet: %d %s", r.status, r.body)
	}
	if r := a.do("wanzhou", "POST", "/api/v1/campaigns", map[string]any{"year": 2026}); r.status != 403 {
		t.Errorf("district creating: %d %s", r.status, r.body)
	}
	id := a.newCampaign()
	path := "/api/v1/campaigns/" + strconv.FormatInt(id, 10)
	cur := a.do("wanzhou", "GET", "/api/v1/campaigns/current", nil).json(t)
	phases, _ := cur["phases"].([]any)
	if cur["id"].(float64) != float64(id) || cur["in_force"] != true || cur["opens_on"] != "2026-05-10" || len(phases) != 3 ||
		phases[1].(map[string]any)["ends_on"] != "2026-07-31" {
		t.Errorf("current campaign %v", cur)
	}

	r := a.do("coord", "PATCH", path, map[string]any{"version": 1, "phases": []any{map[string]any{"key": "evaluate", "ends_on": "2026-09-15"}}})
	if r.status != 200 || r.json(t)["version"].(float64) != 2 {
		t.Fatalf("edit: %d %s", r.status, r.body)
	}
	if r := a.do("coord", "PATCH", path, map[string]any{"phases": []any{map[string]any{"key": "report", "ends_on": "2026-07-02"}}}); r.status != 422 || r.fields(t)["phases.1.starts_on"] == nil {
		t.Errorf("overlapping phases: %d %s", r.status, r.body)
	}
	if r := a.do("coord", "PATCH", path, map[string]any{"phases": []any{map[string]any{"key": "report", "ends": "2026-06-20"}}}); r.status != 400 {
		t.Errorf("misspelt field: %d %s", r.status, r.body)
	}
	if r := a.do("coord", "PATCH", path, map[string]any{"version": 1}); r.status != 409 || r.errCode(t) != "version_conflict" {
		t.Errorf("stale version: %d %s", r.status, r.body)
	}
	h := a.do("coord", "GET", path+"/history", nil).json(t)["events"].([]any)
	if len(h) != 2 || h[1].(map[string]any)["event"] != "edit" {
		t.Errorf("history %v", h)
	}
	if r := a.do("wanzhou", "GET", path+"/history", nil); r.status != 403 {
		t.Errorf("district reading the campaign's history: %d", r.status)
	}

	// Progress: 500101 reports one item.
	x, _ := a.create("wanzhou")
	if r := a.fire("wanzhou", x, map[string]any{"event": "report"}); r.status != 200 {
		t.Fatalf("report: %d %s", r.status, r.body)
	}
	p := a.do("coord", "GET", path+"/progress", nil).json(t)
	units := p["units"].([]any)
	if p["phase"] != "recommend" || p["days_left"].(float64) != 22 || len(units) != 42 {
		t.Fatalf("progress %v", p)
	}
	first := units[0].(map[string]any)
	if first["district"] != "500101" || first["reported"].(float64) != 1 || first["short_by"].(float64) != 20 ||
		first["counts"].(map[string]any)["reported"].(float64) != 1 || first["quota"].(float64) != 20 {
		t.Errorf("500101's progress %v", first)
	}
	own := a.do("fuling", "GET", path+"/progress", nil).json(t)["units"].([]any)
	if len(own) != 1 || own[0].(map[string]any)["district"] != "500102" {
		t.Errorf("a district sees %v", own)
	}
}

func TestNotificationsOverHTTP(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.newCampaign()
	ctx := context.Background()
	shanghai, _ := campaign.Location("")
	// The 14-day reminder before the lists close, as the scheduler would send it.
	if _, err := a.st.RunJob(ctx, store.JobPhaseReminders, time.Date(2026, 7, 18, 0, 0, 0, 0, shanghai), store.Delivery{}); err != nil {
		t.Fatal(err)
	}
	list := a.do("wanzhou", "GET", "/api/v1/notifications?unread=1", nil).json(t)["notifications"].([]any)
	if len(list) != 1 {
		t.Fatalf("wanzhou's unread reminders: %v", list)
	}
	n := list[0].(map[string]any)
	if n["kind"] != "phase_reminder" || n["due_on"] != "2026-07-31" || n["read_at"] != nil || n["exhibit_id"] != nil ||
		!containsText(n["subject"], "还剩14天") || !containsText(n["body"], "万州区人力社保局") {
		t.Errorf("reminder %v", n)
	}
	en := a.do("wanzhou", "GET", "/api/v1/notifications?lang=en", nil).json(t)["notifications"].([]any)
	if !containsText(en[0].(map[string]any)["subject"], "14 days left") {
		t.Errorf("English reminder %v", en[0])
	}
	id := strconv.FormatInt(int64(n["id"].(float64)), 10)
	if r := a.do("fuling", "POST", "/api/v1/notifications/"+id+"/read", nil); r.status != 404 {
		t.Errorf("another unit marking it read: %d", r.status)
	}
	if r := a.do("wanzhou", "POST", "/api/v1/notifications/"+id+"/read", nil); r.status != 200 || r.json(t)["read_at"] == nil {
		t.Errorf("mark read: %d %s", r.status, r.body)
	}
	if left := a.do("wanzhou", "GET", "/api/v1/notifications?unread=1", nil).json(t)["notifications"].([]any); len(left) != 0 {
		t.Errorf("unread after reading: %v", left)
	}
	if all := a.do("coord", "GET", "/api/v1/notifications", nil).json(t)["notifications"].([]any); len(all) != 0 {
		t.Errorf("coordinators got unit reminders: %v", all)
	}

	if r := a.do("wanzhou", "PUT", "/api/v1/notifications/contact", map[string]any{"email": "not an address", "webhook_url": "ftp://x"}); r.status != 422 ||
		r.fields(t)["email"] == nil || r.fields(t)["webhook_url"] == nil {
		t.Errorf("bad contact: %d %s", r.status, r.body)
	}
	contact := map[string]any{"email": "wanzhou@bayu.example", "webhook_url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret"}
	if r := a.do("wanzhou", "PUT", "/api/v1/notifications/contact", contact); r.status != 200 {
		t.Errorf("set contact: %d %s", r.status, r.body)
	}
	if got := a.do("wanzhou", "GET", "/api/v1/notifications/contact", nil).json(t); got["email"] != contact["email"] || got["webhook_url"] != contact["webhook_url"] {
		t.Errorf("contact %v", got)
	}
	if r := a.do("coord", "GET", "/api/v1/deliveries?dead=1", nil); r.status != 200 || len(r.json(t)["deliveries"].([]any)) != 0 {
		t.Errorf("dead letters: %d %s", r.status, r.body)
	}
	if r := a.do("wanzhou", "GET", "/api/v1/deliveries?dead=1", nil); r.status != 403 {
		t.Errorf("district reading the outbox: %d", r.status)
	}
	if r := a.do("coord", "POST", "/api/v1/deliveries/99/retry", nil); r.status != 404 {
		t.Errorf("retrying nothing: %d", r.status)
	}
}

func containsText(v any, sub string) bool {
	s, _ := v.(string)
	return strings.Contains(s, sub)
}
