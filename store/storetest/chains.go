package storetest

import (
	"context"
	"database/sql"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"bayu/store/chain"
)

// donation is the path of a donated exhibit to stored; after it, seeded
// exhibits go on display and come back, again and again.
var donation = []struct{ event, to string }{
	{"create", "mobilized"}, {"report", "reported"}, {"recommend", "district_recommended"},
	{"evaluate", "evaluated"}, {"accept", "accepted"}, {"sign_agreement", "agreement_signed"}, {"store", "stored"},
}

// SeedChains fills the database at dbURL with exhibits × perExhibit history
// rows for benchmarks: SQL makes the rows (generate_series), the real hasher
// seals them in chain order, COPY stores them. Every chain verifies; each
// exhibit's version and state match its history. perExhibit must be at least 7.
func SeedChains(tb testing.TB, dbURL string, exhibits, perExhibit int, key []byte) {
	tb.Helper()
	if perExhibit < len(donation) {
		tb.Fatalf("SeedChains: %d rows per exhibit, want at least %d", perExhibit, len(donation))
	}
	ctx := context.Background()
	db := sqlx.MustOpen("postgres", dbURL)
	defer db.Close()
	final := "stored"
	if (perExhibit-len(donation))%2 == 1 {
		final = "on_display"
	}
	var user int64
	if err := db.GetContext(ctx, &user, `INSERT INTO users (name, role, created_at)
		VALUES ('bench', 'coordinator', now()) RETURNING id`); err != nil {
		tb.Fatal(err)
	}
	db.MustExecContext(ctx, `INSERT INTO exhibits (district, name, state, version, created_at, updated_at)
		SELECT '500101', '展品 ' || g, $1, $2, now(), now() FROM generate_series(1, $3) g`, final, perExhibit, exhibits)
	events, states := make([]string, len(donation)), make([]string, len(donation))
	for i, d := range donation {
		events[i], states[i] = d.event, d.to
	}
	db.MustExecContext(ctx, `CREATE UNLOGGED TABLE seed_rows AS
		SELECT e.id AS exhibit_id, s AS seq,
		       CASE WHEN s <= 7 THEN ($1::text[])[s] WHEN (s - 7) % 2 = 1 THEN 'display' ELSE 'end_display' END AS event,
		       CASE WHEN s = 1 THEN NULL WHEN s <= 8 THEN ($2::text[])[s - 1] WHEN (s - 7) % 2 = 1 THEN 'stored' ELSE 'on_display' END AS from_state,
		       CASE WHEN s <= 7 THEN ($2::text[])[s] WHEN (s - 7) % 2 = 1 THEN 'on_display' ELSE 'stored' END AS to_state,
		       CASE WHEN s > 7 AND (s - 7) % 2 = 1 THEN jsonb_build_object('venue', '世界技能博物馆', 'from', '2026-09-01')
		            ELSE '{}'::jsonb END AS data,
		       timestamptz '2026-01-01 00:00:00+08' + e.id * interval '1 second' + s * interval '1 hour' AS at
		FROM exhibits e CROSS JOIN generate_series(1, $3) s`, pq.Array(events), pq.Array(states), perExhibit)

	rows, err := db.QueryContext(ctx, `SELECT exhibit_id, seq, event, from_state, to_state, data::text, at
		FROM seed_rows ORDER BY exhibit_id, seq`)
	if err != nil {
		tb.Fatal(err)
	}
	tx := db.MustBegin()
	copyIn, err := tx.Prepare(pq.CopyIn("exhibit_history", "exhibit_id", "seq", "event", "from_state", "to_state",
		"actor_id", "actor", "role", "reason", "data", "at", "client_addr", "request_id", "prev_hash", "hash"))
	if err != nil {
		tb.Fatal(err)
	}
	h := chain.NewHasher(key)
	var buf, prev []byte
	for rows.Next() {
		r := chain.History{ActorID: &user, Actor: "bench", Role: "coordinator"}
		var from sql.NullString
		if err := rows.Scan(&r.ExhibitID, &r.Seq, &r.Event, &from, &r.To, &r.Data, &r.At); err != nil {
			tb.Fatal(err)
		}
		if from.Valid {
			r.From = &from.String
		}
		if r.Seq == 1 {
			prev = nil
		}
		r.PrevHash = prev
		var sum [chain.Size]byte
		sum, buf = h.HistoryHash(&r, buf)
		var prevArg any
		if prev != nil {
			prevArg = prev
		}
		if _, err := copyIn.Exec(r.ExhibitID, r.Seq, r.Event, r.From, r.To, user, r.Actor, r.Role, "", string(r.Data),
			r.At, "", "", prevArg, sum[:]); err != nil {
			tb.Fatal(err)
		}
		prev = sum[:]
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	rows.Close()
	if _, err := copyIn.Exec(); err != nil {
		tb.Fatal(err)
	}
	if err := copyIn.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	db.MustExecContext(ctx, `DROP TABLE seed_rows`)
	db.MustExecContext(ctx, `ANALYZE exhibit_history`)
}
