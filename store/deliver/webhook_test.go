package deliver_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"bayu/store/deliver"
)

// hook is a webhook receiver that answers from a script, one status per
// request, the last one repeating, and keeps every body it was sent.
type hook struct {
	mu      sync.Mutex
	script  []int
	answer  string // body of 2xx answers
	headers http.Header
	bodies  [][]byte
	header  http.Header // of the last request
}

func (h *hook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	n := len(h.bodies)
	h.bodies = append(h.bodies, body)
	h.header = r.Header.Clone()
	status := h.script[min(n, len(h.script)-1)]
	h.mu.Unlock()
	for k, v := range h.headers {
		w.Header()[k] = v
	}
	w.WriteHeader(status)
	if status < 300 {
		io.WriteString(w, h.answer)
	} else {
		io.WriteString(w, `{"error":"服务暂不可用"}`)
	}
}

func webhook(t *testing.T, cfg deliver.WebhookConfig) *deliver.Webhook {
	t.Helper()
	w, err := deliver.NewWebhook(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestWebhookRetries500ThenDeliversOnce(t *testing.T) {
	h := &hook{script: []int{500, 502, 200}}
	srv := httptest.NewServer(h)
	defer srv.Close()
	w := webhook(t, deliver.WebhookConfig{URL: srv.URL})
	m := deliver.Message{Subject: cnSubject, Body: cnBody, Kind: "phase_reminder", IdempotencyKey: "phase:1:recommend:2022-07-31:7d:500101"}

	attempts, waits, err := sendWithRetries(t, w, m, testRetry)
	if err != nil || attempts != 3 || len(waits) != 2 {
		t.Fatalf("attempts %d waits %v err %v; want delivery on the 3rd attempt", attempts, waits, err)
	}
	var got struct {
		Kind, Subject, Body string
		IdempotencyKey      string `json:"idempotency_key"`
	}
	if err := json.Unmarshal(h.bodies[2], &got); err != nil {
		t.Fatal(err)
	}
	if got.Subject != cnSubject || got.Body != cnBody || got.Kind != m.Kind || got.IdempotencyKey != m.IdempotencyKey {
		t.Errorf("received %+v", got)
	}
	if k := h.header.Get("Idempotency-Key"); k != m.IdempotencyKey {
		t.Errorf("Idempotency-Key header %q", k)
	}
	if ct := h.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("content type %q", ct)
	}
	// Every attempt carried the same body: a receiver can drop repeats by key.
	for i := range h.bodies {
		if string(h.bodies[i]) != string(h.bodies[0]) {
			t.Errorf("attempt %d sent a different body", i+1)
		}
	}
}

func TestWeComMarkdown(t *testing.T) {
	h := &hook{script: []int{200}, answer: `{"errcode":0,"errmsg":"ok"}`}
	srv := httptest.NewServer(h)
	defer srv.Close()
	w := webhook(t, deliver.WebhookConfig{Format: deliver.FormatWeCom})
	// The message's own To (this unit's robot) is where it goes.
	m := deliver.Message{To: srv.URL + "/cgi-bin/webhook/send?key=secret-robot-key", Subject: "截止提醒", Body: cnBody}
	if err := w.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	var got struct {
		MsgType  string `json:"msgtype"`
		Markdown struct {
			Content string `json:"content"`
		} `json:"markdown"`
	}
	if err := json.Unmarshal(h.bodies[0], &got); err != nil {
		t.Fatal(err)
	}
	if got.MsgType != "markdown" || got.Markdown.Content != "**截止提醒**\n"+cnBody {
		t.Errorf("robot got %+v", got)
	}

	// A long list is cut to the robot's 4096 octets between characters.
	long := deliver.Message{To: m.To, Subject: "督办", Body: strings.Repeat("编号7「世赛金牌」\n", 400)}
	if err := w.Send(context.Background(), long); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(h.bodies[1], &got); err != nil {
		t.Fatal(err)
	}
	if n := len(got.Markdown.Content); n > 4096 || !strings.HasSuffix(got.Markdown.Content, "……") {
		t.Errorf("long content: %d octets, ends %q", n, got.Markdown.Content[len(got.Markdown.Content)-12:])
	}
}

func TestWebhookFailures(t *testing.T) {
	tests := []struct {
		name       string
		format     deliver.WebhookFormat
		script     []int
		answer     string
		retryAfter string
		permanent  bool
		code       int
		wait       time.Duration // asked for by the receiver
	}{
		{"not found", deliver.FormatJSON, []int{404}, "", "", true, 404, 0},
		{"bad request", deliver.FormatJSON, []int{400}, "", "", true, 400, 0},
		{"server error", deliver.FormatJSON, []int{503}, "", "", false, 503, 0},
		{"rate limited", deliver.FormatJSON, []int{429}, "", "30", false, 429, 30 * time.Second},
		{"robot removed", deliver.FormatWeCom, []int{200}, `{"errcode":93000,"errmsg":"invalid webhook url"}`, "", true, 200, 0},
		{"robot rate limit", deliver.FormatWeCom, []int{200}, `{"errcode":45009,"errmsg":"api freq out of limit"}`, "", false, 200, time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &hook{script: tt.script, answer: tt.answer, headers: http.Header{}}
			if tt.retryAfter != "" {
				h.headers.Set("Retry-After", tt.retryAfter)
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			w := webhook(t, deliver.WebhookConfig{URL: srv.URL + "/hook?key=top-secret", Format: tt.format})
			err := w.Send(context.Background(), deliver.Message{Subject: "测试", Body: "正文"})
			var de *deliver.Error
			if !errors.As(err, &de) {
				t.Fatalf("error %v is not a *deliver.Error", err)
			}
			if de.Permanent != tt.permanent || deliver.IsPermanent(err) != tt.permanent || de.Code != tt.code || de.Channel != deliver.ChannelWebhook {
				t.Errorf("error %+v, want permanent %v code %d", de, tt.permanent, tt.code)
			}
			if de.RetryAfter != tt.wait {
				t.Errorf("retry after %s, want %s", de.RetryAfter, tt.wait)
			}
			if strings.Contains(err.Error(), "top-secret") {
				t.Errorf("the robot key leaked into %q", err)
			}
			wait, again := testRetry.Next(1, err, "k")
			if again == tt.permanent || (again && wait < max(tt.wait, testRetry.Base)) {
				t.Errorf("Next: wait %s again %v", wait, again)
			}
		})
	}
}

func TestWebhookTimeoutAndRefusedConnection(t *testing.T) {
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // hold the answer until the client gives up
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer slow.Close()
	defer close(release)
	w := webhook(t, deliver.WebhookConfig{URL: slow.URL, Timeout: 50 * time.Millisecond})
	err := w.Send(context.Background(), deliver.Message{Subject: "测试"})
	if err == nil || deliver.IsPermanent(err) {
		t.Errorf("timeout: %v, want a retryable error", err)
	}

	gone := httptest.NewServer(http.NotFoundHandler())
	addr := gone.URL
	gone.Close()
	err = webhook(t, deliver.WebhookConfig{}).Send(context.Background(), deliver.Message{To: addr + "?key=top-secret"})
	if err == nil || deliver.IsPermanent(err) || strings.Contains(err.Error(), "top-secret") {
		t.Errorf("refused connection: %v, want a retryable error without the key", err)
	}
}

func TestWebhookConfig(t *testing.T) {
	if _, err := deliver.NewWebhook(deliver.WebhookConfig{Format: "slack"}); err == nil {
		t.Error("unknown format accepted")
	}
	if _, err := deliver.NewWebhook(deliver.WebhookConfig{URL: "ftp://robot"}); err == nil {
		t.Error("non-http URL accepted")
	}
	w := webhook(t, deliver.WebhookConfig{})
	if err := w.Send(context.Background(), deliver.Message{Subject: "无地址"}); !deliver.IsPermanent(err) {
		t.Errorf("no address: %v, want permanent", err)
	}
}
