#!/usr/bin/env bash
# The worklist and the case page of this checkout and of an earlier commit on PostgreSQL, both served at once
# from one PostgreSQL server (each build with its own database of the same 5,000 cases) and measured in turn,
# round after round: the VM's neighbours move both alike, so what differs between them is the change.
# Usage: bench/ab_postgres.sh REV [DURATION] [ROUNDS]   (needs wrk and the PostgreSQL 15 binaries)
set -euo pipefail
cd "$(dirname "$0")/.."
rev="$1"
duration="${2:-8s}"
rounds="${3:-2}"
target="${CARGO_TARGET_DIR:-target}"
before=$(mktemp -d)
git worktree add --detach -q "$before" "$rev"
(cd "$before" && CARGO_TARGET_DIR="$target-before" cargo build --release --locked -q)
git worktree remove --force "$before"
cargo build --release --locked -q
export BENCH_BIN="$target/release/gennemgang"
. bench/lib.sh
declare -A bins=([before]="$target-before/release/gennemgang" [after]="$target/release/gennemgang")
declare -A ports=([before]=18183 [after]=18184)
declare -A tokens
start_postgres >/dev/null
for build in before after; do
  runuser -u postgres -- /usr/lib/postgresql/15/bin/psql -q -h "$pg" -U postgres -c "CREATE DATABASE $build" postgres
  db="postgres://postgres@localhost/$build?host=$pg"
  bin="${bins[$build]}" five_thousand_cases "$db" 2>/dev/null
  "${bins[$build]}" serve --database "$db" --listen "127.0.0.1:${ports[$build]}" >/dev/null 2>&1 &
  sleep 1
  tokens[$build]=$(python3 bench/load_setup.py 127.0.0.1 "${ports[$build]}" 5000 bench-password-1)
  runuser -u postgres -- /usr/lib/postgresql/15/bin/psql -q -h "$pg" -U postgres -c "VACUUM ANALYZE" "$build"
done
echo "before: $(git log -1 --format='%h %cs' "$rev"), after: $(git log -1 --format='%h %cs' HEAD) (+ working tree)"
for round in $(seq "$rounds"); do
  for build in before after; do
    port=${ports[$build]}
    cookie="Cookie: __Host-gennemgang=${tokens[$build]}"
    h=$(wrk -t2 -c64 -d"$duration" "http://127.0.0.1:$port/healthz" | awk '/Requests\/sec/ {print $2}')
    w=$(wrk -t2 -c64 -d"$duration" --latency -H "$cookie" "http://127.0.0.1:$port/sager" | awk '/Requests\/sec/ {r=$2} / 99%/ {p=$2} END {print r, p}')
    c=$(wrk -t2 -c64 -d"$duration" --latency -s bench/case_page.lua -H "$cookie" "http://127.0.0.1:$port" | awk '/Requests\/sec/ {r=$2} / 99%/ {p=$2} END {print r, p}')
    echo "round $round $build: healthz $h req/s | worklist $w | case page $c"
  done
done
