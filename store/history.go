package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jmoiron/sqlx"

	"bayu/workflow"
)

// EditEvent names the history row of a field edit: the state does not move.
const EditEvent workflow.Event = "edit"

// HistoryEntry is one row of an exhibit's history.
type HistoryEntry struct {
	Seq     int             `db:"seq" json:"seq"`
	Event   workflow.Event  `db:"event" json:"event"`
	From    *workflow.State `db:"from_state" json:"from"`
	To      workflow.State  `db:"to_state" json:"to"`
	ActorID *int64          `db:"actor_id" json:"-"`
	Actor   string          `db:"actor" json:"actor"`
	Role    workflow.Role   `db:"role" json:"role"`
	Reason  string          `db:"reason" json:"reason"`
	Data    json.RawMessage `db:"data" json:"data"`
	At      time.Time       `db:"at" json:"at"`
}

// appendHistory writes the exhibit's next history row. The caller holds the
// exhibit's row lock, so the next sequence number cannot be taken twice.
func appendHistory(ctx context.Context, tx *sqlx.Tx, exhibitID int64, h HistoryEntry) error {
	var actorID *int64
	if h.ActorID != nil && *h.ActorID != 0 {
		actorID = h.ActorID
	}
	if len(h.Data) == 0 {
		h.Data = json.RawMessage(`{}`)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO exhibit_history
		(exhibit_id, seq, event, from_state, to_state, actor_id, actor, role, reason, data, at)
		VALUES ($1, (SELECT coalesce(max(seq), 0) + 1 FROM exhibit_history WHERE exhibit_id = $1),
		        $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		exhibitID, h.Event, h.From, h.To, actorID, h.Actor, h.Role, h.Reason, []byte(h.Data), h.At)
	return err
}

func historyBy(a workflow.Actor, event workflow.Event, from *workflow.State, to workflow.State, at time.Time) HistoryEntry {
	id := a.UserID
	return HistoryEntry{Event: event, From: from, To: to, ActorID: &id, Actor: a.Name, Role: a.Role, At: at}
}

// History returns an exhibit's history, oldest first, if the actor may see the exhibit.
func (s *Store) History(ctx context.Context, a workflow.Actor, exhibitID int64) ([]HistoryEntry, error) {
	if _, err := s.Exhibit(ctx, a, exhibitID); err != nil {
		return nil, err
	}
	var out []HistoryEntry
	err := s.db.SelectContext(ctx, &out, `SELECT seq, event, from_state, to_state, actor_id, actor, role,
		reason, data, at FROM exhibit_history WHERE exhibit_id = $1 ORDER BY seq`, exhibitID)
	for i := range out {
		out[i].At = out[i].At.UTC()
	}
	return out, classify(err)
}
