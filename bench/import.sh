#!/usr/bin/env bash
# Import benchmark: a screening of 5,000 cases into a fresh database, RUNS times each on SQLite and on
# PostgreSQL, wall time around the process (parsing, planning, hashing the chain and the one transaction).
# With a folder of national registers (bench/screen.sh makes one: bench/data/6000000), also the screening of
# that extract — the national target group with its reasons — and the same with a reason for every pensioner
# (`screen --all`; only the included become cases), each into a fresh database. BENCH_BIN=… measures another
# build.
# Usage: bench/import.sh [RUNS] [REGISTERS]   (needs the PostgreSQL 15 binaries)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
registers="${2:-}"
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
# Imports FILE RUNS times into fresh databases, checks that each holds as many cases as FILE includes, and
# prints the times under LABEL.
measure() {
  local file="$1" label="$2" expected n s p
  expected=$(python3 -c "import csv,sys; print(sum(r['included'] == 'true' for r in csv.DictReader(open(sys.argv[1], newline=''))))" "$file")
  for n in $(seq "$runs"); do
    rm -f "$work/import.db"
    s=$(seconds "$bin" import --database "sqlite://$work/import.db" --screening "$file")
    test "$("$bin" cases --database "sqlite://$work/import.db" | tail -n +2 | wc -l)" -eq "$expected"
    runuser -u postgres -- /usr/lib/postgresql/15/bin/psql -q -h "$pg" -U postgres -c "DROP DATABASE IF EXISTS imp" -c "CREATE DATABASE imp" postgres
    p=$(seconds "$bin" import --database "postgres://postgres@localhost/imp?host=$pg" --screening "$file")
    echo "run $n: SQLite ${s} s, PostgreSQL ${p} s ($label: $expected cases)"
  done
}
measure "$work/target.csv" "synthetic screening"
if [ -n "$registers" ]; then
  [ -f "$registers/selected.csv" ] || "$bin" areas --input "$registers/areas.csv" --output "$registers/selected.csv"
  [ -f "$registers/memberships.csv" ] || "$bin" countries >"$registers/memberships.csv"
  for mode in target all; do
    flag=(); [ "$mode" = target ] || flag=(--all)
    "$bin" screen --registers "$registers" --areas "$registers/selected.csv" --as-of 2026-12-01 \
      --output "$work/national-$mode.csv" "${flag[@]}" >/dev/null
    echo "screening ($mode): $(stat -c %s "$work/national-$mode.csv") bytes"
    measure "$work/national-$mode.csv" "national screening, $mode"
  done
fi
