//! An open Parquet file whose row groups are read with one read per run of projected column
//! chunks, not one per page.
//!
//! The parquet crate reads a column chunk page by page: each page header through `get_read`, a
//! few bytes at a time (Thrift), then the page through `get_bytes`. From a local file that costs
//! little; in the browser every read of a dropped Blob is a synchronous `FileReaderSync` call and
//! every read of a hub file an HTTP request, and a 1M-battle 140k-shaped shard has thousands of
//! pages. The footer says where each column chunk lies, so before a row group is decoded its
//! projected chunks are read here, neighbours merged into one read when little lies between them,
//! and the page reader is served slices of those bytes (no copy). For a 140k-shaped shard that is
//! three reads per row group, and the conversation text between them is never read.

use std::io::Read;
use std::sync::Arc;

use bytes::{Buf, Bytes};
use parquet::file::metadata::{ParquetMetaData, ParquetMetaDataReader};
use parquet::file::properties::{ReaderProperties, ReaderPropertiesPtr};
use parquet::file::reader::{ChunkReader, Length, RowGroupReader};
use parquet::file::serialized_reader::SerializedRowGroupReader;

use super::columns::Leaf;

/// Column chunks closer than this are read as one range, gap included: one more read costs more
/// than copying this many bytes that nobody decodes.
const MAX_GAP: u64 = 64 << 10;

/// A Parquet file: its footer, and the source its row groups are read from.
pub(super) struct OpenFile<R> {
    source: Arc<R>,
    metadata: ParquetMetaData,
    props: ReaderPropertiesPtr,
}

impl<R: ChunkReader + 'static> OpenFile<R> {
    /// Reads the footer; Err is the parquet crate's reason.
    pub(super) fn new(source: R) -> parquet::errors::Result<Self> {
        let metadata = ParquetMetaDataReader::new().parse_and_finish(&source)?;
        let props = Arc::new(ReaderProperties::builder().build());
        Ok(Self { source: Arc::new(source), metadata, props })
    }

    pub(super) fn metadata(&self) -> &ParquetMetaData {
        &self.metadata
    }

    pub(super) fn num_row_groups(&self) -> usize {
        self.metadata.num_row_groups()
    }

    /// Rows in row group `g` (0 for a negative count in a damaged footer).
    pub(super) fn group_rows(&self, g: usize) -> u64 {
        self.metadata.row_groups().get(g).map_or(0, |m| m.num_rows().max(0) as u64)
    }

    /// Row group `g` with the column chunks of `projected` read ahead.
    pub(super) fn row_group(
        &self,
        g: usize,
        projected: &[Leaf],
    ) -> parquet::errors::Result<Box<dyn RowGroupReader + '_>> {
        let Some(meta) = self.metadata.row_groups().get(g) else {
            return Err(parquet::errors::ParquetError::General(format!("no row group {g}")));
        };
        let chunks: Vec<(u64, u64)> = projected
            .iter()
            .filter_map(|leaf| meta.columns().get(leaf.index))
            .filter_map(|c| {
                let start = c.dictionary_page_offset().unwrap_or_else(|| c.data_page_offset());
                // A damaged footer's chunk is not read ahead; the page reader reports it.
                let (start, length) =
                    (u64::try_from(start).ok()?, u64::try_from(c.compressed_size()).ok()?);
                (start.checked_add(length)? <= self.source.len()).then_some((start, length))
            })
            .collect();
        let mut parts = Vec::new();
        for (start, length) in merge_ranges(chunks) {
            let length = usize::try_from(length)
                .map_err(|_| parquet::errors::ParquetError::General("range too long".into()))?;
            parts.push((start, self.source.get_bytes(start, length)?));
        }
        let reader = Prefetched { source: Arc::clone(&self.source), parts };
        let page_index = self.metadata.page_index_for_row_group(g);
        Ok(Box::new(SerializedRowGroupReader::new(
            Arc::new(reader),
            meta,
            page_index,
            Arc::clone(&self.props),
        )?))
    }
}

