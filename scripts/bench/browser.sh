#!/usr/bin/env bash
# Contract (issue #15; scripts outside the repository call it exactly so):
#   scripts/bench/browser.sh ratings FILE [FILE...]
# Builds the release page if dist/ is missing or older than the sources, runs it in headless
# Debian Chromium, drops FILE(s), waits for the leaderboard and then its intervals with the page's
# defaults (Bradley–Terry, bootstrap, 1000 rounds), and prints one JSON line:
#   {"first_leaderboard_s": …, "intervals_done_s": …, "peak_app_mb": …, "workers": …, …}
# BENCHLENS_WORKERS=N sets the page's worker pool size (`?workers=N`; default min(cores, 8)).
# Build logs go to stderr, so stdout is only that line.
set -euo pipefail
usage() { echo "usage: scripts/bench/browser.sh ratings FILE [FILE...]" >&2; exit 2; }
[[ $# -ge 2 ]] || usage
analysis=$1; shift
[[ $analysis == ratings ]] || usage
files=()
for f in "$@"; do
  [[ -r $f ]] || { echo "browser.sh: cannot read $f" >&2; exit 2; }
  files+=("$(realpath "$f")")
done
cd "$(dirname "$0")/../.."
scripts/setup.sh >&2
source scripts/env.sh
if [[ ! -f dist/index.html ]] || [[ -n $(find src crates/engine/src index.html style Cargo.lock -newer dist/index.html -print -quit) ]]; then
  echo "browser.sh: building the release page…" >&2
  {
    cargo build --release --locked --target wasm32-unknown-unknown -p benchlens --bin benchlens-app --bin worker
    trunk build --release --offline
  } >&2
fi
exec node e2e/bench/ratings-browser.js "${files[@]}"
