//! Parquet files in the worker: read from the dropped `Blob` by byte range, never whole.
//!
//! A Parquet file is read from its footer, then row group by row group, so it cannot go through the
//! streaming text loader. The engine reads any `parquet::file::reader::ChunkReader`; this one
//! answers each range with `FileReaderSync` (synchronous, and only allowed in workers), so a
//! 460 MB shard costs the worker the projected columns of one row group at a time, not 460 MB.
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

use super::range_reader::{RangeReader, RangeSource};

thread_local! {
    static BLOBS: RefCell<BTreeMap<u32, web_sys::Blob>> = const { RefCell::new(BTreeMap::new()) };
    static NEXT_KEY: RefCell<u32> = const { RefCell::new(0) };
    /// The last window read of each Blob: `(its start, its bytes)`.
    static WINDOWS: RefCell<BTreeMap<u32, (u64, Bytes)>> = const { RefCell::new(BTreeMap::new()) };
}

/// Small reads are served from a window of this many bytes read at once. The parquet crate reads
/// a column chunk as header, page, header, page…, each a separate small range, and one
/// `FileReaderSync` call costs far more than copying a few kilobytes. Measured on a 463 MB
/// 140k-shaped shard (BENCHMARKS.md): no window 32.6 s, 64 KB 4.2 s, 256 KB 4.3 s, 1 MB 9.5 s,
/// 8 MB 15.6 s: a larger window mostly reads conversation text the load never decodes.
const WINDOW: u64 = 64 << 10;

/// Bytes `start..start + length` of Blob `key` (`size` bytes long), through its window.
fn read_windowed(key: u32, size: u64, start: u64, length: u64) -> Result<Bytes, String> {
    let end = start + length;
    let cached = WINDOWS.with(|w| {
        w.borrow().get(&key).and_then(|(at, bytes)| {
            (start >= *at && end <= at + bytes.len() as u64)
                .then(|| bytes.slice((start - at) as usize..(end - at) as usize))
        })
    });
    if let Some(bytes) = cached {
        return Ok(bytes);
    }
    if length >= WINDOW {
        return read_range(key, start, length).map(Bytes::from);
    }
    let window =
        Bytes::from(read_range(key, start, WINDOW.min(size.saturating_sub(start)).max(length))?);
    let bytes = window.slice(..(length as usize).min(window.len()));
    WINDOWS.with(|w| w.borrow_mut().insert(key, (start, window)));
    Ok(bytes)
}

/// Bytes `start..start + length` of the registered Blob `key`.
fn read_range(key: u32, start: u64, length: u64) -> Result<Vec<u8>, String> {
    let blob = BLOBS
        .with(|b| b.borrow().get(&key).cloned())
        .ok_or_else(|| "the file was removed while it was being read".to_string())?;
    let slice = blob
        .slice_with_f64_and_f64(start as f64, (start + length) as f64)
        .map_err(|e| format!("cannot slice the file: {e:?}"))?;
    let reader =
        web_sys::FileReaderSync::new().map_err(|e| format!("no FileReaderSync here: {e:?}"))?;
    let buffer = reader
        .read_as_array_buffer(&slice)
        .map_err(|e| format!("the browser could not read bytes {start}…: {e:?}"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
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
        WINDOWS.with(|w| w.borrow_mut().remove(&self.0));
    }
}

/// A registered Blob, read by range.
#[derive(Clone)]
struct BlobReader {
    key: u32,
    len: u64,
}

impl RangeSource for BlobReader {
    fn size(&self) -> u64 {
        self.len
    }

    fn read_range(&self, start: u64, length: u64) -> Result<Bytes, String> {
        read_windowed(self.key, self.len, start, length)
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
    let parsed = load_reader_async(name, RangeReader(reader), options, ticker).await;
    drop(registration);
    parsed
}
