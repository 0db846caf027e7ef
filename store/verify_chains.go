package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"bayu/store/chain"
)

// verifier walks the chains in one snapshot. Rows stream in chain order and are
// checked one at a time, so memory grows with the number of exhibits, not rows.
type verifier struct {
	s      *Store
	tx     *sqlx.Tx
	rep    *VerifyReport
	legacy int64                // rows up to this id may carry an unkeyed hash
	cps    map[int64]chain.Head // the latest purge checkpoint of each exhibit
	auditC *chain.Head          // the audit log's latest checkpoint
	tails  map[int64]tail       // where each exhibit's history ends
	buf    []byte
}

type tail struct {
	seq int64
	to  string
}

func (v *verifier) load(ctx context.Context) error {
	if err := v.tx.GetContext(ctx, &v.legacy, `SELECT coalesce(max(sealed_through), 0) FROM history_chain_legacy`); err != nil {
		return err
	}
	var cps []struct {
		Chain     string `db:"chain"`
		ExhibitID int64  `db:"exhibit_id"`
		Seq       int64  `db:"seq"`
		Hash      []byte `db:"hash"`
	}
	if err := v.tx.SelectContext(ctx, &cps, `SELECT chain, coalesce(exhibit_id, 0) AS exhibit_id, seq, hash
		FROM chain_checkpoints ORDER BY seq`); err != nil {
		return err
	}
	v.cps, v.tails = map[int64]chain.Head{}, map[int64]tail{}
	for _, c := range cps {
		h := chain.Head{ExhibitID: c.ExhibitID, Seq: c.Seq, Hash: c.Hash}
		if c.Chain == "audit" {
			v.auditC = &h
		} else {
			v.cps[c.ExhibitID] = h
		}
	}
	return nil
}

// link checks a row's place in its chain: the seq it should have and the hash
// of the row before it. After a gap the prev hash cannot be checked: the row it
// should name is gone, which is the problem reported.
func (v *verifier) link(chainName string, exhibitID, seq, id int64, prev, wantPrev []byte, lastSeq int64) {
	switch {
	case seq > lastSeq+1:
		v.rep.add(badRow(chainName, exhibitID, lastSeq+1, 0, ProblemMissing))
	case seq <= lastSeq:
		// A row the last purge checkpoint says is gone: the checkpoint is forged.
		v.rep.add(badRow(chainName, exhibitID, seq, id, ProblemPrevHash))
	case !bytes.Equal(prev, wantPrev):
		v.rep.add(badRow(chainName, exhibitID, seq, id, ProblemPrevHash))
	}
}

