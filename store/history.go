package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jmoiron/sqlx"

	"bayu/store/chain"
	"bayu/workflow"
)

// EditEvent names the history row of a field edit: the state does not move.
const EditEvent workflow.Event = "edit"

// HistoryEntry is one row of an exhibit's history.
type HistoryEntry struct {
	Seq        int             `db:"seq" json:"seq"`
	Event      workflow.Event  `db:"event" json:"event"`
	From       *workflow.State `db:"from_state" json:"from"`
	To         workflow.State  `db:"to_state" json:"to"`
	ActorID    *int64          `db:"actor_id" json:"-"`
	Actor      string          `db:"actor" json:"actor"`
	Role       workflow.Role   `db:"role" json:"role"`
	Reason     string          `db:"reason" json:"reason"`
	Data       json.RawMessage `db:"data" json:"data"`
	At         time.Time       `db:"at" json:"at"`
	ClientAddr string          `db:"client_addr" json:"-"` // for auditors only (GET /transitions)
	RequestID  string          `db:"request_id" json:"-"`

	link *chainLink // the chain's end when the caller read it already
}

// chainLink is where an exhibit's chain ends: the last row's (or purge
// checkpoint's) number and hash, and the next row's data as PostgreSQL prints it.
type chainLink struct {
	Seq  int64  `db:"seq"`
	Hash []byte `db:"hash"`
	Data string `db:"data"`
}

// lastLink selects one row "last(seq, hash)": the end of the chain of the exhibit
// whose id is the parameter idParam (e.g. "$1"), (0, NULL) for a new chain.
// It must run after the exhibit row is locked, in a
// statement of its own or after the UPDATE of that row in one: a join read
// before the lock was granted would see the chain as it was before the wait.
func lastLink(idParam string) string {
	return `(SELECT coalesce(max(seq), 0) AS seq, (array_agg(hash ORDER BY seq DESC))[1] AS hash FROM (
		(SELECT seq, hash FROM exhibit_history WHERE exhibit_id = ` + idParam + ` ORDER BY seq DESC LIMIT 1)
		UNION ALL
		(SELECT seq, hash FROM chain_checkpoints WHERE chain = 'history' AND exhibit_id = ` + idParam + ` ORDER BY seq DESC LIMIT 1)
	) ends) AS last`
}

// readChainEnd is appendHistory's read of the chain's end, with the row's data
// as PostgreSQL prints it.
var readChainEnd = `SELECT last.seq, last.hash, $2::jsonb::text AS data FROM ` + lastLink("$1")

// appendHistory writes the exhibit's next history row, chained to the one
// before it. The caller holds the exhibit's row lock, so the next sequence
// number and the previous hash cannot be taken twice.
func (s *Store) appendHistory(ctx context.Context, tx *sqlx.Tx, exhibitID int64, h HistoryEntry) error {
	if h.ActorID != nil && *h.ActorID == 0 {
		h.ActorID = nil
	}
	if len(h.Data) == 0 {
		h.Data = json.RawMessage(`{}`)
	}
	h.At = h.At.UTC().Truncate(time.Microsecond)
	h.ClientAddr, h.RequestID = RequestMeta(ctx)
	// The previous row is the last one, or the checkpoint of a purge that took
	// them all. The data is hashed as PostgreSQL prints the stored jsonb, which
	// is what the verifier reads back; the same round trip gives both. A caller
	// that already read the link in its own statement passes it in h.link.
	prev := h.link
	if prev == nil {
		prev = &chainLink{}
		if err := s.txGet(ctx, tx, prev, readChainEnd, exhibitID, string(h.Data)); err != nil {
			return err
		}
	}
	seq := prev.Seq + 1
	c := chain.History{ExhibitID: exhibitID, Seq: seq, Event: string(h.Event), To: string(h.To),
		ActorID: h.ActorID, Actor: h.Actor, Role: string(h.Role), Reason: h.Reason, Data: []byte(prev.Data),
		At: h.At, ClientAddr: h.ClientAddr, RequestID: h.RequestID, PrevHash: prev.Hash}
	if h.From != nil {
		from := string(*h.From)
		c.From = &from
	}
	sum, _ := s.chain.HistoryHash(&c, nil)
	return s.txExec(ctx, tx, `INSERT INTO exhibit_history
		(exhibit_id, seq, event, from_state, to_state, actor_id, actor, role, reason, data, at,
		 client_addr, request_id, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		exhibitID, seq, h.Event, h.From, h.To, h.ActorID, h.Actor, h.Role, h.Reason, prev.Data, h.At,
		h.ClientAddr, h.RequestID, nullBytes(prev.Hash), sum[:])
}

// nullBytes sends a nil slice as SQL NULL; lib/pq would send an empty bytea.
func nullBytes(b []byte) any {
	if b == nil {
		return nil
	}
	return b
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
