package store

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"

	"bayu/workflow"
)

// refusalDetail is what the audit log keeps of a refused attempt besides the
// reason: enough to see what was asked, not the whole request body.
type refusalDetail struct {
	Code           workflow.Code     `json:"code"`
	MessageEN      string            `json:"message_en"`
	Fields         map[string]string `json:"fields,omitempty"`
	Version        *int64            `json:"version,omitempty"`
	RequestReason  string            `json:"request_reason,omitempty"`
	DataKeys       []string          `json:"data_keys,omitempty"`
	IdempotencyKey string            `json:"idempotency_key,omitempty"`
}

// recordRefusal writes a refused Fire to the audit log: who tried which event
// on which exhibit, and why it was refused. An exhibit that does not exist or
// that the actor may not see is recorded alike, as a not_found attempt, so the
// log says no more than the answer did. Internal errors are not refusals; the
// HTTP layer logs them. A failure to record is logged and never replaces the
// refusal the caller gets.
func (s *Store) recordRefusal(ctx context.Context, a workflow.Actor, req FireRequest, err error) {
	code := workflow.ErrorCode(err)
	if err == nil || code == workflow.CodeInternal {
		return
	}
	var e *workflow.Error
	if !errors.As(err, &e) {
		return
	}
	d := refusalDetail{Code: code, MessageEN: e.Message.EN, Version: req.Version,
		RequestReason: clean(req.Reason, 500), IdempotencyKey: clean(req.IdempotencyKey, 200)}
	for k, v := range e.Fields {
		if d.Fields == nil {
			d.Fields = map[string]string{}
		}
		d.Fields[k] = v.ZH
	}
	for k := range req.Data {
		d.DataKeys = append(d.DataKeys, clean(k, 100))
	}
	sort.Strings(d.DataKeys)
	r := AuditBy(a, string(req.Event), OutcomeRefused)
	r.ObjectType, r.ObjectID = "exhibit", strconv.FormatInt(req.ExhibitID, 10)
	r.Reason = e.Message.ZH
	r.Detail = AuditDetail(d)
	// The caller's context may already be cancelled (a client that hung up);
	// the attempt happened all the same.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if rerr := s.RecordAudit(rctx, r); rerr != nil {
		s.log.ErrorContext(ctx, "audit: cannot record a refused transition", "err", rerr,
			"exhibit", req.ExhibitID, "event", req.Event, "actor", a.Name, "refusal", err)
	}
}

// recordUserCreated writes the creation of a user to the audit log inside the
// creating transaction: no user exists without its record. The actor is the
// one set by WithActor (a coordinator through the API), else the system (an
// operator running bayu user add).
func (s *Store) recordUserCreated(ctx context.Context, tx *sqlx.Tx, u *User) error {
	r := AuditRecord{Event: AuditUserCreate, Outcome: OutcomeOK, ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10)}
	detail := map[string]any{"name": u.Name, "role": u.Role}
	if u.District != nil {
		detail["district"] = *u.District
	}
	r.Detail = AuditDetail(detail)
	return s.RecordAuditTx(ctx, tx, r)
}
