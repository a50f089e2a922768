#!/usr/bin/env bash
# Pension calculation benchmark: divan micro-benchmarks of one calculation (quiet and explained) and a
# 250,000-pensioner what-if, then the CLI what-if against DuckDB computing the same 2020 rules in SQL over
# the same exported population; the totals must agree to the krone. Usage: bench/pension.sh [PENSIONERS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
pensioners="${1:-250000}"
runs="${2:-5}"
cargo build --release --locked -q
bin="${CARGO_TARGET_DIR:-target}/release/gennemgang"
python3 -c "import duckdb" 2>/dev/null || pip install --quiet duckdb
mkdir -p bench/data
overlay=bench/data/allowance-100000.toml
printf '[[rate]]\nitem = "allowance_single"\nyear = 2020\nvalue = 100000\nunit = "kr/year"\nsource = "what-if"\n' > "$overlay"

cargo bench -p gennemgang-rules --bench pension --locked 2>/dev/null | sed -n '/^pension/,$p'

"$bin" whatif --year 2020 --rates "$overlay" --pensioners "$pensioners" --export bench/data/population.csv \
  > bench/data/whatif.txt 2>/dev/null
python3 - "$bin" "$overlay" "$pensioners" "$runs" <<'PY'
import re, statistics, subprocess, sys, time
import duckdb

binary, overlay, pensioners, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def ours():
    t = time.perf_counter()
    out = subprocess.run([binary, "whatif", "--year", "2020", "--rates", overlay, "--pensioners", pensioners],
                         check=True, capture_output=True, text=True)
    wall = time.perf_counter() - t
    inner = float(re.search(r"in ([0-9.]+) s", out.stderr).group(1))
    totals = [int(x.replace(".", "")) for x in re.findall(r"total, [^:]+: ([0-9.]+) kr\.", out.stdout)]
    return wall, inner, totals
def theirs():
    con = duckdb.connect()
    sql = open("bench/duckdb_pension.sql").read()
    t = time.perf_counter()
    row = con.execute(sql).fetchall()[0]
    return time.perf_counter() - t, [row[1], row[2]]
a, b = [], []
for _ in range(runs):
    a.append(ours()); b.append(theirs())
if a[0][2] != b[0][1]:
    sys.exit(f"totals differ: gennemgang {a[0][2]} vs DuckDB {b[0][1]}")
print(f"pensioners {pensioners}; totals agree: {a[0][2]}")
print(f"gennemgang whatif: median wall {statistics.median(x[0] for x in a):.3f} s, "
      f"calculation {statistics.median(x[1] for x in a)*1000:.1f} ms (2 x {pensioners} pensions)")
print(f"DuckDB same rules in SQL: median {statistics.median(x[0] for x in b):.3f} s (incl. reading the CSV)")
PY
