#!/usr/bin/env bash
# README command 2 (and CI's): every check, in the order a failure is cheapest to see.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh

step() {
  local name=$1; shift
  printf '\n\033[1m==> %s\033[0m\n' "$name"
  local start=$SECONDS
  "$@"
  printf '\033[1m<== %s (%ss)\033[0m\n' "$name" $((SECONDS - start))
}

step "rustfmt" cargo fmt --all --check
# view! markup: rustfmt leaves macro bodies alone, leptosfmt formats them (width 100, as rustfmt.toml).
step "leptosfmt" leptosfmt --check --quiet src
step "clippy, native" cargo clippy --workspace --all-targets --locked -- -D warnings
step "clippy, wasm32 (app)" cargo clippy --target wasm32-unknown-unknown -p benchlens --lib --bins --tests --locked -- -D warnings
# The Parquet worker (worker-parquet, its own wasm module fetched when a Parquet file arrives).
step "clippy, wasm32 (worker with page-parquet)" cargo clippy --target wasm32-unknown-unknown -p benchlens --lib --bins --features page-parquet --locked -- -D warnings
step "clippy, wasm32 (engine)" cargo clippy --target wasm32-unknown-unknown -p benchlens-engine --lib --locked -- -D warnings
step "engine and CLI tests" cargo test -p benchlens-engine -p benchlens-cli --locked
# README's GROUP BY recipe run for real: DuckDB over the committed 140k-shaped Parquet shards must
# return exactly the pair counts the Rust test intake_parquet rates against the raw shards.
step "DuckDB pair counts over Parquet" bash -c 'diff <(python3 scripts/fixtures/duckdb_pair_counts.py "crates/engine/tests/fixtures/parquet/arena-140k/data/*.parquet") crates/engine/tests/fixtures/parquet/arena-140k/pair_counts.duckdb.csv'
# Every fuzz target's body over its committed corpus plus seeded random inputs (stable, no cargo-fuzz).
step "fuzz smoke pass" cargo test --release -p benchlens-fuzz --locked
# Figures only, no timing assertions (BENCHMARKS.md, "Quick mode in the test command").
step "benchmarks, quick mode" env BENCH_QUICK=1 cargo bench -p benchlens-engine --locked
# The app crate's own #[test]s (export tables, HTML report, chart specs, view helpers, marks,
# fetch URLs): pure Rust, run natively.
step "app unit tests (native)" cargo test -p benchlens --lib --locked
step "component tests in headless Chromium" cargo test --target wasm32-unknown-unknown -p benchlens --test components --locked
# The page's two wasm binaries in one cargo process: Trunk starts one per binary, and on a cold
# build those spend minutes printing "Blocking waiting for file lock" at each other.
step "release wasm of the page (one cargo process)" cargo build --release --locked --target wasm32-unknown-unknown -p benchlens --bin benchlens-app --bin worker
# The Parquet worker needs the page-parquet feature, so a cargo process of its own (before Trunk).
step "release wasm of the Parquet worker" cargo build --release --locked --target wasm32-unknown-unknown -p benchlens --features page-parquet --bin worker-parquet
step "release build" trunk build --release --offline
step "wasm size budget" scripts/wasm-budget.sh
# The same build as a GitHub Pages project site, served under /benchlens/ by the share tests.
step "release build under /benchlens/" trunk build --release --offline --public-url /benchlens/ --dist dist-subpath
step "Playwright" bash -c 'cd e2e && npx playwright test'
printf '\n\033[1mall checks passed\033[0m\n'
