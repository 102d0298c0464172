//! A random-access byte source (a dropped Blob, a file on the hub) as the parquet crate's
//! `ChunkReader`: the engine reads Parquet from any `ChunkReader`, and each source only has to say
//! how long it is and how to fetch one byte range.

use std::io::Read;

use bytes::Bytes;
use parquet::errors::ParquetError;
use parquet::file::reader::{ChunkReader, Length};

/// At most this many bytes are fetched per `read` call of a sequential reader.
const READ_AHEAD: u64 = 1 << 20;

/// At least this many bytes are fetched per fetch: the parquet crate reads each page header
/// through `get_read` a few bytes at a time (Thrift), and one synchronous Blob read or HTTP
/// request per few bytes made a 460 MB shard take minutes in the worker. Headers are far smaller
/// than this, and the page bodies come through `get_bytes`, so little is read twice.
const MIN_FETCH: u64 = 16 << 10;

/// Where the bytes come from. `ChunkReader` must be `Send + Sync`, hence the bounds.
pub trait RangeSource: Clone + Send + Sync + 'static {
    fn size(&self) -> u64;
    /// Exactly bytes `start..start + length` (the caller keeps the range inside the source).
    fn read_range(&self, start: u64, length: u64) -> Result<Bytes, String>;
}

/// A [`RangeSource`] for the parquet crate.
#[derive(Clone)]
pub struct RangeReader<S>(pub S);

impl<S: RangeSource> Length for RangeReader<S> {
    fn len(&self) -> u64 {
        self.0.size()
    }
}

impl<S: RangeSource> ChunkReader for RangeReader<S> {
    type T = SequentialRead<S>;

    fn get_read(&self, start: u64) -> parquet::errors::Result<SequentialRead<S>> {
        Ok(SequentialRead { source: self.0.clone(), pos: start, buffered: Bytes::new() })
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<Bytes> {
        let end = start.saturating_add(length as u64);
        if end > self.0.size() {
            return Err(ParquetError::EOF(format!(
                "bytes {start}–{end} asked of a {}-byte file",
                self.0.size()
            )));
        }
        self.0.read_range(start, length as u64).map_err(ParquetError::General)
    }
}

/// Sequential reads from a position, fetched a bounded range at a time and served from the
/// last range fetched.
pub struct SequentialRead<S> {
    source: S,
    /// Where `buffered` ends in the source.
    pos: u64,
    buffered: Bytes,
}

impl<S: RangeSource> Read for SequentialRead<S> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.buffered.is_empty() {
            let left = self.source.size().saturating_sub(self.pos);
            let want = left.min((buf.len() as u64).clamp(MIN_FETCH, READ_AHEAD));
            if want == 0 {
                return Ok(0);
            }
            self.buffered =
                self.source.read_range(self.pos, want).map_err(std::io::Error::other)?;
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
