package main

import (
	"fmt"
	"strconv"

	"bayu/store"
	"bayu/store/deliver"
)

// delivery reads how reminders leave the server, from the environment:
// BAYU_SMTP_HOST (no host: no email), BAYU_SMTP_PORT, BAYU_SMTP_USER,
// BAYU_SMTP_PASSWORD, BAYU_SMTP_FROM, BAYU_SMTP_TLS (starttls, tls,
// opportunistic, none) and BAYU_WEBHOOK_FORMAT (json or wecom). Webhooks need
// no setting: each user's own URL is the address. A bad setting is one line
// naming the variable, returned before anything starts.
func (m *Main) delivery() (store.Delivery, error) {
	webhook, err := deliver.NewWebhook(deliver.WebhookConfig{Format: deliver.WebhookFormat(m.Getenv("BAYU_WEBHOOK_FORMAT"))})
	if err != nil {
		return store.Delivery{}, fmt.Errorf("BAYU_WEBHOOK_FORMAT: %w", err)
	}
	d := store.Delivery{Senders: map[deliver.Channel]deliver.Sender{deliver.ChannelWebhook: webhook}}
	host := m.Getenv("BAYU_SMTP_HOST")
	if host == "" {
		return d, nil
	}
	cfg := deliver.EmailConfig{Host: host, Username: m.Getenv("BAYU_SMTP_USER"), Password: m.Getenv("BAYU_SMTP_PASSWORD"),
		From: m.Getenv("BAYU_SMTP_FROM"), TLS: deliver.TLSMode(m.Getenv("BAYU_SMTP_TLS"))}
	if p := m.Getenv("BAYU_SMTP_PORT"); p != "" {
		port, err := strconv.Atoi(p)
		if err != nil || port < 1 || port > 65535 {
			return d, fmt.Errorf("BAYU_SMTP_PORT=%q is not a port number", p)
		}
		cfg.Port = port
	}
	email, err := deliver.NewEmail(cfg)
	if err != nil {
		return d, fmt.Errorf("BAYU_SMTP_*: %w", err)
	}
	d.Senders[deliver.ChannelEmail] = email
	return d, nil
}
