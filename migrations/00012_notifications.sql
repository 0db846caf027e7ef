-- +goose Up
-- A notice is what one recipient (a unit, or the coordinators) is told; its key
-- is unique, which is what makes every reminder happen once.
CREATE TABLE notices (
    id          bigserial PRIMARY KEY,
    key         text NOT NULL UNIQUE,
    kind        text NOT NULL,
    recipient   text NOT NULL, -- 'coordinators' or a unit code
    subject_zh  text NOT NULL,
    subject_en  text NOT NULL,
    body_zh     text NOT NULL,
    body_en     text NOT NULL,
    due_on      date,
    exhibit_id  bigint REFERENCES exhibits (id),
    campaign_id bigint REFERENCES campaigns (id),
    created_at  timestamptz NOT NULL
);
CREATE INDEX notices_created ON notices (created_at);

-- The inbox: one row per notice and user of its recipient.
CREATE TABLE notifications (
    id         bigserial PRIMARY KEY,
    notice_id  bigint NOT NULL REFERENCES notices (id),
    user_id    bigint NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL,
    read_at    timestamptz,
    UNIQUE (notice_id, user_id)
);
CREATE INDEX notifications_inbox ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread ON notifications (user_id, id DESC) WHERE read_at IS NULL;

-- The outbox: one row per notification and channel the user has an address
-- for. A failed attempt waits (next_at) and tries again; after the last attempt
-- or a permanent refusal the row is a dead letter. The inbox row stays either way.
CREATE TABLE deliveries (
    id              bigserial PRIMARY KEY,
    notification_id bigint NOT NULL REFERENCES notifications (id),
    channel         text NOT NULL CHECK (channel IN ('email', 'webhook')),
    address         text NOT NULL,
    state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead')),
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_at         timestamptz NOT NULL,
    last_error      text NOT NULL DEFAULT '',
    sent_at         timestamptz,
    dead_at         timestamptz,
    created_at      timestamptz NOT NULL,
    UNIQUE (notification_id, channel)
);
CREATE INDEX deliveries_due ON deliveries (next_at) WHERE state = 'pending';
CREATE INDEX deliveries_dead ON deliveries (dead_at DESC, id DESC) WHERE state = 'dead';

-- +goose Down
DROP TABLE deliveries;
DROP TABLE notifications;
DROP TABLE notices;
