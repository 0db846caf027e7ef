package store

import (
	"context"
	"net/mail"
	"net/url"
	"strings"

	"bayu/workflow"
)

// Contact is where a user's reminders go besides the inbox. Empty means none.
type Contact struct {
	Email   string `db:"email" json:"email"`
	Webhook string `db:"webhook_url" json:"webhook_url"`
}

// Validate checks the addresses and names each one at fault. A webhook is an
// http(s) URL; an email is a bare address (no display name), as the outbox
// writes it into the envelope.
func (c *Contact) Validate() error {
	c.Email, c.Webhook = strings.TrimSpace(c.Email), strings.TrimSpace(c.Webhook)
	fe := workflow.FieldErrors{}
	if c.Email != "" {
		a, err := mail.ParseAddress(c.Email)
		if err != nil || a.Address != c.Email || len(c.Email) > 254 {
			fe.Add("email", "不是有效的邮箱地址", "is not an email address")
		}
	}
	if c.Webhook != "" {
		u, err := url.Parse(c.Webhook)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(c.Webhook) > 2000 ||
			strings.ContainsAny(c.Webhook, " \t\r\n") {
			fe.Add("webhook_url", "不是有效的 http(s) 地址", "is not an http(s) URL")
		}
	}
	return fe.Err()
}

func nullIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// SetContact replaces a user's contact addresses.
func (s *Store) SetContact(ctx context.Context, userID int64, c Contact) (Contact, error) {
	if err := c.Validate(); err != nil {
		return c, err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE users SET email = $2, webhook_url = $3 WHERE id = $1`,
		userID, nullIfEmpty(c.Email), nullIfEmpty(c.Webhook))
	if err != nil {
		return c, classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return c, workflow.Errorf(workflow.CodeNotFound, "用户不存在", "no such user")
	}
	return c, nil
}

// ContactOf returns a user's contact addresses.
func (s *Store) ContactOf(ctx context.Context, userID int64) (Contact, error) {
	var c Contact
	err := s.db.GetContext(ctx, &c, `SELECT coalesce(email, '') AS email, coalesce(webhook_url, '') AS webhook_url
		FROM users WHERE id = $1`, userID)
	return c, classify(err)
}
