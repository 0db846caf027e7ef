package store

import (
	"context"
	"fmt"
	"time"

	"bayu/workflow"
)

// AuditFilter narrows the audit log; empty fields do not filter.
type AuditFilter struct {
	Actor      string
	Event      string
	Outcome    Outcome
	ObjectType string
	ObjectID   string
	Since      time.Time // at or after
	Until      time.Time // before
	Limit      int       // 1–MaxPageSize, default 50; pages only
	Cursor     string    // from the previous page's NextCursor; pages only
}

// AuditPage is one page of the audit log, oldest first.
type AuditPage struct {
	Records    []AuditRecord `json:"records"`
	NextCursor string        `json:"next_cursor"` // empty on the last page
}

const auditColumns = `a.id, a.seq, a.at, a.actor_id, a.actor, a.role, a.event, a.outcome, a.object_type,
	a.object_id, a.reason, a.detail, a.client_addr, a.request_id, encode(a.hash, 'hex') AS hash`

// auditRow is an audit record with the id its cursor needs.
type auditRow struct {
	ID int64 `db:"id"`
	AuditRecord
}

// AuditRecords returns one page of the audit log, oldest first.
func (s *Store) AuditRecords(ctx context.Context, a workflow.Actor, f AuditFilter) (*AuditPage, error) {
	query, args, err := auditQuery(a, f, true)
	if err != nil {
		return nil, err
	}
	var rows []auditRow
	if err := s.db.SelectContext(ctx, &rows, query, args...); err != nil {
		return nil, classify(err)
	}
	page := &AuditPage{Records: make([]AuditRecord, 0, len(rows))}
	for i, r := range rows {
		if i == pageSize(f.Limit) {
			last := rows[i-1]
			page.NextCursor = encodeCursor(last.At, last.ID)
			break
		}
		r.At = r.At.UTC()
		page.Records = append(page.Records, r.AuditRecord)
	}
	return page, nil
}

// EachAuditRecord streams every record the filter matches to fn, oldest first;
// the record passed to fn is reused for the next one.
func (s *Store) EachAuditRecord(ctx context.Context, a workflow.Actor, f AuditFilter, fn func(*AuditRecord) error) error {
	query, args, err := auditQuery(a, f, false)
	if err != nil {
		return err
	}
	return streamRows(ctx, s.db, query, args, func(r *auditRow) { r.At = r.At.UTC() },
		func(r *auditRow) error { return fn(&r.AuditRecord) })
}

func auditQuery(a workflow.Actor, f AuditFilter, paged bool) (string, []any, error) {
	if a.Role != workflow.Coordinator && a.Role != workflow.Auditor {
		return "", nil, workflow.Errorf(workflow.CodeForbidden, "只有审计员和市级统筹可以查阅审计日志", "only auditors and coordinators see the audit log")
	}
	var w where
	for _, c := range []struct{ col, v string }{
		{"actor", f.Actor}, {"event", f.Event}, {"outcome", string(f.Outcome)},
		{"object_type", f.ObjectType}, {"object_id", f.ObjectID},
	} {
		if c.v != "" {
			w.add("a."+c.col+" = $%d", c.v)
		}
	}
	if err := w.window("a", f.Since, f.Until, f.Limit, f.Cursor, paged); err != nil {
		return "", nil, err
	}
	query := `SELECT ` + auditColumns + ` FROM audit_log a` + w.sql() + ` ORDER BY a.at, a.id`
	if paged {
		query += fmt.Sprintf(` LIMIT %d`, pageSize(f.Limit)+1)
	}
	return query, w.args, nil
}
