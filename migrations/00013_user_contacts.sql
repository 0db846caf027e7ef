-- +goose Up
-- Where a user's reminders go besides the inbox: an email address and a webhook
-- (e.g. a WeCom group robot). Either may be left out.
ALTER TABLE users
    ADD COLUMN email       text CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 254),
    ADD COLUMN webhook_url text CHECK (webhook_url ~ '^https?://[^\s]+$' AND length(webhook_url) <= 2000);

-- +goose Down
ALTER TABLE users DROP COLUMN webhook_url, DROP COLUMN email;
