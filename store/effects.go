package store

import (
	"context"

	"github.com/jmoiron/sqlx"

	"bayu/workflow"
)

// transitionEffects runs inside a transition's transaction, after the exhibit row
// is updated and its history row appended: work that must commit or fail together
// with the transition (deadlines, reminders, outbox rows) belongs here.
func (s *Store) transitionEffects(ctx context.Context, tx *sqlx.Tx, before, after *workflow.Exhibit, ev workflow.Event) error {
	return nil
}
