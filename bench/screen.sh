#!/usr/bin/env bash
# Screening benchmark: generate the national extract (6 million persons by default), then time
# `gennemgang screen` against DuckDB running the same rules over the same files; both must select the
# same persons. Usage: bench/screen.sh [PERSONS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
persons="${1:-6000000}"
runs="${2:-5}"
data="$PWD/bench/data/$persons"
cargo build --release --locked -q
bin="${CARGO_TARGET_DIR:-target}/release/gennemgang"
python3 -c "import duckdb" 2>/dev/null || pip install --quiet duckdb
[ -x /usr/bin/time ] || apt-get install -y -q time >/dev/null
if [ ! -f "$data/persons.csv" ]; then
  "$bin" generate --persons "$persons" --seed 1 --out "$data"
fi
"$bin" areas --input "$data/areas.csv" --output "$data/selected.csv"
"$bin" countries > "$data/memberships.csv"
python3 bench/screen_compare.py "$data" "$runs" "$bin"
