-- +goose Up
-- Retention. Nothing is purged unless an operator configures it (bayu audit
-- purge), and nothing younger than 184 days (six months and a few days, as
-- GB/T 22239-2019 level 3 asks for logs) can be purged at all. A purge removes a
-- prefix of a chain and keeps its last hash here, so the rest still verifies.
CREATE TABLE chain_checkpoints (
    id          bigserial PRIMARY KEY,
    chain       text NOT NULL CHECK (chain IN ('history', 'audit')),
    exhibit_id  bigint REFERENCES exhibits (id),
    seq         bigint NOT NULL CHECK (seq >= 1),   -- the last purged row
    hash        bytea NOT NULL CHECK (octet_length(hash) = 32),
    last_id     bigint NOT NULL,                    -- its id, for heads taken before the purge
    purged_rows bigint NOT NULL CHECK (purged_rows >= 1),
    cutoff      timestamptz NOT NULL,
    purged_at   timestamptz NOT NULL,
    CHECK ((chain = 'history') = (exhibit_id IS NOT NULL))
);
CREATE INDEX chain_checkpoints_chain ON chain_checkpoints (chain, exhibit_id, seq);
CREATE TRIGGER chain_checkpoints_append_only
    BEFORE UPDATE OR DELETE ON chain_checkpoints
    FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER chain_checkpoints_no_truncate
    BEFORE TRUNCATE ON chain_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();

-- The append-only trigger lets a purge delete old rows and nothing else. Only
-- purge_history sets bayu.purge_cutoff; even the owner setting it by hand cannot
-- delete a row younger than 184 days. The application role has no DELETE right,
-- so for it the trigger never comes into play.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    cutoff text := current_setting('bayu.purge_cutoff', true);
BEGIN
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME IN ('exhibit_history', 'audit_log') AND coalesce(cutoff, '') <> '' THEN
        IF OLD.at < cutoff::timestamptz AND OLD.at < now() - interval '184 days' THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION 'history is append-only: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- +goose StatementEnd

-- purge_history removes, per chain, the prefix of rows older than cutoff and
-- records a checkpoint for it. It runs with the owner's rights; EXECUTE is not
-- granted to the application role.
-- +goose StatementBegin
CREATE FUNCTION purge_history(cutoff timestamptz)
RETURNS TABLE (p_chain text, p_exhibit bigint, p_upto bigint, p_rows bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    b record;
    n bigint;
BEGIN
    IF cutoff > now() - interval '184 days' THEN
        RAISE EXCEPTION 'history younger than 184 days is kept: cutoff % is after %', cutoff, now() - interval '184 days'
            USING ERRCODE = 'check_violation';
    END IF;
    PERFORM set_config('bayu.purge_cutoff', cutoff::text, true);
    FOR b IN
        SELECT h.exhibit_id AS x, h.seq AS s, h.hash AS hh, h.id AS i
        FROM (SELECT exhibit_id AS e, min(seq) AS first,
                     coalesce(min(seq) FILTER (WHERE at >= cutoff) - 1, max(seq)) AS upto
              FROM exhibit_history GROUP BY exhibit_id) k
        JOIN exhibit_history h ON h.exhibit_id = k.e AND h.seq = k.upto
        WHERE k.upto >= k.first
        ORDER BY h.exhibit_id
    LOOP
        DELETE FROM exhibit_history WHERE exhibit_history.exhibit_id = b.x AND exhibit_history.seq <= b.s;
        GET DIAGNOSTICS n = ROW_COUNT;
        INSERT INTO chain_checkpoints (chain, exhibit_id, seq, hash, last_id, purged_rows, cutoff, purged_at)
        VALUES ('history', b.x, b.s, b.hh, b.i, n, cutoff, now());
        p_chain := 'history'; p_exhibit := b.x; p_upto := b.s; p_rows := n;
        RETURN NEXT;
    END LOOP;
    FOR b IN
        SELECT a.seq AS s, a.hash AS hh, a.id AS i
        FROM (SELECT min(seq) AS first, coalesce(min(seq) FILTER (WHERE at >= cutoff) - 1, max(seq)) AS upto
              FROM audit_log) k
        JOIN audit_log a ON a.seq = k.upto
        WHERE k.upto >= k.first
    LOOP
        DELETE FROM audit_log WHERE audit_log.seq <= b.s;
        GET DIAGNOSTICS n = ROW_COUNT;
        INSERT INTO chain_checkpoints (chain, exhibit_id, seq, hash, last_id, purged_rows, cutoff, purged_at)
        VALUES ('audit', NULL, b.s, b.hh, b.i, n, cutoff, now());
        p_chain := 'audit'; p_exhibit := NULL; p_upto := b.s; p_rows := n;
        RETURN NEXT;
    END LOOP;
    PERFORM set_config('bayu.purge_cutoff', '', true);
END;
$$;
-- +goose StatementEnd
REVOKE EXECUTE ON FUNCTION purge_history(timestamptz) FROM PUBLIC;

-- lock_chains_for_head waits for every transaction writing a chain to end and
-- holds writers off until the caller's transaction ends, so the highest id seen
-- next is a watermark no later commit can fall below (store/heads.go). SHARE
-- mode needs rights the application role must not have; this function lends
-- the owner's for exactly this lock.
-- +goose StatementBegin
CREATE FUNCTION lock_chains_for_head() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    LOCK TABLE exhibit_history, audit_log IN SHARE MODE;
END;
$$;
-- +goose StatementEnd
REVOKE EXECUTE ON FUNCTION lock_chains_for_head() FROM PUBLIC;

-- +goose Down
DROP FUNCTION lock_chains_for_head();
DROP FUNCTION purge_history(timestamptz);
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'history is append-only: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- +goose StatementEnd
DROP TABLE chain_checkpoints;
