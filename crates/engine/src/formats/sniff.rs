//! Guessing what a file is from its first bytes: binary or text, JSON array / JSONL / JSON object
//! / CSV, the CSV delimiter, and whether the first CSV row is a header.
//!
//! Everything here looks only at a prefix (the first chunk), because the worker must decide before
//! the rest of a gigabyte file has arrived.

use crate::dataset::Format;

use super::split::{CsvSplitter, RawRow};

/// Why a file cannot be read as text at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SniffError {
    #[error("the file is empty")]
    Empty,
    #[error("the file holds only whitespace")]
    Blank,
    #[error("this looks like a binary file ({0}), not CSV, JSON or JSONL")]
    Binary(String),
    #[error("the file is UTF-16 encoded; save it as UTF-8 and load it again")]
    Utf16,
}

/// Rejects binary content by its first bytes.
pub fn check_text(prefix: &[u8]) -> Result<(), SniffError> {
    if prefix.is_empty() {
        return Err(SniffError::Empty);
    }
    if super::encoding::is_utf16(prefix) {
        return Err(SniffError::Utf16);
    }
    let magic: &[(&[u8], &str)] = &[
        (b"PK\x03\x04", "a ZIP archive, e.g. .xlsx or .zip: unzip or export as CSV"),
        (b"\x1f\x8b", "gzip-compressed: decompress it first"),
        (b"PAR1", "Parquet, which the page cannot read yet: load it with the `benchlens` CLI, or export it as CSV or JSONL"),
        (b"\x89PNG", "a PNG image"),
        (b"%PDF", "a PDF document"),
        (b"SQLite format 3", "an SQLite database"),
    ];
    for (sig, what) in magic {
        if prefix.starts_with(sig) {
            return Err(SniffError::Binary((*what).into()));
        }
    }
    let sample = &prefix[..prefix.len().min(8192)];
    let nul = sample.iter().filter(|&&b| b == 0).count();
    let control =
        sample.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)).count();
    if nul > 0 || control * 20 > sample.len() {
        return Err(SniffError::Binary(format!(
            "{} NUL and {} other control bytes in the first {} bytes",
            nul,
            control - nul.min(control),
            sample.len()
        )));
    }
    if prefix.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(SniffError::Blank);
    }
    Ok(())
}

/// The physical format, from the first non-whitespace bytes.
pub fn detect_format(prefix: &[u8]) -> Format {
    let text = trim_start(prefix);
    match text.first() {
        Some(b'[') => Format::JsonArray,
        Some(b'{') => {
            // JSONL if the first line is a complete object and another object follows.
            let first_line_end = text.iter().position(|&b| b == b'\n');
            match first_line_end {
                Some(end) => {
                    let first = &text[..end];
                    let rest = trim_start(&text[end..]);
                    let first_ok = serde_json::from_slice::<serde_json::Value>(first).is_ok();
                    if first_ok && (rest.is_empty() || rest.first() == Some(&b'{')) {
                        Format::Jsonl
                    } else {
                        Format::JsonObject
                    }
                }
                None => Format::JsonObject,
            }
        }
        _ => Format::Csv,
    }
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let skip = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    &bytes[skip..]
}

/// Splits a prefix into at most `max_rows` CSV rows of text (lossy), ignoring a partial last row
/// when the prefix is not the whole file.
pub fn sample_rows(prefix: &[u8], delimiter: u8, max_rows: usize, whole: bool) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut splitter = CsvSplitter::new(delimiter);
    let mut emit = |r: RawRow<'_>| {
        if rows.len() < max_rows {
            rows.push(r.fields.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect());
        }
    };
    // Errors only come from absurd record sizes; a sample just stops there.
    let _ = splitter.feed(prefix, &mut emit);
    if whole {
        let _ = splitter.feed(&[], &mut emit);
    }
    rows
}

/// Picks the delimiter among `,` `\t` `;` `|` whose rows have the most consistent width (> 1).
pub fn detect_delimiter(prefix: &[u8], whole: bool) -> u8 {
    let mut best = (b',', f64::MIN);
    for &delim in b",\t;|" {
        let rows = sample_rows(prefix, delim, 200, whole);
        if rows.is_empty() {
            continue;
        }
        let mut widths: Vec<usize> = rows.iter().map(Vec::len).collect();
        widths.sort_unstable();
        let modal = mode(&widths);
        if modal < 2 {
            continue;
        }
        let consistent = widths.iter().filter(|&&w| w == modal).count() as f64 / rows.len() as f64;
        // Consistency first; among equally consistent candidates, more columns wins mildly.
        let score = consistent * 100.0 + (modal as f64).ln();
        if score > best.1 {
            best = (delim, score);
        }
    }
    best.0
}

