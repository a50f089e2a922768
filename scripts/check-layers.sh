#!/usr/bin/env bash
# The pure crates at the bottom must never pull in I/O frameworks (ARCHITECTURE.md: arrows point down).
set -euo pipefail
cd "$(dirname "$0")/.."
forbidden='^(tokio|sqlx|axum|askama|typst|hyper|reqwest|rayon|csv) '
status=0
for crate in gennemgang-rules gennemgang-case gennemgang-store gennemgang-letters; do
  if hits=$(cargo tree --locked -p "$crate" -e normal --prefix none | grep -E "$forbidden"); then
    echo "layer violation: $crate depends on:" >&2
    echo "$hits" | sort -u >&2
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "layers ok: gennemgang-rules, gennemgang-case, gennemgang-store and gennemgang-letters depend on no I/O framework"
exit "$status"
