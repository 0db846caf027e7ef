// Package deliver sends one notification to one address: an email over SMTP or
// a JSON POST to a webhook. It knows nothing of the database: the outbox in
// store decides what to send and when, hands each row here as a Message, and
// uses the returned error to decide between done, retry later (Retry) and dead
// letter. An error says whether trying again can help.
package deliver

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Message is one notification for one address.
type Message struct {
	To             string // an email address, or a webhook URL
	Subject        string // Chinese (UTF-8) as the reader sees it
	Body           string // plain text, Chinese (UTF-8), lines separated by \n
	Kind           string // what it is about, e.g. return_reminder
	IdempotencyKey string // unique per notification and recipient; receivers may drop repeats by it
}

// Sender delivers one message. It returns nil once the receiving server has
// accepted the message, and otherwise an error for which IsPermanent tells
// whether another attempt can succeed.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Channel names how a message travels, for logs and the dead-letter list.
type Channel string

// The two channels.
const (
	ChannelEmail   Channel = "email"
	ChannelWebhook Channel = "webhook"
)

// Error is a failed delivery.
type Error struct {
	Channel   Channel
	Permanent bool // the receiver refused for good (SMTP 5xx, HTTP 4xx): do not try again
	// Code is the SMTP reply code or HTTP status the receiver answered, 0 when
	// there was no answer (connection refused, timeout).
	Code int
	// RetryAfter is the wait the receiver asked for (HTTP Retry-After), 0 if none.
	RetryAfter time.Duration
	Err        error
}

func (e *Error) Error() string {
	kind := "retryable"
	if e.Permanent {
		kind = "permanent"
	}
	if e.Code != 0 {
		return fmt.Sprintf("deliver %s: %s failure (%d): %v", e.Channel, kind, e.Code, e.Err)
	}
	return fmt.Sprintf("deliver %s: %s failure: %v", e.Channel, kind, e.Err)
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// IsPermanent reports whether err says that trying again cannot help. Errors
// that are not an *Error (a cancelled context, say) count as retryable: losing
// a notification to a hiccup is worse than one more attempt.
func IsPermanent(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Permanent
}

// permanent and retryable build the two kinds of Error.
func permanent(ch Channel, code int, err error) *Error {
	return &Error{Channel: ch, Permanent: true, Code: code, Err: err}
}

func retryable(ch Channel, code int, err error) *Error {
	return &Error{Channel: ch, Code: code, Err: err}
}
