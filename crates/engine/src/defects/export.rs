//! The cleaned dataset, in the input's own format: flagged items removed, or a flag column added.
//!
//! Works on the original bytes rather than re-serialising the parsed table, so everything the
//! checks did not touch (quoting, delimiter, encoding, column order, header) survives byte for
//! byte. CSV records and JSONL lines are matched by the physical line where they start (what
//! [`crate::Table::line_of`] records) or, when no lines are given, CSV records by data-row index;
//! JSON arrays by element index.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::dataset::Format;

/// What to do with flagged items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportMode {
    /// Drop flagged items.
    Remove,
    /// Keep every item and add a `benchlens_flags` column (check ids, `;`-separated).
    FlagColumn,
}

/// Name of the added column.
pub const FLAG_COLUMN: &str = "benchlens_flags";

/// Why an export failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExportError {
    #[error(
        "{file}: line {line} is not valid JSON ({message}); the file changed since it was loaded?"
    )]
    Json { file: String, line: u64, message: String },
    #[error("{0}")]
    Unsupported(String),
}

/// Flagged items of one file: physical start line (CSV/JSONL) or element index (JSON) → the
/// flag text for the column.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Flagged {
    pub by_line: BTreeMap<u64, String>,
    pub by_index: BTreeMap<usize, String>,
}

/// Writes the cleaned file.
pub fn export(
    file: &str,
    bytes: &[u8],
    format: Format,
    delimiter: u8,
    header: bool,
    flagged: &Flagged,
    mode: ExportMode,
) -> Result<Vec<u8>, ExportError> {
    match format {
        Format::Csv => Ok(export_csv(bytes, delimiter, header, flagged, mode)),
        Format::Jsonl => export_jsonl(file, bytes, flagged, mode),
        Format::JsonArray | Format::JsonObject => export_json(file, bytes, flagged, mode),
        // Parquet is read, not written: the cleaned items go out as JSONL, row for row.
        Format::Parquet => Err(ExportError::Unsupported(format!(
            "{file}: writing Parquet is not supported; export the flagged items as CSV or JSONL"
        ))),
    }
}

fn export_csv(
    bytes: &[u8],
    delimiter: u8,
    header: bool,
    flagged: &Flagged,
    mode: ExportMode,
) -> Vec<u8> {
    let records = csv_records(bytes);
    let mut out = Vec::with_capacity(bytes.len());
    let mut data_row = 0usize;
    for (k, r) in records.iter().enumerate() {
        let raw = &bytes[r.start..r.end];
        let is_header = header && k == 0;
        let flag = if is_header {
            None
        } else {
            let f = if flagged.by_line.is_empty() {
                flagged.by_index.get(&data_row)
            } else {
                flagged.by_line.get(&r.line)
            };
            data_row += usize::from(!r.blank);
            f
        };
        match mode {
            ExportMode::Remove if flag.is_some() => {}
            ExportMode::FlagColumn if !r.blank => {
                let body_len =
                    raw.len() - raw.iter().rev().take_while(|b| matches!(b, b'\r' | b'\n')).count();
                out.extend_from_slice(&raw[..body_len]);
                out.push(delimiter);
                let value = if is_header { FLAG_COLUMN } else { flag.map_or("", String::as_str) };
                let needs_quotes =
                    value.bytes().any(|b| matches!(b, b'"' | b'\r' | b'\n') || b == delimiter);
                if needs_quotes {
                    out.push(b'"');
                    out.extend_from_slice(value.replace('"', "\"\"").as_bytes());
                    out.push(b'"');
                } else {
                    out.extend_from_slice(value.as_bytes());
                }
                let tail = &raw[body_len..];
                out.extend_from_slice(if tail.is_empty() { b"\n" } else { tail });
            }
            _ => out.extend_from_slice(raw),
        }
    }
    out
}

/// One physical CSV record: its byte range (terminator included), the 1-based line it starts
/// on, and whether it is a blank line (which readers skip).
struct RawRecord {
    start: usize,
    end: usize,
    line: u64,
    blank: bool,
}

/// Splits CSV bytes into records at unquoted line feeds (RFC 4180 quoting with `"`).
fn csv_records(bytes: &[u8]) -> Vec<RawRecord> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut line = 1u64;
    let mut start_line = 1u64;
    let mut quoted = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' => {
                line += 1;
                if !quoted {
                    let blank = bytes[start..=i].iter().all(|c| matches!(c, b'\r' | b'\n'));
                    out.push(RawRecord { start, end: i + 1, line: start_line, blank });
                    start = i + 1;
                    start_line = line;
                }
            }
            _ => {}
        }
    }
    if start < bytes.len() {
        let blank = bytes[start..].iter().all(|c| matches!(c, b'\r' | b'\n'));
        out.push(RawRecord { start, end: bytes.len(), line: start_line, blank });
    }
    out
}

