//! The one entry point of the defect checks, shared by the page's worker and `benchlens defects`:
//! loaded files in, one [`DefectsRun`] out, which writes its own flag reports (CSV, JSON) and
//! says which rows of each file a cleaned copy drops. Callers only map their inputs (dataset
//! ids, paths) to loaded files and print or post what comes back, so both agree by construction.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use super::evaluation::{evaluate, Evaluation};
use super::export::Flagged;
use super::labels::{LabelChoice, LabelColumns, LabelsView};
use super::lm_eval::read_predictions;
use super::{analyze, CheckId, ItemSet, Report, Settings, Severity, Span};
use crate::dataset::{Format, ParsedFile};
use crate::table::Table;

/// Columns of the flag report, one row per flag (the CLI's CSV output and the page's download).
pub const FLAG_REPORT_COLUMNS: [&str; 7] =
    ["file", "row", "subject", "check", "severity", "reason", "score"];

/// Everything one run of the checks found, with what its callers show besides the report.
#[derive(Debug, Clone, PartialEq)]
pub struct DefectsRun {
    pub report: Report,
    /// For each file of the report, the index of its input among the benchmark files given to
    /// [`run`] (files without items have no report file).
    pub file_inputs: Vec<usize>,
    /// Combined suspicion of each item (0 for items the ranking leaves out).
    pub suspicion: Vec<f64>,
    /// Label columns found and, when items carry labels, the checks scored against them.
    pub labels: LabelsView,
    /// What could not be read from the inputs, in input order: benchmark files, then predictions.
    pub input_warnings: Vec<String>,
    /// Prediction tables that gave model answers.
    pub answer_tables: usize,
}

/// No benchmark file gave items; `warnings` say why for each file.
#[derive(Debug, Clone, PartialEq)]
pub struct NoItems {
    pub warnings: Vec<String>,
}

/// Runs the enabled checks over the items of `benchmarks`, with the model answers of
/// `predictions` (each named, e.g. by its path, so lm-evaluation-harness runs pair up), scoring
/// against the expert labels `labels` picks.
pub fn run(
    benchmarks: &[&ParsedFile],
    predictions: &[(&str, &ParsedFile)],
    settings: &Settings,
    labels: &LabelChoice,
) -> Result<DefectsRun, NoItems> {
    let mut set = ItemSet::default();
    let mut file_inputs = Vec::new();
    let mut label_columns = LabelColumns::default();
    for (input, file) in benchmarks.iter().enumerate() {
        let label = file.table().and_then(|t| label_columns.pick(labels, t));
        if set.add_parsed(file, label.as_deref()) {
            file_inputs.push(input);
        }
    }
    if set.items.is_empty() {
        return Err(NoItems { warnings: set.warnings });
    }
    let mut input_warnings = std::mem::take(&mut set.warnings);
    let mut named: Vec<(String, &Table)> = Vec::with_capacity(predictions.len());
    for (name, file) in predictions {
        match file.table() {
            Some(t) => named.push(((*name).to_owned(), t)),
            None => input_warnings.push(format!("{name}: not a table of predictions; skipped")),
        }
    }
    let read = read_predictions(&named);
    input_warnings.extend(read.warnings);
    let report = analyze(set, &read.tables, settings);
    let mut suspicion = vec![0.0; report.items.items.len()];
    for r in &report.ranking {
        if let Some(s) = suspicion.get_mut(r.item) {
            *s = r.suspicion;
        }
    }
    let labels = label_columns.into_view(&report);
    Ok(DefectsRun {
        report,
        file_inputs,
        suspicion,
        labels,
        input_warnings,
        answer_tables: read.tables.len(),
    })
}

/// One flag as a record of the JSON flag report.
#[derive(Serialize)]
struct FlagRecord<'a> {
    file: &'a str,
    row: usize,
    subject: &'a str,
    check: CheckId,
    severity: Severity,
    reason: &'a str,
    score: f64,
    evidence: &'a [Span],
}

impl DefectsRun {
    /// Every warning, for a page that shows them in one list: the inputs', then the
    /// disagreement screen's.
    pub fn warnings(&self) -> Vec<String> {
        let mut all = self.input_warnings.clone();
        if let Some(d) = &self.report.disagreement {
            all.extend(d.warnings.iter().cloned());
        }
        all
    }

    /// The checks scored against the expert labels (all zero when no item has one).
    pub fn evaluation(&self) -> Evaluation {
        self.labels.evaluation.clone().unwrap_or_else(|| evaluate(&self.report))
    }

