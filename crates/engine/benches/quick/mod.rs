//! Quick mode for the criterion benches: `BENCH_QUICK=1 cargo bench -p benchlens-engine`.
//!
//! `scripts/test.sh` runs every bench this way so the figures are printed on each run (no timing
//! assertions: the shared 2-core machines make wall time noisy). Quick mode shrinks the inputs
//! named in each bench and samples briefly (10 flat samples, 0.2 s warm-up, 0.5 s measurement),
//! so the whole set takes well under two minutes. Full runs, the ones BENCHMARKS.md quotes,
//! leave the variable unset.

use std::path::Path;
use std::time::Duration;

use criterion::measurement::Measurement;
use criterion::{BenchmarkGroup, SamplingMode};

/// True when `BENCH_QUICK` is set (to anything).
pub fn on() -> bool {
    std::env::var_os("BENCH_QUICK").is_some()
}

/// `full` normally, `quick` in quick mode.
#[allow(dead_code)] // The defects bench has no size to shrink.
pub fn size<T>(full: T, quick: T) -> T {
    if on() {
        quick
    } else {
        full
    }
}

/// In quick mode, replaces the group's sampling with a short flat one (flat: each of the 10
/// samples runs the same small number of iterations, so slow benches do not need 55 runs).
pub fn configure<M: Measurement>(group: &mut BenchmarkGroup<'_, M>) {
    if on() {
        group
            .sample_size(10)
            .sampling_mode(SamplingMode::Flat)
            .warm_up_time(Duration::from_millis(200))
            .measurement_time(Duration::from_millis(500));
    }
}

/// False, with a note, when a bench's real-data folder is missing: quick mode then skips that
/// bench (CI machines may not have ../shared); full runs still fail loudly on a missing folder.
#[allow(dead_code)] // Only the benches that read ../shared call it.
pub fn have_data(dir: &str) -> bool {
    let found = Path::new(dir).is_dir();
    if !found && on() {
        eprintln!("quick mode: {dir} not found, bench skipped");
        return false;
    }
    true
}
