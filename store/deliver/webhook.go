package deliver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"
)

// WebhookFormat is the shape of the JSON body.
type WebhookFormat string

// The body formats.
const (
	// FormatJSON posts {"kind", "subject", "body", "idempotency_key"}.
	FormatJSON WebhookFormat = "json"
	// FormatWeCom posts a WeCom (企业微信) group robot's markdown message:
	// {"msgtype": "markdown", "markdown": {"content": "..."}}.
	FormatWeCom WebhookFormat = "wecom"
)

// WebhookConfig are the webhook settings.
type WebhookConfig struct {
	// URL receives messages whose To is empty; a message's own To (a unit's
	// robot, say) wins over it.
	URL     string
	Format  WebhookFormat // "" means json
	Timeout time.Duration // per request; 0 means 10s
	Client  *http.Client  // nil means a client with Timeout
}

// Webhook posts messages as JSON.
type Webhook struct {
	cfg    WebhookConfig
	client *http.Client
}

// NewWebhook checks the settings and returns a sender.
func NewWebhook(cfg WebhookConfig) (*Webhook, error) {
	switch cfg.Format {
	case "":
		cfg.Format = FormatJSON
	case FormatJSON, FormatWeCom:
	default:
		return nil, fmt.Errorf("webhook settings: format %q is not json or wecom", cfg.Format)
	}
	if cfg.URL != "" {
		if err := checkURL(cfg.URL); err != nil {
			return nil, fmt.Errorf("webhook settings: %w", err)
		}
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	client := cfg.Client
	if client == nil {
		client = &http.Client{Timeout: cfg.Timeout}
	}
	return &Webhook{cfg: cfg, client: client}, nil
}

func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("url is not an http(s) address")
	}
	return nil
}

// wecomLimit is the most octets a WeCom robot takes in a markdown content.
const wecomLimit = 4096

// body is the request body for m.
func (w *Webhook) body(m Message) ([]byte, error) {
	if w.cfg.Format == FormatWeCom {
		content := "**" + m.Subject + "**\n" + m.Body
		type markdown struct {
			Content string `json:"content"`
		}
		return json.Marshal(struct {
			MsgType  string   `json:"msgtype"`
			Markdown markdown `json:"markdown"`
		}{"markdown", markdown{truncate(content, wecomLimit)}})
	}
	return json.Marshal(struct {
		Kind           string `json:"kind"`
		Subject        string `json:"subject"`
		Body           string `json:"body"`
		IdempotencyKey string `json:"idempotency_key"`
	}{m.Kind, m.Subject, m.Body, m.IdempotencyKey})
}

// truncate cuts s to at most n octets between characters, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const more = "\n……"
	cut := n - len(more)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + more
}

// Send posts m to m.To, or to the configured URL when m.To is empty. A 2xx
// answer is success; 408, 425, 429 and 5xx are retryable, as are network
// failures and timeouts; any other status is permanent. A WeCom robot answers
// 200 with an errcode, which is read as well.
func (w *Webhook) Send(ctx context.Context, m Message) error {
	target := m.To
	if target == "" {
		target = w.cfg.URL
	}
	if err := checkURL(target); err != nil {
		return permanent(ChannelWebhook, 0, errors.New("bad webhook address"))
	}
	body, err := w.body(m)
	if err != nil {
		return permanent(ChannelWebhook, 0, err)
	}
	ctx, cancel := context.WithTimeout(ctx, w.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return permanent(ChannelWebhook, 0, err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	if m.IdempotencyKey != "" {
		req.Header.Set("Idempotency-Key", m.IdempotencyKey)
	}
	resp, err := w.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = safeURL(req.URL)
		}
		return retryable(ChannelWebhook, 0, err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := &Error{Channel: ChannelWebhook, Code: resp.StatusCode, Permanent: !retryStatus(resp.StatusCode),
			Err: fmt.Errorf("%s answered %s: %s", safeURL(req.URL), resp.Status, snippet(answer))}
		e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"))
		return e
	}
	if w.cfg.Format == FormatWeCom {
		return wecomResult(answer)
	}
	return nil
}

func retryStatus(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooEarly, http.StatusTooManyRequests:
		return true
	}
	return code >= 500
}

// retryAfter reads a Retry-After header given in seconds; the date form is not
// worth a clock here, and a missing or odd value means no request.
func retryAfter(v string) time.Duration {
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	return 0
}

// wecomResult reads a WeCom robot's answer: errcode 0 is success, -1 (system
// busy) and 45009 (rate limit: 20 messages a minute per robot) are worth
// another try, anything else (a removed robot, a bad body) is not.
func wecomResult(answer []byte) error {
	var r struct {
		ErrCode int    `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if err := json.Unmarshal(answer, &r); err != nil {
		return retryable(ChannelWebhook, http.StatusOK, fmt.Errorf("robot answer is not JSON: %s", snippet(answer)))
	}
	switch r.ErrCode {
	case 0:
		return nil
	case -1, 45009:
		return &Error{Channel: ChannelWebhook, Code: http.StatusOK, RetryAfter: time.Minute,
			Err: fmt.Errorf("robot errcode %d: %s", r.ErrCode, r.ErrMsg)}
	}
	return permanent(ChannelWebhook, http.StatusOK, fmt.Errorf("robot errcode %d: %s", r.ErrCode, r.ErrMsg))
}

func snippet(b []byte) string {
	return truncate(string(bytes.ToValidUTF8(b, []byte("?"))), 200)
}

// safeURL is the address without its query: a WeCom robot's key is in the
// query, and whoever has it can post to the group, so it stays out of errors
// and logs.
func safeURL(u *url.URL) string { return u.Scheme + "://" + u.Host + u.Path }
