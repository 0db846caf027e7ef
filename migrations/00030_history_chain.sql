-- +goose Up
-- Each exhibit's history becomes a hash chain: a row stores the hash of the row
-- before it (NULL for seq 1) and its own hash over a canonical encoding of its
-- fields (store/chain). The client's address and the request id join the row, so
-- a transition says where it came from like every other audit record.
ALTER TABLE exhibit_history
    ADD COLUMN client_addr text NOT NULL DEFAULT '',
    ADD COLUMN request_id  text NOT NULL DEFAULT '',
    ADD COLUMN prev_hash   bytea CHECK (octet_length(prev_hash) = 32),
    ADD COLUMN hash        bytea CHECK (octet_length(hash) = 32);

-- Rows written before the chain existed are sealed here, without a key (the
-- migration cannot know one). The encoding repeats chain.HistoryHash in SQL;
-- TestLegacyRowsAreSealed checks that the two agree.
-- +goose StatementBegin
CREATE FUNCTION pg_temp.chain_text(s text) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    SELECT int4send(octet_length(convert_to(s, 'UTF8'))) || convert_to(s, 'UTF8')
$$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $$
DECLARE
    r    exhibit_history;
    cur  bigint;
    prev bytea;
    h    bytea;
BEGIN
    ALTER TABLE exhibit_history DISABLE TRIGGER exhibit_history_append_only;
    FOR r IN SELECT * FROM exhibit_history ORDER BY exhibit_id, seq LOOP
        IF cur IS DISTINCT FROM r.exhibit_id THEN
            cur := r.exhibit_id;
            prev := NULL;
        END IF;
        h := sha256(
            pg_temp.chain_text('bayu.history.v1')
            || int8send(r.exhibit_id) || int8send(r.seq::bigint)
            || pg_temp.chain_text(r.event)
            || CASE WHEN r.from_state IS NULL THEN '\x00'::bytea ELSE '\x01'::bytea || pg_temp.chain_text(r.from_state) END
            || pg_temp.chain_text(r.to_state)
            || CASE WHEN r.actor_id IS NULL THEN '\x00'::bytea ELSE '\x01'::bytea || int8send(r.actor_id) END
            || pg_temp.chain_text(r.actor) || pg_temp.chain_text(r.role) || pg_temp.chain_text(r.reason)
            || pg_temp.chain_text(r.data::text)
            || int8send((extract(epoch FROM r.at) * 1000000)::bigint)
            || pg_temp.chain_text(r.client_addr) || pg_temp.chain_text(r.request_id)
            || int4send(coalesce(octet_length(prev), 0)) || coalesce(prev, ''::bytea));
        UPDATE exhibit_history SET prev_hash = prev, hash = h WHERE id = r.id;
        prev := h;
    END LOOP;
    ALTER TABLE exhibit_history ENABLE TRIGGER exhibit_history_append_only;
END;
$$;
-- +goose StatementEnd

ALTER TABLE exhibit_history
    ALTER COLUMN hash SET NOT NULL,
    ADD CHECK ((seq = 1) = (prev_hash IS NULL));

-- Rows up to this id were sealed without a key by this migration; with a key
-- configured, the verifier accepts an unkeyed hash for them and for no others.
CREATE TABLE history_chain_legacy (
    sealed_through bigint NOT NULL CHECK (sealed_through >= 0)
);
INSERT INTO history_chain_legacy SELECT coalesce(max(id), 0) FROM exhibit_history;
CREATE TRIGGER history_chain_legacy_append_only
    BEFORE UPDATE OR DELETE ON history_chain_legacy
    FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER history_chain_legacy_no_truncate
    BEFORE TRUNCATE ON history_chain_legacy
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();

-- +goose Down
DROP TABLE history_chain_legacy;
ALTER TABLE exhibit_history
    DROP COLUMN hash, DROP COLUMN prev_hash, DROP COLUMN request_id, DROP COLUMN client_addr;
