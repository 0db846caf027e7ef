package store_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"bayu/store"
	"bayu/workflow"
	"bayu/workflow/sample"
)

func TestPurgeRefusesLessThan184Days(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, days := range []int{0, 30, 183} {
		if _, err := e.s.Purge(context.Background(), days); workflow.ErrorCode(err) != workflow.CodeInvalid {
			t.Errorf("purge with %d days: %v, want invalid", days, err)
		}
	}
}

// Nothing younger than 184 days goes, however the purge is asked: a store whose
// clock runs a year ahead asks for a cutoff the database refuses.
func TestPurgeRefusesWhatTheDatabaseFindsYoung(t *testing.T) {
	t.Parallel()
	e := newKeyedEnv(t, store.Options{Clock: func() time.Time { return time.Now().AddDate(1, 0, 0) }})
	e.walk(t, 1, workflow.Donation, workflow.Reported)
	if _, err := e.s.Purge(context.Background(), 200); err == nil {
		t.Fatal("a cutoff 165 days ago by the database's clock was accepted")
	}
	if rep := verify(t, e.s, ""); !rep.OK || rep.Checked != 2+3 {
		t.Fatalf("after the refused purge: %+v", rep)
	}
}

// A purge removes the old prefix of each chain, keeps a checkpoint of its last
// hash, and leaves every chain verifiable: what remains, what is appended
// afterwards, and a head taken before the purge.
func TestPurgeKeepsChainsVerifiable(t *testing.T) {
	t.Parallel()
	var clock atomic.Pointer[time.Time]
	setClock := func(at time.Time) { clock.Store(&at) }
	setClock(time.Now().AddDate(0, 0, -400).UTC())
	e := newKeyedEnv(t, store.Options{AuditKey: testKey, Clock: func() time.Time { return *clock.Load() }})
	ctx := context.Background()

	old := e.walk(t, 1, workflow.Donation, workflow.Stored) // 7 old rows
	half := e.walk(t, 2, workflow.Deposit, workflow.Evaluated)
	setClock(time.Now().UTC())
	half = e.walkFrom(t, half, workflow.Deposit, workflow.Stored) // 4 old rows, 3 new
	young := e.walk(t, 3, workflow.Donation, workflow.Reported)   // 2 new rows
	if _, err := e.fire(t, young, workflow.Accept); err == nil {  // a new audit record
		t.Fatal("accept from reported was allowed")
	}
	head, err := e.s.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}

	res, err := e.s.Purge(ctx, 200)
	if err != nil {
		t.Fatal(err)
	}
	if res.Exhibits != 2 || res.HistoryRows != 7+4 || res.AuditRows != 3 {
		t.Fatalf("purged %+v; want 2 exhibits, 11 history rows, 3 audit records (the users)", res)
	}
	var left []int64
	if err := e.s.DB().Select(&left, `SELECT count(*) FROM exhibit_history GROUP BY exhibit_id ORDER BY exhibit_id`); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(left) != "[3 2]" {
		t.Fatalf("rows left per exhibit %v, want [3 2]", left)
	}
	if rep := verify(t, e.s, head.String()); !rep.OK || rep.Checked != 3+2+2 { // 5 history rows, the refusal and the purge
		t.Fatalf("after the purge: %+v", rep)
	}
	if _, err := e.s.Purge(ctx, 200); err != nil {
		t.Fatalf("a second purge: %v", err)
	}

	// The chain of the exhibit purged whole goes on from its checkpoint.
	if _, err := e.fire(t, old, workflow.Display); err != nil {
		t.Fatal(err)
	}
	if rep := verify(t, e.s, head.String()); !rep.OK {
		t.Fatalf("after appending to a purged chain: %+v", rep.FirstBad)
	}
	// And a row removed from what remains is still found.
	asSuperuser(t, e.s.DB(), fmt.Sprintf(`DELETE FROM exhibit_history WHERE exhibit_id = %d AND seq = 5`, half.ID))
	wantBad(t, verify(t, e.s, ""), "history", half.ID, 5, store.ProblemMissing)
}

// walkFrom drives an exhibit that walk left in some state on to state s.
func (e *env) walkFrom(t testing.TB, x *workflow.Exhibit, m workflow.Method, s workflow.State) *workflow.Exhibit {
	t.Helper()
	done, ok1 := sample.Path(m, x.State)
	full, ok2 := sample.Path(m, s)
	if !ok1 || !ok2 || len(done) > len(full) {
		t.Fatalf("no path from %s on to %s for %s", x.State, s, m)
	}
	for _, ev := range full[len(done):] {
		next, err := e.fire(t, x, ev)
		if err != nil {
			t.Fatalf("walk on to %s: %s: %v", s, ev, err)
		}
		x = next
	}
	return x
}
