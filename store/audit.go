package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"

	"bayu/store/chain"
	"bayu/workflow"
)

// Outcome says how an audited attempt ended.
type Outcome string

// The outcomes an audit record may have.
const (
	OutcomeOK      Outcome = "ok"      // done
	OutcomeRefused Outcome = "refused" // refused by a rule: state, role, validation, bad password
	OutcomeFailed  Outcome = "failed"  // could not be done for a technical reason
)

// Audit events recorded beyond exhibit transitions. A refused transition is
// recorded under the event that was tried (e.g. "accept").
const (
	AuditLogin        = "login"
	AuditLogout       = "logout"
	AuditUserCreate   = "user_create"
	AuditUserDisable  = "user_disable"
	AuditCampaignEdit = "campaign_edit"
	AuditPurge        = "history_purge"
)

// AuditRecord is one entry of the audit log: when (UTC), who in which role,
// which event with what outcome on which object, why, from which client
// address in which request.
type AuditRecord struct {
	Seq        int64           `db:"seq" json:"seq"`
	At         time.Time       `db:"at" json:"at"`
	ActorID    *int64          `db:"actor_id" json:"actor_id"`
	Actor      string          `db:"actor" json:"actor"`
	Role       workflow.Role   `db:"role" json:"role"`
	Event      string          `db:"event" json:"event"`
	Outcome    Outcome         `db:"outcome" json:"outcome"`
	ObjectType string          `db:"object_type" json:"object_type"` // exhibit, user, campaign, session, history
	ObjectID   string          `db:"object_id" json:"object_id"`
	Reason     string          `db:"reason" json:"reason"`
	Detail     json.RawMessage `db:"detail" json:"detail"`
	ClientAddr string          `db:"client_addr" json:"client_addr"`
	RequestID  string          `db:"request_id" json:"request_id"`
	Hash       string          `db:"hash" json:"hash"` // hex; set when read back, ignored when recording
}

// AuditBy starts a record of something the actor did.
func AuditBy(a workflow.Actor, event string, outcome Outcome) AuditRecord {
	r := AuditRecord{Actor: a.Name, Role: a.Role, Event: event, Outcome: outcome}
	if a.UserID != 0 {
		id := a.UserID
		r.ActorID = &id
	}
	return r
}

// AuditDetail encodes v as a record's detail; a value that cannot be encoded
// becomes an empty object rather than losing the record.
func AuditDetail(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage(`{}`)
	}
	return b
}

// auditLock serialises appends to the audit log, whose one chain must not fork.
// A transaction-level lock: it is released by commit or rollback, whatever the
// connection pool does with the connection afterwards.
const auditLock int64 = 0x6261797561756469 // "bayuaudi"

// RecordAudit appends one record to the audit log in its own transaction.
// Empty At, actor, client address and request id are filled in from the clock
// and from ctx (WithActor, WithRequestMeta).
func (s *Store) RecordAudit(ctx context.Context, r AuditRecord) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error { return s.RecordAuditTx(ctx, tx, r) })
}

// RecordAuditTx appends one record inside the caller's transaction, so that the
// record commits or rolls back with what it records. The audit log's lock is
// then held until that transaction ends: keep such transactions short.
func (s *Store) RecordAuditTx(ctx context.Context, tx *sqlx.Tx, r AuditRecord) error {
	if r.Event == "" {
		return errors.New("audit record without an event")
	}
	switch r.Outcome {
	case OutcomeOK, OutcomeRefused, OutcomeFailed:
	default:
		return errors.New("audit record with outcome " + string(r.Outcome))
	}
	if r.Actor == "" {
		a := actorFrom(ctx)
		r.Actor, r.Role = a.Name, a.Role
		if a.UserID != 0 && r.ActorID == nil {
			r.ActorID = &a.UserID
		}
	}
	addr, reqID := RequestMeta(ctx)
	if r.ClientAddr == "" {
		r.ClientAddr = addr
	}
	if r.RequestID == "" {
		r.RequestID = reqID
	}
	if r.At.IsZero() {
		r.At = s.Now()
	}
	r.At = r.At.UTC().Truncate(time.Microsecond)
	r.Event, r.Actor = clean(r.Event, 100), clean(r.Actor, 200)
	r.ObjectType, r.ObjectID = clean(r.ObjectType, 50), clean(r.ObjectID, 200)
	r.Reason = clean(r.Reason, 2000)
	if len(r.Detail) == 0 {
		r.Detail = json.RawMessage(`{}`)
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, auditLock); err != nil {
		return err
	}
	// The previous hash is the last row's, or the checkpoint's when a purge took
	// every row; the detail is stored and hashed as PostgreSQL prints it.
	var prev struct {
		Seq    int64  `db:"seq"`
		Hash   []byte `db:"hash"`
		Detail string `db:"detail"`
	}
	if err := tx.GetContext(ctx, &prev, `WITH last AS (
		(SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1)
		UNION ALL
		(SELECT seq, hash FROM chain_checkpoints WHERE chain = 'audit' ORDER BY seq DESC LIMIT 1)
		ORDER BY seq DESC LIMIT 1)
		SELECT coalesce((SELECT seq FROM last), 0) AS seq, (SELECT hash FROM last) AS hash, $1::jsonb::text AS detail`,
		string(r.Detail)); err != nil {
		return err
	}
	r.Seq = prev.Seq + 1
	c := chain.Audit{Seq: r.Seq, At: r.At, ActorID: r.ActorID, Actor: r.Actor, Role: string(r.Role),
		Event: r.Event, Outcome: string(r.Outcome), ObjectType: r.ObjectType, ObjectID: r.ObjectID,
		Reason: r.Reason, Detail: []byte(prev.Detail), ClientAddr: r.ClientAddr, RequestID: r.RequestID,
		PrevHash: prev.Hash}
	sum, _ := s.chain.AuditHash(&c, nil)
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (seq, at, actor_id, actor, role, event, outcome,
		object_type, object_id, reason, detail, client_addr, request_id, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		r.Seq, r.At, r.ActorID, r.Actor, r.Role, r.Event, r.Outcome, r.ObjectType, r.ObjectID,
		r.Reason, prev.Detail, r.ClientAddr, r.RequestID, nullBytes(prev.Hash), sum[:])
	return err
}
