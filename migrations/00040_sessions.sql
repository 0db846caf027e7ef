-- +goose Up
-- Login sessions of the UI. Like API tokens, only a digest of the session id is kept.
CREATE TABLE sessions (
    digest       bytea PRIMARY KEY CHECK (length(digest) = 32),
    user_id      bigint NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed logins per name (known or not, so that lockout reveals nothing about
-- which names exist); reset by a successful login.
CREATE TABLE login_failures (
    name         text PRIMARY KEY,
    failures     integer NOT NULL DEFAULT 0,
    last_failed  timestamptz NOT NULL,
    locked_until timestamptz
);

-- +goose Down
DROP TABLE login_failures;
DROP TABLE sessions;
