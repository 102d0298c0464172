#!/usr/bin/env bash
# Issue #15's targets table, natively: `benchlens ratings` on synthetic clean_battle JSON at
# 40 / 120 / 250 models × 1M / 3M battles, printed as Markdown rows (wall, CPU, peak RSS).
#   scripts/bench/arena_scale.sh [--with-python] [--with-fastchat FASTCHAT_DIR] [DIR]
# DIR (default /tmp/benchlens-arena) holds the inputs; missing ones are written by
# `benchlens synth battles` (0.68 GB per million battles, 12 GB for all six).
# --with-python also runs the FastChat-style Python pipeline (scripts/reference/ratings_timing.py,
# 100 rounds) on the 1M × 120 file, right after benchlens on the same file, for the ratio.
# --with-fastchat FASTCHAT_DIR runs FastChat's own pipeline there too, as issue #15 timed it:
# `python3 -m fastchat.serve.monitor.elo_analysis --clean-battle-file FILE --num-bootstrap 100`
# from a checkout of github.com/lm-sys/FastChat (measured at 0e6d3e4; PyPI's fschat 0.2.36 is an
# older pipeline that refits every row each round). Its imports want pandas, numpy, scipy,
# plotly, tqdm, pytz, tiktoken and shortuuid (pip), which the test command does not install.
# benchlens runs `--filter anony=true --bootstrap 1000` beside it, FastChat's battles.
# Not part of the test command: the whole table takes 10–30 minutes on 2 cores.
set -euo pipefail
with_python=0
fastchat=
if [[ ${1:-} == --with-python ]]; then with_python=1; shift; fi
if [[ ${1:-} == --with-fastchat ]]; then fastchat=$(realpath "$2"); shift 2; fi
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
    if [[ $k == 120 && $n == 1000000 && -n $fastchat ]]; then
      # FastChat writes elo_results_DATE.pkl into its working directory: a scratch one.
      scratch=$(mktemp -d)
      run "$tag: benchlens, anony only, 1000 rounds" "$bin" ratings "$file" --filter anony=true --bootstrap 1000
      run "$tag: FastChat elo_analysis, 100 rounds" env -C "$scratch" PYTHONPATH="$fastchat" \
        python3 -m fastchat.serve.monitor.elo_analysis --clean-battle-file "$file" --num-bootstrap 100
      run "$tag: benchlens, anony only, 1000 rounds" "$bin" ratings "$file" --filter anony=true --bootstrap 1000
      rm -rf "$scratch"
    fi
  done
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
