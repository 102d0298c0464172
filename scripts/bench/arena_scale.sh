#!/usr/bin/env bash
# Issue #15's targets table, natively: `benchlens ratings` on synthetic clean_battle JSON at
# 40 / 120 / 250 models × 1M / 3M battles, printed as Markdown rows (wall, CPU, peak RSS).
#   scripts/bench/arena_scale.sh [--with-python] [DIR]
# DIR (default /tmp/benchlens-arena) holds the inputs; missing ones are written by
# `benchlens synth battles` (0.68 GB per million battles, 12 GB for all six).
# --with-python also runs the FastChat-style Python pipeline (scripts/reference/ratings_timing.py,
# 100 rounds) on the 1M × 120 file, right after benchlens on the same file, for the ratio.
# Not part of the test command: the whole table takes 10–30 minutes on 2 cores.
set -euo pipefail
with_python=0
if [[ ${1:-} == --with-python ]]; then with_python=1; shift; fi
dir=${1:-/tmp/benchlens-arena}
cd "$(dirname "$0")/../.."
source scripts/env.sh
cargo build --release --locked -p benchlens-cli >&2
bin=$PWD/target/release/benchlens
mkdir -p "$dir"

# `run LABEL CMD…`: one Markdown row with wall, user + sys CPU and peak RSS of CMD.
run() {
  local label=$1; shift
  local t
  t=$(mktemp)
  /usr/bin/time -o "$t" -f '%e %U %S %M' "$@" >/dev/null 2>&1
  read -r wall user sys kb <"$t"
  rm -f "$t"
  printf '| %s | %s s | %s + %s s | %d MB |\n' "$label" "$wall" "$user" "$sys" $((kb / 1024))
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc)"
echo
echo "| workload | wall | CPU (user + sys) | peak RSS |"
echo "|---|---|---|---|"
for n in 1000000 3000000; do
  for k in 40 120 250; do
    file=$dir/battles-$((n / 1000000))m-$k.json
    [[ -s $file ]] || "$bin" synth battles --n "$n" --seed 0 --models "$k" >"$file"
    tag="$((n / 1000000))M × $k"
    run "$tag: parse + BT, \`--ci none\`" "$bin" ratings "$file" --ci none
    run "$tag: parse + BT + 1000-round bootstrap" "$bin" ratings "$file" --bootstrap 1000
    if [[ $k == 250 && $n == 1000000 ]]; then
      run "$tag: style control + sandwich" "$bin" ratings "$file" --style-control --ci sandwich
    fi
    if [[ $k == 120 && $n == 1000000 && $with_python == 1 ]]; then
      run "$tag: benchlens, 100 rounds" "$bin" ratings "$file" --bootstrap 100
      run "$tag: Python pipeline, 100 rounds" python3 scripts/reference/ratings_timing.py "$file" --rounds 100
    fi
  done
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
