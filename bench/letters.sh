#!/usr/bin/env bash
# Letters benchmark: 5,000 cases taken to an approved revocation through the API, then every decision
# letter composed from its case and typeset as PDF/A (and, separately, wrapped as MeMo) by
# `gennemgang letters`, in parallel on this machine's cores. Goal: 5,000 decision letters in under a minute.
# Usage: bench/letters.sh [CASES]
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${1:-5000}"
cargo build --release --locked -q
bin="${CARGO_TARGET_DIR:-target}/release/gennemgang"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
python3 - "$work/target.csv" "$cases" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("cpr,included,area_id,municipality_code,awarded_on,as_of\n")
    for i in range(int(sys.argv[2])):
        f.write("%02d%02d%02d%04d,true,A1,159,2015-01-01,2026-12-01\n" % (61 + i % 28, 1 + (i // 28) % 12, 70 + (i // 336) % 20, i // 6720))
PY
db="sqlite://$work/cases.db"
"$bin" import --database "$db" --screening "$work/target.csv" >/dev/null
for u in bench-lead:home_team_lead:159 bench-worker:home_caseworker:159 bench-decider:deciding_caseworker:101 bench-approver:deciding_approver:101; do
  IFS=: read -r name role m <<<"$u"
  echo "bench-password-1" | "$bin" user put --database "$db" --username "$name" --role "$role" --municipality "$m" >/dev/null
done
"$bin" serve --database "$db" --listen 127.0.0.1:18191 --outbox "$work/outbox" >/dev/null &
pid=$!
sleep 1
setup_start=$(date +%s)
python3 bench/letters_setup.py 127.0.0.1 18191 "$cases" bench-password-1
echo "setup: $cases cases to an approved revocation through the API in $(( $(date +%s) - setup_start )) s"
kill "$pid"; wait "$pid" 2>/dev/null || true
echo "== PDF/A, $(nproc) cores"
"$bin" letters --database "$db" --kind decision-revocation --output "$work/pdf" --sent "$(date +%F)" 2>/dev/null
echo "   $(ls "$work/pdf" | wc -l) files, $(du -sh "$work/pdf" | cut -f1)"
echo "== MeMo (PDF inside), $(nproc) cores"
"$bin" letters --database "$db" --kind decision-revocation --output "$work/memo" --format memo --sent "$(date +%F)" 2>/dev/null
echo "   $(ls "$work/memo" | wc -l) files, $(du -sh "$work/memo" | cut -f1)"
