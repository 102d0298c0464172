//! A file that several threads can read at once, for decoding row groups in parallel.
//!
//! The parquet crate's [`ChunkReader`] for [`File`] clones the handle and seeks it, and clones
//! share one file position, so two threads reading row groups of the same `File` would read each
//! other's bytes. Positional reads (`pread`) carry their own offset and have no shared state.

use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::FileExt;
use std::sync::Arc;

use bytes::Bytes;
use parquet::file::reader::{ChunkReader, Length};

/// A file read only by offset.
pub struct PositionalFile {
    file: Arc<File>,
    len: u64,
}

impl PositionalFile {
    pub fn new(file: File) -> io::Result<Self> {
        let len = file.metadata()?.len();
        Ok(Self { file: Arc::new(file), len })
    }
}

/// A sequential reader over a [`PositionalFile`], starting at an offset.
pub struct PositionalRead {
    file: Arc<File>,
    pos: u64,
}

impl Read for PositionalRead {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read_at(buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Length for PositionalFile {
    fn len(&self) -> u64 {
        self.len
    }
}

impl ChunkReader for PositionalFile {
    type T = io::BufReader<PositionalRead>;

    fn get_read(&self, start: u64) -> parquet::errors::Result<Self::T> {
        Ok(io::BufReader::new(PositionalRead { file: Arc::clone(&self.file), pos: start }))
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<Bytes> {
        let mut buffer = vec![0u8; length];
        let mut read = 0;
        while read < length {
            let n = self.file.read_at(&mut buffer[read..], start + read as u64)?;
            if n == 0 {
                // Worded as the parquet crate words a short read of a `File`.
                return Err(parquet::errors::ParquetError::EOF(format!(
                    "Expected to read {length} bytes, read only {read}"
                )));
            }
            read += n;
        }
        Ok(buffer.into())
    }
}
