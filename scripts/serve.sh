#!/usr/bin/env bash
# README command 1: install what is missing, then serve the dashboard with its bundled samples on
# http://127.0.0.1:8080 ("Try sample data" menu).
set -euo pipefail
cd "$(dirname "$0")/.."
BENCHLENS_SKIP_BROWSER=1 scripts/setup.sh
source scripts/env.sh
exec trunk serve --offline --release --no-autoreload --address 127.0.0.1 --port "${PORT:-8080}"
