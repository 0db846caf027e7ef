package store

import (
	"context"

	"github.com/jmoiron/sqlx"

	"bayu/workflow"
)

// returnEvents are the events that start or end a holder's claim on an item:
// signing the agreement starts the return reminders, giving the item (or the
// original) back, selling it or withdrawing it ends them.
var returnEvents = map[workflow.Event]bool{
	workflow.SignAgreement: true, workflow.Return: true, workflow.Sell: true,
	workflow.CompleteReplication: true, workflow.Withdraw: true,
}

// transitionEffects runs inside a transition's transaction, after the exhibit row
// is updated and its history row appended: work that must commit or fail together
// with the transition (deadlines, reminders, outbox rows) belongs here.
//
// after.UpdatedAt is the transition's instant: a report is tagged by it, and a
// return schedule starts from its day.
func (s *Store) transitionEffects(ctx context.Context, tx *sqlx.Tx, before, after *workflow.Exhibit, ev workflow.Event) error {
	if ev == workflow.Report {
		if err := s.tagIntake(ctx, tx, after); err != nil {
			return err
		}
	}
	if returnEvents[ev] {
		return s.syncReturnReminder(ctx, tx, after, after.UpdatedAt)
	}
	return nil
}

// tagIntake sets the intake of a just-reported exhibit by the campaign in
// force: reported after the lists closed, it belongs to regular collection.
// Without a campaign there is no window to be late for, and the default stands.
func (s *Store) tagIntake(ctx context.Context, tx *sqlx.Tx, x *workflow.Exhibit) error {
	c, err := getCampaign(ctx, tx, `in_force`)
	if workflow.ErrorCode(err) == workflow.CodeNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	intake := c.Intake(x.UpdatedAt, s.loc)
	if intake == x.Intake {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE exhibits SET intake = $1 WHERE id = $2`, intake, x.ID); err != nil {
		return err
	}
	x.Intake = intake
	return nil
}
