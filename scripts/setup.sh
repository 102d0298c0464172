#!/usr/bin/env bash
# Installs what benchlens needs on a fresh Debian machine with rustup. Idempotent: a tool already at
# its pinned version is not reinstalled. Versions are those checked in TOOLCHAIN.md.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130   # must equal the `=` pin in Cargo.toml
BINARYEN_VERSION=132

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
  || { log "adding the wasm32 target"; rustup target add wasm32-unknown-unknown; }
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt

if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  log "installing trunk $TRUNK_VERSION (takes a while on a fresh machine)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # --locked fails against this registry mirror (a locked dependency is missing); see TOOLCHAIN.md.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# wasm-opt from the npm binaryen package (Debian's is too old for Rust 1.95 output), and Playwright
# without its browser download: both pinned in e2e/package-lock.json.
if [ ! -x e2e/node_modules/.bin/wasm-opt ] || [ ! -d e2e/node_modules/@playwright/test ] \
   || ! e2e/node_modules/.bin/wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
  log "installing npm packages (binaryen, @playwright/test) in e2e/"
  (cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

if [ "${BENCHLENS_SKIP_BROWSER:-0}" != 1 ]; then
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    log "installing Debian chromium and chromium-driver"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium chromium-driver
  fi
fi
# DuckDB and pyarrow for the Parquet fixture writer and the DuckDB pair-count check
# (scripts/fixtures/). Pinned; pip skips them when these versions are already installed.
DUCKDB_VERSION=1.3.2
PYARROW_VERSION=21.0.0
if ! python3 -c "import duckdb, pyarrow, sys; sys.exit(not (duckdb.__version__ == '$DUCKDB_VERSION' and pyarrow.__version__ == '$PYARROW_VERSION'))" 2>/dev/null; then
  log "installing duckdb $DUCKDB_VERSION and pyarrow $PYARROW_VERSION (pip)"
  python3 -m pip install --quiet "duckdb==$DUCKDB_VERSION" "pyarrow==$PYARROW_VERSION"
fi
log "tools ready"
