-- +goose Up
-- Every transition of every exhibit, oldest first per exhibit (seq 1 is the creation).
CREATE TABLE exhibit_history (
    id          bigserial PRIMARY KEY,
    exhibit_id  bigint NOT NULL REFERENCES exhibits (id),
    seq         integer NOT NULL CHECK (seq >= 1),
    event       text NOT NULL,
    from_state  text,
    to_state    text NOT NULL,
    actor_id    bigint REFERENCES users (id),
    actor       text NOT NULL,
    role        text NOT NULL,
    reason      text NOT NULL DEFAULT '',
    data        jsonb NOT NULL DEFAULT '{}',
    at          timestamptz NOT NULL,
    UNIQUE (exhibit_id, seq),
    CHECK ((seq = 1) = (from_state IS NULL))
);
CREATE INDEX exhibit_history_at ON exhibit_history (at, id);

-- The history is append-only: rows are never changed or removed.
-- +goose StatementBegin
CREATE FUNCTION refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'history is append-only: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER exhibit_history_append_only
    BEFORE UPDATE OR DELETE ON exhibit_history
    FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER exhibit_history_no_truncate
    BEFORE TRUNCATE ON exhibit_history
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();

-- +goose Down
DROP TABLE exhibit_history;
DROP FUNCTION refuse_history_change();
