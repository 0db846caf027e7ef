package store

import (
	"context"

	"bayu/workflow"
)

// ConsignmentItem is one item the centre sells for its holder (寄售): the
// agreement's asking price, commission and term, and the sale once made.
type ConsignmentItem struct {
	ID              int64          `db:"id" json:"id"`
	Name            string         `db:"name" json:"name"`
	District        string         `db:"district" json:"district"`
	State           workflow.State `db:"state" json:"state"`
	AgreementNumber string         `db:"agreement_number" json:"agreement_number"`
	AskingPriceCNY  *int64         `db:"asking_price_cny" json:"asking_price_cny"`
	CommissionPct   *float64       `db:"commission_pct" json:"commission_pct"`
	TermEnd         workflow.Date  `db:"term_end" json:"term_end"`
	SoldPriceCNY    *int64         `db:"sold_price_cny" json:"sold_price_cny"`
	SoldOn          workflow.Date  `db:"sold_on" json:"sold_on"`
	// DueForReturn: unsold, still held, and its term has ended, so the
	// agreement wants it back with its holder (the return reminders say so too).
	DueForReturn bool `db:"-" json:"due_for_return"`
}

// Consignments lists the signed consignment items: those still for sale
// first, soonest term end first, then the sold and returned ones.
// Coordinators and auditors.
func (s *Store) Consignments(ctx context.Context, a workflow.Actor) ([]ConsignmentItem, error) {
	if a.Role != workflow.Coordinator && a.Role != workflow.Auditor {
		return nil, workflow.Errorf(workflow.CodeForbidden, "只有市级统筹和审计可以查看寄售清单", "only coordinators and auditors see the consignment list")
	}
	out := []ConsignmentItem{}
	err := s.db.SelectContext(ctx, &out, `SELECT id, name, district, state, coalesce(agreement_number, '') AS agreement_number,
			asking_price_cny, commission_pct, term_end, sold_price_cny, sold_on
		FROM exhibits WHERE method = 'consignment' AND agreement_signed_on IS NOT NULL AND state <> 'withdrawn'
		ORDER BY state IN ('sold', 'returned'), term_end, id`)
	if err != nil {
		return nil, classify(err)
	}
	today := workflow.DateOf(s.Now().In(s.loc))
	for i := range out {
		it := &out[i]
		held := it.State == workflow.AgreementSigned || it.State == workflow.Stored || it.State == workflow.OnDisplay
		it.DueForReturn = held && !it.TermEnd.IsZero() && !today.Before(it.TermEnd)
	}
	return out, nil
}