/// `(start, length)` ranges sorted and merged where they overlap or lie within [`MAX_GAP`].
fn merge_ranges(mut ranges: Vec<(u64, u64)>) -> Vec<(u64, u64)> {
    ranges.sort_unstable();
    let mut merged: Vec<(u64, u64)> = Vec::with_capacity(ranges.len());
    for (start, length) in ranges {
        let end = start + length;
        match merged.last_mut() {
            Some((from, len)) if start <= *from + *len + MAX_GAP => {
                *len = (*len).max(end - *from);
            }
            _ => merged.push((start, length)),
        }
    }
    merged
}

/// A source with some ranges already in memory: reads inside them are slices, others go to the
/// source.
struct Prefetched<R> {
    source: Arc<R>,
    /// `(start, bytes)`, sorted by start, disjoint.
    parts: Vec<(u64, Bytes)>,
}

impl<R> Prefetched<R> {
    /// The read-ahead bytes from `start` to the end of the part holding `start..start + length`.
    fn part(&self, start: u64, length: u64) -> Option<Bytes> {
        let i = self.parts.partition_point(|(from, _)| *from <= start).checked_sub(1)?;
        let (from, bytes) = self.parts.get(i)?;
        let offset = usize::try_from(start - from).ok()?;
        let end = offset.checked_add(usize::try_from(length).ok()?)?;
        (end <= bytes.len()).then(|| bytes.slice(offset..))
    }
}

impl<R: ChunkReader> Length for Prefetched<R> {
    fn len(&self) -> u64 {
        self.source.len()
    }
}

/// A sequential read served from a read-ahead part (then from the source, should a damaged page
/// header run past the part), or from the source.
pub(super) enum PartRead<T> {
    Part(std::io::Chain<bytes::buf::Reader<Bytes>, T>),
    Source(T),
}

impl<T: Read> Read for PartRead<T> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            PartRead::Part(r) => r.read(buf),
            PartRead::Source(r) => r.read(buf),
        }
    }
}

impl<R: ChunkReader> ChunkReader for Prefetched<R> {
    type T = PartRead<R::T>;

    fn get_read(&self, start: u64) -> parquet::errors::Result<Self::T> {
        match self.part(start, 1) {
            Some(bytes) => {
                let after = self.source.get_read(start + bytes.len() as u64)?;
                Ok(PartRead::Part(bytes.reader().chain(after)))
            }
            None => self.source.get_read(start).map(PartRead::Source),
        }
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<Bytes> {
        match self.part(start, length as u64) {
            Some(bytes) => Ok(bytes.slice(..length)),
            None => self.source.get_bytes(start, length),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_merge_and_distant_chunks_do_not() {
        let ranges = vec![(1_000_000, 10), (0, 100), (150, 50), (200 + MAX_GAP + 1, 5)];
        assert_eq!(merge_ranges(ranges), vec![(0, 200), (200 + MAX_GAP + 1, 5), (1_000_000, 10)]);
    }

    #[test]
    fn a_read_inside_a_part_is_a_slice_and_one_outside_goes_to_the_source() {
        let source: Bytes = (0..=255u8).collect::<Vec<_>>().into();
        let reader = Prefetched {
            source: Arc::new(source),
            parts: vec![(10, Bytes::from_static(&[7; 20]))],
        };
        assert_eq!(reader.get_bytes(12, 3).ok(), Some(Bytes::from_static(&[7, 7, 7])));
        // Past the part's end: the source answers.
        assert_eq!(reader.get_bytes(28, 4).ok(), Some(Bytes::from_static(&[28, 29, 30, 31])));
        assert_eq!(reader.get_bytes(2, 2).ok(), Some(Bytes::from_static(&[2, 3])));
        let mut head = [0u8; 4];
        assert!(reader.get_read(29).and_then(|mut r| Ok(r.read_exact(&mut head)?)).is_ok());
        assert_eq!(head, [7, 30, 31, 32]);
    }
}
