//! Multi-core intake of large battle logs, for native callers (the CLI).
//!
//! Parsing dominates a rating run on a big log (a million FastChat battles is ≈ 2 s of JSON
//! scanning on one core), and battle records are independent, so the file is cut into segments
//! that separate threads load with the very same [`StreamLoader`] code; the segments' loaders
//! are then merged in file order. A cut is placed where an element probably starts (after `},`
//! or `}` + line break) and is *confirmed* by the loader of the preceding segment, which must end
//! exactly between two elements. An unconfirmed cut (the guess fell inside a string or a nested
//! array), a segment that failed, or any file that is not a JSON battle log falls back to reading
//! on from that point in one thread. So the result (rows, ids, warnings and their lines) is the
//! same as [`super::load_path`]'s; only the speed differs.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use crate::dataset::ParsedFile;

pub use super::cuts::{cut_targets, Parallelism, WINDOW_BYTES};
use super::{LoadOptions, StreamLoader, CHUNK_BYTES};

/// [`super::load_path`] on several threads; identical results.
pub fn load_path_parallel(
    path: &Path,
    options: &LoadOptions,
    parallelism: Parallelism,
) -> io::Result<ParsedFile> {
    // Parquet is read by row groups from its footer, not in byte segments.
    #[cfg(feature = "parquet")]
    if let Some(parsed) = super::load_parquet_path_threads(path, options, parallelism.threads)? {
        return Ok(parsed);
    }
    let size = std::fs::metadata(path)?.len();
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut file = File::open(path)?;
    let mut loader = StreamLoader::new(&name, options.clone());
    // The first chunk decides format and kind (and gives the loader the fork's settings).
    let mut pos = 0;
    // Read in sniff-sized pieces, so the first segment is not longer than it needs to be.
    let mut buf = vec![0u8; super::loader::SNIFF_BYTES];
    while !loader.is_running() && !loader.has_failed() {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        loader.feed(&buf[..n]);
        pos += n as u64;
    }
    let cuts = choose_cuts(&mut file, &loader, pos, size, parallelism)?;
    let forks: Option<Vec<StreamLoader>> = cuts.iter().map(|_| loader.fork()).collect();
    let Some(forks) = forks.filter(|f| !f.is_empty()) else {
        feed_range(&mut file, &mut loader, pos, size)?;
        return Ok(loader.finish());
    };
    let ends: Vec<u64> = cuts.iter().skip(1).copied().chain([size]).collect();
    let (head, segments) = std::thread::scope(|scope| {
        let handles: Vec<_> = forks
            .into_iter()
            .zip(cuts.iter().zip(&ends))
            .map(|(mut fork, (&from, &to))| {
                scope.spawn(move || -> io::Result<StreamLoader> {
                    let mut file = File::open(path)?;
                    feed_range(&mut file, &mut fork, from, to)?;
                    Ok(fork)
                })
            })
            .collect();
        let head = feed_range(&mut file, &mut loader, pos, cuts[0]);
        let segments: Vec<io::Result<StreamLoader>> = handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| Err(io::Error::other("an intake thread panicked")))
            })
            .collect();
        (head, segments)
    });
    head?;
    for (segment, &from) in segments.into_iter().zip(&cuts) {
        let segment = segment?;
        if loader.has_failed()
            || segment.has_failed()
            || !loader.at_element_boundary()
            || !loader.absorb(segment)
        {
            // The cut was a wrong guess, or a segment hit an error whose line only a sequential
            // read words right: read on from here in this thread. (A failed loader only counts
            // the bytes, as the one-thread intake does.)
            feed_range(&mut file, &mut loader, from, size)?;
            break;
        }
    }
    Ok(loader.finish())
}

/// Cut offsets (increasing, each after `pos`), one per extra thread that gets a segment of at
/// least `min_segment_bytes`; empty when the file should be read in one thread.
fn choose_cuts(
    file: &mut File,
    loader: &StreamLoader,
    pos: u64,
    size: u64,
    parallelism: Parallelism,
) -> io::Result<Vec<u64>> {
    let mut cuts: Vec<u64> = Vec::new();
    if !loader.can_split() {
        return Ok(cuts);
    }
    let mut window = vec![0u8; WINDOW_BYTES];
    for target in cut_targets(pos, size, parallelism) {
        if target <= cuts.last().copied().unwrap_or(pos) {
            continue;
        }
        file.seek(SeekFrom::Start(target))?;
        let n = read_full(file, &mut window)?;
        if let Some(off) = loader.guess_element_start(&window[..n]) {
            cuts.push(target + off as u64);
        }
    }
    file.seek(SeekFrom::Start(pos))?;
    Ok(cuts)
}

/// Feeds bytes `from..to` of the file to the loader.
fn feed_range(file: &mut File, loader: &mut StreamLoader, from: u64, to: u64) -> io::Result<()> {
    file.seek(SeekFrom::Start(from))?;
    let mut left = to.saturating_sub(from);
    let mut buf = vec![0u8; CHUNK_BYTES];
    while left > 0 {
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = file.read(&mut buf[..want])?;
        if n == 0 {
            break;
        }
        loader.feed(&buf[..n]);
        left -= n as u64;
    }
    Ok(())
}

/// Reads until `buf` is full or the file ends.
fn read_full(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        let n = file.read(&mut buf[filled..])?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    Ok(filled)
}
