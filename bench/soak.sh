#!/usr/bin/env bash
# Soak: mixed reads and actions against `gennemgang serve` on PostgreSQL for DURATION (default 30m) at 32
# connections; the server's resident memory is sampled every minute. Needs wrk and PostgreSQL 15 (Debian).
# Usage: bench/soak.sh [DURATION [READS]]: after DURATION of mixed load, READS (default 0, none) of reads only,
# to tell memory that follows the data (histories grow with every action) from memory that leaks.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-30m}"
reads="${2:-0}"
cargo build --release --locked -q
bin="${CARGO_TARGET_DIR:-target}/release/gennemgang"
command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null
work=$(mktemp -d)
chmod 755 "$work"
pg="$work/pg"; mkdir -p "$pg"; chown postgres "$pg"
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$pg/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
runuser -u postgres -- /usr/lib/postgresql/15/bin/initdb -D "$pg/data" -A trust -U postgres >/dev/null
runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$pg/data" -l "$pg/log" -w -o "-k $pg -c listen_addresses=" start >/dev/null
db="postgres://postgres@localhost/postgres?host=$pg"
python3 - "$work/target.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("cpr,included,area_id,municipality_code,awarded_on,as_of\n")
    for i in range(5000):
        f.write("%02d%02d%02d%04d,true,A1,159,2015-01-01,2026-12-01\n" % (61 + i % 28, 1 + (i // 28) % 12, 70 + (i // 336) % 20, i // 6720))
PY
"$bin" import --database "$db" --screening "$work/target.csv" >/dev/null
for u in bench-lead:home_team_lead bench-worker:home_caseworker; do
  echo "bench-password-1" | "$bin" user put --database "$db" --username "${u%%:*}" --role "${u##*:}" --municipality 159 >/dev/null
done
"$bin" serve --database "$db" --listen 127.0.0.1:18183 --outbox "$work/outbox" >/dev/null &
pid=$!
sleep 1
lead=$(python3 bench/load_setup.py 127.0.0.1 18183 5000 bench-password-1)
worker=$(cd bench && python3 -c "from api import Api; print(Api('127.0.0.1', 18183, 'bench-password-1').token('bench-worker'))")
runuser -u postgres -- /usr/lib/postgresql/15/bin/psql -q -h "$pg" -U postgres -c "VACUUM ANALYZE" postgres
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
echo "start: rss $(rss) kB"
( while kill -0 "$pid" 2>/dev/null; do sleep 60; echo "$(date +%H:%M:%S) rss $(rss) kB"; done ) &
# The lead's token serves the pages (the worklist sees all 5,000); the caseworker's the actions.
TOKEN="$worker" COOKIE="$lead" wrk -t2 -c32 -d"$duration" --timeout 10s -s bench/soak.lua http://127.0.0.1:18183
echo "end of mixed load: rss $(rss) kB"
if [ "$reads" != "0" ]; then
  TOKEN="$worker" COOKIE="$lead" ACTIONS=0 wrk -t2 -c32 -d"$reads" --timeout 10s -s bench/soak.lua http://127.0.0.1:18183
  echo "end of reads only: rss $(rss) kB"
fi
"$bin" audit verify --database "$db"
