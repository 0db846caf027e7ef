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
	// A request whose token no longer holds is refused as before it reached the
	// store (RememberedToken): there is no actor to record.
	if err == nil || code == workflow.CodeInternal || code == workflow.CodeUnauthenticated {
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

// recordLogin writes a refused login to the audit log in a transaction of its
// own: the name tried (which may be no user's), and whether it was locked.
// The password never goes anywhere near the log. A failure to record is
// logged and does not change the answer.
func (s *Store) recordLogin(ctx context.Context, name string, u *User, locked bool) {
	r := AuditRecord{Actor: clean(name, 64), Event: AuditLogin, Outcome: OutcomeRefused, ObjectType: "user",
		Reason: "用户名或密码错误，或用户已停用", Detail: AuditDetail(map[string]bool{"locked": locked})}
	if locked {
		r.Reason = "登录失败次数过多，已锁定"
	}
	if u != nil {
		r.ActorID, r.Role, r.ObjectID = &u.ID, u.Role, strconv.FormatInt(u.ID, 10)
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := s.RecordAudit(rctx, r); err != nil {
		s.log.ErrorContext(ctx, "audit: cannot record a refused login", "err", err, "name", r.Actor)
	}
}

// recordLoginTx writes a successful login inside the transaction that opens
// the session: no session exists without its record.
func (s *Store) recordLoginTx(ctx context.Context, tx *sqlx.Tx, u *User) error {
	r := AuditBy(u.Actor(), AuditLogin, OutcomeOK)
	r.ObjectType, r.ObjectID = "user", strconv.FormatInt(u.ID, 10)
	return s.RecordAuditTx(ctx, tx, r)
}

// recordUserDisabled writes the disabling of a user inside the disabling
// transaction; the actor is the one set by WithActor, else the system.
func (s *Store) recordUserDisabled(ctx context.Context, tx *sqlx.Tx, u *User) error {
	r := AuditRecord{Event: AuditUserDisable, Outcome: OutcomeOK, ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10),
		Detail: AuditDetail(map[string]any{"name": u.Name, "role": u.Role})}
	return s.RecordAuditTx(ctx, tx, r)
}
