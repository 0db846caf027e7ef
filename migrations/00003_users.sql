-- +goose Up
CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    name          text NOT NULL UNIQUE CHECK (name ~ '^[^\s]{1,64}$'),
    role          text NOT NULL CHECK (role IN ('coordinator', 'district', 'evaluator', 'auditor')),
    district      text REFERENCES units (code),
    password_hash text,
    disabled_at   timestamptz,
    created_at    timestamptz NOT NULL,
    -- A district user belongs to exactly one unit; nobody else belongs to any.
    CHECK ((role = 'district') = (district IS NOT NULL))
);

-- API tokens are stored as SHA-256 digests: they are long random secrets, so a
-- slow password hash would only cost time on every request.
CREATE TABLE api_tokens (
    id         bigserial PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id),
    digest     bytea NOT NULL UNIQUE CHECK (length(digest) = 32),
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- +goose Down
DROP TABLE api_tokens;
DROP TABLE users;
