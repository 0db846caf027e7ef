-- +goose Up
-- A fired event remembered under the client's Idempotency-Key, so that a retried
-- request gets the same answer and fires nothing a second time.
CREATE TABLE idempotency_keys (
    user_id      bigint NOT NULL REFERENCES users (id),
    key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    exhibit_id   bigint NOT NULL REFERENCES exhibits (id),
    request_hash bytea NOT NULL,
    response     jsonb NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (user_id, key)
);

-- +goose Down
DROP TABLE idempotency_keys;
