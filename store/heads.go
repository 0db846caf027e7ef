package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"

	"bayu/store/chain"
	"bayu/workflow"
)

// HeadMark is a digest of where every chain ended at one moment: the last row of
// each exhibit's history and of the audit log, up to two id watermarks. Copied
// somewhere the database's administrators cannot reach (printed, mailed, put in
// a ticket), it lets Verify detect what the chains alone cannot: a complete,
// consistent rewrite without the key, or a cut tail with the exhibit set back.
type HeadMark struct {
	History int64 // every history row with id <= History had committed, no later one had
	Audit   int64 // the same for the audit log
	Digest  [chain.Size]byte
	Chains  int // how many chains the digest covers (not part of the text form)
}

const headPrefix = "bayu1"

// String is the form `bayu audit head` prints: bayu1:HISTORY:AUDIT:HEX.
func (m HeadMark) String() string {
	return fmt.Sprintf("%s:%d:%d:%s", headPrefix, m.History, m.Audit, hex.EncodeToString(m.Digest[:]))
}

// ParseHead reads the form String writes.
func ParseHead(s string) (HeadMark, error) {
	bad := &workflow.Error{Code: workflow.CodeBadRequest, Message: workflow.T("链头摘要格式有误，应为 bayu audit head 的输出", "the head digest is not in the form bayu audit head prints"),
		Fields: map[string]workflow.Text{"head": workflow.T("格式应为 bayu1:数字:数字:64位十六进制", "must look like bayu1:N:N:64 hex digits")}}
	parts := strings.Split(strings.TrimSpace(s), ":")
	if len(parts) != 4 || parts[0] != headPrefix {
		return HeadMark{}, bad
	}
	var m HeadMark
	var err1, err2 error
	m.History, err1 = strconv.ParseInt(parts[1], 10, 64)
	m.Audit, err2 = strconv.ParseInt(parts[2], 10, 64)
	d, err3 := hex.DecodeString(parts[3])
	if err1 != nil || err2 != nil || err3 != nil || len(d) != chain.Size || m.History < 0 || m.Audit < 0 {
		return HeadMark{}, bad
	}
	copy(m.Digest[:], d)
	return m, nil
}

// Head takes the digest of every chain's head now. It briefly holds off
// writers of the chains (lock_chains_for_head): once the lock is granted every
// earlier writer has committed or rolled back and every later one gets a larger
// id, so "rows up to this id" names exactly the rows that exist now, and the
// digest can be recomputed later however much the history has grown.
func (s *Store) Head(ctx context.Context) (HeadMark, error) {
	var hist, audit int64
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `SELECT lock_chains_for_head()`); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT
			greatest(coalesce((SELECT max(id) FROM exhibit_history), 0),
			         coalesce((SELECT max(last_id) FROM chain_checkpoints WHERE chain = 'history'), 0)),
			greatest(coalesce((SELECT max(id) FROM audit_log), 0),
			         coalesce((SELECT max(last_id) FROM chain_checkpoints WHERE chain = 'audit'), 0))`).Scan(&hist, &audit)
	})
	if err != nil {
		return HeadMark{}, err
	}
	tx, err := s.db.BeginTxx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return HeadMark{}, err
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	return headsAsOf(ctx, tx, hist, audit)
}

// headsAsOf computes the digest of the chain heads as they were when the
// watermarks were taken: per exhibit the last row with id <= hist, or the
// checkpoint of a purge that has since removed it; the same for the audit log.
func headsAsOf(ctx context.Context, q sqlx.QueryerContext, hist, audit int64) (HeadMark, error) {
	var heads []chain.Head
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT ON (exhibit_id) exhibit_id, seq, hash FROM (
			SELECT exhibit_id, seq::bigint, hash FROM exhibit_history WHERE id <= $1
			UNION ALL
			SELECT exhibit_id, seq, hash FROM chain_checkpoints WHERE chain = 'history' AND last_id <= $1
		) u ORDER BY exhibit_id, seq DESC`, hist)
	if err != nil {
		return HeadMark{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var h chain.Head
		if err := rows.Scan(&h.ExhibitID, &h.Seq, &h.Hash); err != nil {
			return HeadMark{}, err
		}
		heads = append(heads, h)
	}
	if err := rows.Err(); err != nil {
		return HeadMark{}, err
	}
	var a chain.Head
	err = q.QueryRowxContext(ctx, `SELECT seq, hash FROM (
			SELECT seq, hash FROM audit_log WHERE id <= $1
			UNION ALL
			SELECT seq, hash FROM chain_checkpoints WHERE chain = 'audit' AND last_id <= $1
		) u ORDER BY seq DESC LIMIT 1`, audit).Scan(&a.Seq, &a.Hash)
	switch {
	case err == nil:
		heads = append(heads, a)
	case !errors.Is(err, sql.ErrNoRows):
		return HeadMark{}, err
	}
	return HeadMark{History: hist, Audit: audit, Digest: chain.HeadsDigest(hist, audit, heads), Chains: len(heads)}, nil
}
