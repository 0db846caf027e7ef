package store_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"bayu/store"
	"bayu/store/storetest"
	"bayu/workflow"
)

// appRole creates an application role with GrantApp on a fresh database and
// returns the owner's and the role's connection URLs. The role is dropped
// when the test ends (roles belong to the whole cluster, not the database).
func appRole(t *testing.T) (ownerURL, appURL, role string) {
	t.Helper()
	ownerURL = storetest.URL(t)
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	role = "bayu_app_" + hex.EncodeToString(b)
	owner := sqlx.MustOpen("postgres", ownerURL)
	t.Cleanup(func() {
		// Runs before the database is dropped: take back what was granted here,
		// then the role has nothing left and can go.
		ctx := context.Background()
		_, _ = owner.ExecContext(ctx, `DROP OWNED BY `+pq.QuoteIdentifier(role))
		if _, err := owner.ExecContext(ctx, `DROP ROLE `+pq.QuoteIdentifier(role)); err != nil {
			t.Errorf("drop role %s: %v", role, err)
		}
		owner.Close()
	})
	if err := store.GrantApp(context.Background(), owner.DB, role, ""); err != nil {
		t.Fatal(err)
	}
	if err := store.GrantApp(context.Background(), owner.DB, role, "a-password-1"); err != nil {
		t.Fatalf("GrantApp twice: %v", err)
	}
	u, err := url.Parse(ownerURL)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(role)
	return ownerURL, u.String(), role
}

// The application role does the application's work: users, exhibits,
// transitions, refusals recorded, heads and verification, a no-op migration.
func TestAppRoleServes(t *testing.T) {
	t.Parallel()
	_, appURL, _ := appRole(t)
	ctx := context.Background()
	s, err := store.Open(ctx, appURL, store.Options{AuditKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if n, err := s.Migrate(ctx); err != nil || n != 0 {
		t.Fatalf("migrate as the app role: %d, %v", n, err)
	}
	e := &env{s: s}
	e.coord = e.user(t, "coord", workflow.Coordinator, "")
	e.eval = e.user(t, "eval", workflow.Evaluator, "")
	e.dist = e.user(t, "wanzhou", workflow.District, "500101")
	x := e.walk(t, 1, workflow.Deposit, workflow.Stored)
	if _, err := e.fire(t, x, workflow.Accept); workflow.ErrorCode(err) != workflow.CodeInvalidTransition {
		t.Fatalf("accept on a stored exhibit: %v", err)
	}
	head, err := s.Head(ctx)
	if err != nil {
		t.Fatalf("head as the app role: %v", err)
	}
	if rep := verify(t, s, head.String()); !rep.OK || rep.Checked != 7+4 {
		t.Fatalf("verify as the app role: %+v", rep)
	}
}

// The application role can neither change nor remove history, nor switch off
// what guards it, nor purge it.
func TestAppRoleCannotRewriteHistory(t *testing.T) {
	t.Parallel()
	ownerURL, appURL, role := appRole(t)
	s := store.New(sqlx.MustOpen("postgres", ownerURL), store.Options{})
	t.Cleanup(func() { s.Close() })
	var ownerName string
	if err := s.DB().Get(&ownerName, `SELECT current_user`); err != nil {
		t.Fatal(err)
	}
	e := &env{s: s}
	e.coord = e.user(t, "coord", workflow.Coordinator, "")
	e.eval = e.user(t, "eval", workflow.Evaluator, "")
	e.dist = e.user(t, "wanzhou", workflow.District, "500101")
	e.walk(t, 1, workflow.Donation, workflow.Stored)

	app := sqlx.MustOpen("postgres", appURL)
	t.Cleanup(func() { app.Close() })
	for _, stmt := range []string{
		`UPDATE exhibit_history SET reason = '改' WHERE seq = 2`,
		`DELETE FROM exhibit_history WHERE seq = 2`,
		`TRUNCATE exhibit_history`,
		`UPDATE audit_log SET outcome = 'failed'`,
		`DELETE FROM audit_log`,
		`TRUNCATE audit_log`,
		`INSERT INTO chain_checkpoints (chain, seq, hash, last_id, purged_rows, cutoff, purged_at)
			VALUES ('audit', 1, sha256(''), 1, 1, now(), now())`,
		`DELETE FROM chain_checkpoints`,
		`DELETE FROM history_chain_legacy`,
		`ALTER TABLE exhibit_history DISABLE TRIGGER exhibit_history_append_only`,
		`ALTER TABLE exhibit_history DISABLE TRIGGER USER`,
		`ALTER TABLE audit_log DISABLE TRIGGER ALL`,
		`DROP TRIGGER exhibit_history_append_only ON exhibit_history`,
		`CREATE OR REPLACE FUNCTION refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$`,
		`ALTER TABLE exhibit_history OWNER TO ` + role,
		`DROP TABLE exhibit_history`,
		`SET session_replication_role = replica`,
		`SELECT * FROM purge_history(now() - interval '1000 days')`,
		`CREATE TABLE exhibit_history_copy (id bigint)`,
		`SET ROLE ` + pq.QuoteIdentifier(ownerName),
	} {
		_, err := app.Exec(stmt)
		var pe *pq.Error
		if !errors.As(err, &pe) || pe.Code != "42501" {
			t.Errorf("as %s: %s\n  got %v, want permission denied (42501)", role, stmt, err)
		}
	}
	if rep := verify(t, s, ""); !rep.OK || rep.Checked != 7+3 {
		t.Fatalf("history after the attempts: %+v", rep)
	}
}

// Even the owner cannot change history through the triggers, and cannot purge
// anything younger than 184 days, not even by setting the purge's cutoff by hand.
func TestOwnerIsRefusedByTheTriggers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.walk(t, 1, workflow.Donation, workflow.Reported)
	for _, stmts := range [][]string{
		{`UPDATE exhibit_history SET reason = '改'`},
		{`DELETE FROM exhibit_history`},
		{`TRUNCATE exhibit_history CASCADE`},
		{`DELETE FROM audit_log`},
		{`SELECT set_config('bayu.purge_cutoff', (now() + interval '1 day')::text, true)`, `DELETE FROM exhibit_history`},
		{`SELECT * FROM purge_history(now() - interval '100 days')`},
	} {
		tx := e.s.DB().MustBegin()
		var err error
		for _, stmt := range stmts {
			if _, err = tx.Exec(stmt); err != nil {
				break
			}
		}
		_ = tx.Rollback()
		var pe *pq.Error
		if !errors.As(err, &pe) || (pe.Code != "42501" && pe.Code != "23514") {
			t.Errorf("%v: got %v, want refused", stmts, err)
		}
	}
}
