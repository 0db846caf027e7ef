package deliver_test

import (
	"context"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"bayu/store/deliver"
)

// mailbox is a real SMTP server on the loopback: it wants a login, refuses the
// first refuse MAIL commands with 451 (a greylisting server does just that),
// answers 550 for unknown@, and keeps what it accepted.
type mailbox struct {
	mu       sync.Mutex
	refuse   int
	mails    int // MAIL commands seen
	received []received
}

type received struct {
	from string
	to   []string
	data []byte
}

type session struct {
	box  *mailbox
	from string
	to   []string
}

func (b *mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{box: b}, nil }

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "district" || pass != "口令-secret" {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "bad credentials"}
		}
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.box.mu.Lock()
	defer s.box.mu.Unlock()
	s.box.mails++
	if s.box.mails <= s.box.refuse {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 1}, Message: "greylisted, try later"}
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if strings.HasPrefix(to, "unknown@") {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.box.mu.Lock()
	defer s.box.mu.Unlock()
	s.box.received = append(s.box.received, received{s.from, s.to, data})
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// startMailbox serves b on a free loopback port and returns the port.
func startMailbox(t *testing.T, b *mailbox) int {
	t.Helper()
	srv := smtp.NewServer(b)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().(*net.TCPAddr).Port
}

func emailSender(t *testing.T, port int, password string) *deliver.Email {
	t.Helper()
	e, err := deliver.NewEmail(deliver.EmailConfig{
		Host: "127.0.0.1", Port: port, Username: "district", Password: password, Auth: "plain",
		From: "巴渝工匠展品征集 <noreply@bayu.example>", TLS: deliver.TLSNone, Timeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// sendWithRetries is what the outbox does with one row, minus the table and the
// waiting: it records the waits the policy asks for instead of sleeping.
func sendWithRetries(t *testing.T, s deliver.Sender, m deliver.Message, r deliver.Retry) (attempts int, waits []time.Duration, err error) {
	t.Helper()
	for attempt := 1; ; attempt++ {
		err = s.Send(context.Background(), m)
		if err == nil {
			return attempt, waits, nil
		}
		wait, again := r.Next(attempt, err, m.IdempotencyKey)
		if !again {
			return attempt, waits, err
		}
		waits = append(waits, wait)
	}
}

var testRetry = deliver.Retry{Base: time.Minute, Cap: time.Hour, MaxAttempts: 5}

const (
	cnSubject = "【归还提醒】展品“蜀绣《山城夜色》”寄存归还日期为2023年8月20日，还剩7天"
	cnBody    = "展品编号：11\n展品名称：蜀绣《山城夜色》\n推荐单位：万州区人力社保局\n已逾期0天。请按协议与持有人办理归还手续。\n" +
		"这一行很长，用来检查quoted-printable软换行不会把中文字符切坏：巴渝工匠绝技绝活展品征集，巴渝工匠绝技绝活展品征集，巴渝工匠绝技绝活展品征集。"
)

func TestEmailRetriesGreylistingThenArrivesIntact(t *testing.T) {
	box := &mailbox{refuse: 2}
	e := emailSender(t, startMailbox(t, box), "口令-secret")
	m := deliver.Message{To: "wanzhou@bayu.example", Subject: cnSubject, Body: cnBody,
		Kind: "return_reminder", IdempotencyKey: "return:11:2023-08-20:-7d:500101"}

	attempts, waits, err := sendWithRetries(t, e, m, testRetry)
	if err != nil {
		t.Fatalf("not delivered after %d attempts: %v", attempts, err)
	}
	if attempts != 3 || len(waits) != 2 || waits[0] != time.Minute || waits[1] != 2*time.Minute {
		t.Errorf("attempts %d, waits %v; want 3 attempts after waits of 1m and 2m", attempts, waits)
	}
	if len(box.received) != 1 {
		t.Fatalf("%d messages arrived, want exactly 1", len(box.received))
	}
	got := box.received[0]
	if got.from != "noreply@bayu.example" || len(got.to) != 1 || got.to[0] != "wanzhou@bayu.example" {
		t.Errorf("envelope from %q to %v", got.from, got.to)
	}
	msg, err := mail.ReadMessage(strings.NewReader(string(got.data)))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || subject != cnSubject {
		t.Errorf("subject %q (%v), want %q", subject, err, cnSubject)
	}
	if ct := msg.Header.Get("Content-Type"); !strings.Contains(strings.ToLower(ct), "charset=utf-8") {
		t.Errorf("content type %q", ct)
	}
	var body io.Reader = msg.Body
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(msg.Body)
	}
	raw, _ := io.ReadAll(body)
	if text := strings.ReplaceAll(string(raw), "\r\n", "\n"); strings.TrimRight(text, "\n") != cnBody {
		t.Errorf("body arrived as\n%q\nwant\n%q", text, cnBody)
	}
	if k := msg.Header.Get("X-Bayu-Key"); k != m.IdempotencyKey {
		t.Errorf("X-Bayu-Key %q", k)
	}
	id := msg.Header.Get("Message-Id")
	if !strings.HasSuffix(id, "@bayu.example>") {
		t.Errorf("Message-Id %q", id)
	}

	// The same notification sent again carries the same Message-Id.
	if err := e.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	again, _ := mail.ReadMessage(strings.NewReader(string(box.received[1].data)))
	if again.Header.Get("Message-Id") != id {
		t.Errorf("Message-Id changed between sends: %q, %q", id, again.Header.Get("Message-Id"))
	}
}

func TestEmailFailures(t *testing.T) {
	box := &mailbox{}
	port := startMailbox(t, box)
	closed := func() int { // a port nobody listens on
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		p := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		return p
	}()
	tests := []struct {
		name      string
		sender    *deliver.Email
		to        string
		permanent bool
		code      int
	}{
		{"unknown recipient", emailSender(t, port, "口令-secret"), "unknown@bayu.example", true, 550},
		{"wrong password", emailSender(t, port, "wrong"), "wanzhou@bayu.example", true, 535},
		{"address that does not parse", emailSender(t, port, "口令-secret"), "not an address", true, 0},
		{"nobody listening", emailSender(t, closed, "口令-secret"), "wanzhou@bayu.example", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := deliver.Message{To: tt.to, Subject: "测试", Body: "正文"}
			attempts, _, err := sendWithRetries(t, tt.sender, m, testRetry)
			if err == nil {
				t.Fatal("delivered")
			}
			if got := deliver.IsPermanent(err); got != tt.permanent {
				t.Errorf("permanent %v, want %v: %v", got, tt.permanent, err)
			}
			want := testRetry.MaxAttempts
			if tt.permanent {
				want = 1 // a permanent failure is not tried again
			}
			if attempts != want {
				t.Errorf("%d attempts, want %d", attempts, want)
			}
			var de *deliver.Error
			if !errors.As(err, &de) || de.Code != tt.code || de.Channel != deliver.ChannelEmail {
				t.Errorf("error %#v, want code %d", de, tt.code)
			}
		})
	}
	if len(box.received) != 0 {
		t.Errorf("%d messages arrived", len(box.received))
	}
}

func TestEmailConfig(t *testing.T) {
	good := deliver.EmailConfig{Host: "smtp.example.cn", From: "noreply@example.cn"}
	if _, err := deliver.NewEmail(good); err != nil {
		t.Errorf("good settings refused: %v", err)
	}
	tests := []struct {
		edit func(*deliver.EmailConfig)
		says string
	}{
		{func(c *deliver.EmailConfig) { c.Host = "" }, "host"},
		{func(c *deliver.EmailConfig) { c.From = "巴渝" }, "from"},
		{func(c *deliver.EmailConfig) { c.TLS = "ssl3" }, "tls"},
		{func(c *deliver.EmailConfig) { c.Port = 70000 }, "port " + strconv.Itoa(70000)},
		{func(c *deliver.EmailConfig) { c.Username = "only-user" }, "password"},
		{func(c *deliver.EmailConfig) { c.Auth = "ntlm" }, "auth"},
	}
	for _, tt := range tests {
		c := good
		tt.edit(&c)
		_, err := deliver.NewEmail(c)
		if err == nil || !strings.Contains(err.Error(), tt.says) || strings.Contains(err.Error(), "\n") {
			t.Errorf("settings %+v: error %v, want one line naming %q", c, err, tt.says)
		}
	}
}
