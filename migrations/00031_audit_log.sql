-- +goose Up
-- The audit log: everything auditors must see beyond exhibit transitions
-- (refused attempts, logins, user creation and disabling, campaign date edits),
-- one hash chain over all records in seq order. Appends are serialised by a
-- transaction-level advisory lock (store/audit.go), so seq has no gaps.
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    seq         bigint NOT NULL UNIQUE CHECK (seq >= 1),
    at          timestamptz NOT NULL,
    actor_id    bigint REFERENCES users (id),
    actor       text NOT NULL,
    role        text NOT NULL DEFAULT '',
    event       text NOT NULL CHECK (event <> ''),
    outcome     text NOT NULL CHECK (outcome IN ('ok', 'refused', 'failed')),
    object_type text NOT NULL DEFAULT '',
    object_id   text NOT NULL DEFAULT '',
    reason      text NOT NULL DEFAULT '',
    detail      jsonb NOT NULL DEFAULT '{}',
    client_addr text NOT NULL DEFAULT '',
    request_id  text NOT NULL DEFAULT '',
    prev_hash   bytea CHECK (octet_length(prev_hash) = 32),
    hash        bytea NOT NULL CHECK (octet_length(hash) = 32),
    CHECK ((seq = 1) = (prev_hash IS NULL))
);
CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);

CREATE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();

-- Filters of GET /api/v1/transitions that would otherwise scan the whole history.
CREATE INDEX exhibit_history_actor ON exhibit_history (actor, at, id);
CREATE INDEX exhibit_history_event ON exhibit_history (event, at, id);

-- +goose Down
DROP INDEX exhibit_history_event;
DROP INDEX exhibit_history_actor;
DROP TABLE audit_log;
