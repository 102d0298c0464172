//! Parquet intake: the format the Hugging Face hub publishes every dataset in (LMArena's vote
//! releases, cais/mmlu, MMLU-Redux, TruthfulQA).
//!
//! A Parquet file is read from its footer, so it cannot be streamed front to back like CSV; it is
//! read row group by row group instead, decoding only the leaf columns the dataset kind needs
//! (a battle log never decompresses conversation text), and folding each row group into the same
//! [`crate::Battles`] or [`Table`] the text loader builds. Nested records follow the JSON loader's
//! rules (see [`table`]), so a file gives the same dataset whether it arrives as JSON or Parquet.

#[cfg(feature = "parquet")]
mod assemble;
#[cfg(feature = "parquet")]
mod battles;
#[cfg(feature = "parquet")]
pub mod columns;
#[cfg(feature = "parquet")]
mod groups;
#[cfg(feature = "parquet")]
mod load;
#[cfg(all(feature = "parquet", unix))]
pub mod pread;
#[cfg(feature = "parquet")]
mod prefetch;
#[cfg(feature = "parquet")]
mod table;

#[cfg(feature = "parquet")]
pub use battles::parse_datetime;
#[cfg(all(feature = "parquet", not(target_arch = "wasm32")))]
pub use load::load_reader_parallel;
#[cfg(feature = "parquet")]
pub use load::{load_reader, load_reader_async, Progress, STAGE};

/// The four bytes every Parquet file starts and ends with.
pub const MAGIC: &[u8; 4] = b"PAR1";

/// True when the bytes start like a Parquet file.
pub fn is_parquet(prefix: &[u8]) -> bool {
    prefix.starts_with(MAGIC)
}

/// True when a file name says Parquet (`.parquet`, `.parq`, `.pq`), whatever its bytes say.
pub fn has_parquet_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".parquet", ".parq", ".pq"].iter().any(|ext| lower.ends_with(ext))
}

/// The name a hub shard is shown under: `abstract_algebra/test-00000-of-00001.parquet` keeps its
/// folder (the MMLU subject, the config), since every split of every config has the same file
/// names; other files keep their own name.
pub fn display_name(path: &std::path::Path) -> String {
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if super::kind::hub_shard(&file).is_none() {
        return file;
    }
    match path.parent().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()) {
        Some(dir) if !dir.is_empty() && dir != "data" && dir != "." => format!("{dir}/{file}"),
        _ => file,
    }
}