func (v *verifier) history(ctx context.Context) error {
	rows, err := v.tx.QueryContext(ctx, `SELECT id, exhibit_id, seq, event, from_state, to_state, actor_id, actor,
		role, reason, data::text, at, client_addr, request_id, prev_hash, hash
		FROM exhibit_history ORDER BY exhibit_id, seq`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var (
		cur              int64 = -1
		lastSeq          int64
		lastHash, lastTo []byte
		r                chain.History
		id               int64
		from             sql.NullString
		actorID          sql.NullInt64
		data, prev, hash sql.RawBytes
	)
	for rows.Next() {
		if err := rows.Scan(&id, &r.ExhibitID, &r.Seq, &r.Event, &from, &r.To, &actorID, &r.Actor,
			&r.Role, &r.Reason, &data, &r.At, &r.ClientAddr, &r.RequestID, &prev, &hash); err != nil {
			return err
		}
		if r.ExhibitID != cur {
			if cur != -1 {
				v.tails[cur] = tail{seq: lastSeq, to: string(lastTo)}
			}
			cur, lastSeq, lastHash = r.ExhibitID, 0, lastHash[:0]
			if cp, ok := v.cps[cur]; ok {
				lastSeq, lastHash = cp.Seq, append(lastHash, cp.Hash...)
			}
		}
		r.From, r.ActorID = nil, nil
		if from.Valid {
			r.From = &from.String
		}
		if actorID.Valid {
			r.ActorID = &actorID.Int64
		}
		r.Data, r.PrevHash = data, prev // a NULL prev_hash scans as nil, hashed as empty
		v.rep.Checked++
		v.link("history", r.ExhibitID, r.Seq, id, r.PrevHash, lastHash, lastSeq)
		if p := v.hashOK(hash, id <= v.legacy, func(h chain.Hasher) (sum [chain.Size]byte) {
			sum, v.buf = h.HistoryHash(&r, v.buf)
			return sum
		}); p != "" {
			v.rep.add(badRow("history", r.ExhibitID, r.Seq, id, p))
		}
		lastSeq, lastHash, lastTo = r.Seq, append(lastHash[:0], hash...), append(lastTo[:0], r.To...)
	}
	if cur != -1 {
		v.tails[cur] = tail{seq: lastSeq, to: string(lastTo)}
	}
	return rows.Err()
}

// exhibits checks that every exhibit's history ends where the exhibit is: each
// transition and edit adds one to the version and writes one history row, so a
// history shorter than the version lost its tail.
func (v *verifier) exhibits(ctx context.Context) error {
	rows, err := v.tx.QueryContext(ctx, `SELECT id, version, state FROM exhibits ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, version int64
		var state string
		if err := rows.Scan(&id, &version, &state); err != nil {
			return err
		}
		t, ok := v.tails[id]
		if !ok {
			cp, purged := v.cps[id]
			if !purged {
				v.rep.add(badRow("history", id, 1, 0, ProblemUnknownChain))
				continue
			}
			t = tail{seq: cp.Seq} // the state of a purged row is gone with it
		}
		switch {
		case t.seq < version:
			b := badRow("history", id, t.seq+1, 0, ProblemTail)
			b.Message += fmt.Sprintf("（展品版本为 %d，历史只到第 %d 条）", version, t.seq)
			b.MessageEN += fmt.Sprintf(" (the exhibit is at version %d, its history ends at row %d)", version, t.seq)
			v.rep.add(b)
		case t.seq > version:
			v.rep.add(badRow("history", id, version+1, 0, ProblemBeyond))
		case t.to != "" && t.to != state:
			v.rep.add(badRow("history", id, t.seq, 0, ProblemState))
		}
	}
	return rows.Err()
}

func (v *verifier) audit(ctx context.Context) error {
	rows, err := v.tx.QueryContext(ctx, `SELECT id, seq, at, actor_id, actor, role, event, outcome, object_type,
		object_id, reason, detail::text, client_addr, request_id, prev_hash, hash FROM audit_log ORDER BY seq`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var (
		lastSeq          int64
		lastHash         []byte
		r                chain.Audit
		id               int64
		actorID          sql.NullInt64
		at               time.Time
		detail, prev, hs sql.RawBytes
	)
	if v.auditC != nil {
		lastSeq, lastHash = v.auditC.Seq, append(lastHash, v.auditC.Hash...)
	}
	for rows.Next() {
		if err := rows.Scan(&id, &r.Seq, &at, &actorID, &r.Actor, &r.Role, &r.Event, &r.Outcome, &r.ObjectType,
			&r.ObjectID, &r.Reason, &detail, &r.ClientAddr, &r.RequestID, &prev, &hs); err != nil {
			return err
		}
		r.At, r.ActorID, r.Detail, r.PrevHash = at, nil, detail, prev
		if actorID.Valid {
			r.ActorID = &actorID.Int64
		}
		v.rep.Checked++
		v.link("audit", 0, r.Seq, id, r.PrevHash, lastHash, lastSeq)
		if p := v.hashOK(hs, false, func(h chain.Hasher) (sum [chain.Size]byte) {
			sum, v.buf = h.AuditHash(&r, v.buf)
			return sum
		}); p != "" {
			v.rep.add(badRow("audit", 0, r.Seq, id, p))
		}
		lastSeq, lastHash = r.Seq, append(lastHash[:0], hs...)
	}
	return rows.Err()
}
