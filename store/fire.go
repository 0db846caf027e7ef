package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"sort"
	"strings"

	"github.com/jmoiron/sqlx"

	"bayu/workflow"
)

// FireRequest asks for one event on one exhibit.
type FireRequest struct {
	ExhibitID      int64
	Event          workflow.Event
	Reason         string
	Data           map[string]json.RawMessage
	Version        *int64 // checked when given
	IdempotencyKey string // same key, same answer, no second transition
	// Token is the bearer token of a request whose actor came from
	// RememberedToken: it is checked again in the statement that locks the
	// exhibit. Empty when the caller has checked the actor's credentials itself.
	Token string
}

// Fire applies one event in one transaction: lock the exhibit, check the version,
// run the state machine, update state and version, append one history row, and
// remember the answer under the idempotency key. A refusal changes nothing;
// afterwards it is recorded in the audit log in a transaction of its own.
func (s *Store) Fire(ctx context.Context, a workflow.Actor, req FireRequest) (*workflow.Exhibit, error) {
	for attempt := 0; ; attempt++ {
		x, err := s.fire(ctx, a, req)
		// Two requests with one new key on different exhibits both miss the key and
		// both insert it; the loser retries and then finds the winner's answer.
		if err != nil && isPQ(err, pqUniqueViolation) && req.IdempotencyKey != "" && attempt == 0 {
			continue
		}
		err = classify(err)
		s.recordRefusal(ctx, a, req, err)
		return x, err
	}
}

func (s *Store) fire(ctx context.Context, a workflow.Actor, req FireRequest) (*workflow.Exhibit, error) {
	if !workflow.KnownEvent(req.Event) && !workflow.IsAction(req.Event) {
		// Nothing to lock for an unknown event; a remembered token is checked all the same.
		if req.Token != "" {
			if err := s.checkToken(ctx, req.Token, a.UserID); err != nil {
				return nil, err
			}
		}
		_, err := workflow.Fire(ctx, workflow.Exhibit{}, workflow.Command{Event: req.Event})
		return nil, err
	}
	reqHash := requestHash(req)
	var out *workflow.Exhibit
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit

	var x *workflow.Exhibit
	if req.Token != "" {
		x, err = s.lockExhibitChecking(ctx, tx, req.ExhibitID, req.Token, a.UserID)
	} else {
		x, err = s.lockExhibit(ctx, tx, req.ExhibitID)
	}
	if err != nil {
		return nil, err
	}
	if !a.CanView(x) {
		return nil, errNotFound
	}
	if req.IdempotencyKey != "" {
		prev, err := s.remembered(ctx, tx, a, req.IdempotencyKey, reqHash)
		if err != nil || prev != nil {
			return prev, err
		}
	}
	if req.Version != nil && *req.Version != x.Version {
		return nil, versionConflict(x.Version, *req.Version)
	}
	out, err = s.applyEvent(ctx, tx, a, x, req.Event, req.Reason, req.Data)
	if err != nil {
		return nil, err
	}
	if req.IdempotencyKey != "" {
		resp, _ := json.Marshal(out)
		if _, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys
			(user_id, key, exhibit_id, request_hash, response, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			a.UserID, req.IdempotencyKey, x.ID, reqHash, resp, out.UpdatedAt); err != nil {
			return nil, err
		}
	}
	return out, tx.Commit()
}

