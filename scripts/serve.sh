#!/usr/bin/env bash
# README command 1: install what is missing, then serve the dashboard with its bundled samples on
# http://127.0.0.1:8080 ("Try sample data" menu).
#
# Builds only the page (its two wasm binaries, not the CLI, tests or benchmarks), in one cargo
# process with its progress shown: Trunk would start two at once, which on a fresh machine spend
# minutes printing "Blocking waiting for file lock" at each other. Trunk then finds them built.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCHLENS_SKIP_BROWSER=1 scripts/setup.sh
source scripts/env.sh

log() { printf '\033[1m[serve]\033[0m %s\n' "$*"; }
start=$SECONDS
log "building the page: release wasm of the app and its worker (≈ 6 min the first time on 2 cores, seconds after)…"
cargo build --release --locked --target wasm32-unknown-unknown -p benchlens --bin benchlens-app --bin worker
log "built in $((SECONDS - start)) s; trunk binds, optimises and serves it (≈ 1 min)…"
exec trunk serve --offline --release --no-autoreload --address 127.0.0.1 --port "${PORT:-8080}"
