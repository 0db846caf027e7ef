package store

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"bayu/workflow"
	"bayu/workflow/campaign"
)

// returnBatch is how many exhibits one transaction of the sweep takes: big
// enough that a million due rows are a few hundred round trips, small enough
// that a transaction stays short and a crash loses little work.
const returnBatch = 5000

// dueReturn is a pending reminder row with what its notice needs of the exhibit.
type dueReturn struct {
	ExhibitID          int64         `db:"exhibit_id"`
	Due                workflow.Date `db:"due"`
	Step               int           `db:"step"`
	Name               string        `db:"name"`
	District           string        `db:"district"`
	Method             string        `db:"method"`
	State              string        `db:"state"`
	ReturnedOn         workflow.Date `db:"returned_on"`
	SoldOn             workflow.Date `db:"sold_on"`
	OriginalReturnedOn workflow.Date `db:"original_returned_on"`
}

func (d *dueReturn) exhibit() *workflow.Exhibit {
	return &workflow.Exhibit{ID: d.ExhibitID, District: d.District, State: workflow.State(d.State),
		Fields:  workflow.Fields{Name: d.Name, Method: workflow.Method(d.Method)},
		Custody: workflow.Custody{ReturnedOn: d.ReturnedOn, SoldOn: d.SoldOn, OriginalReturnedOn: d.OriginalReturnedOn}}
}

// sweepReturns sends every return reminder due at now (rule 4), a batch per
// transaction. Each sent step is replaced by the next one in the same
// transaction; a step that is already due too (after downtime) is sent at once,
// so the row left behind always lies in the future.
func (s *Store) sweepReturns(ctx context.Context, now time.Time, channels []string, batch int) (JobResult, error) {
	if batch <= 0 {
		batch = returnBatch
	}
	var res JobResult
	for {
		n, created, err := s.sweepReturnsOnce(ctx, now, channels, batch)
		res.Done += n
		res.Created += created
		if err != nil || n < batch {
			return res, err
		}
	}
}

// sweepReturnsOnce sends one batch. It also takes a key-share lock on each
// exhibit, skipping those a transition holds: the notices refer to the
// exhibit, and the foreign key check would otherwise wait for the transition
// while the transition waits for the reminder row this sweep holds. A skipped
// exhibit's reminder is sent at the next tick if its transition left it due.
func (s *Store) sweepReturnsOnce(ctx context.Context, now time.Time, channels []string, batch int) (taken, created int, err error) {
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		if ok, err := tryLock(ctx, tx, lockReturns); err != nil || !ok {
			return err
		}
		var rows []dueReturn
		if err := tx.SelectContext(ctx, &rows, `SELECT r.exhibit_id, r.due, r.step, x.name, x.district, x.method,
			x.state, x.returned_on, x.sold_on, x.original_returned_on
			FROM return_reminders r JOIN exhibits x ON x.id = r.exhibit_id
			WHERE r.due_at <= $1 ORDER BY r.due_at, r.exhibit_id LIMIT $2
			FOR UPDATE OF r SKIP LOCKED FOR KEY SHARE OF x SKIP LOCKED`, now, batch); err != nil {
			return err
		}
		var ns []notice
		var ids, steps []int64
		var days, dues []string
		var settled []int64
		for i := range rows {
			d := &rows[i]
			x := d.exhibit()
			if campaign.ReturnSettled(x) {
				// The transition that settled the claim deletes the row; this
				// only guards against a row left by a hand-made change.
				settled = append(settled, x.ID)
				continue
			}
			r := campaign.ReturnStep(x.ID, d.Due, d.Step)
			for ; !r.DueAt(s.loc).After(now); r = r.Next() {
				text := campaign.ReturnNotice(x, r, now, s.loc)
				for _, to := range []string{Coordinators, x.District} {
					ns = append(ns, notice{Key: r.Key() + ":" + to, Recipient: to, Text: text, DueOn: r.Due, ExhibitID: x.ID})
				}
			}
			ids, steps = append(ids, x.ID), append(steps, int64(r.Step))
			days, dues = append(days, r.On.String()), append(dues, r.DueAt(s.loc).UTC().Format(time.RFC3339))
		}
		var err error
		if created, err = enqueue(ctx, tx, now, ns, channels); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE return_reminders r
			SET step = u.step, on_day = u.on_day::date, due_at = u.due_at::timestamptz, updated_at = $5
			FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[]) AS u(id, step, on_day, due_at)
			WHERE r.exhibit_id = u.id`, pq.Array(ids), pq.Array(steps), pq.Array(days), pq.Array(dues), now); err != nil {
			return err
		}
		if len(settled) > 0 {
			if _, err := tx.ExecContext(ctx, `DELETE FROM return_reminders WHERE exhibit_id = ANY($1::bigint[])`, pq.Array(settled)); err != nil {
				return err
			}
		}
		taken = len(rows)
		return nil
	})
	return taken, created, err
}
