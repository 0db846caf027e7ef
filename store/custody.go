package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"bayu/workflow"
)

// prepareCommand looks up, inside the transition's transaction, what the
// workflow's guards need but cannot read themselves: the exhibition display
// names. An unknown one is left nil, and the guard says so.
func (s *Store) prepareCommand(ctx context.Context, tx *sqlx.Tx, c *workflow.Command) error {
	if c.Event != workflow.Display {
		return nil
	}
	var id int64
	if raw, ok := c.Data["exhibition"]; !ok || json.Unmarshal(raw, &id) != nil || id < 1 {
		return nil // absent or malformed: the guard names the problem
	}
	ex, err := getExhibition(ctx, tx, id)
	if workflow.ErrorCode(err) == workflow.CodeNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	c.Exhibition = &ex.Exhibition
	return nil
}

// custodyEffects writes the parts of a transition that updateProcess does not:
// the agreement's number and the terms added with it, and the exhibition an
// item is shown at. next is what the workflow made of the exhibit, out the row
// as updated; out is brought in line with next.
func (s *Store) custodyEffects(ctx context.Context, tx *sqlx.Tx, next, out *workflow.Exhibit, ev workflow.Event) error {
	switch ev {
	case workflow.SignAgreement:
		return s.numberAgreement(ctx, tx, next.Agreement, out)
	case workflow.Display, workflow.EndDisplay:
		id := next.Custody.ExhibitionID
		if id == nil && out.Custody.ExhibitionID == nil {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE exhibits SET exhibition_id = $1 WHERE id = $2`, id, out.ID); err != nil {
			return err
		}
		out.Custody.ExhibitionID = id
	}
	return nil
}

// numberAgreement gives a just-signed agreement the next number of its year.
// The counter row is updated in the signing transaction: signings of one year
// queue on it, and a signing that rolls back takes its number back with it.
func (s *Store) numberAgreement(ctx context.Context, tx *sqlx.Tx, g *workflow.Agreement, out *workflow.Exhibit) error {
	year := g.SignedOn.In(s.loc).Year()
	var seq int
	if err := tx.GetContext(ctx, &seq, `INSERT INTO agreement_counters (year, last) VALUES ($1, 1)
		ON CONFLICT (year) DO UPDATE SET last = agreement_counters.last + 1 RETURNING last`, year); err != nil {
		return err
	}
	number := workflow.AgreementNumber(year, seq)
	if _, err := tx.ExecContext(ctx, `UPDATE exhibits SET agreement_number = $1, donation_form = $2, commission_pct = $3
		WHERE id = $4`, number, g.DonationForm, g.CommissionPct, out.ID); err != nil {
		return err
	}
	out.Agreement.Number, out.Agreement.DonationForm, out.Agreement.CommissionPct = number, g.DonationForm, g.CommissionPct
	return nil
}

// applyAction takes an action (extend_deposit, move) on x, which the caller
// has locked in tx: the state stays, the version moves, one history row.
func (s *Store) applyAction(ctx context.Context, tx *sqlx.Tx, a workflow.Actor, x *workflow.Exhibit,
	ev workflow.Event, reason string, data map[string]json.RawMessage) (*workflow.Exhibit, error) {
	now := s.Now()
	reason = strings.TrimSpace(reason)
	r, err := workflow.Act(x, workflow.Command{Event: ev, Reason: reason, Data: data, Actor: a, At: now})
	if err != nil {
		return nil, err
	}
	switch ev {
	case workflow.ExtendDeposit:
		err = s.renew(ctx, tx, a, x, Renewal{ReturnDue: r.ReturnDue, Reason: reason}, ev)
	case workflow.Move:
		err = s.move(ctx, tx, a, x, r.Location, reason, now)
	default:
		err = errors.New("no store action for " + string(ev))
	}
	if err != nil {
		return nil, err
	}
	return getExhibit(ctx, tx, x.ID)
}

// move records that the item now lies at location: the history row keeps
// where it came from, so the location history (locations.go) is complete.
func (s *Store) move(ctx context.Context, tx *sqlx.Tx, a workflow.Actor, x *workflow.Exhibit, location, reason string, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE exhibits SET location = $1, version = version + 1, updated_at = $2
		WHERE id = $3`, location, now, x.ID); err != nil {
		return err
	}
	state := x.State
	h := historyBy(a, workflow.Move, &state, state, now)
	h.Reason = reason
	h.Data = mustJSON(map[string]any{"from_location": x.Custody.Location, "location": location})
	return s.appendHistory(ctx, tx, x.ID, h)
}

// getExhibition reads one exhibition with its venue's name.
func getExhibition(ctx context.Context, q sqlx.QueryerContext, id int64) (*Exhibition, error) {
	var r exhibitionRow
	err := sqlx.GetContext(ctx, q, &r, exhibitionSelect+` WHERE e.id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, workflow.Errorf(workflow.CodeNotFound, "展览不存在", "no such exhibition")
	}
	if err != nil {
		return nil, err
	}
	e := r.toExhibition()
	return &e, nil
}
