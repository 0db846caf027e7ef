package store_test

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"bayu/store"
	"bayu/store/chain"
	"bayu/store/storetest"
	"bayu/workflow"
)

var testKey = []byte("a test audit key of 32 bytes!!!!")

// newKeyedEnv is newEnv with store options of the test's choosing.
func newKeyedEnv(t testing.TB, opts store.Options) *env {
	t.Helper()
	if opts.Clock == nil {
		opts.Clock = func() time.Time { return t0 }
	}
	e := &env{s: storetest.New(t, opts)}
	e.coord = e.user(t, "coord", workflow.Coordinator, "")
	e.eval = e.user(t, "eval", workflow.Evaluator, "")
	e.dist = e.user(t, "wanzhou", workflow.District, "500101")
	return e
}

// asSuperuser runs statements the way an administrator with full rights would
// tamper: with the append-only triggers switched off for the duration.
func asSuperuser(t testing.TB, db *sqlx.DB, stmts ...string) {
	t.Helper()
	ctx := context.Background()
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck
	for _, table := range []string{"exhibit_history", "audit_log"} {
		if _, err := tx.ExecContext(ctx, `ALTER TABLE `+table+` DISABLE TRIGGER USER`); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	for _, table := range []string{"exhibit_history", "audit_log"} {
		if _, err := tx.ExecContext(ctx, `ALTER TABLE `+table+` ENABLE TRIGGER USER`); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// verify runs Verify and fails the test on an error.
func verify(t testing.TB, s *store.Store, head string) *store.VerifyReport {
	t.Helper()
	rep, err := s.Verify(context.Background(), head)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// wantBad checks that verification failed first at the given place.
func wantBad(t testing.TB, rep *store.VerifyReport, chainName string, exhibitID, seq int64, problem string) {
	t.Helper()
	if rep.OK || rep.FirstBad == nil {
		t.Fatalf("verification passed (%d rows); want %s at %s %d/%d", rep.Checked, problem, chainName, exhibitID, seq)
	}
	b := rep.FirstBad
	if b.Chain != chainName || b.ExhibitID != exhibitID || b.Seq != seq || b.Problem != problem {
		t.Fatalf("first bad = %+v; want %s at %s exhibit %d seq %d", *b, problem, chainName, exhibitID, seq)
	}
	if b.Message == "" || b.MessageEN == "" {
		t.Fatalf("first bad has no message: %+v", *b)
	}
}

// rehash recomputes every hash of both chains with h, consistently, as a
// superuser who knows the encoding (it is no secret) but not the key would.
func rehash(t testing.TB, db *sqlx.DB, h chain.Hasher) {
	t.Helper()
	ctx := context.Background()
	var stmts []string
	rows, err := db.QueryContext(ctx, `SELECT id, exhibit_id, seq, event, from_state, to_state, actor_id, actor,
		role, reason, data::text, at, client_addr, request_id FROM exhibit_history ORDER BY exhibit_id, seq`)
	if err != nil {
		t.Fatal(err)
	}
	var prev []byte
	var cur int64
	for rows.Next() {
		var r chain.History
		var id int64
		var from sql.NullString
		var actorID sql.NullInt64
		if err := rows.Scan(&id, &r.ExhibitID, &r.Seq, &r.Event, &from, &r.To, &actorID, &r.Actor, &r.Role,
			&r.Reason, &r.Data, &r.At, &r.ClientAddr, &r.RequestID); err != nil {
			t.Fatal(err)
		}
		if from.Valid {
			r.From = &from.String
		}
		if actorID.Valid {
			r.ActorID = &actorID.Int64
		}
		if r.ExhibitID != cur {
			cur, prev = r.ExhibitID, nil
		}
		r.PrevHash = prev
		sum, _ := h.HistoryHash(&r, nil)
		stmts = append(stmts, setHashes("exhibit_history", id, prev, sum[:]))
		prev = sum[:]
	}
	rows.Close()
	arows, err := db.QueryContext(ctx, `SELECT id, seq, at, actor_id, actor, role, event, outcome, object_type,
		object_id, reason, detail::text, client_addr, request_id FROM audit_log ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	prev = nil
	for arows.Next() {
		var r chain.Audit
		var id int64
		var actorID sql.NullInt64
		if err := arows.Scan(&id, &r.Seq, &r.At, &actorID, &r.Actor, &r.Role, &r.Event, &r.Outcome, &r.ObjectType,
			&r.ObjectID, &r.Reason, &r.Detail, &r.ClientAddr, &r.RequestID); err != nil {
			t.Fatal(err)
		}
		if actorID.Valid {
			r.ActorID = &actorID.Int64
		}
		r.PrevHash = prev
		sum, _ := h.AuditHash(&r, nil)
		stmts = append(stmts, setHashes("audit_log", id, prev, sum[:]))
		prev = sum[:]
	}
	arows.Close()
	asSuperuser(t, db, stmts...)
}

func setHashes(table string, id int64, prev, hash []byte) string {
	lit := func(b []byte) string {
		if b == nil {
			return "NULL"
		}
		return `'\x` + hex.EncodeToString(b) + `'::bytea`
	}
	return fmt.Sprintf(`UPDATE %s SET prev_hash = %s, hash = %s WHERE id = %d`, table, lit(prev), lit(hash), id)
}
