package deliver

import (
	"errors"
	"hash/fnv"
	"strconv"
	"time"
)

// MaxAttempts is how many times the default policy tries one message before it
// becomes a dead letter: with a one-minute base doubling each time (1m … 256m)
// the last attempt comes some seven to eight and a half hours after the first,
// long enough to ride out a mail server's maintenance window, short enough that
// a coordinator still hears of a lost reminder the same day.
const MaxAttempts = 10

// Retry is a policy for trying a message again: exponential backoff from Base,
// doubling per failed attempt up to Cap, shortened by up to Jitter (a fraction,
// 0 to 1) so that messages that failed together do not all retry together.
type Retry struct {
	Base        time.Duration
	Cap         time.Duration
	Jitter      float64 // 0 disables it, which is what tests want
	MaxAttempts int
}

// DefaultRetry is the policy the outbox uses: 1m, 2m, 4m, … at most 6h, 20% jitter.
var DefaultRetry = Retry{Base: time.Minute, Cap: 6 * time.Hour, Jitter: 0.2, MaxAttempts: MaxAttempts}

// Backoff is how long the default policy waits after attempt number attempt
// (1 for the first) has failed, without jitter: 1m, 2m, 4m, … capped at 6h.
func Backoff(attempt int) time.Duration {
	r := DefaultRetry
	r.Jitter = 0
	return r.Backoff(attempt, "")
}

// Backoff is how long to wait after attempt number attempt (1 for the first)
// of the message with the given key has failed. The jitter is drawn from a
// hash of the key and the attempt rather than from a random source: the
// function stays pure, a test can predict it, and different messages still
// spread out.
func (r Retry) Backoff(attempt int, key string) time.Duration {
	attempt = max(attempt, 1)
	d := r.Base
	for i := 1; i < attempt && d < r.Cap; i++ {
		d *= 2 // doubling step by step cannot overflow before it passes Cap
	}
	d = min(d, r.Cap)
	if r.Jitter > 0 {
		h := fnv.New64a()
		h.Write([]byte(key + "#" + strconv.Itoa(attempt)))
		u := float64(h.Sum64()>>11) / (1 << 53) // uniform in [0, 1)
		d -= time.Duration(float64(d) * min(r.Jitter, 1) * u)
	}
	return d
}

// Next decides what follows a failed attempt: wait, then try again, or give up
// (again is false) because the failure is permanent or this was the last
// attempt. A receiver's Retry-After is honoured when it asks for longer, up to Cap.
func (r Retry) Next(attempt int, err error, key string) (wait time.Duration, again bool) {
	if IsPermanent(err) || attempt >= r.MaxAttempts {
		return 0, false
	}
	wait = r.Backoff(attempt, key)
	var e *Error
	if errors.As(err, &e) && e.RetryAfter > wait {
		wait = min(e.RetryAfter, r.Cap)
	}
	return wait, true
}
