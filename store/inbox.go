package store

import (
	"context"
	"time"

	"bayu/workflow"
)

// Notification is one notice in one user's inbox, in both languages.
type Notification struct {
	ID        int64         `db:"id"`
	Key       string        `db:"key"`
	Kind      string        `db:"kind"`
	Subject   workflow.Text `db:"-"`
	Body      workflow.Text `db:"-"`
	DueOn     workflow.Date `db:"due_on"`
	ExhibitID *int64        `db:"exhibit_id"`
	CreatedAt time.Time     `db:"created_at"`
	ReadAt    *time.Time    `db:"read_at"`

	SubjectZH string `db:"subject_zh"`
	SubjectEN string `db:"subject_en"`
	BodyZH    string `db:"body_zh"`
	BodyEN    string `db:"body_en"`
}

// InboxQuery picks notifications: unread only, newest first, before a cursor.
type InboxQuery struct {
	Unread bool
	Before int64 // an id: only older notifications; 0 from the newest
	Limit  int   // 1–200, default 50
}

const inboxColumns = `i.id, n.key, n.kind, n.subject_zh, n.subject_en, n.body_zh, n.body_en, n.due_on,
	n.exhibit_id, i.created_at, i.read_at`

// Inbox returns a user's notifications, newest first.
func (s *Store) Inbox(ctx context.Context, userID int64, q InboxQuery) ([]Notification, error) {
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = 50
	}
	out := []Notification{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+inboxColumns+`
		FROM notifications i JOIN notices n ON n.id = i.notice_id
		WHERE i.user_id = $1 AND (NOT $2 OR i.read_at IS NULL) AND ($3::bigint = 0 OR i.id < $3::bigint)
		ORDER BY i.id DESC LIMIT $4`, userID, q.Unread, q.Before, q.Limit)
	for i := range out {
		out[i].fill()
	}
	return out, classify(err)
}

// MarkRead marks one of the user's notifications read (once: a second call
// keeps the first time) and returns it. Another user's notification is not found.
func (s *Store) MarkRead(ctx context.Context, userID, id int64) (*Notification, error) {
	var n Notification
	err := s.db.GetContext(ctx, &n, `WITH u AS (
			UPDATE notifications SET read_at = coalesce(read_at, $3) WHERE id = $1 AND user_id = $2
			RETURNING id, notice_id, created_at, read_at)
		SELECT i.id, n.key, n.kind, n.subject_zh, n.subject_en, n.body_zh, n.body_en, n.due_on,
			n.exhibit_id, i.created_at, i.read_at
		FROM u AS i JOIN notices n ON n.id = i.notice_id`, id, userID, s.Now())
	if err != nil {
		if workflow.ErrorCode(classify(err)) == workflow.CodeNotFound {
			return nil, workflow.Errorf(workflow.CodeNotFound, "提醒不存在", "no such notification")
		}
		return nil, classify(err)
	}
	n.fill()
	return &n, nil
}

func (n *Notification) fill() {
	n.Subject, n.Body = workflow.T(n.SubjectZH, n.SubjectEN), workflow.T(n.BodyZH, n.BodyEN)
	n.CreatedAt = n.CreatedAt.UTC()
	if n.ReadAt != nil {
		t := n.ReadAt.UTC()
		n.ReadAt = &t
	}
}

// Notice is a notice as the jobs created it, for operations and tests.
type Notice struct {
	ID        int64         `db:"id"`
	Key       string        `db:"key"`
	Kind      string        `db:"kind"`
	Recipient string        `db:"recipient"`
	SubjectZH string        `db:"subject_zh"`
	BodyZH    string        `db:"body_zh"`
	DueOn     workflow.Date `db:"due_on"`
	ExhibitID *int64        `db:"exhibit_id"`
	CreatedAt time.Time     `db:"created_at"`
}

// Notices returns every notice created at or after since, oldest first.
func (s *Store) Notices(ctx context.Context, since time.Time) ([]Notice, error) {
	out := []Notice{}
	err := s.db.SelectContext(ctx, &out, `SELECT id, key, kind, recipient, subject_zh, body_zh, due_on, exhibit_id,
		created_at FROM notices WHERE created_at >= $1 ORDER BY id`, since)
	for i := range out {
		out[i].CreatedAt = out[i].CreatedAt.UTC()
	}
	return out, classify(err)
}
