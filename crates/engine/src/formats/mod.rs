//! File intake: sniff the format and encoding, split records, detect the dataset kind, and load
//! into [`crate::Dataset`]. The browser worker feeds [`StreamLoader`] with Blob slices; the CLI
//! and tests call [`load_path`] / [`load_bytes`], which run the very same loader.

pub mod encoding;

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
}

/// Loads a whole in-memory file.
pub fn load_bytes(name: &str, bytes: &[u8], options: &LoadOptions) -> ParsedFile {
    let _ = (name, bytes, options);
    unimplemented_loader()
}

fn unimplemented_loader() -> ParsedFile {
    unreachable!("formats loader lands in the next commit")
}

/// Reads and loads a file from disk.
pub fn load_path(path: &Path, options: &LoadOptions) -> std::io::Result<ParsedFile> {
    let bytes = std::fs::read(path)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(load_bytes(&name, &bytes, options))
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
