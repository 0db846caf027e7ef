package store

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"

	"bayu/store/deliver"
	"bayu/workflow"
)

// Delivery is how the outbox sends: a sender per channel (a channel without
// one gets no outbox rows) and the retry policy.
type Delivery struct {
	Senders map[deliver.Channel]deliver.Sender
	Retry   deliver.Retry // zero: deliver.DefaultRetry
}

// channels lists the channels that can send, for enqueue.
func (d Delivery) channels() []string {
	var out []string
	for _, ch := range []deliver.Channel{deliver.ChannelEmail, deliver.ChannelWebhook} {
		if d.Senders[ch] != nil {
			out = append(out, string(ch))
		}
	}
	return out
}

func (d Delivery) retry() deliver.Retry {
	if d.Retry.MaxAttempts == 0 {
		return deliver.DefaultRetry
	}
	return d.Retry
}

// maxSendsPerRun bounds one run of the deliveries job, so that a tick ends and
// the next one (a minute later) picks up the rest.
const maxSendsPerRun = 500

// deliverDue sends outbox rows whose time has come, one row per transaction:
// the row stays locked while its message is on the way, so a second scheduler
// skips it instead of sending it again. Several schedulers send different rows
// side by side; no advisory lock is needed.
func (s *Store) deliverDue(ctx context.Context, now time.Time, d Delivery) (JobResult, error) {
	var res JobResult
	for res.Done < maxSendsPerRun {
		took, err := s.deliverOnce(ctx, now, d, &res)
		if err != nil || !took {
			return res, err
		}
		res.Done++
	}
	return res, nil
}

type outboxRow struct {
	ID       int64  `db:"id"`
	Channel  string `db:"channel"`
	Address  string `db:"address"`
	Attempts int    `db:"attempts"`
	Key      string `db:"key"`
	Kind     string `db:"kind"`
	Subject  string `db:"subject_zh"`
	Body     string `db:"body_zh"`
	UserID   int64  `db:"user_id"`
}

func (s *Store) deliverOnce(ctx context.Context, now time.Time, d Delivery, res *JobResult) (took bool, err error) {
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		var r outboxRow
		err := tx.GetContext(ctx, &r, `SELECT d.id, d.channel, d.address, d.attempts, n.key, n.kind,
			n.subject_zh, n.body_zh, i.user_id
			FROM deliveries d JOIN notifications i ON i.id = d.notification_id JOIN notices n ON n.id = i.notice_id
			WHERE d.state = 'pending' AND d.next_at <= $1 ORDER BY d.next_at, d.id LIMIT 1
			FOR UPDATE OF d SKIP LOCKED`, now)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		took = true
		attempt := r.Attempts + 1
		sender := d.Senders[deliver.Channel(r.Channel)]
		if sender == nil {
			res.Dead++
			return markDead(ctx, tx, r.ID, attempt-1, "no "+r.Channel+" sender is configured", now)
		}
		key := r.Key + ":user:" + strconv.FormatInt(r.UserID, 10)
		sendErr := sender.Send(ctx, deliver.Message{To: r.Address, Subject: r.Subject, Body: r.Body, Kind: r.Kind, IdempotencyKey: key})
		if sendErr == nil {
			res.Sent++
			_, err := tx.ExecContext(ctx, `UPDATE deliveries SET state = 'sent', attempts = $2, sent_at = $3, last_error = ''
				WHERE id = $1`, r.ID, attempt, now)
			return err
		}
		wait, again := d.retry().Next(attempt, sendErr, key)
		if !again {
			res.Dead++
			s.log.WarnContext(ctx, "delivery is a dead letter", "delivery", r.ID, "channel", r.Channel, "attempts", attempt, "err", sendErr)
			return markDead(ctx, tx, r.ID, attempt, sendErr.Error(), now)
		}
		res.Retried++
		_, err = tx.ExecContext(ctx, `UPDATE deliveries SET attempts = $2, next_at = $3, last_error = $4 WHERE id = $1`,
			r.ID, attempt, now.Add(wait), sendErr.Error())
		return err
	})
	return took, err
}

func markDead(ctx context.Context, tx *sqlx.Tx, id int64, attempts int, why string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE deliveries SET state = 'dead', attempts = $2, last_error = $3, dead_at = $4
		WHERE id = $1`, id, attempts, why, now)
	return err
}

// DeliveryRow is one outbox row as coordinators see it.
type DeliveryRow struct {
	ID        int64      `db:"id" json:"id"`
	Channel   string     `db:"channel" json:"channel"`
	Address   string     `db:"address" json:"address"`
	State     string     `db:"state" json:"state"`
	Attempts  int        `db:"attempts" json:"attempts"`
	LastError string     `db:"last_error" json:"last_error"`
	NextAt    time.Time  `db:"next_at" json:"next_at"`
	SentAt    *time.Time `db:"sent_at" json:"sent_at"`
	DeadAt    *time.Time `db:"dead_at" json:"dead_at"`
	User      string     `db:"user_name" json:"user"`
	NoticeKey string     `db:"notice_key" json:"notice_key"`
	Kind      string     `db:"kind" json:"kind"`
	Subject   string     `db:"subject_zh" json:"subject"`
}

// Deliveries lists outbox rows, newest first: the dead letters only when dead
// is set. At most limit rows (1–500, default 100).
func (s *Store) Deliveries(ctx context.Context, dead bool, limit int) ([]DeliveryRow, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	out := []DeliveryRow{}
	err := s.db.SelectContext(ctx, &out, `SELECT d.id, d.channel, d.address, d.state, d.attempts, d.last_error,
		d.next_at, d.sent_at, d.dead_at, u.name AS user_name, n.key AS notice_key, n.kind, n.subject_zh
		FROM deliveries d JOIN notifications i ON i.id = d.notification_id JOIN notices n ON n.id = i.notice_id
		JOIN users u ON u.id = i.user_id
		WHERE NOT $1 OR d.state = 'dead' ORDER BY d.id DESC LIMIT $2`, dead, limit)
	for i := range out {
		out[i].Address = redactAddress(out[i].Channel, out[i].Address)
	}
	return out, classify(err)
}

// redactAddress hides a webhook's query, where robots keep their secret key
// (WeCom's ?key=…): whoever reads the outbox needs the host, not the key.
func redactAddress(channel, addr string) string {
	if channel != string(deliver.ChannelWebhook) {
		return addr
	}
	u, err := url.Parse(addr)
	if err != nil {
		return "(unreadable URL)"
	}
	if u.RawQuery != "" {
		u.RawQuery = "…"
	}
	u.User = nil
	return u.String()
}

// RetryDelivery gives a dead letter a fresh set of attempts, due at once.
func (s *Store) RetryDelivery(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, `UPDATE deliveries SET state = 'pending', attempts = 0, next_at = $2, dead_at = NULL
		WHERE id = $1 AND state = 'dead'`, id, s.Now())
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return workflow.Errorf(workflow.CodeNotFound, "没有这条失败投递", "no such dead letter")
	}
	return nil
}
