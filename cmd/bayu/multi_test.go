package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"bayu/store"
	"bayu/store/storetest"
	"bayu/workflow"
	"bayu/workflow/campaign"
	"bayu/workflow/sample"
)

// seedMonth makes the same campaign, users and deposits in any database: the
// data a simulated July acts on (phase reminders, the list close, return reminders).
func seedMonth(t *testing.T, dbURL string) {
	t.Helper()
	ctx := context.Background()
	clock := time.Date(2026, 6, 10, 2, 0, 0, 0, time.UTC)
	st, err := store.Open(ctx, dbURL, store.Options{Clock: func() time.Time { return clock }, PasswordCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	users := map[string]workflow.Actor{}
	for _, u := range []store.NewUser{{Name: "coord", Role: workflow.Coordinator}, {Name: "coord2", Role: workflow.Coordinator},
		{Name: "eval", Role: workflow.Evaluator}, {Name: "wz", Role: workflow.District, District: "500101"},
		{Name: "fl", Role: workflow.District, District: "500102"}} {
		user, _, err := st.CreateUser(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		users[u.Name] = user.Actor()
	}
	if _, err := st.CreateCampaign(ctx, users["coord"], campaign.Default(2026)); err != nil {
		t.Fatal(err)
	}
	path, _ := sample.Path(workflow.Deposit, workflow.Stored)
	for i := range 8 {
		district, who := "500101", "wz"
		if i%2 == 1 {
			district, who = "500102", "fl"
		}
		x, err := st.CreateExhibit(ctx, users[who], workflow.CreateInput{District: district, Fields: sample.Fields(i, workflow.Deposit)})
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range path {
			a := users["coord"]
			switch sample.Actor(ev, district).Role {
			case workflow.Evaluator:
				a = users["eval"]
			case workflow.District:
				a = users[who]
			}
			c := sample.Command(x, ev, a, clock)
			if ev == workflow.SignAgreement { // due dates spread over July and August
				c.Data = sample.Raw(map[string]any{"signed_on": "2026-06-10", "parties": "双方",
					"return_due": workflow.NewDate(2026, 7, 3).AddDays(5 * i)})
			}
			if x, err = st.Fire(ctx, a, store.FireRequest{ExhibitID: x.ID, Event: ev, Reason: c.Reason, Data: c.Data}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// outcome is what a month of jobs left behind, in a form two databases can compare.
func outcome(t *testing.T, dbURL string) (notices, inboxes, jobs []string) {
	t.Helper()
	st, err := store.Open(context.Background(), dbURL, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	db := st.DB()
	if err := db.Select(&notices, `SELECT key || ' ' || kind || ' ' || recipient || ' ' || subject_zh FROM notices ORDER BY key`); err != nil {
		t.Fatal(err)
	}
	if err := db.Select(&inboxes, `SELECT n.key || ' → ' || u.name FROM notifications i JOIN notices n ON n.id = i.notice_id
		JOIN users u ON u.id = i.user_id ORDER BY 1`); err != nil {
		t.Fatal(err)
	}
	if err := db.Select(&jobs, `SELECT key || ' done ' || (done_at IS NOT NULL) FROM campaign_jobs ORDER BY key`); err != nil {
		t.Fatal(err)
	}
	var closes int
	db.Get(&closes, `SELECT count(*) FROM campaign_history WHERE event = 'list_close'`)
	jobs = append(jobs, fmt.Sprintf("list closes recorded: %d", closes))
	return
}

// TestThreeInstancesThroughAMonth runs a simulated July with three processes
// stepping the jobs over one database at once, and the same July with a single
// runner over another: both must leave exactly the same reminders, each once.
func TestThreeInstancesThroughAMonth(t *testing.T) {
	shared, single := storetest.URL(t), storetest.URL(t)
	seedMonth(t, shared)
	seedMonth(t, single)
	args := []string{"jobs", "run", "all", "--at", "2026-07-01T00:00:00+08:00", "--until", "2026-08-02T00:00:00+08:00", "--every", "3h"}

	var procs []*child
	for range 3 {
		procs = append(procs, startChild(t, []string{"DATABASE_URL=" + shared, "BAYU_DATA_DIR=" + t.TempDir()}, args...))
	}
	for _, p := range procs {
		if err := p.cmd.Wait(); err != nil {
			t.Fatalf("instance failed: %v\n%s", err, p.output())
		}
	}
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(k string) string {
		if k == "DATABASE_URL" {
			return single
		}
		return ""
	}}
	if err := m.Run(context.Background(), args); err != nil {
		t.Fatal(err)
	}

	n3, i3, j3 := outcome(t, shared)
	n1, i1, j1 := outcome(t, single)
	if len(n1) < 20 || !slices.Contains(j1, "list closes recorded: 1") {
		t.Fatalf("the month made too little to compare: %d notices, jobs %v", len(n1), j1)
	}
	for _, c := range []struct {
		what        string
		three, once []string
	}{{"notices", n3, n1}, {"inbox rows", i3, i1}, {"campaign jobs", j3, j1}} {
		if !slices.Equal(c.three, c.once) {
			t.Errorf("%s differ between three instances and one:\nthree: %s\none:   %s", c.what,
				strings.Join(c.three, "\n       "), strings.Join(c.once, "\n       "))
		}
	}
	var kinds bytes.Buffer
	for _, n := range n1 {
		kinds.WriteString(strings.Fields(n)[1] + " ")
	}
	for _, kind := range []string{"phase_reminder", "shortfall", "list_close_summary", "return_reminder"} {
		if !strings.Contains(kinds.String(), kind) {
			t.Errorf("no %s in the month: %s", kind, kinds.String())
		}
	}
}
