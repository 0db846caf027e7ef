package store_test

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"bayu/store"
	"bayu/workflow"
)

// toAccepted creates an exhibit of method m in 500101 and accepts it on 05-02.
func (e *clockEnv) toAccepted(t testing.TB, n int, m workflow.Method) *workflow.Exhibit {
	t.Helper()
	x := e.createIn(t, "500101", n, m, at(2026, 5, 2, 9))
	return e.walkAt(t, x, at(2026, 5, 2, 10), workflow.Report, workflow.Recommend, workflow.Evaluate, workflow.Accept)
}

func (e *clockEnv) pending(t testing.TB) map[int64]store.PendingReturn {
	t.Helper()
	rs, err := e.s.PendingReturns(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]store.PendingReturn{}
	for _, r := range rs {
		out[r.ExhibitID] = r
	}
	return out
}

// sentKeys are the return notices' keys for exhibit id, sorted.
func (e *clockEnv) sentKeys(t testing.TB, id int64) []string {
	t.Helper()
	var keys []string
	for k, n := range e.notices(t) {
		if n.ExhibitID != nil && *n.ExhibitID == id {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

func TestReturnRemindersFollowTheAgreement(t *testing.T) {
	t.Parallel()
	e := newClockEnv(t, at(2026, 5, 1, 9))
	ctx := context.Background()
	x := e.toAccepted(t, 1, workflow.Deposit)
	x = e.fireAt(t, x, workflow.SignAgreement, at(2026, 5, 10, 10), map[string]any{"return_due": "2026-07-01"})
	p := e.pending(t)[x.ID]
	if p.Due != day(2026, 7, 1) || p.Step != 0 || p.On != day(2026, 6, 1) || !p.DueAt.Equal(at(2026, 6, 1, 0)) {
		t.Fatalf("after signing: %+v", p)
	}
	x = e.fireAt(t, x, workflow.Store, at(2026, 5, 11, 10), nil)
	if e.pending(t)[x.ID] != p {
		t.Errorf("storing the item changed its reminder: %+v", e.pending(t)[x.ID])
	}

	if res := e.run(t, store.JobReturns, at(2026, 5, 31, 23)); res.Done != 0 {
		t.Fatalf("a day early: %+v", res)
	}
	if res := e.run(t, store.JobReturns, at(2026, 6, 1, 0)); res.Done != 1 || res.Created != 2 {
		t.Fatalf("30 days before: %+v, want 1 row and 2 notices", res)
	}
	id := strconv.FormatInt(x.ID, 10)
	k := func(due, off, to string) string { return "return:" + id + ":" + due + ":" + off + ":" + to }
	if got, want := e.sentKeys(t, x.ID), []string{k("2026-07-01", "-30d", "500101"), k("2026-07-01", "-30d", "coordinators")}; !slices.Equal(got, want) {
		t.Fatalf("sent %v, want %v", got, want)
	}
	n := e.notices(t)[k("2026-07-01", "-30d", "500101")]
	if !strings.Contains(n.SubjectZH, "还剩30天") || !strings.Contains(n.BodyZH, "寄存归还日期：2026年7月1日") {
		t.Errorf("notice:\n%s\n%s", n.SubjectZH, n.BodyZH)
	}

	// Nobody ticked from 06-01 to 07-09: the four steps missed are sent at the
	// first tick after, and the row moves past it.
	res := e.run(t, store.JobReturns, at(2026, 7, 9, 5))
	if res.Done != 1 || res.Created != 8 {
		t.Fatalf("catching up: %+v, want 4 steps to 2 recipients", res)
	}
	if p := e.pending(t)[x.ID]; p.On != day(2026, 7, 31) || p.Step != 5 {
		t.Errorf("after catching up: %+v, want +30d on 07-31", p)
	}
	if again := e.run(t, store.JobReturns, at(2026, 7, 9, 5)); again.Done != 0 || again.Created != 0 {
		t.Errorf("second run at the same instant: %+v", again)
	}

	// Renewed on 07-10 to 12-31: a new series from its first step not yet past.
	e.clk.Set(at(2026, 7, 10, 10))
	v := x.Version
	renewed, err := e.s.RenewAgreement(ctx, e.coord, x.ID, store.Renewal{Version: &v, ReturnDue: day(2026, 12, 31), Reason: "续签一年"})
	if err != nil {
		t.Fatal(err)
	}
	if renewed.Agreement.ReturnDue != day(2026, 12, 31) || renewed.Version != v+1 || renewed.State != workflow.Stored {
		t.Errorf("renewed %+v", renewed)
	}
	if p := e.pending(t)[x.ID]; p.Due != day(2026, 12, 31) || p.Step != 0 || p.On != day(2026, 12, 1) {
		t.Errorf("after renewal: %+v", p)
	}
	h := e.history(t, x.ID)
	last := h[len(h)-1]
	var data map[string]string
	_ = json.Unmarshal(last.Data, &data)
	if last.Event != store.RenewEvent || *last.From != workflow.Stored || last.To != workflow.Stored || last.Reason != "续签一年" ||
		data["field"] != "return_due" || data["from"] != "2026-07-01" || data["to"] != "2026-12-31" {
		t.Errorf("renewal history row %+v %s", last, last.Data)
	}

	for _, tc := range []struct {
		name string
		a    workflow.Actor
		in   store.Renewal
		code workflow.Code
	}{
		{"district", e.dist, store.Renewal{ReturnDue: day(2027, 1, 1)}, workflow.CodeForbidden},
		{"stale version", e.coord, store.Renewal{Version: &v, ReturnDue: day(2027, 1, 1)}, workflow.CodeVersionConflict},
		{"wrong field", e.coord, store.Renewal{TermEnd: day(2027, 1, 1)}, workflow.CodeInvalid},
		{"before signing", e.coord, store.Renewal{ReturnDue: day(2026, 5, 1)}, workflow.CodeInvalid},
	} {
		if _, err := e.s.RenewAgreement(ctx, tc.a, x.ID, tc.in); workflow.ErrorCode(err) != tc.code {
			t.Errorf("%s: want %s, got %v", tc.name, tc.code, err)
		}
	}

	// Returned on 07-20: the reminders stop, and nothing more can be renewed.
	x = e.fireAt(t, renewed, workflow.Return, at(2026, 7, 20, 10), nil)
	if _, ok := e.pending(t)[x.ID]; ok {
		t.Error("a returned item still has a pending reminder")
	}
	if _, err := e.s.RenewAgreement(ctx, e.coord, x.ID, store.Renewal{ReturnDue: day(2027, 1, 1)}); workflow.ErrorCode(err) != workflow.CodeInvalidTransition {
		t.Errorf("renewing a returned item: want invalid_transition, got %v", err)
	}
	if res := e.run(t, store.JobReturns, at(2026, 12, 31, 0)); res.Created != 0 {
		t.Errorf("reminders after the return: %+v", res)
	}
}

func TestReturnRemindersStopWhenSettled(t *testing.T) {
	t.Parallel()
	e := newClockEnv(t, at(2026, 5, 1, 9))
	rep := e.toAccepted(t, 1, workflow.Replication)
	rep = e.fireAt(t, rep, workflow.SignAgreement, at(2026, 5, 10, 10), map[string]any{"original_return_due": "2026-06-15"})
	rep = e.fireAt(t, rep, workflow.StartReplication, at(2026, 5, 11, 10), nil)
	con := e.toAccepted(t, 2, workflow.Consignment)
	con = e.fireAt(t, con, workflow.SignAgreement, at(2026, 5, 10, 10), map[string]any{"term_end": "2026-05-20"})
	con = e.fireAt(t, con, workflow.Store, at(2026, 5, 11, 10), nil)
	don := e.toAccepted(t, 3, workflow.Donation)
	e.fireAt(t, don, workflow.SignAgreement, at(2026, 5, 10, 10), nil)

	p := e.pending(t)
	// Signed 05-10, 10 days before the term end: -30d is gone, -7d (05-13) is next.
	if len(p) != 2 || p[rep.ID].On != day(2026, 5, 16) || p[con.ID].On != day(2026, 5, 13) || p[con.ID].Step != 1 {
		t.Fatalf("pending after signing: %+v", p)
	}
	e.fireAt(t, rep, workflow.CompleteReplication, at(2026, 5, 12, 10), nil)
	e.fireAt(t, con, workflow.Sell, at(2026, 5, 12, 11), nil)
	if p := e.pending(t); len(p) != 0 {
		t.Errorf("pending after completing and selling: %+v", p)
	}
	if res := e.run(t, store.JobReturns, at(2027, 1, 1, 0)); res.Created != 0 {
		t.Errorf("reminders for settled items: %+v", res)
	}
}
