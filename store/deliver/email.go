package deliver

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"net/textproto"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// TLSMode is how the connection to the SMTP server is secured.
type TLSMode string

// The TLS modes.
const (
	TLSStartTLS      TLSMode = "starttls"      // plain connect, then STARTTLS, which must succeed (port 587)
	TLSImplicit      TLSMode = "tls"           // TLS from the first byte (port 465)
	TLSOpportunistic TLSMode = "opportunistic" // STARTTLS when offered, plain otherwise
	TLSNone          TLSMode = "none"          // never encrypt: a relay on the same host, tests
)

// EmailConfig are the SMTP settings; cmd/bayu reads them from the environment.
type EmailConfig struct {
	Host     string
	Port     int // 0 picks the mode's usual port: 465 for tls, 25 for none, 587 otherwise
	Username string
	Password string
	// Auth picks the login mechanism: "" lets the client choose the strongest
	// the server offers over TLS; plain, login, cram-md5, scram-sha-256 name
	// one. Passwords never go over an unencrypted connection except to localhost.
	Auth    string
	From    string  // e.g. 巴渝工匠展品征集 <noreply@example.cn>
	TLS     TLSMode // "" means starttls
	Timeout time.Duration
	// TLSConfig overrides certificate checks, e.g. for a private CA; nil uses the system's.
	TLSConfig *tls.Config
}

// Validate says in one line what is wrong with the settings, so that a bad
// configuration stops start-up instead of the first reminder.
func (c EmailConfig) Validate() error {
	var bad []string
	if c.Host == "" {
		bad = append(bad, "host is required")
	}
	if c.Port < 0 || c.Port > 65535 {
		bad = append(bad, fmt.Sprintf("port %d is out of range", c.Port))
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		bad = append(bad, fmt.Sprintf("from %q is not an address", c.From))
	}
	switch c.TLS {
	case "", TLSStartTLS, TLSImplicit, TLSOpportunistic, TLSNone:
	default:
		bad = append(bad, fmt.Sprintf("tls %q is not starttls, tls, opportunistic or none", c.TLS))
	}
	if _, ok := authTypes[strings.ToLower(c.Auth)]; !ok {
		bad = append(bad, fmt.Sprintf("auth %q is not plain, login, cram-md5 or scram-sha-256", c.Auth))
	}
	if (c.Username == "") != (c.Password == "") {
		bad = append(bad, "user and password go together")
	}
	if len(bad) > 0 {
		return errors.New("smtp settings: " + strings.Join(bad, "; "))
	}
	return nil
}

var authTypes = map[string]gomail.SMTPAuthType{
	"":              gomail.SMTPAuthAutoDiscover,
	"plain":         gomail.SMTPAuthPlain,
	"login":         gomail.SMTPAuthLogin,
	"cram-md5":      gomail.SMTPAuthCramMD5,
	"scram-sha-256": gomail.SMTPAuthSCRAMSHA256,
}

// Email sends messages over SMTP, one connection per message: reminders are
// few and far between, and a fresh connection cannot inherit a broken one.
type Email struct {
	cfg  EmailConfig
	opts []gomail.Option
}

// NewEmail checks the settings and returns a sender.
func NewEmail(cfg EmailConfig) (*Email, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.TLS == "" {
		cfg.TLS = TLSStartTLS
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	opts := []gomail.Option{gomail.WithTimeout(cfg.Timeout)}
	switch cfg.TLS {
	case TLSImplicit:
		opts = append(opts, gomail.WithSSLPort(false))
	case TLSStartTLS:
		opts = append(opts, gomail.WithTLSPortPolicy(gomail.TLSMandatory))
	case TLSOpportunistic:
		opts = append(opts, gomail.WithTLSPortPolicy(gomail.TLSOpportunistic))
	case TLSNone:
		opts = append(opts, gomail.WithTLSPortPolicy(gomail.NoTLS))
	}
	if cfg.Port != 0 {
		opts = append(opts, gomail.WithPort(cfg.Port)) // after the policies, which set their own port
	}
	if cfg.TLSConfig != nil {
		opts = append(opts, gomail.WithTLSConfig(cfg.TLSConfig))
	}
	if cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(authTypes[strings.ToLower(cfg.Auth)]),
			gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	}
	return &Email{cfg: cfg, opts: opts}, nil
}

// Send delivers m to the address m.To. An address that does not parse is a
// permanent failure; so is an SMTP 5xx answer. A 4xx answer, a refused or
// dropped connection and a timeout are retryable.
func (e *Email) Send(ctx context.Context, m Message) error {
	msg, err := e.message(m)
	if err != nil {
		return permanent(ChannelEmail, 0, err)
	}
	client, err := gomail.NewClient(e.cfg.Host, e.opts...)
	if err != nil {
		return permanent(ChannelEmail, 0, fmt.Errorf("smtp client: %w", err))
	}
	err = client.DialAndSendWithContext(ctx, msg)
	if err != nil && msg.IsDelivered() {
		// The server took the message; only the RSET or QUIT after it failed.
		// Reporting a failure would send it a second time.
		return nil
	}
	if err != nil {
		return classifySMTP(err)
	}
	return nil
}

// message builds the mail: UTF-8 throughout, the subject encoded per RFC 2047
// and the body quoted-printable, so that Chinese survives any relay.
func (e *Email) message(m Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	if err := msg.From(e.cfg.From); err != nil {
		return nil, fmt.Errorf("from %q: %w", e.cfg.From, err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("to %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	msg.SetDate()
	if m.IdempotencyKey != "" {
		// The same notification always carries the same Message-ID, so that a
		// mailbox that receives a retry twice can tell it is one message.
		sum := sha256.Sum256([]byte(m.IdempotencyKey))
		msg.SetMessageIDWithValue(hex.EncodeToString(sum[:16]) + "@" + domainOf(e.cfg.From))
		msg.SetGenHeader("X-Bayu-Key", m.IdempotencyKey)
	}
	if m.Kind != "" {
		msg.SetGenHeader("X-Bayu-Kind", m.Kind)
	}
	// Reminders are machine mail: no vacation replies to the sender.
	msg.SetBulk()
	return msg, nil
}

func domainOf(from string) string {
	if a, err := mail.ParseAddress(from); err == nil {
		if i := strings.LastIndexByte(a.Address, '@'); i >= 0 {
			return a.Address[i+1:]
		}
	}
	return "bayu.invalid"
}

// classifySMTP sorts a failure by the server's reply code: 4xx is "try later",
// 5xx is "never"; no code means the conversation broke off, which is worth
// another try.
func classifySMTP(err error) *Error {
	var se *gomail.SendError
	if errors.As(err, &se) {
		code := se.ErrorCode()
		switch {
		case code >= 500:
			return permanent(ChannelEmail, code, err)
		case code >= 400:
			return retryable(ChannelEmail, code, err)
		}
		switch se.Reason {
		case gomail.ErrGetSender, gomail.ErrGetRcpts, gomail.ErrNoUnencoded:
			return permanent(ChannelEmail, 0, err) // the message itself is at fault
		}
		return retryable(ChannelEmail, 0, err)
	}
	// Failures before a message is sent (greeting, STARTTLS, AUTH) come as the
	// bare protocol error.
	var te *textproto.Error
	if errors.As(err, &te) {
		if te.Code >= 500 {
			return permanent(ChannelEmail, te.Code, err)
		}
		return retryable(ChannelEmail, te.Code, err)
	}
	return retryable(ChannelEmail, 0, err)
}
