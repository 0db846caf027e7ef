-- +goose Up
-- Items offered by holders through the public form (/submit): the receipt
-- number shown to the holder, and the exhibit it became.
CREATE TABLE public_submissions (
    exhibit_id bigint PRIMARY KEY REFERENCES exhibits (id),
    receipt    text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL
);

-- Attempts per client address and hour, to limit the public form. Only a
-- digest of the address is kept: it is counted, never shown.
CREATE TABLE submit_attempts (
    addr_digest bytea NOT NULL CHECK (length(addr_digest) = 32),
    hour        timestamptz NOT NULL,
    attempts    integer NOT NULL CHECK (attempts >= 1),
    PRIMARY KEY (addr_digest, hour)
);
CREATE INDEX submit_attempts_hour ON submit_attempts (hour);

-- +goose Down
DROP TABLE submit_attempts;
DROP TABLE public_submissions;
