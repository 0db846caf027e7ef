package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"bayu/store"
	"bayu/store/storetest"
	"bayu/workflow/campaign"
)

// cli runs bayu commands against a fresh database, without a server.
func cli(t *testing.T) (run func(args ...string) (string, error), st *store.Store) {
	t.Helper()
	dbURL := storetest.URL(t)
	env := func(k string) string {
		if k == "DATABASE_URL" {
			return dbURL
		}
		return ""
	}
	run = func(args ...string) (string, error) {
		var out bytes.Buffer
		m := &Main{Stdout: &out, Stderr: io.Discard, Getenv: env}
		err := m.Run(context.Background(), args)
		return out.String(), err
	}
	st, err := store.Open(context.Background(), dbURL, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return run, st
}

// rowCounts are the sizes of the tables jobs write to.
func rowCounts(t *testing.T, st *store.Store) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"notices", "notifications", "deliveries", "campaign_history", "exhibit_history"} {
		var n int
		if err := st.DB().Get(&n, `SELECT count(*) FROM `+table); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	var done int
	_ = st.DB().Get(&done, `SELECT count(*) FROM campaign_jobs WHERE done_at IS NOT NULL`)
	out["campaign_jobs done"] = done
	return out
}

func TestJobsRunTwiceForOneInstantCreatesNothingTheSecondTime(t *testing.T) {
	t.Parallel()
	run, st := cli(t)
	ctx := context.Background()
	var mu sync.Mutex
	var posts []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		posts = append(posts, r.Header.Get("Idempotency-Key"))
	}))
	t.Cleanup(hook.Close)

	out, err := run("user", "add", "--name", "coord", "--role", "coordinator", "--email", "coord@bayu.example")
	if err != nil {
		t.Fatal(err)
	}
	coord, err := st.Authenticate(ctx, lastLine(out))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := run("user", "add", "--name", "wanzhou", "--role", "district", "--district", "500101", "--webhook", hook.URL+"/robot"); err != nil {
		t.Fatal(err)
	}
	if _, err := run("user", "add", "--name", "bad", "--role", "auditor", "--email", "not-an-address"); err == nil ||
		!strings.Contains(err.Error(), "email") {
		t.Errorf("a bad email was accepted: %v", err)
	}
	if c, _ := st.ContactOf(ctx, coord.ID); c.Email != "coord@bayu.example" {
		t.Errorf("coord's contact %+v", c)
	}
	// A campaign far in the future, so that the real clock of nothing else
	// reaches its dates during the test.
	if _, err := st.CreateCampaign(ctx, coord.Actor(), campaign.Default(2099)); err != nil {
		t.Fatal(err)
	}

	at := "2099-06-17T00:00:00+08:00" // 14 days before the report phase ends
	first, err := run("jobs", "run", "all", "--at", at)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(first, "phase_reminders: 处理 1，新提醒 42") || !strings.Contains(first, "deliveries: 处理 1，新提醒 0，已发送 1") {
		t.Errorf("first run:\n%s", first)
	}
	before := rowCounts(t, st)
	second, err := run("jobs", "run", "all", "--at", at)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(second), "\n") {
		if !strings.Contains(line, "处理 0，新提醒 0，已发送 0，待重试 0，失败 0") {
			t.Errorf("second run did something: %s", line)
		}
	}
	if after := rowCounts(t, st); !equalCounts(before, after) {
		t.Errorf("second run changed the tables: %v → %v", before, after)
	}
	if len(posts) != 1 {
		t.Errorf("the unit's webhook got %d posts, want 1: %v", len(posts), posts)
	}

	list, err := run("jobs", "list")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"phase_reminders", "* * * * *", "2099-06-17T00:00:00+08:00", "return_reminders", "list_close", "2099-06-24T00:00:00+08:00"} {
		if !strings.Contains(list, want) {
			t.Errorf("jobs list lacks %q:\n%s", want, list)
		}
	}
	if _, err := run("jobs", "run", "nothing"); err == nil {
		t.Error("an unknown job ran")
	}
	if _, err := run("jobs", "run", "all", "--at", "tomorrow"); err == nil {
		t.Error("a bad --at was accepted")
	}
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestBadSMTPSettingsStopWithOneLine(t *testing.T) {
	t.Parallel()
	for env, want := range map[string]string{"BAYU_SMTP_PORT": "BAYU_SMTP_PORT", "BAYU_SMTP_TLS": "BAYU_SMTP_*", "BAYU_WEBHOOK_FORMAT": "BAYU_WEBHOOK_FORMAT"} {
		m := &Main{Getenv: func(k string) string {
			switch {
			case k == env:
				return "bogus"
			case k == "BAYU_SMTP_HOST":
				return "mail.example"
			case k == "BAYU_SMTP_FROM":
				return "noreply@bayu.example"
			}
			return ""
		}}
		_, err := m.delivery()
		if err == nil || !strings.HasPrefix(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s=bogus: %v", env, err)
		}
	}
}

func TestDemoCalendarIsLiveToday(t *testing.T) {
	t.Parallel()
	loc, _ := campaign.Location("")
	for _, now := range []time.Time{time.Date(2026, 12, 3, 19, 0, 0, 0, time.UTC), time.Date(2027, 1, 5, 1, 0, 0, 0, time.UTC)} {
		c := demoCalendar(now, loc)
		if err := c.Validate(); err != nil {
			t.Fatalf("demo calendar for %s: %v", now, err)
		}
		if p, ok := c.PhaseAt(now, loc); !ok || p.Key != campaign.PhaseReport || p.DaysLeft(now, loc) != 11 {
			t.Errorf("on %s the demo is in %+v", now, p)
		}
	}
}
