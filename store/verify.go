package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"

	"bayu/store/chain"
)

// BadRow names the first place where the history is not intact.
type BadRow struct {
	Chain     string `json:"chain"`                // "history" (an exhibit's) or "audit" (the audit log)
	ExhibitID int64  `json:"exhibit_id,omitempty"` // the exhibit whose chain is broken
	Seq       int64  `json:"seq"`                  // the row's place in its chain
	ID        int64  `json:"id,omitempty"`         // the row's id; 0 when the row is missing
	Problem   string `json:"problem"`              // one of the Problem… constants
	Message   string `json:"message"`              // for people, Chinese
	MessageEN string `json:"message_en"`           // the same in English
}

// The problems Verify reports.
const (
	ProblemHash         = "hash_mismatch"      // the row's fields do not give its hash: a field was changed
	ProblemUnkeyed      = "unkeyed_hash"       // the hash is right only without the key: rewritten by someone without it
	ProblemPrevHash     = "prev_hash_mismatch" // the row does not chain to the row before it
	ProblemMissing      = "missing"            // rows are missing before this one
	ProblemTail         = "tail_missing"       // rows are missing at the end: the exhibit is further on than its history
	ProblemBeyond       = "beyond_version"     // the history is further on than the exhibit
	ProblemState        = "state_mismatch"     // the last row does not end in the exhibit's state
	ProblemHeadsDiffer  = "heads_differ"       // the chains do not end where the given head digest says
	ProblemUnknownChain = "not_in_history"     // an exhibit without any history row
)

// VerifyReport is the answer of Verify and of GET /api/v1/audit/verify.
type VerifyReport struct {
	OK       bool    `json:"ok"`
	Checked  int64   `json:"checked"`   // rows whose hash was recomputed
	FirstBad *BadRow `json:"first_bad"` // nil when OK
	Problems int64   `json:"problems"`  // how many problems were found in all
	Keyed    bool    `json:"keyed"`     // hashes were checked as HMACs with the audit key
	Head     string  `json:"head,omitempty"`
}

// add keeps the first problem in chain order: exhibit chains by id and seq,
// then the audit log, then the heads.
func (r *VerifyReport) add(b BadRow) {
	r.Problems++
	if r.FirstBad == nil || b.before(r.FirstBad) {
		r.FirstBad = &b
	}
}

// chainRank orders the chains in reports: exhibits' histories, the audit log, the heads.
var chainRank = map[string]int{"history": 0, "audit": 1, "heads": 2}

func (b *BadRow) before(o *BadRow) bool {
	if chainRank[b.Chain] != chainRank[o.Chain] {
		return chainRank[b.Chain] < chainRank[o.Chain]
	}
	if b.ExhibitID != o.ExhibitID {
		return b.ExhibitID < o.ExhibitID
	}
	return b.Seq < o.Seq
}

// Verify recomputes every hash of every chain in one consistent snapshot and
// checks that each exhibit's history ends where the exhibit is (its version
// counts its history rows, and its state is the last row's). With head (the
// output of Head, kept elsewhere), it also checks that every chain still ends,
// as of that moment, where it ended then: only this detects a consistent
// rewrite by someone without the key, or a cut tail with the exhibit set back.
func (s *Store) Verify(ctx context.Context, head string) (*VerifyReport, error) {
	var mark HeadMark
	if head != "" {
		var err error
		if mark, err = ParseHead(head); err != nil {
			return nil, err
		}
	}
	tx, err := s.db.BeginTxx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	rep := &VerifyReport{Keyed: s.chain.Keyed()}
	v := &verifier{s: s, tx: tx, rep: rep}
	if err := v.load(ctx); err != nil {
		return nil, err
	}
	if err := v.history(ctx); err != nil {
		return nil, err
	}
	if err := v.exhibits(ctx); err != nil {
		return nil, err
	}
	if err := v.audit(ctx); err != nil {
		return nil, err
	}
	if head != "" {
		got, err := headsAsOf(ctx, tx, mark.History, mark.Audit)
		if err != nil {
			return nil, err
		}
		if got.Digest != mark.Digest {
			rep.add(BadRow{Chain: "heads", Problem: ProblemHeadsDiffer,
				Message:   fmt.Sprintf("链头摘要不符：截至记录 %d / %d 的各链末端与给定摘要不同，历史在此后被改写或截断", mark.History, mark.Audit),
				MessageEN: fmt.Sprintf("the chain heads as of rows %d / %d differ from the digest given: the history was rewritten or cut since", mark.History, mark.Audit)})
		}
		rep.Head = head
	}
	rep.OK = rep.Problems == 0
	return rep, nil
}

// hashOK checks a row's stored hash against hash, which recomputes it with a
// hasher. With a key, rows sealed by the migration before the chain existed
// carry a plain SHA-256 and are accepted as such; any other row whose hash is
// right only without the key is reported as such.
func (v *verifier) hashOK(stored []byte, legacy bool, hash func(chain.Hasher) [chain.Size]byte) (problem string) {
	sum := hash(v.s.chain)
	if bytes.Equal(sum[:], stored) {
		return ""
	}
	if !v.s.chain.Keyed() {
		return ProblemHash
	}
	plain := hash(v.s.chain.Unkeyed())
	switch {
	case !bytes.Equal(plain[:], stored):
		return ProblemHash
	case legacy:
		return ""
	}
	return ProblemUnkeyed
}

// badRow describes a problem at one place of a chain for people.
func badRow(chainName string, exhibitID, seq, id int64, problem string) BadRow {
	b := BadRow{Chain: chainName, ExhibitID: exhibitID, Seq: seq, ID: id, Problem: problem}
	whereZH := fmt.Sprintf("审计日志第 %d 条记录", seq)
	whereEN := fmt.Sprintf("audit log record %d", seq)
	if chainName == "history" {
		whereZH = fmt.Sprintf("展品 %d 的第 %d 条历史记录", exhibitID, seq)
		whereEN = fmt.Sprintf("exhibit %d, history row %d", exhibitID, seq)
	}
	what := map[string][2]string{
		ProblemHash:         {"内容与其哈希不符：记录被改动过", "does not match its hash: the row was changed"},
		ProblemUnkeyed:      {"的哈希不是用审计密钥算出的：被不持有密钥的人重算过", "was hashed without the audit key: someone without the key rehashed it"},
		ProblemPrevHash:     {"没有链接到前一条记录：前一条被改动、替换或伪造了清理检查点", "does not chain to the row before it: that row was changed or replaced, or a purge checkpoint forged"},
		ProblemMissing:      {"缺失：记录被删除", "is missing: the row was deleted"},
		ProblemTail:         {"缺失：历史末尾被截断", "is missing: the end of the history was cut"},
		ProblemBeyond:       {"之后还有记录，但展品版本没有前进：展品被改回", "and later rows exist although the exhibit's version did not move: the exhibit was set back"},
		ProblemState:        {"的结束状态与展品当前状态不符", "does not end in the exhibit's current state"},
		ProblemUnknownChain: {"不存在：展品没有任何历史", "does not exist: the exhibit has no history at all"},
	}[problem]
	b.Message, b.MessageEN = whereZH+what[0], whereEN+" "+what[1]
	return b
}
