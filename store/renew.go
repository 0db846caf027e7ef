package store

import (
	"context"

	"github.com/jmoiron/sqlx"

	"bayu/workflow"
	"bayu/workflow/campaign"
)

// RenewEvent names the history row of a changed return date: like an edit of
// fields, it is not a state machine event and the state does not move.
const RenewEvent workflow.Event = "renew"

// Renewal changes the date on which the holder expects an item back: the
// deposit's return_due, the replication's original_return_due or the
// consignment's term_end. Exactly the field of the exhibit's method is given.
type Renewal struct {
	Version           *int64        `json:"version,omitempty"` // checked when given
	Reason            string        `json:"reason"`
	ReturnDue         workflow.Date `json:"return_due"`
	OriginalReturnDue workflow.Date `json:"original_return_due"`
	TermEnd           workflow.Date `json:"term_end"`
}

// renewColumns are the agreement column and body field of each method's date.
var renewColumns = map[workflow.Method]string{
	workflow.Deposit: "return_due", workflow.Replication: "original_return_due", workflow.Consignment: "term_end",
}

// RenewAgreement changes an exhibit's return date while the centre holds the
// item (or, for a replication, the original). It writes a "renew" history row
// with the old and the new date, and replaces the pending return reminder with
// the first step of the new date's series. Coordinators only.
func (s *Store) RenewAgreement(ctx context.Context, a workflow.Actor, id int64, in Renewal) (*workflow.Exhibit, error) {
	if a.Role != workflow.Coordinator {
		return nil, workflow.Errorf(workflow.CodeForbidden, "只有市级统筹可以变更协议日期", "only coordinators change agreement dates")
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		x, err := s.lockExhibit(ctx, tx, id)
		if err != nil {
			return err
		}
		if in.Version != nil && *in.Version != x.Version {
			return versionConflict(x.Version, *in.Version)
		}
		return s.renew(ctx, tx, a, x, in, RenewEvent)
	})
	if err != nil {
		return nil, err
	}
	return s.Exhibit(ctx, a, id)
}

// renew changes the return date of x, which the caller has locked in tx, and
// writes its history row: event renew (PATCH …/agreement) with the field and
// both dates, or extend_deposit (the action) with the new return_due and the
// previous one. Either way the earlier date stays in the history, where the
// agreement's list of due dates is read from (agreement.go).
func (s *Store) renew(ctx context.Context, tx *sqlx.Tx, a workflow.Actor, x *workflow.Exhibit, in Renewal, ev workflow.Event) error {
	if !campaign.ReturnTracked(x) {
		return &workflow.Error{Code: workflow.CodeInvalidTransition, Message: workflow.T(
			"只有持有中、且协议约定归还日期的展品可以变更日期（当前状态“"+x.State.Label().ZH+"”）",
			"only an item held under an agreement with a return date can have it changed (state "+string(x.State)+")")}
	}
	col := renewColumns[x.Method]
	due, err := renewalDate(x, col, in)
	if err != nil {
		return err
	}
	old := campaign.ReturnDate(x)
	if due.String() == old.String() {
		return nil // the same date: nothing to record, nothing to reschedule
	}
	now := s.Now()
	if _, err := tx.ExecContext(ctx, `UPDATE exhibits SET `+col+` = $1, version = version + 1, updated_at = $2
		WHERE id = $3`, due, now, x.ID); err != nil {
		return err
	}
	state := x.State
	h := historyBy(a, ev, &state, state, now)
	h.Reason = in.Reason
	h.Data = mustJSON(map[string]any{"field": col, "from": old, "to": due})
	if ev != RenewEvent {
		h.Data = mustJSON(map[string]any{col: due, "previous_" + col: old})
	}
	if err := s.appendHistory(ctx, tx, x.ID, h); err != nil {
		return err
	}
	x, err = getExhibit(ctx, tx, x.ID)
	if err != nil {
		return err
	}
	return s.syncReturnReminder(ctx, tx, x, now)
}

// renewalDate checks the renewal against the exhibit and returns the new date.
func renewalDate(x *workflow.Exhibit, col string, in Renewal) (workflow.Date, error) {
	fe := workflow.FieldErrors{}
	given := map[string]workflow.Date{"return_due": in.ReturnDue, "original_return_due": in.OriginalReturnDue, "term_end": in.TermEnd}
	for k, d := range given {
		if k != col && !d.IsZero() {
			fe.Add(k, "该征集方式的协议没有此日期", "the agreement of this method has no such date")
		}
	}
	due := given[col]
	switch {
	case due.IsZero():
		fe.Add(col, "必须填写新的日期", "is required")
	case due.Before(x.Agreement.SignedOn):
		fe.Add(col, "不能早于协议签署日期 "+x.Agreement.SignedOn.String(), "must not be before the agreement was signed, "+x.Agreement.SignedOn.String())
	case x.State == workflow.OnDisplay && col != "original_return_due" && due.Before(x.Custody.DisplayUntil):
		fe.Add(col, "展品正在展出，日期不能早于展出结束日期 "+x.Custody.DisplayUntil.String(),
			"the item is on display until "+x.Custody.DisplayUntil.String()+"; the date must not be before that")
	}
	if len([]rune(in.Reason)) > 500 {
		fe.Add("reason", "原因最多500字", "must be at most 500 characters")
	}
	return due, fe.Err()
}
