#!/usr/bin/env bash
# Load benchmark: 5,000 cases with history (import + 3 actions each), served by `gennemgang serve`, then wrk
# against the worklist and random case pages at 64 connections, on SQLite and on PostgreSQL.
# Usage: bench/load.sh [DURATION]   (needs wrk and the PostgreSQL 15 binaries; both from Debian)
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-20s}"
. bench/lib.sh
run() {
  local db="$1" name="$2" port="$3"
  five_thousand_cases "$db"
  # The server's log (a JSON line per request) to a file, as a service's goes to the journal.
  "$bin" serve --database "$db" --listen "127.0.0.1:$port" >/dev/null 2>"$work/serve-$name.log" &
  local pid=$!
  sleep 1
  local token
  token=$(python3 bench/load_setup.py 127.0.0.1 "$port" 5000 bench-password-1)
  # The setup rewrote every case three times; measure the steady state that autovacuum reaches in
  # production (fresh statistics, visibility map set) rather than the first seconds after a bulk load.
  if [ "$name" = PostgreSQL ]; then
    vacuum_postgres
  fi
  # The server's own ceiling first (no session, no database), then the pages, then a search by CPR number
  # (the first case's) and one by part of a name without its diacritics (logged like every search).
  for target in "/healthz" "/sager" "case pages" "search" "name search"; do
    if [ "$target" = "/healthz" ]; then
      out=$(wrk -t2 -c64 -d"$duration" --latency "http://127.0.0.1:$port/healthz")
    elif [ "$target" = "/sager" ]; then
      out=$(wrk -t2 -c64 -d"$duration" --latency -H "Cookie: __Host-gennemgang=$token" "http://127.0.0.1:$port/sager")
    elif [ "$target" = "name search" ]; then
      out=$(wrk -t2 -c64 -d"$duration" --latency -H "Cookie: __Host-gennemgang=$token" "http://127.0.0.1:$port/sager?q=ozturk")
    elif [ "$target" = "search" ]; then
      out=$(wrk -t2 -c64 -d"$duration" --latency -H "Cookie: __Host-gennemgang=$token" "http://127.0.0.1:$port/sager?q=6101700000")
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
run "$(start_postgres)" PostgreSQL 18182
