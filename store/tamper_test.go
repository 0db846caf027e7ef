package store_test

import (
	"context"
	"fmt"
	"testing"

	"bayu/store"
	"bayu/store/chain"
	"bayu/workflow"
)

// threeStored walks three donations to stored: 7 history rows each (create and
// six events). The middle exhibit's middle row is the usual victim.
func threeStored(t *testing.T, e *env) []*workflow.Exhibit {
	t.Helper()
	var xs []*workflow.Exhibit
	for i := range 3 {
		xs = append(xs, e.walk(t, i, workflow.Donation, workflow.Stored))
	}
	return xs
}

func TestVerifyIntactHistory(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	threeStored(t, e)
	rep := verify(t, e.s, "")
	var rows int64
	if err := e.s.DB().Get(&rows, `SELECT (SELECT count(*) FROM exhibit_history) + (SELECT count(*) FROM audit_log)`); err != nil {
		t.Fatal(err)
	}
	if !rep.OK || rep.FirstBad != nil || rep.Checked != rows || rows != 3*7+3 {
		t.Fatalf("report %+v, %d rows in the chains; want ok over 24 (21 history rows, 3 user records)", rep, rows)
	}
}

// Each field of a middle row, changed by a superuser, breaks that row's hash;
// put back, the history verifies again.
func TestVerifyDetectsAChangedField(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	x := threeStored(t, e)[1]
	var id int64
	if err := e.s.DB().Get(&id, `SELECT id FROM exhibit_history WHERE exhibit_id = $1 AND seq = 4`, x.ID); err != nil {
		t.Fatal(err)
	}
	cols := `event, from_state, to_state, actor_id, actor, role, reason, data, at, client_addr, request_id`
	asSuperuser(t, e.s.DB(), `CREATE TABLE original AS SELECT `+cols+` FROM exhibit_history WHERE id = `+fmt.Sprint(id))
	for _, change := range []string{
		`event = 'reject'`, `from_state = 'mobilized'`, `to_state = 'rejected'`, `actor_id = NULL`,
		`actor = 'mallory'`, `role = 'auditor'`, `reason = '改'`, `data = data || '{"score": 100}'`,
		`at = at + interval '1 microsecond'`, `client_addr = '10.0.0.1'`, `request_id = 'forged'`,
	} {
		asSuperuser(t, e.s.DB(), `UPDATE exhibit_history SET `+change+` WHERE id = `+fmt.Sprint(id))
		wantBad(t, verify(t, e.s, ""), "history", x.ID, 4, store.ProblemHash)
		asSuperuser(t, e.s.DB(), `UPDATE exhibit_history SET (`+cols+`) = (SELECT `+cols+` FROM original) WHERE id = `+fmt.Sprint(id))
		if rep := verify(t, e.s, ""); !rep.OK {
			t.Fatalf("after undoing %s: %+v", change, rep.FirstBad)
		}
	}
}

// A changed row whose hash the tamperer recomputed no longer matches the next
// row's prev_hash: the next row is named.
func TestVerifyDetectsAChangedRowWithItsHashRecomputed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	x := threeStored(t, e)[1]
	asSuperuser(t, e.s.DB(), fmt.Sprintf(`UPDATE exhibit_history SET hash = sha256(hash) WHERE exhibit_id = %d AND seq = 4`, x.ID))
	rep := verify(t, e.s, "")
	if rep.Problems != 2 { // row 4's own hash, and row 5's link to it
		t.Errorf("%d problems, want 2", rep.Problems)
	}
	wantBad(t, rep, "history", x.ID, 4, store.ProblemHash)
}

func TestVerifyDetectsADeletedMiddleRow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	x := threeStored(t, e)[1]
	asSuperuser(t, e.s.DB(), fmt.Sprintf(`DELETE FROM exhibit_history WHERE exhibit_id = %d AND seq = 4`, x.ID))
	wantBad(t, verify(t, e.s, ""), "history", x.ID, 4, store.ProblemMissing)
}

func TestVerifyDetectsACutTail(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	x := threeStored(t, e)[1]
	asSuperuser(t, e.s.DB(), fmt.Sprintf(`DELETE FROM exhibit_history WHERE exhibit_id = %d AND seq >= 6`, x.ID))
	wantBad(t, verify(t, e.s, ""), "history", x.ID, 6, store.ProblemTail)
}

func TestVerifyDetectsAChangedAuditRecord(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	asSuperuser(t, e.s.DB(), `UPDATE audit_log SET outcome = 'refused' WHERE seq = 2`)
	wantBad(t, verify(t, e.s, ""), "audit", 0, 2, store.ProblemHash)
}

// Cutting the tail and setting the exhibit back to match leaves chains that
// verify; only the head digest taken before shows it. Transitions made after
// the digest was taken do not disturb it.
func TestHeadDetectsACutTailWithTheExhibitSetBack(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	x := threeStored(t, e)[1]
	head, err := e.s.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	e.walk(t, 9, workflow.Deposit, workflow.OnDisplay) // the history grows after the head was taken
	if rep := verify(t, e.s, head.String()); !rep.OK {
		t.Fatalf("intact history against an older head: %+v", rep.FirstBad)
	}
	asSuperuser(t, e.s.DB(),
		fmt.Sprintf(`DELETE FROM exhibit_history WHERE exhibit_id = %d AND seq = 7`, x.ID),
		fmt.Sprintf(`UPDATE exhibits SET version = 6, state = 'agreement_signed' WHERE id = %d`, x.ID))
	if rep := verify(t, e.s, ""); !rep.OK {
		t.Fatalf("without the head the cut should go unnoticed, got %+v", rep.FirstBad)
	}
	wantBad(t, verify(t, e.s, head.String()), "heads", 0, 0, store.ProblemHeadsDiffer)
}

// With the key, a superuser who recomputes every hash consistently (the
// encoding is public, the key is not) is caught at the first row. Without the
// key the same rewrite verifies, and only a head digest kept elsewhere shows it.
func TestKeyDetectsACompleteRehash(t *testing.T) {
	t.Parallel()
	e := newKeyedEnv(t, store.Options{AuditKey: testKey})
	xs := threeStored(t, e)
	head, err := e.s.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rep := verify(t, e.s, head.String()); !rep.OK || !rep.Keyed {
		t.Fatalf("keyed history does not verify: %+v", rep)
	}
	asSuperuser(t, e.s.DB(), `UPDATE exhibit_history SET reason = '篡改' WHERE seq = 3`)
	rehash(t, e.s.DB(), chain.NewHasher(nil))
	wantBad(t, verify(t, e.s, ""), "history", xs[0].ID, 1, store.ProblemUnkeyed)

	unkeyed := store.New(e.s.DB(), store.Options{})
	if rep := verify(t, unkeyed, ""); !rep.OK {
		t.Fatalf("a consistent rehash should pass an unkeyed check: %+v", rep.FirstBad)
	}
	wantBad(t, verify(t, unkeyed, head.String()), "heads", 0, 0, store.ProblemHeadsDiffer)

	rehash(t, e.s.DB(), chain.NewHasher([]byte("a guessed key")))
	wantBad(t, verify(t, e.s, ""), "history", xs[0].ID, 1, store.ProblemHash)
}
