"""Times `gennemgang screen` and DuckDB running the same rules over the same files, checks that both select
exactly the same persons, and prints a Markdown table (median of several runs, peak memory) with the ratio to
DuckDB. Usage: screen_compare.py DATA RUNS BINARY [BASELINE_BINARY] — a baseline (an earlier build) is timed
in the same run, in turn with the others, for a before/after that the machine's drift cannot blur."""
import csv, os, platform, re, statistics, subprocess, sys, tempfile, time

data, runs, binary = sys.argv[1], int(sys.argv[2]), sys.argv[3]
baseline = sys.argv[4] if len(sys.argv) > 4 else None
as_of = "2026-12-01"
tmp = tempfile.mkdtemp()


def timed(cmd):
    """Wall time and peak RSS (MiB) of a command, via GNU time."""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1)) / 1024
    return wall, rss


ours_out = os.path.join(tmp, "ours.csv")
ours_cmd = [binary, "screen", "--registers", data, "--areas", f"{data}/selected.csv", "--as-of", as_of, "--output", ours_out]
sql = open(os.path.join(os.path.dirname(__file__), "duckdb_screen.sql")).read()
duck_out = os.path.join(tmp, "duck.csv")
sql = sql.replace("__DIR__", data).replace("__AS_OF__", as_of).replace("__OUT__", duck_out)
sql_path = os.path.join(tmp, "screen.sql")
open(sql_path, "w").write(sql)
duck_cmd = [sys.executable, "-c", f"import duckdb; duckdb.connect().execute(open({sql_path!r}).read())"]

results = {"gennemgang screen": [], "DuckDB (same rules in SQL)": []}
if baseline:
    results["gennemgang screen, baseline build"] = []
    base_cmd = [baseline, *ours_cmd[1:-1], os.path.join(tmp, "base.csv")]
for _ in range(runs):
    results["gennemgang screen"].append(timed(ours_cmd))
    results["DuckDB (same rules in SQL)"].append(timed(duck_cmd))
    if baseline:
        results["gennemgang screen, baseline build"].append(timed(base_cmd))

ours = sorted(r["cpr"] for r in csv.DictReader(open(ours_out)))
duck = sorted(r["cpr"] for r in csv.DictReader(open(duck_out)))
if ours != duck:
    only_ours, only_duck = set(ours) - set(duck), set(duck) - set(ours)
    sys.exit(f"DISAGREE: {len(ours)} vs {len(duck)}; only ours {len(only_ours)}, only DuckDB {len(only_duck)}")

size = sum(os.path.getsize(os.path.join(data, f)) for f in os.listdir(data) if f.endswith(".csv"))
persons = sum(1 for _ in open(os.path.join(data, "persons.csv"))) - 1
print(f"data: {persons:,} persons, {size / 2**20:.0f} MiB of CSV; target group {len(ours):,} persons, identical in both")
print(f"machine: {os.cpu_count()} cores, {platform.machine()}, {platform.platform()}; runs: {runs}")
print()
print("| tool | median wall (s) | min (s) | max (s) | peak RSS (MiB) |")
print("|---|---|---|---|---|")
for name, rs in results.items():
    walls = [w for w, _ in rs]
    print(f"| {name} | {statistics.median(walls):.2f} | {min(walls):.2f} | {max(walls):.2f} | {max(r for _, r in rs):.0f} |")
duck_median = statistics.median(w for w, _ in results["DuckDB (same rules in SQL)"])
for name, rs in results.items():
    if name.startswith("gennemgang"):
        print(f"\n{name}: {statistics.median(w for w, _ in rs) / duck_median:.2f}x DuckDB's median time (goal: 0.25x)", end="")
print()
