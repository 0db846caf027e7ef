package store_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"bayu/store"
	"bayu/store/deliver"
	"bayu/workflow"
	"bayu/workflow/campaign"
)

// greylist is a real SMTP server on the loopback that answers 451 to the
// first MAIL commands, 550 to unknown@ recipients, and keeps what it accepts.
type greylist struct {
	mu     sync.Mutex
	refuse int
	mails  int
	got    []*mail.Message
}

type greySession struct {
	box *greylist
	to  string
}

func (b *greylist) NewSession(*smtp.Conn) (smtp.Session, error) { return &greySession{box: b}, nil }

func (s *greySession) Mail(string, *smtp.MailOptions) error {
	s.box.mu.Lock()
	defer s.box.mu.Unlock()
	s.box.mails++
	if s.box.mails <= s.box.refuse {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 1}, Message: "greylisted, try later"}
	}
	return nil
}

func (s *greySession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if strings.HasPrefix(to, "unknown@") {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	s.to = to
	return nil
}

func (s *greySession) Data(r io.Reader) error {
	m, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	m.Header["X-Test-Rcpt"] = []string{s.to}
	s.box.mu.Lock()
	defer s.box.mu.Unlock()
	s.box.got = append(s.box.got, m)
	return nil
}

func (s *greySession) Reset()        { s.to = "" }
func (s *greySession) Logout() error { return nil }

func startGreylist(t *testing.T, b *greylist) int {
	t.Helper()
	srv := smtp.NewServer(b)
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().(*net.TCPAddr).Port
}

// robot is an httptest webhook that answers 500 to the first requests.
type robot struct {
	mu   sync.Mutex
	fail int
	seen int
	got  []string // idempotency keys accepted
}

func (r *robot) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen++
	if r.seen <= r.fail {
		http.Error(w, "busy", http.StatusInternalServerError)
		return
	}
	raw, _ := io.ReadAll(req.Body)
	var m map[string]string
	if err := json.Unmarshal(raw, &m); err != nil || m["subject"] == "" {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	r.got = append(r.got, req.Header.Get("Idempotency-Key"))
}

func TestDeliveryRetriesUntilEverythingArrivesOnce(t *testing.T) {
	t.Parallel()
	e := newClockEnv(t, at(2026, 4, 1, 9))
	ctx := context.Background()
	box := &greylist{refuse: 3}
	email, err := deliver.NewEmail(deliver.EmailConfig{Host: "127.0.0.1", Port: startGreylist(t, box),
		From: "巴渝工匠展品征集 <noreply@bayu.example>", TLS: deliver.TLSNone, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	bot := &robot{fail: 2}
	hook := httptest.NewServer(bot)
	t.Cleanup(hook.Close)
	webhook, err := deliver.NewWebhook(deliver.WebhookConfig{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	d := store.Delivery{Senders: map[deliver.Channel]deliver.Sender{deliver.ChannelEmail: email, deliver.ChannelWebhook: webhook},
		Retry: deliver.Retry{Base: time.Minute, Cap: time.Hour, MaxAttempts: 6}}

	coord2 := e.user(t, "coord2", workflow.Coordinator, "")
	bad := e.user(t, "fuling", workflow.District, "500102")
	for _, c := range []struct {
		id int64
		c  store.Contact
	}{
		{e.coord.UserID, store.Contact{Email: "coord@bayu.example", Webhook: hook.URL + "/coord"}},
		{coord2.UserID, store.Contact{Email: "coord2@bayu.example"}},
		{e.dist.UserID, store.Contact{Email: "wanzhou@bayu.example", Webhook: hook.URL + "/wanzhou"}},
		{bad.UserID, store.Contact{Email: "unknown@bayu.example"}},
	} {
		if _, err := e.s.SetContact(ctx, c.id, c.c); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.s.CreateCampaign(ctx, e.coord, campaign.Default(2026)); err != nil {
		t.Fatal(err)
	}
	x := e.toAccepted(t, 1, workflow.Deposit)
	e.fireAt(t, x, workflow.SignAgreement, at(2026, 5, 10, 10), map[string]any{"return_due": "2026-07-16"})

	// 06-16: the return reminder 30 days before (coordinators and 500101) and
	// the report phase's 14-day reminder (every unit) fall due together.
	now := at(2026, 6, 17, 0)
	for _, job := range []store.JobName{store.JobReturns, store.JobPhaseReminders} {
		if _, err := e.s.RunJob(ctx, job, now, d); err != nil {
			t.Fatal(err)
		}
	}
	var sent, dead int
	for range 30 {
		res, err := e.s.RunJob(ctx, store.JobDeliveries, now, d)
		if err != nil {
			t.Fatal(err)
		}
		sent, dead = sent+res.Sent, dead+res.Dead
		var next *time.Time
		if err := e.s.DB().Get(&next, `SELECT min(next_at) FROM deliveries WHERE state = 'pending'`); err != nil {
			t.Fatal(err)
		}
		if next == nil {
			break
		}
		now = *next // no sleeping: the clock jumps to the next attempt
	}
	// Emails: coord, coord2 and wanzhou for the return, wanzhou for the phase.
	// Webhooks: coord and wanzhou for the return, wanzhou for the phase.
	if sent != 7 || dead != 1 {
		t.Errorf("sent %d, dead %d; want 7 and 1", sent, dead)
	}
	keys := map[string]int{}
	for _, m := range box.got {
		keys[m.Header.Get("X-Bayu-Key")+" "+m.Header.Get("X-Test-Rcpt")]++
	}
	if len(box.got) != 4 || len(keys) != 4 {
		t.Errorf("%d emails arrived, %d distinct: %v", len(box.got), len(keys), keys)
	}
	hooks := map[string]int{}
	for _, k := range bot.got {
		hooks[k]++
	}
	if len(bot.got) != 3 || len(hooks) != 3 {
		t.Errorf("%d webhook calls accepted, %d distinct: %v", len(bot.got), len(hooks), hooks)
	}
	for k, n := range keys {
		if n != 1 {
			t.Errorf("email %s arrived %d times", k, n)
		}
	}

	// The unknown address is a dead letter for coordinators to see; the
	// notification is still in its user's inbox.
	letters, err := e.s.Deliveries(ctx, true, 0)
	if err != nil || len(letters) != 1 || letters[0].User != "fuling" || letters[0].Attempts != 1 ||
		!strings.Contains(letters[0].LastError, "550") {
		t.Fatalf("dead letters %+v %v", letters, err)
	}
	if inbox, _ := e.s.Inbox(ctx, bad.UserID, store.InboxQuery{}); len(inbox) != 1 {
		t.Errorf("fuling's inbox has %d notifications, want 1", len(inbox))
	}
	// Every refusal cost one attempt: 4 emails, 3 greylisted, 1 refused for
	// good; 3 webhooks, 2 answered 500.
	attempts := map[string]int{}
	all, _ := e.s.Deliveries(ctx, false, 0)
	for _, r := range all {
		attempts[r.Channel] += r.Attempts
	}
	if attempts["email"] != 8 || attempts["webhook"] != 5 {
		t.Errorf("attempts %v, want email 8 and webhook 5", attempts)
	}
	if err := e.s.RetryDelivery(ctx, letters[0].ID); err != nil {
		t.Fatal(err)
	}
	if again, _ := e.s.Deliveries(ctx, true, 0); len(again) != 0 {
		t.Errorf("dead letters after retry: %+v", again)
	}
}
