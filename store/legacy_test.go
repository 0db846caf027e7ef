package store_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/pressly/goose/v3"

	"bayu/migrations"
	"bayu/store"
	"bayu/store/storetest"
)

// History written before the chain existed is sealed by migration 30, in SQL;
// the Go verifier must agree with every hash it computed, with and without a
// key, and new rows chain on from the sealed ones.
func TestLegacyRowsAreSealed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dbURL := freshDatabase(t)
	db := sqlx.MustOpen("postgres", dbURL)
	t.Cleanup(func() { db.Close() })
	p, err := goose.NewProvider(goose.DialectPostgres, db.DB, migrations.FS,
		goose.WithGoMigrations(migrations.GoMigrations()...), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 29); err != nil {
		t.Fatal(err)
	}
	db.MustExec(`INSERT INTO users (name, role, created_at) VALUES ('coord', 'coordinator', now())`)
	db.MustExec(`INSERT INTO exhibits (district, name, state, version, created_at, updated_at) VALUES
		('500101', '蜀绣', 'reported', 2, now(), now()), ('500102', '夏布', 'mobilized', 1, now(), now())`)
	db.MustExec(`INSERT INTO exhibit_history (exhibit_id, seq, event, from_state, to_state, actor_id, actor, role, reason, data, at) VALUES
		(1, 1, 'create', NULL, 'mobilized', NULL, 'system', 'coordinator', '', '{"district": "500101"}', '2022-05-10 09:30:00.123456+08'),
		(1, 2, 'report', 'mobilized', 'reported', 1, 'coord', 'coordinator', '按时报送 ✓',
		 '{"b": [1.50, 1e2, -0], "a": {"z": "\u4e2d\"引号\"", "y": null}, "t": true}', '2022-06-01 10:00:00+08'),
		(2, 1, 'create', NULL, 'mobilized', 1, 'coord', 'coordinator', '', '{}', '1999-12-31 23:59:59.999999+00')`)
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}

	plain := store.New(db, store.Options{Clock: func() time.Time { return t0 }})
	if rep := verify(t, plain, ""); !rep.OK || rep.Checked != 3 {
		t.Fatalf("legacy rows without a key: %+v %+v", rep, rep.FirstBad)
	}
	keyed := store.New(db, store.Options{AuditKey: testKey, Clock: func() time.Time { return t0 }})
	if rep := verify(t, keyed, ""); !rep.OK || rep.Checked != 3 {
		t.Fatalf("legacy rows with a key: %+v %+v", rep, rep.FirstBad)
	}
	if _, _, err := keyed.CreateUser(ctx, store.NewUser{Name: "audit", Role: "auditor"}); err != nil {
		t.Fatal(err)
	}
	coord, err := keyed.Authenticate(ctx, mustToken(t, keyed, "coord"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keyed.Fire(ctx, coord.Actor(), store.FireRequest{ExhibitID: 2, Event: "report"}); err == nil {
		t.Fatal("report of an incomplete exhibit was allowed")
	}
	if _, err := keyed.Fire(ctx, coord.Actor(), store.FireRequest{ExhibitID: 1, Event: "withdraw", Reason: "持有人撤回"}); err != nil {
		t.Fatal(err)
	}
	if rep := verify(t, keyed, ""); !rep.OK || rep.Checked != 4+2 {
		t.Fatalf("new keyed rows after legacy ones: %+v %+v", rep, rep.FirstBad)
	}
	asSuperuser(t, db, `UPDATE exhibit_history SET reason = '按时报送' WHERE exhibit_id = 1 AND seq = 2`)
	wantBad(t, verify(t, keyed, ""), "history", 1, 2, store.ProblemHash)
}

// freshDatabase creates an empty database (not a clone of the migrated
// template), dropped when the test passes.
func freshDatabase(t *testing.T) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "bayu_test_legacy_" + hex.EncodeToString(b)
	u, err := url.Parse(storetest.ServerURL())
	if err != nil || u.Scheme == "" {
		t.Fatalf("DATABASE_URL must be a URL for this test: %v", err)
	}
	u.Path = "/postgres"
	admin, err := sql.Open("postgres", u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE DATABASE ` + pq.QuoteIdentifier(name)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("kept database %s", name)
			return
		}
		admin, err := sql.Open("postgres", u.String())
		if err == nil {
			_, _ = admin.Exec(`DROP DATABASE IF EXISTS ` + pq.QuoteIdentifier(name) + ` WITH (FORCE)`)
			admin.Close()
		}
	})
	u.Path = "/" + name
	return u.String()
}

// mustToken issues a token for an existing user.
func mustToken(t *testing.T, s *store.Store, name string) string {
	t.Helper()
	tok, err := s.IssueToken(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