    /// Writes the flag report as CSV ([`FLAG_REPORT_COLUMNS`]), naming each report file by
    /// `file_name` (the page uses the file's name, the CLI the path it was given).
    pub fn write_flags_csv(
        &self,
        out: &mut impl Write,
        file_name: impl Fn(usize) -> String,
    ) -> std::io::Result<()> {
        writeln!(out, "{}", FLAG_REPORT_COLUMNS.join(","))?;
        let r = &self.report;
        for f in &r.flags {
            let Some(it) = r.items.items.get(f.item) else { continue };
            writeln!(
                out,
                "{},{},{},{},{},{},{}",
                csv_field(&file_name(it.file)),
                it.row + 1,
                csv_field(r.items.subject_of(f.item)),
                f.check.id(),
                f.severity.id(),
                csv_field(&f.reason),
                format_score(f.score)
            )?;
        }
        Ok(())
    }

    /// The flag report as pretty JSON records: the CSV's columns plus the evidence spans.
    pub fn flags_json(&self) -> Result<String, serde_json::Error> {
        let r = &self.report;
        let records: Vec<FlagRecord> = r
            .flags
            .iter()
            .filter_map(|f| {
                let it = r.items.items.get(f.item)?;
                Some(FlagRecord {
                    file: r.items.files.get(it.file).map_or("", |s| s.name.as_str()),
                    row: it.row + 1,
                    subject: r.items.subject_of(f.item),
                    check: f.check,
                    severity: f.severity,
                    reason: &f.reason,
                    score: f.score,
                    evidence: &f.evidence,
                })
            })
            .collect();
        serde_json::to_string_pretty(&records)
    }

    /// The flagged rows of report file `file` (flags of the given severities), keyed as
    /// [`super::export::export`] matches them: by start line for CSV and JSONL, by row index.
    pub fn flagged(
        &self,
        file: usize,
        severities: &[Severity],
        table: &Table,
        format: Format,
    ) -> Flagged {
        let r = &self.report;
        let mut rows: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
        for f in r.flags.iter().filter(|f| severities.contains(&f.severity)) {
            if let Some(it) = r.items.items.get(f.item).filter(|it| it.file == file) {
                rows.entry(it.row).or_default().push(f.check.id());
            }
        }
        let mut flagged = Flagged::default();
        for (row, checks) in rows {
            let text = checks.join(";");
            if matches!(format, Format::Csv | Format::Jsonl) {
                flagged.by_line.insert(table.line_of(row), text.clone());
            }
            flagged.by_index.insert(row, text);
        }
        flagged
    }
}

/// A CSV field, quoted when it holds a comma, quote or line break (as the `csv` crate does).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// Score as the reports print it: up to 4 decimals, trailing zeros dropped.
pub fn format_score(s: f64) -> String {
    let t = format!("{s:.4}");
    let t = t.trim_end_matches('0').trim_end_matches('.');
    if t.is_empty() {
        "0".into()
    } else {
        t.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::{load_bytes, LoadOptions};

    #[test]
    fn skipped_inputs_keep_each_report_file_on_its_own_input() {
        let load =
            |name: &str, text: &str| load_bytes(name, text.as_bytes(), &LoadOptions::default());
        let scaling = load("runs.csv", "run,params,tokens,loss\na,1,2,3\nb,2,3,2\n");
        let items =
            load("x_test.csv", "question,A,B,C,D,answer\n\"Q, one?\",a,a,c,d,A\nQ2?,a,b,c,d,B\n");
        let checked =
            run(&[&scaling, &items], &[], &Settings::default(), &LabelChoice::Off).expect("items");
        assert_eq!(checked.file_inputs, [1]);
        assert_eq!(checked.input_warnings.len(), 1, "{:?}", checked.input_warnings);
        let mut csv = Vec::new();
        checked
            .write_flags_csv(&mut csv, |f| format!("input {}", checked.file_inputs[f]))
            .expect("write");
        let csv = String::from_utf8(csv).expect("utf8");
        assert!(csv.starts_with("file,row,subject,check,severity,reason,score\n"), "{csv}");
        assert!(csv.contains("\ninput 1,1,x,duplicate_options,error,"), "{csv}");
        let none = run(&[&scaling], &[], &Settings::default(), &LabelChoice::Off);
        assert_eq!(none.map(|r| r.file_inputs), Err(NoItems { warnings: checked.input_warnings }));
    }

    #[test]
    fn scores_print_with_at_most_four_decimals() {
        assert_eq!(format_score(1.0), "1");
        assert_eq!(format_score(0.0), "0");
        assert_eq!(format_score(0.123_456), "0.1235");
        assert_eq!(format_score(0.5), "0.5");
        assert_eq!(csv_field("a,\"b\""), "\"a,\"\"b\"\"\"");
    }
}
