package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/lib/pq"

	"bayu/workflow"
)

// Movement is one change of where an item is: into store, between storage
// locations, out to an exhibition and back, or away for good (returned to its
// holder, sold). From is empty when the item arrives; To is empty when it leaves.
type Movement struct {
	Seq    int            `json:"seq"`
	Event  workflow.Event `json:"event"`
	From   string         `json:"from"`
	To     string         `json:"to"`
	At     time.Time      `json:"at"`
	Actor  string         `json:"actor"`
	Reason string         `json:"reason"`
}

// LocationHistory is where an item has been, oldest first, and where it is.
type LocationHistory struct {
	Location  string     `json:"location"` // the storage location, also while on display
	Venue     string     `json:"venue"`    // where it is shown now, if on display
	Movements []Movement `json:"movements"`
}

// movingEvents are the history rows that change where an item is.
var movingEvents = []string{"store", "complete_replication", "move", "display", "end_display", "return", "sell"}

// Locations returns the item's location history, if the actor may see it. It
// is read from the hash-chained history, so it is as complete as that is: the
// rows that put the item somewhere carry the place in their data.
func (s *Store) Locations(ctx context.Context, a workflow.Actor, id int64) (*LocationHistory, error) {
	x, err := s.Exhibit(ctx, a, id)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		Seq    int             `db:"seq"`
		Event  workflow.Event  `db:"event"`
		Actor  string          `db:"actor"`
		Reason string          `db:"reason"`
		Data   json.RawMessage `db:"data"`
		At     time.Time       `db:"at"`
		Venue  string          `db:"venue"` // the venue of a display that named only its exhibition
	}
	err = s.db.SelectContext(ctx, &rows, `SELECT h.seq, h.event, h.actor, h.reason, h.data, h.at, coalesce(v.name_zh, '') AS venue
		FROM exhibit_history h
		LEFT JOIN exhibitions e ON h.event = 'display' AND h.data ->> 'exhibition' ~ '^[0-9]{1,18}$'
			AND e.id = (h.data ->> 'exhibition')::bigint
		LEFT JOIN venues v ON v.id = e.venue_id
		WHERE h.exhibit_id = $1 AND h.event = ANY($2) ORDER BY h.seq`, id, pq.Array(movingEvents))
	if err != nil {
		return nil, classify(err)
	}
	out := &LocationHistory{Location: x.Custody.Location, Venue: x.Custody.DisplayVenue, Movements: []Movement{}}
	storage, shown := "", "" // where the item lies, and where it is shown
	for _, r := range rows {
		var d struct {
			Location     string `json:"location"`
			FromLocation string `json:"from_location"`
			Venue        string `json:"venue"`
		}
		_ = json.Unmarshal(r.Data, &d)
		m := Movement{Seq: r.Seq, Event: r.Event, At: r.At.UTC(), Actor: r.Actor, Reason: r.Reason}
		switch r.Event {
		case workflow.Store, workflow.CompleteReplication:
			m.From, m.To, storage = "", d.Location, d.Location
		case workflow.Move:
			m.From, m.To, storage = d.FromLocation, d.Location, d.Location
		case workflow.Display:
			shown = d.Venue
			if shown == "" {
				shown = r.Venue
			}
			m.From, m.To = storage, shown
		case workflow.EndDisplay:
			m.From, m.To, shown = shown, storage, ""
		default: // return, sell: the item leaves the centre
			m.From = storage
			if shown != "" {
				m.From = shown
			}
		}
		out.Movements = append(out.Movements, m)
	}
	return out, nil
}
