package store

import (
	"context"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"

	"bayu/workflow"
)

// MinRetentionDays is the shortest retention bayu accepts. GB/T 22239-2019
// level 3 asks for audit records kept at least six months; no six calendar
// months are longer than 184 days. The database refuses shorter purges too
// (purge_history and the append-only trigger), whoever asks.
const MinRetentionDays = 184

// PurgeResult says what a purge removed.
type PurgeResult struct {
	Cutoff      time.Time `json:"cutoff"`       // rows older than this were removed
	Exhibits    int       `json:"exhibits"`     // exhibit chains that lost a prefix
	HistoryRows int64     `json:"history_rows"` // history rows removed
	AuditRows   int64     `json:"audit_rows"`   // audit records removed
}

// Purge removes history rows and audit records older than retentionDays,
// a prefix of each chain at a time. The last removed row's hash stays behind
// as a checkpoint, so what remains still verifies, and heads taken before the
// purge can still be checked. The purge itself is recorded in the audit log.
//
// Nothing calls Purge unless an operator configures a retention
// (BAYU_AUDIT_RETENTION_DAYS, bayu audit purge); it needs the schema owner's
// connection, the application role may not execute purge_history.
func (s *Store) Purge(ctx context.Context, retentionDays int) (*PurgeResult, error) {
	if retentionDays < MinRetentionDays {
		return nil, &workflow.Error{Code: workflow.CodeInvalid,
			Message: workflow.T("历史记录至少保留 184 天（六个月）", "history is kept for at least 184 days (six months)"),
			Fields: map[string]workflow.Text{"retention_days": workflow.T("不得少于 184 天，当前为 "+strconv.Itoa(retentionDays),
				"must be at least 184, is "+strconv.Itoa(retentionDays))}}
	}
	res := &PurgeResult{Cutoff: s.Now().AddDate(0, 0, -retentionDays)}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		// Hold off audit appends: the audit chain's prefix is purged and then the
		// purge recorded, and a concurrent append must chain to what remains.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, auditLock); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT p_chain, p_rows FROM purge_history($1)`, res.Cutoff)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var chainName string
			var n int64
			if err := rows.Scan(&chainName, &n); err != nil {
				return err
			}
			if chainName == "audit" {
				res.AuditRows += n
			} else {
				res.Exhibits++
				res.HistoryRows += n
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		r := AuditRecord{Event: AuditPurge, Outcome: OutcomeOK, ObjectType: "history",
			Reason: "保留期 " + strconv.Itoa(retentionDays) + " 天", Detail: AuditDetail(res)}
		return s.RecordAuditTx(ctx, tx, r)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}
