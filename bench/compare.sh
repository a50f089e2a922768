#!/usr/bin/env bash
# The load benchmark for this checkout and for an earlier commit, one after the other in the same run, on the
# same data: "no page slower than before" measured, not remembered.
# Usage: bench/compare.sh REV [DURATION]   (REV: the commit to compare with, e.g. the last release)
set -euo pipefail
cd "$(dirname "$0")/.."
rev="$1"
duration="${2:-20s}"
target="${CARGO_TARGET_DIR:-target}"
# The earlier commit is built in a worktree of its own into a target folder of its own, so that neither
# build replaces the other's binary.
before=$(mktemp -d)
trap 'git worktree remove --force "$before" >/dev/null 2>&1 || true' EXIT
git worktree add --detach -q "$before" "$rev"
(cd "$before" && CARGO_TARGET_DIR="$target-before" cargo build --release --locked -q)
cargo build --release --locked -q
echo "### before: $(git log -1 --format='%h %cs' "$rev")"
BENCH_BIN="$target-before/release/gennemgang" bash bench/load.sh "$duration"
echo "### after: $(git log -1 --format='%h %cs' HEAD)"
BENCH_BIN="$target/release/gennemgang" bash bench/load.sh "$duration"
