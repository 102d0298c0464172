//! Parquet files in the worker: read from the dropped `Blob` by byte range, never whole.
//!
//! A Parquet file is read from its footer, then row group by row group, so it cannot go through the
//! streaming text loader. The engine reads any `parquet::file::reader::ChunkReader`; this one
//! answers each range with `FileReaderSync` (synchronous, and only allowed in workers), so a
//! 460 MB shard costs the worker the projected columns of one row group at a time, not 460 MB.
//!
//! One `FileReaderSync` call costs far more than copying a few kilobytes, so the number of reads
//! is what matters: the engine reads each row group's projected column chunks in a few ranges,
//! and [`RangeReader`] serves the footer and small reads from its cache (BENCHMARKS.md, "Parquet
//! in the page, first leaderboard"; a sliding 64 KB window before that made a 463 MB shard take
//! 4.2 s, one read per page header 32.6 s).
//!
//! `ChunkReader` must be `Send + Sync` and a `Blob` is neither, so the reader holds a key into a
//! worker-local registry instead of the Blob itself; the [`BlobRegistration`] guard removes the
//! entry when the load ends.

use std::cell::RefCell;
use std::collections::BTreeMap;

use benchlens_engine::formats::parquet::{has_parquet_name, is_parquet, load_reader_async};
use benchlens_engine::formats::LoadOptions;
use benchlens_engine::progress::Ticker;
use benchlens_engine::ParsedFile;
use bytes::Bytes;

use super::range_reader::{console_debug, performance_now, RangeReader, RangeSource};

/// What one load spent reading: `(reads, bytes, milliseconds)`.
#[derive(Default, Clone, Copy)]
struct ReadStats {
    reads: u32,
    bytes: u64,
    ms: f64,
}

thread_local! {
    static BLOBS: RefCell<BTreeMap<u32, web_sys::Blob>> = const { RefCell::new(BTreeMap::new()) };
    static NEXT_KEY: RefCell<u32> = const { RefCell::new(0) };
    static STATS: RefCell<ReadStats> = const { RefCell::new(ReadStats { reads: 0, bytes: 0, ms: 0.0 }) };
}

/// Bytes `start..start + length` of the registered Blob `key`.
fn read_range(key: u32, start: u64, length: u64) -> Result<Vec<u8>, String> {
    let blob = BLOBS
        .with(|b| b.borrow().get(&key).cloned())
        .ok_or_else(|| "the file was removed while it was being read".to_string())?;
    let slice = blob
        .slice_with_f64_and_f64(start as f64, (start + length) as f64)
        .map_err(|e| format!("cannot slice the file: {e:?}"))?;
    let t0 = performance_now();
    let reader =
        web_sys::FileReaderSync::new().map_err(|e| format!("no FileReaderSync here: {e:?}"))?;
    let buffer = reader
        .read_as_array_buffer(&slice)
        .map_err(|e| format!("the browser could not read bytes {start}…: {e:?}"))?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    STATS.with(|s| {
        let mut s = s.borrow_mut();
        s.reads += 1;
        s.bytes += bytes.len() as u64;
        s.ms += performance_now() - t0;
    });
    Ok(bytes)
}

/// Keeps a Blob readable by [`BlobReader`]s while it lives.
struct BlobRegistration(u32);

impl BlobRegistration {
    fn new(blob: web_sys::Blob) -> Self {
        let key = NEXT_KEY.with(|k| {
            let mut k = k.borrow_mut();
            *k = k.wrapping_add(1);
            *k
        });
        BLOBS.with(|b| b.borrow_mut().insert(key, blob));
        Self(key)
    }
}

impl Drop for BlobRegistration {
    fn drop(&mut self) {
        BLOBS.with(|b| b.borrow_mut().remove(&self.0));
    }
}

/// A registered Blob, read by range.
struct BlobReader {
    key: u32,
    len: u64,
}

impl RangeSource for BlobReader {
    fn size(&self) -> u64 {
        self.len
    }

    fn read_range(&self, start: u64, length: u64) -> Result<Bytes, String> {
        read_range(self.key, start, length).map(Bytes::from)
    }
}

/// True when the file is Parquet, by its name or its first four bytes.
pub fn is_parquet_blob(name: &str, blob: &web_sys::Blob) -> bool {
    has_parquet_name(name)
        || (blob.size() >= 4.0 && read_blob_head(blob).is_some_and(|head| is_parquet(&head)))
}

fn read_blob_head(blob: &web_sys::Blob) -> Option<Vec<u8>> {
    let slice = blob.slice_with_f64_and_f64(0.0, 4.0).ok()?;
    let buffer = web_sys::FileReaderSync::new().ok()?.read_as_array_buffer(&slice).ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Loads a Parquet Blob; `ticker` hears the engine's row-group progress.
pub async fn load(
    name: &str,
    blob: web_sys::Blob,
    options: &LoadOptions,
    ticker: &mut Ticker<'_>,
) -> ParsedFile {
    let len = blob.size().max(0.0) as u64;
    let registration = BlobRegistration::new(blob);
    let reader = BlobReader { key: registration.0, len };
    STATS.with(|s| *s.borrow_mut() = ReadStats::default());
    let t0 = performance_now();
    let parsed = load_reader_async(name, RangeReader::new(reader), options, ticker).await;
    drop(registration);
    let stats = STATS.with(|s| *s.borrow());
    // One line per load in the worker's console: where a Parquet load's time went (profiling).
    console_debug(&format!(
        "benchlens parquet {name}: load {:.0} ms (worker clock {:.0} ms at start), {} reads of {:.1} MB in {:.0} ms",
        performance_now() - t0,
        t0,
        stats.reads,
        stats.bytes as f64 / 1e6,
        stats.ms
    ));
    parsed
}
