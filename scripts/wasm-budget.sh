#!/usr/bin/env bash
# Prints the gzipped size of every release wasm in dist/ against its budget in budgets.toml and
# fails when one is more than 10 % over. Run after `trunk build --release --offline`.
#
# Growth is allowed, but only on purpose: a commit that raises a budget says what the bytes buy.
set -euo pipefail
cd "$(dirname "$0")/.."
budget_file=budgets.toml
dist=${1:-dist}
tolerance=110   # percent of the budget that still passes

shopt -s nullglob
status=0
declare -A covered=()
printf '%-28s %12s %12s %12s %8s\n' "wasm (dist/)" "raw bytes" "gzip -9" "budget" "of budget"
# Budget lines look like:  "worker_bg.wasm" = 630_000
while IFS= read -r line; do
  [[ $line =~ ^\"([^\"]+)\"[[:space:]]*=[[:space:]]*([0-9_]+) ]] || continue
  pattern=${BASH_REMATCH[1]}
  budget=${BASH_REMATCH[2]//_/}
  files=("$dist"/$pattern)
  if [ ${#files[@]} -ne 1 ]; then
    echo "!! $pattern: expected exactly one file in $dist/, found ${#files[@]} (run trunk build --release --offline first)"
    status=1
    continue
  fi
  file=${files[0]}
  covered[$file]=1
  raw=$(wc -c < "$file")
  gz=$(gzip -9 -n -c "$file" | wc -c)
  pct=$((gz * 100 / budget))
  verdict=""
  if [ $((gz * 100)) -gt $((budget * tolerance)) ]; then
    verdict="  OVER BUDGET"
    status=1
  elif [ "$pct" -lt 90 ]; then
    verdict="  (well under: consider lowering the budget)"
  fi
  printf '%-28s %12s %12s %12s %7s%%%s\n' "$pattern" "$raw" "$gz" "$budget" "$pct" "$verdict"
done < "$budget_file"

for f in "$dist"/*.wasm; do
  if [ -z "${covered[$f]:-}" ]; then
    echo "!! $f has no budget: add a line for it to $budget_file"
    status=1
  fi
done

if [ $status -ne 0 ]; then
  cat <<MSG

A release wasm grew more than $((tolerance - 100)) % past its budget (or is missing or unbudgeted).
If the growth is wanted, raise the budget consciously: set the new gzip size in $budget_file in a
commit whose message says what the bytes buy (feature, dependency), and note it in BENCHMARKS.md.
If it is not wanted, look for the cause (cargo tree -e normal -p benchlens shows a new dependency).
MSG
fi
exit $status
