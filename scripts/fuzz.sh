#!/usr/bin/env bash
# Runs libFuzzer targets one after another, each for SECONDS, on the stable toolchain.
#   scripts/fuzz.sh SECONDS [TARGET...]      (no TARGET: every target, parsers first)
# cargo-fuzz needs nightly flags; RUSTC_BOOTSTRAP=1 lets stable accept them (README "Fuzzing").
# Crashes land in crates/engine/fuzz/artifacts/TARGET/; new corpus entries in corpus/TARGET/.
# After a run, minimise with `cargo fuzz cmin TARGET` (same environment) before committing.
set -euo pipefail
cd "$(dirname "$0")/../crates/engine"
source ../../scripts/env.sh
seconds=${1:?usage: scripts/fuzz.sh SECONDS [TARGET...]}
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(load json_split csv_split battle_record tables benchmark_items judge_annotations
           ratings scaling_fit defects judge)
fi
# ASan works with the stable toolchain's runtime; FUZZ_SANITIZER=none if it does not link.
sanitizer=${FUZZ_SANITIZER:-address}
export RUSTC_BOOTSTRAP=1
status=0
for t in "${targets[@]}"; do
  echo "==> $t for ${seconds}s"
  start=$SECONDS
  nice -n 10 cargo +stable fuzz run -s "$sanitizer" "$t" -- \
    -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    || { echo "!! $t stopped (crash or error): see crates/engine/fuzz/artifacts/$t/"; status=1; }
  echo "<== $t ($((SECONDS - start))s)"
done
exit $status
