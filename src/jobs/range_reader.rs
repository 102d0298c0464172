//! A random-access byte source (a dropped Blob, a file on the hub) as the parquet crate's
//! `ChunkReader`: the engine reads Parquet from any `ChunkReader`, and each source only has to say
//! how long it is and how to fetch one byte range. What every source wants on top (the footer
//! fetched once, small reads served from a block) lives here, once.
//!
//! The engine reads each row group's projected column chunks ahead in a few large ranges
//! (`benchlens_engine::formats::parquet`, `prefetch.rs`), so large reads go to the source as
//! they are; the small ones are the magic number, the footer and, should the engine ever read a
//! page header outside its read-ahead, Thrift's few bytes at a time.

use std::io::Read;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use parquet::errors::ParquetError;
use parquet::file::reader::{ChunkReader, Length};

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The worker's clock, in milliseconds since it started.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    pub fn performance_now() -> f64;
    #[wasm_bindgen(js_namespace = console, js_name = debug)]
    pub fn console_debug(line: &str);
}

/// Bytes read from the end of a file at once (at most a quarter of it): a footer is usually a
/// few KB; a longer one is completed backwards by one more read.
const TAIL_BYTES: u64 = 64 << 10;

/// A small read fetches at least this many bytes and keeps them for the reads that follow
/// (Thrift reads a page header a few bytes at a time); reads this long or longer go to the source
/// as they are and are not kept.
const BLOCK_BYTES: u64 = 16 << 10;

/// At most this many bytes are fetched per `read` call of a sequential reader.
const READ_AHEAD: u64 = 1 << 20;

/// Where the bytes come from. `ChunkReader` must be `Send + Sync`, hence the bounds.
pub trait RangeSource: Send + Sync + 'static {
    fn size(&self) -> u64;
    /// Exactly bytes `start..start + length` (the caller keeps the range inside the source).
    fn read_range(&self, start: u64, length: u64) -> Result<Bytes, String>;
}

/// Bytes already fetched, with the offset each part starts at.
#[derive(Default)]
struct Cache {
    /// The file's end: footer and schema.
    tail: Option<(u64, Bytes)>,
    /// The last small read's block.
    block: Option<(u64, Bytes)>,
}

/// A [`RangeSource`] for the parquet crate, with the footer and the last small read cached.
pub struct RangeReader<S> {
    source: Arc<S>,
    cache: Arc<Mutex<Cache>>,
}

impl<S> Clone for RangeReader<S> {
    fn clone(&self) -> Self {
        Self { source: Arc::clone(&self.source), cache: Arc::clone(&self.cache) }
    }
}

impl<S: RangeSource> RangeReader<S> {
    pub fn new(source: S) -> Self {
        Self { source: Arc::new(source), cache: Arc::default() }
    }

    /// Bytes `start..start + length` (inside the source), from the cache when it holds them.
    pub fn read(&self, start: u64, length: u64) -> Result<Bytes, String> {
        if length == 0 {
            return Ok(Bytes::new());
        }
        let size = self.source.size();
        let end = start + length;
        let slice = |part: &Option<(u64, Bytes)>| {
            let (from, bytes) = part.as_ref()?;
            let to = from + bytes.len() as u64;
            (start >= *from && end <= to)
                .then(|| bytes.slice((start - from) as usize..(end - from) as usize))
        };
        let broke = || "the read cache broke".to_string();
        let mut cache = self.cache.lock().map_err(|_| broke())?;
        if let Some(bytes) = slice(&cache.tail).or_else(|| slice(&cache.block)) {
            return Ok(bytes);
        }
        let tail_start = size - TAIL_BYTES.min(size / 4);
        if cache.tail.is_none() && start >= tail_start {
            cache.tail = Some((tail_start, self.source.read_range(tail_start, size - tail_start)?));
            return slice(&cache.tail).ok_or_else(broke);
        }
        // A footer longer than the tail: fetch only what is missing before it, and keep it.
        if let Some((tail_from, tail)) = cache.tail.take() {
            if start < tail_from && end > tail_from && end <= tail_from + tail.len() as u64 {
                let before = self.source.read_range(start, tail_from - start)?;
                cache.tail = Some((start, [before, tail].concat().into()));
                return slice(&cache.tail).ok_or_else(broke);
            }
            cache.tail = Some((tail_from, tail));
        }
        // The engine's read-ahead, and the magic number at 0 (the first row group's columns may
        // not be needed): exactly what was asked.
        if length >= BLOCK_BYTES || start == 0 {
            return self.source.read_range(start, length);
        }
        let stop = match &cache.tail {
            Some((tail_from, _)) if start < *tail_from => *tail_from,
            _ => size,
        };
        let block = BLOCK_BYTES.min(stop - start).max(length);
        cache.block = Some((start, self.source.read_range(start, block)?));
        slice(&cache.block).ok_or_else(broke)
    }
}

impl<S: RangeSource> Length for RangeReader<S> {
    fn len(&self) -> u64 {
        self.source.size()
    }
}

impl<S: RangeSource> ChunkReader for RangeReader<S> {
    type T = SequentialRead<S>;

    fn get_read(&self, start: u64) -> parquet::errors::Result<SequentialRead<S>> {
        Ok(SequentialRead { reader: self.clone(), pos: start, buffered: Bytes::new() })
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<Bytes> {
        let end = start.saturating_add(length as u64);
        if end > self.source.size() {
            return Err(ParquetError::EOF(format!(
                "bytes {start}–{end} asked of a {}-byte file",
                self.source.size()
            )));
        }
        self.read(start, length as u64).map_err(ParquetError::General)
    }
}

/// Sequential reads from a position, fetched a bounded range at a time and served from the
/// last range fetched.
pub struct SequentialRead<S> {
    reader: RangeReader<S>,
    /// Where `buffered` ends in the source.
    pos: u64,
    buffered: Bytes,
}

impl<S: RangeSource> Read for SequentialRead<S> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.buffered.is_empty() {
            let left = self.reader.len().saturating_sub(self.pos);
            let want = left.min((buf.len() as u64).clamp(1, READ_AHEAD));
            if want == 0 {
                return Ok(0);
            }
            self.buffered = self.reader.read(self.pos, want).map_err(std::io::Error::other)?;
            if self.buffered.is_empty() {
                return Ok(0);
            }
            self.pos += self.buffered.len() as u64;
        }
        let n = self.buffered.len().min(buf.len());
        buf[..n].copy_from_slice(&self.buffered[..n]);
        self.buffered = self.buffered.slice(n..);
        Ok(n)
    }
}