fn mode(sorted: &[usize]) -> usize {
    let mut best = (0, 0);
    let mut i = 0;
    while i < sorted.len() {
        let j = sorted[i..].iter().take_while(|&&w| w == sorted[i]).count();
        if j > best.1 {
            best = (sorted[i], j);
        }
        i += j;
    }
    best.0
}

/// Words that, as a whole cell, mark a header row.
const HEADER_WORDS: &[&str] = &[
    "question",
    "answer",
    "choices",
    "model",
    "model_a",
    "model_b",
    "winner",
    "label",
    "subject",
    "id",
    "name",
    "params",
    "parameters",
    "tokens",
    "loss",
    "compute",
    "score",
    "prompt",
    "input",
    "target",
    "instruction",
    "output",
    "preference",
    "type",
    "category",
    "best answer",
    "source",
    "wins_a",
    "wins_b",
    "ties",
    "judge",
    "language",
    "turn",
    "tstamp",
];

/// Decides whether the first row is a header, from the rows of a sample.
///
/// A header cell is never empty (except a leading index column), never numeric, and short. Beyond
/// that, columns vote: where the body has a consistent shape (numeric, or constant length), a first
/// cell that breaks it votes for a header and one that fits votes against (the idea of Python's
/// `csv.Sniffer.has_header`). Known column words decide ties.
pub fn detect_header(rows: &[Vec<String>]) -> bool {
    let Some(first) = rows.first() else { return false };
    // MMLU as first released: every row, the first included, ends in an answer letter.
    if rows.len() > 1 && rows.iter().all(|r| super::kind::is_mmlu_row(r)) {
        return false;
    }
    let is_number = |s: &str| s.trim().parse::<f64>().is_ok();
    for (i, cell) in first.iter().enumerate() {
        let c = cell.trim();
        if (c.is_empty() && i > 0) || is_number(c) || c.chars().count() > 80 {
            return false;
        }
    }
    let known = first
        .iter()
        .filter(|c| HEADER_WORDS.contains(&c.trim().to_ascii_lowercase().as_str()))
        .count();
    let body = &rows[1..];
    if body.is_empty() {
        return known > 0;
    }
    let mut votes: i64 = 0;
    for (col, head) in first.iter().enumerate() {
        let cells: Vec<&str> = body.iter().filter_map(|r| r.get(col)).map(|s| s.trim()).collect();
        if cells.is_empty() {
            continue;
        }
        if cells.iter().all(|c| is_number(c)) {
            votes += if is_number(head) { -1 } else { 1 };
            continue;
        }
        let len0 = cells[0].chars().count();
        if cells.len() > 1 && cells.iter().all(|c| c.chars().count() == len0) {
            votes += if head.trim().chars().count() == len0 { -1 } else { 1 };
        }
    }
    votes + 2 * known as i64 > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(detect_format(b"  [ {\"a\":1} ]"), Format::JsonArray);
        assert_eq!(detect_format(b"{\"a\":1}\n{\"a\":2}\n"), Format::Jsonl);
        assert_eq!(detect_format(b"{\n \"a\": [1, 2]\n}"), Format::JsonObject);
        assert_eq!(detect_format(b"a,b\n1,2\n"), Format::Csv);
    }

    #[test]
    fn delimiters() {
        assert_eq!(detect_delimiter(b"a;b;c\n1;2,5;3\n4;5;6\n", true), b';');
        assert_eq!(detect_delimiter(b"a\tb\n1\t2\n", true), b'\t');
        assert_eq!(detect_delimiter(b"q,\"x;y\",z\n1,2,3\n", true), b',');
    }

    #[test]
    fn headers() {
        let rows = |t: &[u8]| sample_rows(t, b',', 50, true);
        // Headerless MMLU: answer letters of constant length, first one too.
        assert!(!detect_header(&rows(
            b"What is 1+1?,1,2,3,4,B\nWhat is 2+2?,2,3,4,5,C\nWhy?,x,yy,z,w,A\n"
        )));
        assert!(detect_header(&rows(b"question,A,B,C,D,answer\nWhat?,1,2,3,4,B\n")));
        assert!(detect_header(&rows(b"model,params,tokens\nx,7,1.4\ny,8,15\n")));
        assert!(!detect_header(&rows(b"x,7,1.4\ny,8,15\n")));
        // pandas index column: empty first header cell.
        assert!(detect_header(&rows(b",win_rate,n\nm1,50.1,805\nm2,20.0,805\n")));
    }

    #[test]
    fn binary_and_empty() {
        assert_eq!(check_text(b""), Err(SniffError::Empty));
        assert_eq!(check_text(b"  \n "), Err(SniffError::Blank));
        assert!(matches!(check_text(b"PK\x03\x04rest"), Err(SniffError::Binary(_))));
        assert!(matches!(check_text(b"ab\0cd"), Err(SniffError::Binary(_))));
        assert_eq!(check_text(b"\xFF\xFEa\0"), Err(SniffError::Utf16));
        assert!(check_text(b"a,b\n").is_ok());
    }
}
