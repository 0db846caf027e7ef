package store

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

// unitCount is how many exhibits of one unit stand in one state, split by
// whether they were ever reported.
type unitCount struct {
	District string `db:"district"`
	State    string `db:"state"`
	Reported bool   `db:"reported"`
	N        int    `db:"n"`
}

// campaignCounts counts the campaign-intake exhibits created in [from, until).
// Whole UTC days come from exhibit_counts and the deltas not yet folded into it
// (migrations/00071); the partial days at either end, where the window's local
// midnight falls inside a UTC day, are counted from the exhibits themselves.
func campaignCounts(ctx context.Context, q sqlx.QueryerContext, from, until time.Time) ([]unitCount, error) {
	from, until = from.UTC(), until.UTC()
	fullFrom := from.Truncate(24 * time.Hour)
	if fullFrom.Before(from) {
		fullFrom = fullFrom.Add(24 * time.Hour)
	}
	fullUntil := until.Truncate(24 * time.Hour)
	if !fullFrom.Before(fullUntil) { // no whole day: count everything from the rows
		fullFrom, fullUntil = until, until
	}
	var out []unitCount
	err := sqlx.SelectContext(ctx, q, &out, `SELECT district, state, reported, sum(n)::int AS n FROM (
			SELECT district, state, reported, n FROM exhibit_counts
			 WHERE intake = 'campaign' AND created_on >= $1::date AND created_on < $2::date
			UNION ALL
			SELECT district, state, reported, n FROM exhibit_count_deltas
			 WHERE intake = 'campaign' AND created_on >= $1::date AND created_on < $2::date
			UNION ALL
			SELECT district, state, ever_reported, 1 FROM exhibits
			 WHERE intake = 'campaign' AND ((created_at >= $3 AND created_at < $4) OR (created_at >= $5 AND created_at < $6))
		) t GROUP BY district, state, reported HAVING sum(n) <> 0`,
		fullFrom.Format("2006-01-02"), fullUntil.Format("2006-01-02"), from, minTime(fullFrom, until), fullUntil, until)
	return out, err
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// compactCountsBatch bounds one fold, so a backlog is folded in short transactions.
const compactCountsBatch = 50_000

// CompactCounts folds pending count deltas into exhibit_counts and returns how
// many it folded. Concurrent runs skip each other's rows; readers see a fold
// whole or not at all, since it moves the rows in one transaction.
func (s *Store) CompactCounts(ctx context.Context) (int, error) {
	total := 0
	for {
		var n int
		err := s.inTx(ctx, func(tx *sqlx.Tx) error {
			return tx.GetContext(ctx, &n, `WITH moved AS (
					DELETE FROM exhibit_count_deltas WHERE id IN (
						SELECT id FROM exhibit_count_deltas ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
					RETURNING district, intake, created_on, state, reported, n),
				folded AS (
					INSERT INTO exhibit_counts AS c (district, intake, created_on, state, reported, n)
					SELECT district, intake, created_on, state, reported, sum(n) FROM moved
					 GROUP BY district, intake, created_on, state, reported
					ON CONFLICT (intake, created_on, district, state, reported) DO UPDATE SET n = c.n + EXCLUDED.n
					RETURNING 1)
				SELECT count(*) FROM moved`, compactCountsBatch)
		})
		if err != nil {
			return total, err
		}
		total += n
		if n < compactCountsBatch {
			return total, nil
		}
	}
}