fn export_jsonl(
    file: &str,
    bytes: &[u8],
    flagged: &Flagged,
    mode: ExportMode,
) -> Result<Vec<u8>, ExportError> {
    let mut out = Vec::with_capacity(bytes.len());
    for (k, raw) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        let line = k as u64 + 1;
        let flag = flagged.by_line.get(&line);
        let blank = raw.iter().all(|b| b.is_ascii_whitespace());
        match mode {
            ExportMode::Remove if flag.is_some() => {}
            ExportMode::FlagColumn if !blank => {
                let mut v: serde_json::Value = serde_json::from_slice(raw).map_err(|e| {
                    ExportError::Json { file: file.to_owned(), line, message: e.to_string() }
                })?;
                if let serde_json::Value::Object(m) = &mut v {
                    m.insert(FLAG_COLUMN.into(), flag.cloned().unwrap_or_default().into());
                }
                out.extend_from_slice(v.to_string().as_bytes());
                out.push(b'\n');
            }
            _ => out.extend_from_slice(raw),
        }
    }
    Ok(out)
}

fn export_json(
    file: &str,
    bytes: &[u8],
    flagged: &Flagged,
    mode: ExportMode,
) -> Result<Vec<u8>, ExportError> {
    let mut v: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        ExportError::Json { file: file.to_owned(), line: e.line() as u64, message: e.to_string() }
    })?;
    let records = match &mut v {
        serde_json::Value::Array(a) => Some(a),
        serde_json::Value::Object(m) => m.values_mut().find_map(|x| x.as_array_mut()),
        _ => None,
    };
    if let Some(records) = records {
        let old = std::mem::take(records);
        for (i, mut r) in old.into_iter().enumerate() {
            let flag = flagged.by_index.get(&i);
            match mode {
                ExportMode::Remove if flag.is_some() => continue,
                ExportMode::FlagColumn => {
                    if let serde_json::Value::Object(m) = &mut r {
                        m.insert(FLAG_COLUMN.into(), flag.cloned().unwrap_or_default().into());
                    }
                }
                ExportMode::Remove => {}
            }
            records.push(r);
        }
    }
    let mut out = serde_json::to_vec_pretty(&v).unwrap_or_default();
    out.push(b'\n');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flagged(lines: &[(u64, &str)]) -> Flagged {
        Flagged {
            by_line: lines.iter().map(|&(l, s)| (l, s.to_owned())).collect(),
            by_index: BTreeMap::new(),
        }
    }

    /// The export of `src` (with a header row, where the format has one), which must succeed.
    fn exported(
        file: &str,
        src: &[u8],
        format: Format,
        delimiter: u8,
        flagged: &Flagged,
        mode: ExportMode,
    ) -> Vec<u8> {
        export(file, src, format, delimiter, true, flagged, mode).expect(file)
    }

    #[test]
    fn csv_keeps_bytes_and_drops_flagged_records() {
        let src = b"question;A;answer\r\n\"multi\nline\";x;A\r\nq2;y;B\r\n";
        let out =
            exported("f.csv", src, Format::Csv, b';', &flagged(&[(2, "e")]), ExportMode::Remove);
        assert_eq!(out, b"question;A;answer\r\nq2;y;B\r\n");
        let out = exported(
            "f.csv",
            src,
            Format::Csv,
            b';',
            &flagged(&[(4, "lost_context")]),
            ExportMode::FlagColumn,
        );
        assert_eq!(
            String::from_utf8(out).expect("utf8"),
            "question;A;answer;benchlens_flags\r\n\"multi\nline\";x;A;\r\nq2;y;B;lost_context\r\n"
        );
    }

    #[test]
    fn jsonl_and_json() {
        let src = b"{\"q\":1}\n{\"q\":2}\n";
        let out = exported(
            "f.jsonl",
            src,
            Format::Jsonl,
            b',',
            &flagged(&[(1, "x")]),
            ExportMode::Remove,
        );
        assert_eq!(out, b"{\"q\":2}\n");
        let f = Flagged {
            by_line: BTreeMap::new(),
            by_index: [(1usize, "dup".to_owned())].into_iter().collect(),
        };
        let out = exported(
            "f.json",
            b"[{\"q\":1},{\"q\":2}]",
            Format::JsonArray,
            b',',
            &f,
            ExportMode::Remove,
        );
        let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
        assert_eq!(v, serde_json::json!([{"q": 1}]));
    }
}
