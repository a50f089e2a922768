#!/usr/bin/env bash
# The worklist, the search by name and the case page of this checkout and of an earlier commit, on SQLite and
# on PostgreSQL: both builds served at once (each with its own database of the same 5,000 cases) and measured
# in turn, round after round, so that the VM's neighbours move both alike and what differs is the change.
# Usage: bench/ab.sh REV [DURATION] [ROUNDS]   (needs wrk and the PostgreSQL 15 binaries; both from Debian)
# BEFORE_BIN=PATH uses a release binary of REV already built instead of building it (a few minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
rev="$1"
duration="${2:-8s}"
rounds="${3:-2}"
target="${CARGO_TARGET_DIR:-target}"
before_bin="${BEFORE_BIN:-$target-before/release/gennemgang}"
if [ -z "${BEFORE_BIN:-}" ]; then
  before=$(mktemp -d)
  git worktree add --detach -q "$before" "$rev"
  (cd "$before" && CARGO_TARGET_DIR="$target-before" cargo build --release --locked -q)
  git worktree remove --force "$before"
fi
cargo build --release --locked -q
export BENCH_BIN="$target/release/gennemgang"
. bench/lib.sh
declare -A bins=([before]="$before_bin" [after]="$target/release/gennemgang")
declare -A tokens ports
start_postgres >/dev/null
port=18183
for database in sqlite postgres; do
  for build in before after; do
    if [ "$database" = sqlite ]; then
      db="sqlite://$work/$build.db"
    else
      runuser -u postgres -- /usr/lib/postgresql/15/bin/psql -q -h "$pg" -U postgres -c "CREATE DATABASE $build" postgres
      db="postgres://postgres@localhost/$build?host=$pg"
    fi
    bin="${bins[$build]}" five_thousand_cases "$db" 2>/dev/null
    "${bins[$build]}" serve --database "$db" --listen "127.0.0.1:$port" >/dev/null 2>&1 &
    sleep 1
    ports[$database-$build]=$port
    tokens[$database-$build]=$(python3 bench/load_setup.py 127.0.0.1 "$port" 5000 bench-password-1)
    if [ "$database" = postgres ]; then
      runuser -u postgres -- /usr/lib/postgresql/15/bin/psql -q -h "$pg" -U postgres -c "VACUUM ANALYZE" "$build"
    fi
    port=$((port + 1))
  done
done
# requests/s and p99 of one page
measure() {
  wrk -t2 -c64 -d"$duration" --latency "$@" | awk '/Requests\/sec/ {r=$2} / 99%/ {p=$2} END {print r " req/s, p99 " p}'
}
echo "before: $(git log -1 --format='%h %cs' "$rev"); after: $(git log -1 --format='%h %cs' HEAD) and the working tree"
for round in $(seq "$rounds"); do
  for database in sqlite postgres; do
    for build in before after; do
      url="http://127.0.0.1:${ports[$database-$build]}"
      cookie="Cookie: __Host-gennemgang=${tokens[$database-$build]}"
      echo "round $round, $database, $build:" \
        "healthz $(measure "$url/healthz") |" \
        "worklist $(measure -H "$cookie" "$url/sager") |" \
        "name search $(measure -H "$cookie" "$url/sager?q=ozturk") |" \
        "case page $(measure -s bench/case_page.lua -H "$cookie" "$url")"
    done
  done
done
