package store

import (
	"context"

	"github.com/jmoiron/sqlx"

	"bayu/workflow"
)

// LockExhibit is lockExhibit, for the external tests.
func (s *Store) LockExhibit(ctx context.Context, tx *sqlx.Tx, id int64) (*workflow.Exhibit, error) {
	return s.lockExhibit(ctx, tx, id)
}
