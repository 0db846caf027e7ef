#!/usr/bin/env bash
# Compares bayu's transition throughput over HTTP with what PostgreSQL itself
# does with the same SQL (bench/pg_limit.sql) at the same client count.
#   bench/pg_limit.sh [CLIENTS] [SECONDS] [ROUNDS]
# Needs DATABASE_URL (or the local default), pgbench and psql.
#
# A round runs pgbench (its default protocol, then -M prepared) and
# `bayu bench transitions` back to back for SECONDS each. On a machine shared
# with others a neighbour's load moves every figure by a quarter from one run to
# the next, so each round's ratio pairs runs made a few seconds apart, and the
# medians of ROUNDS rounds are the result.
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-32}
seconds=${2:-15}
rounds=${3:-5}
base=${DATABASE_URL:-postgres://$(id -un)@127.0.0.1:5432/bayu?sslmode=disable}
db=bayu_pglimit_$$
admin="${base%/*}/postgres?${base#*\?}"
url="${base%/*}/$db?${base#*\?}"
bin=$(mktemp -d)/bayu

go build -o "$bin" ./cmd/bayu
psql -q "$admin" -c "CREATE DATABASE $db"
trap 'psql -q "$admin" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null; rm -rf "$(dirname "$bin")"' EXIT
DATABASE_URL=$url "$bin" migrate >/dev/null

# Exhibits in store with one history row each, ids 1..clients*4+4, as the app's run has.
psql -q "$url" <<SQL
ALTER TABLE exhibit_history DISABLE TRIGGER USER;
INSERT INTO exhibits (district, name, method, state, created_at, updated_at)
SELECT '500101', '基准展品 ' || i, 'donation', 'stored', now(), now() FROM generate_series(1, $clients * 4 + 4) i;
INSERT INTO exhibit_history (exhibit_id, seq, event, to_state, actor, role, at, hash)
SELECT id, 1, 'create', 'mobilized', 'pgbench', 'coordinator', now(), sha256(int8send(id)) FROM exhibits;
ALTER TABLE exhibit_history ENABLE TRIGGER USER;
-- The user and token the transitions' locking statement checks (user 1, as the script says).
INSERT INTO users (id, name, role, created_at) VALUES (1, 'pgbench', 'coordinator', now());
INSERT INTO api_tokens (user_id, digest, created_at) VALUES (1, sha256('pgbench'), now());
SQL

# busy_ticks prints the machine's CPU ticks spent neither idle, in I/O wait nor stolen.
busy_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8; exit}' /proc/stat; }

# pg MODE runs pgbench and prints "TPS MICROSECONDS_OF_CPU_PER_TRANSACTION".
pg() {
  local t0 out tps
  t0=$(busy_ticks)
  out=$(pgbench -n -c "$clients" -j 2 -T "$seconds" -M "$1" -f bench/pg_limit.sql "$url" 2>&1)
  tps=$(awk '/^tps = /{print $3; exit}' <<<"$out")
  awk -v tps="$tps" -v d="$(( $(busy_ticks) - t0 ))" -v s="$seconds" 'BEGIN { printf "%.1f %.0f\n", tps, 1e6 * d / 100 / (tps * s) }'
}

results=$(mktemp)
for round in $(seq 1 "$rounds"); do
  read -r simple simple_cpu < <(pg simple)
  read -r prepared prepared_cpu < <(pg prepared)
  # bayu bench exits non-zero when any request failed, which stops the script.
  out=$(DATABASE_URL=$base "$bin" bench transitions --clients "$clients" --duration "${seconds}s")
  app=$(awk -F'[= ]' '/^throughput=/{print $2}' <<<"$out")
  lat=$(grep '^latency' <<<"$out")
  read -r app_cpu own_cpu < <(sed -n 's/^cpu per transition machine=\([0-9]*\)us bayu=\([0-9]*\)us$/\1 \2/p' <<<"$out")
  echo "$round $simple $prepared $app $simple_cpu $prepared_cpu $app_cpu $own_cpu" >>"$results"
  awk -v r="$round" -v s="$simple" -v p="$prepared" -v a="$app" -v l="$lat" -v sc="$simple_cpu" -v pc="$prepared_cpu" -v ac="$app_cpu" -v oc="$own_cpu" 'BEGIN {
    printf "round %d: pgbench %.0f/s (%s us cpu), -M prepared %.0f/s (%s us), bayu %.0f/s (%s us, bayu process %s us; %s): %.1f %% of pgbench, %.1f %% of -M prepared\n",
      r, s, sc, p, pc, a, ac, oc, l, 100 * a / s, 100 * a / p }'
done

# median COLUMN prints the median of a column of the results (of an expression of columns).
median() { awk "{print $1}" "$results" | sort -g | awk '{v[NR]=$1} END { if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2 }'; }
echo
echo "medians of $rounds rounds of ${seconds}s at $clients clients (machine CPU per transaction in microseconds):"
echo "pgbench (same SQL):      $(median '$2') transactions/s   $(median '$5') us"
echo "pgbench -M prepared:     $(median '$3') transactions/s   $(median '$6') us"
echo "bayu over HTTP:          $(median '$4') transitions/s    $(median '$7') us (bayu process $(median '$8') us)"
printf 'ratio bayu/pgbench:      %.1f %%\n' "$(median '100*$4/$2')"
printf 'ratio bayu/-M prepared:  %.1f %%\n' "$(median '100*$4/$3')"
rm -f "$results"
