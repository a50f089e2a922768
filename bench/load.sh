#!/usr/bin/env bash
# Load benchmark: 5,000 cases with history (import + 3 actions each), served by `gennemgang serve`, then wrk
# against the worklist and random case pages at 64 connections, on SQLite and on PostgreSQL.
# Usage: bench/load.sh [DURATION]   (needs wrk and the PostgreSQL 15 binaries; both from Debian)
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-20s}"
cargo build --release --locked -q
bin="${CARGO_TARGET_DIR:-target}/release/gennemgang"
command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null
work=$(mktemp -d)
chmod 755 "$work"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
python3 - "$work/target.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("cpr,included,area_id,municipality_code,awarded_on,as_of\n")
    for i in range(5000):
        f.write("%02d%02d%02d%04d,true,A1,159,2015-01-01,2026-12-01\n" % (61 + i % 28, 1 + (i // 28) % 12, 70 + (i // 336) % 20, i // 6720))
PY
run() {
  local db="$1" name="$2" port="$3"
  "$bin" import --database "$db" --screening "$work/target.csv" >/dev/null
  echo "bench-password-1" | "$bin" user put --database "$db" --username bench-lead --role home_team_lead --municipality 159 >/dev/null
  echo "bench-password-1" | "$bin" user put --database "$db" --username bench-worker --role home_caseworker --municipality 159 >/dev/null
  "$bin" serve --database "$db" --listen "127.0.0.1:$port" >/dev/null &
  local pid=$!
  sleep 1
  local token
  token=$(python3 bench/load_setup.py 127.0.0.1 "$port" 5000 bench-password-1)
  # The setup rewrote every case three times; measure the steady state that autovacuum reaches in
  # production (fresh statistics, visibility map set) rather than the first seconds after a bulk load.
  if [ "$name" = PostgreSQL ]; then
    runuser -u postgres -- /usr/lib/postgresql/15/bin/psql -q -h "$pg" -U postgres -c "VACUUM ANALYZE" postgres
  fi
  for target in "/sager" "case pages"; do
    if [ "$target" = "/sager" ]; then
      out=$(wrk -t2 -c64 -d"$duration" --latency -H "Cookie: __Host-gennemgang=$token" "http://127.0.0.1:$port/sager")
    else
      out=$(wrk -t2 -c64 -d"$duration" --latency -s bench/case_page.lua -H "Cookie: __Host-gennemgang=$token" "http://127.0.0.1:$port")
    fi
    echo "== $name, $target (5,000 cases, 64 connections, $duration)"
    echo "$out" | grep -E 'Requests/sec|Latency  |50%|90%|99%|Non-2xx|Socket errors'
  done
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}
run "sqlite://$work/cases.db" SQLite 18181
pg="$work/pg"; mkdir -p "$pg"; chown postgres "$pg"
runuser -u postgres -- /usr/lib/postgresql/15/bin/initdb -D "$pg/data" -A trust -U postgres >/dev/null
runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$pg/data" -l "$pg/log" -w -o "-k $pg -c listen_addresses=" start >/dev/null
run "postgres://postgres@localhost/postgres?host=$pg" PostgreSQL 18182
runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$pg/data" -m fast stop >/dev/null
