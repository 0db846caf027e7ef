#!/usr/bin/env bash
# Compares bayu's transition throughput over HTTP with what PostgreSQL itself
# does with the same SQL (bench/pg_limit.sql) at the same client count.
#   bench/pg_limit.sh [CLIENTS] [SECONDS]
# Needs DATABASE_URL (or the local default), pgbench and psql.
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-32}
seconds=${2:-30}
base=${DATABASE_URL:-postgres://$(id -un)@127.0.0.1:5432/bayu?sslmode=disable}
db=bayu_pglimit_$$
admin="${base%/*}/postgres?${base#*\?}"
url="${base%/*}/$db?${base#*\?}"

go build -o /tmp/bayu-pglimit ./cmd/bayu
psql -q "$admin" -c "CREATE DATABASE $db"
trap 'psql -q "$admin" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null' EXIT
DATABASE_URL=$url /tmp/bayu-pglimit migrate >/dev/null

# Exhibits in store with one history row each, ids 1..clients*4+4, as the app's run has.
psql -q "$url" <<SQL
ALTER TABLE exhibit_history DISABLE TRIGGER USER;
INSERT INTO exhibits (district, name, method, state, created_at, updated_at)
SELECT '500101', '基准展品 ' || i, 'donation', 'stored', now(), now() FROM generate_series(1, $clients * 4 + 4) i;
INSERT INTO exhibit_history (exhibit_id, seq, event, to_state, actor, role, at, hash)
SELECT id, 1, 'create', 'mobilized', 'pgbench', 'coordinator', now(), sha256(int8send(id)) FROM exhibits;
ALTER TABLE exhibit_history ENABLE TRIGGER USER;
SQL

pg=$(pgbench -n -c "$clients" -j 2 -T "$seconds" -f bench/pg_limit.sql "$url" 2>&1 | awk '/^tps = /{print $3; exit}')
app=$(DATABASE_URL=$base /tmp/bayu-pglimit bench transitions --clients "$clients" --duration "${seconds}s" | tee /dev/stderr | awk -F'[= ]' '/^throughput=/{print $2}')
echo "pgbench (same SQL):   $pg transactions/s at $clients clients"
echo "bayu over HTTP:       $app transitions/s at $clients clients"
awk -v a="$app" -v p="$pg" 'BEGIN { printf "ratio bayu/pgbench:   %.1f %%\n", 100 * a / p }'
