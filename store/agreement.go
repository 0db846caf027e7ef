package store

import (
	"context"
	"encoding/json"
	"time"

	"bayu/workflow"
	"bayu/workflow/campaign"
)

// AgreementRecord is an exhibit's signed agreement: its number, method and
// terms, and every date by which the holder was promised the item back.
type AgreementRecord struct {
	ExhibitID int64           `json:"exhibit_id"`
	Method    workflow.Method `json:"method"`
	workflow.Agreement
	SignedBy string `json:"signed_by"`
	// DueDates are the deposit's return dates (the replication's original
	// return dates, the consignment's term ends), oldest first: the one
	// signed, then each extension or renewal. The last is in force.
	DueDates []DueDate `json:"due_dates"`
}

// DueDate is one return date of an agreement and the history row that set it.
type DueDate struct {
	Due    workflow.Date  `json:"due"`
	Event  workflow.Event `json:"event"` // sign_agreement, extend_deposit or renew
	Actor  string         `json:"actor"`
	Reason string         `json:"reason"`
	At     time.Time      `json:"at"`
}

// Agreement returns the exhibit's agreement, if it has one and the actor may
// see the exhibit. The earlier due dates are read from the history, which
// keeps every one of them.
func (s *Store) Agreement(ctx context.Context, a workflow.Actor, id int64) (*AgreementRecord, error) {
	x, err := s.Exhibit(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if x.Agreement == nil {
		return nil, workflow.Errorf(workflow.CodeNotFound, "该展品尚未签署协议", "this exhibit has no agreement yet")
	}
	rec := &AgreementRecord{ExhibitID: x.ID, Method: x.Method, Agreement: *x.Agreement, DueDates: []DueDate{}}
	var rows []struct {
		Event  workflow.Event  `db:"event"`
		Actor  string          `db:"actor"`
		Reason string          `db:"reason"`
		Data   json.RawMessage `db:"data"`
		At     time.Time       `db:"at"`
	}
	if err := s.db.SelectContext(ctx, &rows, `SELECT event, actor, reason, data, at FROM exhibit_history
		WHERE exhibit_id = $1 AND event IN ('sign_agreement', 'extend_deposit', 'renew') ORDER BY seq`, id); err != nil {
		return nil, classify(err)
	}
	col := renewColumns[x.Method]
	for _, r := range rows {
		if r.Event == workflow.SignAgreement {
			rec.SignedBy = r.Actor
		}
		if due := dueSetBy(r.Event, r.Data, col); !due.IsZero() {
			rec.DueDates = append(rec.DueDates, DueDate{Due: due, Event: r.Event, Actor: r.Actor, Reason: r.Reason, At: r.At.UTC()})
		}
	}
	// A purge of old history may have taken the rows; the date in force stays.
	if cur := campaign.ReturnDate(x); !cur.IsZero() && (len(rec.DueDates) == 0 || rec.DueDates[len(rec.DueDates)-1].Due != cur) {
		rec.DueDates = append(rec.DueDates, DueDate{Due: cur})
	}
	return rec, nil
}

// dueSetBy reads the date a history row set for the agreement column col:
// signing and extending name it, a renewal says which field it changed.
func dueSetBy(ev workflow.Event, data json.RawMessage, col string) workflow.Date {
	if col == "" {
		return workflow.Date{}
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(data, &m) != nil {
		return workflow.Date{}
	}
	key := col
	if ev == RenewEvent {
		var field string
		if json.Unmarshal(m["field"], &field) != nil || field != col {
			return workflow.Date{}
		}
		key = "to"
	}
	var d workflow.Date
	if raw, ok := m[key]; !ok || json.Unmarshal(raw, &d) != nil {
		return workflow.Date{}
	}
	return d
}