// applyEvent moves x, which the caller has locked in tx, by one event: the state
// machine's check, the update, one history row and the transition's effects.
// Fire runs it in a transaction of its own; a list import runs many in one, so
// that a whole list is reported or nothing is.
func (s *Store) applyEvent(ctx context.Context, tx *sqlx.Tx, a workflow.Actor, x *workflow.Exhibit,
	ev workflow.Event, reason string, data map[string]json.RawMessage) (*workflow.Exhibit, error) {
	if workflow.IsAction(ev) { // extend_deposit, move: the state stays (custody.go)
		return s.applyAction(ctx, tx, a, x, ev, reason, data)
	}
	now := s.Now()
	cmd := workflow.Command{Event: ev, Reason: reason, Data: data, Actor: a, At: now}
	if err := s.prepareCommand(ctx, tx, &cmd); err != nil {
		return nil, err
	}
	next, err := workflow.Fire(ctx, *x, cmd)
	if err != nil {
		return nil, err
	}
	// One statement updates the row and reads the chain's end for the history row:
	// the exhibit is locked already, so no other transition can move that end.
	// The row is not read back: it is x as locked with what the event changed, and
	// only the version and time are the database's (TestEveryPairThroughTheDatabase
	// checks that the answer equals a read).
	var link chainLink
	out := next
	dataJSON := canonicalData(data)
	if err := s.txScan(ctx, tx, updateReadingChainEnd, append(processArgs(&next), now, x.ID, string(dataJSON)),
		&out.Version, &out.UpdatedAt, &link.Seq, &link.Hash, &link.Data); err != nil {
		return nil, err
	}
	out.UpdatedAt = out.UpdatedAt.UTC()
	from := x.State
	h := historyBy(a, ev, &from, next.State, now)
	h.Reason = strings.TrimSpace(reason)
	h.Data = dataJSON
	h.link = &link
	if err := s.appendHistory(ctx, tx, x.ID, h); err != nil {
		return nil, err
	}
	if err := s.custodyEffects(ctx, tx, &next, &out, ev); err != nil {
		return nil, err
	}
	if err := s.transitionEffects(ctx, tx, x, &out, ev); err != nil {
		return nil, err
	}
	return &out, nil
}

// updateReadingChainEnd is applyEvent's UPDATE, which also reads the end of the
// exhibit's history chain and the event's data as PostgreSQL prints it.
var updateReadingChainEnd = `WITH updated AS (` + updateProcess + ` RETURNING version, updated_at)
	SELECT updated.version, updated.updated_at, last.seq, last.hash, $26::jsonb::text AS data FROM updated, ` + lastLink("$25")

// remembered returns the answer stored under the key, nil when the key is new, and
// an error when the key was used for a different request.
func (s *Store) remembered(ctx context.Context, tx *sqlx.Tx, a workflow.Actor, key string, reqHash []byte) (*workflow.Exhibit, error) {
	var row struct {
		Hash     []byte `db:"request_hash"`
		Response []byte `db:"response"`
	}
	err := tx.GetContext(ctx, &row, `SELECT request_hash, response FROM idempotency_keys WHERE user_id = $1 AND key = $2`, a.UserID, key)
	if err != nil {
		if workflow.ErrorCode(classify(err)) == workflow.CodeNotFound {
			return nil, nil // a new key: go on and fire
		}
		return nil, err
	}
	if !bytes.Equal(row.Hash, reqHash) {
		return nil, &workflow.Error{Code: workflow.CodeInvalid,
			Message: workflow.T("该幂等键已用于另一个请求", "this Idempotency-Key was used for a different request"),
			Fields:  map[string]workflow.Text{"Idempotency-Key": workflow.T("已用于另一个请求", "was used for a different request")}}
	}
	var x workflow.Exhibit
	if err := json.Unmarshal(row.Response, &x); err != nil {
		return nil, errors.New("stored idempotent answer is unreadable: " + err.Error())
	}
	return &x, nil
}

// requestHash identifies a request independent of key order in its data.
func requestHash(req FireRequest) []byte {
	h := sha256.New()
	for _, part := range [][]byte{itob(req.ExhibitID), []byte(req.Event), []byte(strings.TrimSpace(req.Reason)), canonicalData(req.Data)} {
		h.Write(itob(int64(len(part))))
		h.Write(part)
	}
	if req.Version != nil {
		h.Write(itob(*req.Version))
	}
	return h.Sum(nil)
}

// canonicalData re-encodes event data with sorted keys and compacted values.
func canonicalData(data map[string]json.RawMessage) json.RawMessage {
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		if err := json.Compact(&b, data[k]); err != nil {
			b.WriteString("null")
		}
	}
	b.WriteByte('}')
	return b.Bytes()
}

func itob(n int64) []byte {
	var b [8]byte
	for i := range b {
		b[i] = byte(n >> (56 - 8*i))
	}
	return b[:]
}
