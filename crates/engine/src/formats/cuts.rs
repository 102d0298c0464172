//! Where a large file is cut for parallel intake: the rule the CLI's threads
//! (`super::parallel`) and the page's worker pool (`src/jobs/pool.rs`) share, so both split a
//! file the same way. Pure arithmetic, so it builds for wasm32 too.

/// How many threads parallel intake may use, and the smallest segment worth one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parallelism {
    pub threads: usize,
    /// Segments smaller than this are not split off (thread start-up and merging cost more).
    pub min_segment_bytes: u64,
}

impl Parallelism {
    /// Every core the machine offers, in segments of at least 16 MB.
    pub fn available() -> Self {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self { threads: threads.min(16), min_segment_bytes: 16 << 20 }
    }
}

/// How much of the file is searched for an element start at each cut.
pub const WINDOW_BYTES: usize = 1 << 20;

/// Where to look for the cuts of a `size`-byte file whose first `pos` bytes are read already:
/// one offset per extra segment of at least `min_segment_bytes`, evenly spaced. At each, the
/// caller reads [`WINDOW_BYTES`] and places the cut at the loader's
/// [`super::StreamLoader::guess_element_start`] (skipping a target at or before the previous cut). The
/// rule the CLI's threads and the page's worker pool share.
pub fn cut_targets(pos: u64, size: u64, parallelism: Parallelism) -> Vec<u64> {
    let min_segment = parallelism.min_segment_bytes.max(1);
    let segments = (size / min_segment).min(parallelism.threads as u64).max(1);
    (1..segments).map(|k| size / segments * k).filter(|&target| target > pos).collect()
}
