package deliver_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"bayu/store/deliver"
)

func TestBackoffDoublesUpToTheCap(t *testing.T) {
	tests := []struct {
		attempt int
		want    time.Duration
	}{
		{0, time.Minute}, {1, time.Minute}, {2, 2 * time.Minute}, {3, 4 * time.Minute},
		{9, 256 * time.Minute}, {10, 6 * time.Hour}, {11, 6 * time.Hour}, {1000, 6 * time.Hour},
	}
	for _, tt := range tests {
		if got := deliver.Backoff(tt.attempt); got != tt.want {
			t.Errorf("Backoff(%d) = %s, want %s", tt.attempt, got, tt.want)
		}
	}
}

func TestJitterIsBoundedAndDeterministic(t *testing.T) {
	r := deliver.DefaultRetry
	seen := map[time.Duration]bool{}
	for i := range 200 {
		key := fmt.Sprintf("return:%d:2023-08-20:-7d", i)
		for attempt := 1; attempt <= r.MaxAttempts+2; attempt++ {
			d := r.Backoff(attempt, key)
			full := deliver.Backoff(attempt)
			low := full - time.Duration(float64(full)*r.Jitter)
			if d > full || d < low {
				t.Fatalf("Backoff(%d, %s) = %s outside [%s, %s]", attempt, key, d, low, full)
			}
			if d != r.Backoff(attempt, key) {
				t.Fatalf("Backoff(%d, %s) is not deterministic", attempt, key)
			}
			if attempt == 3 {
				seen[d] = true
			}
		}
	}
	if len(seen) < 100 {
		t.Errorf("only %d different waits for 200 messages: the jitter does not spread them", len(seen))
	}
	r.Jitter = 0
	if got := r.Backoff(3, "any"); got != 4*time.Minute {
		t.Errorf("without jitter Backoff(3) = %s", got)
	}
}

func TestNextGivesUp(t *testing.T) {
	r := deliver.Retry{Base: time.Second, Cap: time.Minute, MaxAttempts: 3}
	retry := &deliver.Error{Channel: deliver.ChannelEmail, Code: 451, Err: errors.New("later")}
	never := &deliver.Error{Channel: deliver.ChannelEmail, Code: 550, Permanent: true, Err: errors.New("never")}
	tests := []struct {
		attempt int
		err     error
		wait    time.Duration
		again   bool
	}{
		{1, retry, time.Second, true},
		{2, retry, 2 * time.Second, true},
		{3, retry, 0, false}, // the last attempt
		{1, never, 0, false},
		{1, fmt.Errorf("wrapped: %w", never), 0, false},
		{1, errors.New("not classified"), time.Second, true},
		{1, &deliver.Error{RetryAfter: 30 * time.Second}, 30 * time.Second, true},
		{1, &deliver.Error{RetryAfter: time.Hour}, time.Minute, true}, // capped
	}
	for _, tt := range tests {
		wait, again := r.Next(tt.attempt, tt.err, "k")
		if wait != tt.wait || again != tt.again {
			t.Errorf("Next(%d, %v) = %s %v, want %s %v", tt.attempt, tt.err, wait, again, tt.wait, tt.again)
		}
	}
	if deliver.IsPermanent(nil) {
		t.Error("nil is not a permanent failure")
	}
}
