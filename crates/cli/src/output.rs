//! Shared CLI output helpers: file loading with warnings on stderr, JSON and CSV printing.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use benchlens_engine::dataset::{ParsedFile, Severity};
use benchlens_engine::formats::{self, LoadOptions};

/// Loads one file through the same intake the browser worker uses, printing its warnings to
/// stderr. Fails when the file cannot be read or holds nothing usable.
pub fn load_file(path: &Path, options: &LoadOptions) -> Result<ParsedFile, String> {
    // Same rows, ids and warnings as the single-threaded intake; big battle logs load on every core.
    let parsed = formats::load_path_parallel(path, options, formats::Parallelism::available())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    report(path, parsed)
}

/// Loads several files, several at a time (one per core), and returns them in the given order.
/// Warnings are printed file by file in that order, as [`load`] would; the first file (in order)
/// that fails is the error.
pub fn load_many(paths: &[PathBuf], options: &LoadOptions) -> Result<Vec<ParsedFile>, String> {
    let threads = formats::Parallelism::available().threads.min(paths.len()).max(1);
    if threads == 1 {
        return paths.iter().map(|p| load_file(p, options)).collect();
    }
    let next = AtomicUsize::new(0);
    let mut slots: Vec<Option<std::io::Result<ParsedFile>>> = Vec::new();
    slots.resize_with(paths.len(), || None);
    let done: Vec<Vec<(usize, std::io::Result<ParsedFile>)>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(path) = paths.get(i) else { break };
                        // One file per thread here: the files are the parallelism.
                        mine.push((i, formats::load_path(path, options)));
                    }
                    mine
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap_or_default()).collect()
    });
    for (i, result) in done.into_iter().flatten() {
        slots[i] = Some(result);
    }
    paths
        .iter()
        .zip(slots)
        .map(|(path, slot)| {
            let parsed = slot
                .unwrap_or_else(|| Err(std::io::Error::other("an intake thread stopped")))
                .map_err(|e| format!("{}: {e}", path.display()))?;
            report(path, parsed)
        })
        .collect()
}

/// Prints a loaded file's warnings and refuses a file with nothing usable.
fn report(path: &Path, parsed: ParsedFile) -> Result<ParsedFile, String> {
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

/// What a failed write to stdout means. A closed pipe (`benchlens … | head`) is not a failure:
/// the reader has what it wanted, so the command stops quietly with success, as Unix tools do.
/// Anything else is an error naming what was being written.
pub fn stdout_result(written: std::io::Result<()>, what: &str) -> Result<(), String> {
    match written {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(format!("writing {what}: {e}")),
    }
}

/// Prints one line of text on stdout.
pub fn print_line(text: &str) -> Result<(), String> {
    stdout_result(writeln!(std::io::stdout().lock(), "{text}"), "the output")
}

/// Prints a serde value as pretty JSON on stdout.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<(), String> {
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    print_line(&text)
}

/// Prints rows as CSV on stdout with the given header.
#[allow(dead_code)] // until every analysis subcommand uses it
pub fn print_csv(
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<(), String> {
    let csv_result = |r: csv::Result<()>| match r {
        Err(e) => match e.into_kind() {
            csv::ErrorKind::Io(io) => stdout_result(Err(io), "CSV"),
            other => Err(format!("writing CSV: {other:?}")),
        },
        Ok(()) => Ok(()),
    };
    let mut w = csv::Writer::from_writer(std::io::stdout().lock());
    csv_result(w.write_record(header))?;
    for row in rows {
        csv_result(w.write_record(&row))?;
    }
    stdout_result(w.flush(), "CSV")
}

/// Output format shared by the analysis subcommands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Csv,
    Json,
}
