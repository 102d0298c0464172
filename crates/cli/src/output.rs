//! Shared CLI output helpers: file loading with warnings on stderr, JSON and CSV printing.

use std::io::Write;
use std::path::Path;

use benchlens_engine::dataset::{ParsedFile, Severity};
use benchlens_engine::formats::{self, LoadOptions};

/// Loads one file through the same intake the browser worker uses, printing its warnings to
/// stderr. Fails when the file cannot be read or holds nothing usable.
#[allow(dead_code)] // until every analysis subcommand uses it
pub fn load(path: &Path, options: &LoadOptions) -> Result<ParsedFile, String> {
    // Same rows, ids and warnings as the single-threaded intake; big battle logs load on every core.
    let parsed = formats::load_path_parallel(path, options, formats::Parallelism::available())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    for w in &parsed.summary.warnings {
        if w.severity >= Severity::Warning {
            eprintln!("{}", w.render(&parsed.summary.name));
        }
    }
    if parsed.summary.failed() {
        return Err(format!("{}: no usable rows", path.display()));
    }
    Ok(parsed)
}

/// Prints a serde value as pretty JSON on stdout.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<(), String> {
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}").map_err(|e| e.to_string())
}

/// Prints rows as CSV on stdout with the given header.
#[allow(dead_code)] // until every analysis subcommand uses it
pub fn print_csv(
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<(), String> {
    let mut w = csv::Writer::from_writer(std::io::stdout().lock());
    w.write_record(header).map_err(|e| e.to_string())?;
    for row in rows {
        w.write_record(&row).map_err(|e| e.to_string())?;
    }
    w.flush().map_err(|e| e.to_string())
}

/// Output format shared by the analysis subcommands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Csv,
    Json,
}
