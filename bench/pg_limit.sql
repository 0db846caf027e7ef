-- The SQL of one display/end_display transition, as store.Fire performs it,
-- for pgbench: lock the exhibit row, update state and version, read the chain's
-- previous hash, append one history row. Each client works on its own four
-- exhibits, as `bayu bench transitions --mode display` does.
\set id 1 + :client_id * 4 + random(0, 3)
BEGIN;
SELECT id, state, version FROM exhibits WHERE id = :id FOR UPDATE;
UPDATE exhibits
   SET state = CASE WHEN state = 'stored' THEN 'on_display' ELSE 'stored' END,
       version = version + 1, updated_at = now()
 WHERE id = :id
RETURNING state, version;
SELECT seq, hash FROM exhibit_history WHERE exhibit_id = :id ORDER BY seq DESC LIMIT 1;
INSERT INTO exhibit_history (exhibit_id, seq, event, from_state, to_state, actor, role, reason, data, at, prev_hash, hash)
SELECT :id, h.seq + 1, 'display', 'stored', 'on_display', 'pgbench', 'coordinator', '', '{}', now(), h.hash,
       sha256(h.hash || int8send(h.seq + 1))
  FROM (SELECT seq, hash FROM exhibit_history WHERE exhibit_id = :id ORDER BY seq DESC LIMIT 1) h;
COMMIT;
