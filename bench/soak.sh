#!/usr/bin/env bash
# Soak: mixed reads and actions against `gennemgang serve` on PostgreSQL for DURATION (default 30m) at 32
# connections; the server's resident memory is sampled every minute. Needs wrk and PostgreSQL 15 (Debian).
# Usage: bench/soak.sh [DURATION [READS]]: after DURATION of mixed load, READS (default 0, none) of reads only,
# to tell memory that follows the data (histories grow with every action) from memory that leaks.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-30m}"
reads="${2:-0}"
. bench/lib.sh
db=$(start_postgres)
five_thousand_cases "$db"
"$bin" serve --database "$db" --listen 127.0.0.1:18183 --outbox "$work/outbox" >/dev/null &
pid=$!
sleep 1
lead=$(python3 bench/load_setup.py 127.0.0.1 18183 5000 bench-password-1)
worker=$(cd bench && python3 -c "from api import Api; print(Api('127.0.0.1', 18183, 'bench-password-1').token('bench-worker'))")
vacuum_postgres
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
