//! File intake: sniff the format and encoding, split records, detect the dataset kind, and load
//! into [`crate::Dataset`]. The browser worker feeds [`StreamLoader`] with Blob slices; the CLI
//! and tests call [`load_path`] / [`load_bytes`], which run the very same loader.

mod cuts;
pub mod encoding;
pub mod kind;
pub mod loader;
#[cfg(not(target_arch = "wasm32"))]
pub mod parallel;
pub mod parquet;
mod records;
pub mod sniff;
pub mod split;
mod warnings;

pub use cuts::{cut_targets, Parallelism, WINDOW_BYTES};
pub use loader::{SegmentPart, StreamLoader};
#[cfg(not(target_arch = "wasm32"))]
pub use parallel::load_path_parallel;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::dataset::{DatasetKind, ParsedFile};

/// Choices that override detection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadOptions {
    /// Treat the file as this kind instead of detecting it.
    pub kind: Option<DatasetKind>,
    /// CSV delimiter instead of detecting it.
    pub delimiter: Option<u8>,
    /// Whether a CSV has a header row instead of detecting it.
    pub header: Option<bool>,
    /// Column renames (file's name → the name benchlens expects, e.g. `player_1` → `model_a`),
    /// from the column-mapping form. Applied before kind detection.
    #[serde(default)]
    pub rename: Vec<(String, String)>,
    /// Leave a battle log's judges out (every battle's judge is the unknown one): for a caller
    /// that never reads them. A million battles carry about a hundred thousand distinct judge
    /// names, and interning them is about a tenth of the parse (`benchlens ratings` without a
    /// judge filter sets this; the page, whose filters list the judges, never does).
    #[serde(default)]
    pub skip_judges: bool,
}

/// Loads a whole in-memory file.
pub fn load_bytes(name: &str, bytes: &[u8], options: &LoadOptions) -> ParsedFile {
    #[cfg(feature = "parquet")]
    if parquet::is_parquet(bytes) || parquet::has_parquet_name(name) {
        let data = bytes::Bytes::copy_from_slice(bytes);
        return parquet::load_reader(name, data, options, &mut |_, _| {});
    }
    let mut loader = StreamLoader::new(name, options.clone());
    // Feed in chunks like the worker does, so both paths are the same code.
    for chunk in bytes.chunks(CHUNK_BYTES) {
        loader.feed(chunk);
    }
    loader.finish()
}

/// Chunk size used by the worker and by `load_bytes`.
pub const CHUNK_BYTES: usize = 4 << 20;

/// Reads and loads a file from disk.
/// Streams the file from disk, so its size does not bound memory.
pub fn load_path(path: &Path, options: &LoadOptions) -> std::io::Result<ParsedFile> {
    use std::io::Read;
    #[cfg(feature = "parquet")]
    if let Some(parsed) = load_parquet_path(path, options)? {
        return Ok(parsed);
    }
    let mut file = std::fs::File::open(path)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut loader = StreamLoader::new(&name, options.clone());
    let mut buf = vec![0u8; CHUNK_BYTES];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        loader.feed(&buf[..n]);
    }
    Ok(loader.finish())
}

/// A Parquet file (by its magic number or its name) loaded by [`parquet::load_reader`]; None
/// for any other file.
#[cfg(feature = "parquet")]
pub fn load_parquet_path(
    path: &Path,
    options: &LoadOptions,
) -> std::io::Result<Option<ParsedFile>> {
    load_parquet_path_threads(path, options, 1)
}

/// [`load_parquet_path`] decoding a battle log's row groups on up to `threads` threads (on Unix;
/// one elsewhere); the same result.
#[cfg(feature = "parquet")]
pub fn load_parquet_path_threads(
    path: &Path,
    options: &LoadOptions,
    threads: usize,
) -> std::io::Result<Option<ParsedFile>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut head = [0u8; 4];
    let n = file.read(&mut head)?;
    let name = parquet::display_name(path);
    if !parquet::is_parquet(&head[..n]) && !parquet::has_parquet_name(&name) {
        return Ok(None);
    }
    #[cfg(all(unix, not(target_arch = "wasm32")))]
    if threads > 1 {
        let file = parquet::pread::PositionalFile::new(file)?;
        return Ok(Some(parquet::load_reader_parallel(
            &name,
            file,
            options,
            &mut |_, _| {},
            threads,
        )));
    }
    let _ = threads;
    Ok(Some(parquet::load_reader(&name, file, options, &mut |_, _| {})))
}

/// Expands folders into the files below them (sorted), keeping files as given.
pub fn expand_paths(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut stack = vec![p.clone()];
            let mut found = Vec::new();
            while let Some(dir) = stack.pop() {
                for entry in std::fs::read_dir(&dir)? {
                    let path = entry?.path();
                    if path.is_dir() {
                        stack.push(path);
                    } else {
                        found.push(path);
                    }
                }
            }
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// Extensions of the files a folder argument stands for: a Hugging Face snapshot folder also
/// holds `README.md` and `.gitattributes`, which are not data.
pub const DATA_EXTENSIONS: [&str; 9] =
    ["parquet", "parq", "pq", "json", "jsonl", "ndjson", "csv", "tsv", "txt"];

/// Like [`expand_paths`], but a folder contributes only its data files (by extension, hidden
/// files skipped); files named directly are kept whatever their name.
pub fn expand_data_paths(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if !p.is_dir() {
            out.push(p.clone());
            continue;
        }
        for file in expand_paths(std::slice::from_ref(p))? {
            let hidden = file
                .strip_prefix(p)
                .map(|rel| {
                    rel.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
                })
                .unwrap_or(false);
            let data = file.extension().is_some_and(|e| {
                DATA_EXTENSIONS.iter().any(|d| e.to_string_lossy().eq_ignore_ascii_case(d))
            });
            if data && !hidden {
                out.push(file);
            }
        }
    }
    Ok(out)
}
