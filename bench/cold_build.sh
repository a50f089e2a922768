#!/usr/bin/env bash
# A newcomer's wait (issue 18.4): the release build of the binary from nothing — a fresh checkout of REV and
# an empty target folder — as `cargo run --release -- demo` does it from a fresh clone. The crates are
# fetched first and not timed (the registry is a download, not a build). Prints the wall and CPU time, the
# peak memory, the number of crates and the slowest units; cargo's own report is left in the target folder.
# Usage: bench/cold_build.sh [REV ...]   (default HEAD; several revisions are built one after the other in
# the same run, so their figures can be compared)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- HEAD
command -v /usr/bin/time >/dev/null || apt-get install -y -q time >/dev/null
for rev in "$@"; do
  work=$(mktemp -d)
  git worktree add --detach -q "$work/src" "$rev"
  (
    cd "$work/src"
    cargo fetch --locked -q
    CARGO_TARGET_DIR="$work/target" /usr/bin/time -v cargo build --release --locked --timings -p gennemgang \
      >"$work/build.log" 2>&1
  )
  echo "### $(git log -1 --format='%h %cs' "$rev")"
  grep -E 'Elapsed \(wall|User time|System time|Maximum resident' "$work/build.log" | sed 's/^\s*/  /'
  echo "  crates compiled: $(grep -c '^ *Compiling ' "$work/build.log")"
  echo "  binary: $(stat -c %s "$work/target/release/gennemgang") bytes"
  # The slowest units, from cargo's timing report (its data is a JSON array in the HTML).
  python3 - "$work/target/cargo-timings/cargo-timing.html" <<'EOF'
import json, re, sys
html = open(sys.argv[1]).read()
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S).group(1))
for u in sorted(units, key=lambda u: -u["duration"])[:12]:
    print(f"  {u['duration']:7.1f} s  {u['name']} {u['version']} {u.get('target', '').strip()}")
EOF
  git worktree remove --force "$work/src"
  rm -rf "$work"
done
