#!/usr/bin/env bash
# Installs what benchlens needs on a fresh Debian machine with rustup. Idempotent: a tool already at
# its pinned version is not reinstalled (tools live in ~/.cargo/bin, which CI caches between runs).
# Versions are those checked in TOOLCHAIN.md.
#
# One line per step with its expected time on a fresh 2-core machine, and a heartbeat every minute
# while a long step runs, so a 6-minute compile never looks like a hang. Steps run one after
# another: two cargo processes at once only wait for each other's package-cache lock (and print
# "Blocking waiting for file lock" while they do).
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130   # must equal the `=` pin in Cargo.toml
BINARYEN_VERSION=132
LEPTOSFMT_VERSION=0.1.33       # formats view! markup; scripts/test.sh checks it

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

# `step "what" "≈ time" command…`: the line, the command with a heartbeat, the time it took.
step() {
  local what=$1 expect=$2; shift 2
  log "$what ($expect)…"
  local start=$SECONDS
  ( while sleep 60; do log "  … still $what: $(( (SECONDS - start) / 60 )) min so far ($expect)"; done ) &
  local beat=$!
  local status=0
  "$@" || status=$?
  kill "$beat" 2>/dev/null || true
  wait "$beat" 2>/dev/null || true
  if [ "$status" -ne 0 ]; then
    log "failed: $what (exit $status)"
    return "$status"
  fi
  log "done: $what in $((SECONDS - start)) s"
}

# The build tools are compiled from crates.io. Their own release profiles ask for fat LTO and one
# codegen unit, which triples the compile time for no gain a developer notices (they copy files
# and call wasm-bindgen/wasm-opt): build them with the ordinary optimised profile instead.
tool_install() {
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --quiet "$@"
}

rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
  || step "adding the wasm32 target" "≈ 1 min" rustup target add wasm32-unknown-unknown
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt

if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  step "building trunk $TRUNK_VERSION from crates.io, once per machine" "up to ≈ 14 min on 2 cores" \
    tool_install trunk --version "$TRUNK_VERSION" --locked
else
  log "trunk $TRUNK_VERSION: installed"
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  # --locked fails against this registry mirror (a locked dependency is missing); see TOOLCHAIN.md.
  step "building wasm-bindgen-cli $WASM_BINDGEN_VERSION from crates.io, once per machine" \
    "up to ≈ 4 min on 2 cores" tool_install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
else
  log "wasm-bindgen-cli $WASM_BINDGEN_VERSION: installed"
fi
if [ "$(leptosfmt --version 2>/dev/null || true)" != "leptosfmt $LEPTOSFMT_VERSION" ]; then
  step "building leptosfmt $LEPTOSFMT_VERSION from crates.io, once per machine" "up to ≈ 3 min on 2 cores" \
    tool_install leptosfmt --version "$LEPTOSFMT_VERSION" --locked
fi

# wasm-opt from the npm binaryen package (Debian's is too old for Rust 1.95 output), and Playwright
# without its browser download: both pinned in e2e/package-lock.json.
if [ ! -x e2e/node_modules/.bin/wasm-opt ] || [ ! -d e2e/node_modules/@playwright/test ] \
   || ! e2e/node_modules/.bin/wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
  step "installing npm packages (binaryen, @playwright/test) in e2e/" "≈ 1 min" \
    bash -c 'cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error'
fi

if [ "${BENCHLENS_SKIP_BROWSER:-0}" != 1 ]; then
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    step "installing Debian chromium and chromium-driver" "≈ 1–2 min" bash -c \
      "$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium chromium-driver"
  fi
fi
# clang (and llvm-ar) compile zstd's C code for wasm32: the Parquet worker decodes zstd (#14).
if ! command -v clang >/dev/null || ! command -v llvm-ar >/dev/null; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  step "installing Debian clang and llvm (zstd for the Parquet worker)" "≈ 1 min" bash -c \
    "$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q clang llvm"
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
