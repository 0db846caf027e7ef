package store

import (
	"context"

	"github.com/jmoiron/sqlx"
)

// streamRows runs query and hands each row to fn, one row in memory at a time,
// so exports of a million rows run in constant memory. The value passed to fn
// is reused for the next row; times are given back in UTC by utc.
func streamRows[T any](ctx context.Context, db *sqlx.DB, query string, args []any, utc func(*T), fn func(*T) error) error {
	rows, err := db.QueryxContext(ctx, query, args...)
	if err != nil {
		return classify(err)
	}
	defer rows.Close()
	var v T
	for rows.Next() {
		var zero T
		v = zero
		if err := rows.StructScan(&v); err != nil {
			return err
		}
		utc(&v)
		if err := fn(&v); err != nil {
			return err
		}
	}
	return classify(rows.Err())
}
