-- The SQL of one display/end_display transition, statement for statement as
-- store.Fire sends it, for pgbench (bench/pg_limit.sh): lock the exhibit row and
-- check the bearer token in the same statement; update state and version and
-- read the chain's end in one; append one history row; commit. Five round trips,
-- as the application's. The application's statements read and write every
-- column of the row; these only the ones that change, so PostgreSQL does less
-- here than for bayu. Each client works on its own four exhibits, as
-- `bayu bench transitions --mode display` does.
\set id 1 + :client_id * 4 + random(0, 3)
BEGIN;
SELECT id, state, version,
       EXISTS (SELECT 1 FROM api_tokens t JOIN users u ON u.id = t.user_id
                WHERE t.digest = sha256('pgbench') AND t.user_id = 1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL) AS token_ok
  FROM exhibits WHERE id = :id FOR UPDATE;
WITH updated AS (
  UPDATE exhibits
     SET state = CASE WHEN state = 'stored' THEN 'on_display' ELSE 'stored' END,
         version = version + 1, updated_at = now()
   WHERE id = :id
  RETURNING state, version)
SELECT updated.state, updated.version, last.seq, last.hash, '{}'::jsonb::text AS data
  FROM updated,
       (SELECT coalesce(max(seq), 0) AS seq, (array_agg(hash ORDER BY seq DESC))[1] AS hash FROM (
          (SELECT seq, hash FROM exhibit_history WHERE exhibit_id = :id ORDER BY seq DESC LIMIT 1)
          UNION ALL
          (SELECT seq, hash FROM chain_checkpoints WHERE chain = 'history' AND exhibit_id = :id ORDER BY seq DESC LIMIT 1)
        ) ends) AS last
\gset
-- bayu computes the hash in Go and sends it; pgbench has no sha256, so the
-- server makes it from the previous row, found by its key.
INSERT INTO exhibit_history (exhibit_id, seq, event, from_state, to_state, actor_id, actor, role, reason, data, at,
                             client_addr, request_id, prev_hash, hash)
SELECT :id, :seq + 1, 'display', 'stored', 'on_display', 1, 'pgbench', 'coordinator', '', '{}', now(),
       '127.0.0.1', 'pgbench', p.hash, sha256(p.hash || int8send(:seq + 1))
  FROM exhibit_history p WHERE p.exhibit_id = :id AND p.seq = :seq;
COMMIT;
