package store

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"bayu/workflow"
	"bayu/workflow/campaign"
)

// syncReturnReminder keeps the exhibit's one pending return reminder in step
// with its agreement, inside the caller's transaction: none once the claim is
// settled (or there is no return date), the first step on or after from's day
// when the date is new or changed, and the row as it is otherwise, so that a
// transition that does not touch the date does not restart the series.
func (s *Store) syncReturnReminder(ctx context.Context, tx *sqlx.Tx, x *workflow.Exhibit, from time.Time) error {
	if !campaign.ReturnTracked(x) {
		_, err := tx.ExecContext(ctx, `DELETE FROM return_reminders WHERE exhibit_id = $1`, x.ID)
		return err
	}
	r := campaign.FirstReturnReminder(x.ID, campaign.ReturnDate(x), from, s.loc)
	_, err := tx.ExecContext(ctx, `INSERT INTO return_reminders (exhibit_id, due, step, on_day, due_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (exhibit_id) DO UPDATE SET due = EXCLUDED.due, step = EXCLUDED.step, on_day = EXCLUDED.on_day,
			due_at = EXCLUDED.due_at, updated_at = EXCLUDED.updated_at
		WHERE return_reminders.due <> EXCLUDED.due`,
		x.ID, r.Due, r.Step, r.On, r.DueAt(s.loc), from)
	return err
}

// PendingReturn is an exhibit's next return reminder as the store keeps it.
type PendingReturn struct {
	ExhibitID int64         `db:"exhibit_id" json:"exhibit_id"`
	Due       workflow.Date `db:"due" json:"due"`
	Step      int           `db:"step" json:"step"`
	On        workflow.Date `db:"on_day" json:"on"`
	DueAt     time.Time     `db:"due_at" json:"due_at"`
}

// PendingReturns lists the pending return reminders, soonest first.
func (s *Store) PendingReturns(ctx context.Context) ([]PendingReturn, error) {
	out := []PendingReturn{}
	err := s.db.SelectContext(ctx, &out, `SELECT exhibit_id, due, step, on_day, due_at FROM return_reminders
		ORDER BY due_at, exhibit_id`)
	for i := range out {
		out[i].DueAt = out[i].DueAt.UTC()
	}
	return out, classify(err)
}

// TrackedReturns lists the exhibits the actor may see whose holder still
// expects them back, soonest date first: what a calendar feed shows.
func (s *Store) TrackedReturns(ctx context.Context, a workflow.Actor) ([]*workflow.Exhibit, error) {
	var rows []exhibitRow
	err := s.db.SelectContext(ctx, &rows, `SELECT `+exhibitColumns+` FROM exhibits
		WHERE id IN (SELECT exhibit_id FROM return_reminders) AND ($1 = '' OR district = $1)
		ORDER BY coalesce(return_due, original_return_due, term_end), id`, a.District)
	if err != nil {
		return nil, classify(err)
	}
	out := make([]*workflow.Exhibit, 0, len(rows))
	for i := range rows {
		x := rows[i].toExhibit()
		if a.CanView(x) && campaign.ReturnTracked(x) {
			out = append(out, x)
		}
	}
	return out, nil
}
