#!/usr/bin/env bash
# Import benchmark: a screening of 5,000 cases into a fresh database, RUNS times each on SQLite and on
# PostgreSQL, wall time around the process (parsing, planning, hashing the chain and the one transaction).
# BENCH_BIN=… measures another build; bench/compare_import.sh runs two in turn.
# Usage: bench/import.sh [RUNS]   (needs the PostgreSQL 15 binaries)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
. bench/lib.sh
target_csv "$work/target.csv"
pg_url=$(start_postgres)
seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.3f}')"
}
for n in $(seq "$runs"); do
  rm -f "$work/import.db"
  s=$(seconds "$bin" import --database "sqlite://$work/import.db" --screening "$work/target.csv")
  test "$("$bin" cases --database "sqlite://$work/import.db" | wc -l)" -ge 5000
  runuser -u postgres -- /usr/lib/postgresql/15/bin/psql -q -h "$pg" -U postgres -c "DROP DATABASE IF EXISTS imp" -c "CREATE DATABASE imp" postgres
  p=$(seconds "$bin" import --database "postgres://postgres@localhost/imp?host=$pg" --screening "$work/target.csv")
  echo "run $n: SQLite ${s} s, PostgreSQL ${p} s (5,000 cases)"
done
