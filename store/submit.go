package store

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"

	"bayu/workflow"
)

// The public submission form (/submit): a holder offers an item without an
// account. It lands as reported in the unit the holder chose (or 市外, OUT),
// exactly as if that unit had entered and reported it, and the holder gets a
// receipt number to quote when the centre calls.

// PublicActor is who the history names for an item offered through the form.
var PublicActor = workflow.Actor{Name: "公众在线报送", Role: workflow.Public}

// DefaultSubmitLimit is how many times one client address may post the form in an hour.
const DefaultSubmitLimit = 10

// CountSubmitAttempt counts a post of the form from addr in the current hour,
// in a transaction of its own so that refused posts count too, and refuses
// (locked, 429) past limit. Only a SHA-256 of the address is stored — it keeps
// the address out of plain sight, though the IPv4 space is small enough to
// reverse it — and rows older than a day are deleted.
func (s *Store) CountSubmitAttempt(ctx context.Context, addr string, limit int) error {
	if limit < 1 {
		limit = DefaultSubmitLimit
	}
	now := s.Now()
	digest := sha256.Sum256([]byte(addr))
	var n int
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM submit_attempts WHERE hour < $1`, now.Add(-24*time.Hour)); err != nil {
			return err
		}
		return tx.GetContext(ctx, &n, `INSERT INTO submit_attempts (addr_digest, hour, attempts) VALUES ($1, $2, 1)
			ON CONFLICT (addr_digest, hour) DO UPDATE SET attempts = submit_attempts.attempts + 1
			RETURNING attempts`, digest[:], now.Truncate(time.Hour))
	})
	if err != nil {
		return err
	}
	if n > limit {
		wait := now.Truncate(time.Hour).Add(time.Hour).Sub(now).Round(time.Minute)
		mins := strconv.Itoa(int(wait.Minutes()) + 1)
		return workflow.Errorf(workflow.CodeLocked, "提交过于频繁，请约 "+mins+" 分钟后再试",
			"too many submissions from your address; try again in about "+mins+" minutes")
	}
	return nil
}

// SubmitPublic creates the offered item in its unit and reports it, in one
// transaction: an offer that the report's checks refuse leaves nothing behind.
// It returns the receipt number shown to the holder.
func (s *Store) SubmitPublic(ctx context.Context, in workflow.CreateInput) (string, error) {
	f := in.Fields
	f.Normalize()
	fe := f.Validate(true)
	if in.District == "" {
		fe.Add("district", "请选择所在区县或“市外”", "choose your district or Outside Chongqing")
	}
	if err := fe.Err(); err != nil {
		return "", err
	}
	var receipt string
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var ok bool
		if err := tx.GetContext(ctx, &ok, `SELECT EXISTS (SELECT 1 FROM units WHERE code = $1)`, in.District); err != nil {
			return err
		}
		if !ok {
			return &workflow.Error{Code: workflow.CodeInvalid, Message: workflow.T("请选择所在区县或“市外”", "choose your district or Outside Chongqing"),
				Fields: map[string]workflow.Text{"district": workflow.T("不是可选的单位", "is not one of the units")}}
		}
		id, err := s.insertExhibit(ctx, tx, PublicActor, in.District, f, workflow.IntakeCampaign)
		if err != nil {
			return err
		}
		now := s.Now()
		receipt = fmt.Sprintf("GZ%s-%06d", now.In(s.loc).Format("20060102"), id)
		if _, err := tx.ExecContext(ctx, `INSERT INTO public_submissions (exhibit_id, receipt, created_at) VALUES ($1, $2, $3)`,
			id, receipt, now); err != nil {
			return err
		}
		x, err := s.lockExhibit(ctx, tx, id)
		if err != nil {
			return err
		}
		_, err = s.applyEvent(ctx, tx, PublicActor, x, workflow.Report, "公众在线报送，回执 "+receipt, nil)
		return err
	})
	return receipt, err
}
