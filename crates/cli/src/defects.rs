//! `benchlens defects FILE... [--predictions FILE...] [--checks LIST] [--min-agree K]
//! [--format csv|json]`: one CSV row per flag (`file,row,subject,check,severity,reason,score`),
//! or the whole report as JSON. `--evaluate COLUMN` scores the flags against an expert-label
//! column instead (MMLU-Redux's `error_type`), and `--export DIR` writes cleaned copies.

use std::io::Write;
use std::path::{Path, PathBuf};

use benchlens_engine::dataset::ParsedFile;
use benchlens_engine::defects::evaluation::{EvalRow, Evaluation};
use benchlens_engine::defects::export::{export, ExportMode};
use benchlens_engine::defects::run::format_score;
use benchlens_engine::defects::{
    self, CheckId, DefectsRun, LabelChoice, NoItems, Settings, Severity,
};
use benchlens_engine::formats::{self, LoadOptions};

use crate::output::{load_many, print_csv, print_json, stdout_result, OutputFormat};

/// Arguments of `benchlens defects`.
#[derive(clap::Args)]
pub struct DefectsArgs {
    /// Benchmark files or folders (MMLU CSVs, choices-list exports, JSONL, TruthfulQA.csv).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Per-item model answers: wide CSV (one column per model), long CSV/JSONL (item, model,
    /// answer) or lm-evaluation-harness output folders (results_*.json beside
    /// samples_<task>_*.jsonl, one folder per run). Folders are walked.
    #[arg(long, num_args = 1..)]
    pub predictions: Vec<PathBuf>,
    /// Comma-separated check ids to run (default: all). E.g. lost_context,duplicate_options.
    #[arg(long, value_delimiter = ',')]
    pub checks: Vec<String>,
    /// k in the k-of-m disagreement rule: flag when at least K models agree on one non-key
    /// answer. Given alone, it replaces the default rule (see --min-miss-share).
    #[arg(long)]
    pub min_agree: Option<usize>,
    /// Flag when at least this share (0–1) of the answering models miss the key. Default: 1 (no
    /// model chose the key) unless --min-agree is given; with both, both must hold.
    #[arg(long, value_name = "SHARE")]
    pub min_miss_share: Option<f64>,
    #[arg(long, value_enum, default_value = "csv")]
    pub format: OutputFormat,
    /// Score the flags against this expert-label column (e.g. error_type) and print precision
    /// and recall per check instead of the flags.
    #[arg(long, value_name = "COLUMN")]
    pub evaluate: Option<String>,
    /// Write a cleaned copy of each input file into this folder, in the input's own format.
    #[arg(long, value_name = "DIR")]
    pub export: Option<PathBuf>,
    /// With --export: remove flagged items (default) or add a benchlens_flags column.
    #[arg(long, value_enum, default_value = "remove")]
    pub export_mode: ExportModeArg,
    /// With --export: which severities count as flagged (comma-separated; default error,suspect).
    #[arg(long, value_delimiter = ',', default_value = "error,suspect")]
    pub export_severities: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportModeArg {
    Remove,
    FlagColumn,
}

pub fn run(args: &DefectsArgs) -> Result<(), String> {
    if let Some(s) = args.min_miss_share.filter(|s| !(0.0..=1.0).contains(s)) {
        return Err(format!("--min-miss-share must be between 0 and 1, got {s}"));
    }
    let mut settings = Settings {
        min_agree: args.min_agree,
        min_miss_share: args.min_miss_share,
        ..Settings::default()
    };
    for c in &args.checks {
        let id = CheckId::from_id(c).ok_or_else(|| {
            let all: Vec<&str> = CheckId::ALL.iter().map(|c| c.id()).collect();
            format!("unknown check {c:?}; known checks: {}", all.join(", "))
        })?;
        settings.checks.push(id);
    }
    let paths = formats::expand_paths(&args.files).map_err(|e| e.to_string())?;
    let parsed = load_many(&paths, &LoadOptions::default())?;
    let prediction_paths = formats::expand_paths(&args.predictions).map_err(|e| e.to_string())?;
    let prediction_files = load_many(&prediction_paths, &LoadOptions::default())?;
    // Paths, not file names: lm-evaluation-harness samples find their run's results by folder.
    let prediction_names: Vec<String> =
        prediction_paths.iter().map(|p| p.display().to_string()).collect();
    let labels = args.evaluate.clone().map_or(LabelChoice::Off, LabelChoice::Column);
    let run = defects::run(
        &parsed.iter().collect::<Vec<_>>(),
        &prediction_names.iter().map(String::as_str).zip(&prediction_files).collect::<Vec<_>>(),
        &settings,
        &labels,
    );
    let run = match run {
        Ok(run) => run,
        Err(NoItems { warnings }) => {
            warnings.iter().for_each(|w| eprintln!("benchlens: {w}"));
            return Err("no benchmark items found in the given files".into());
        }
    };
    for w in &run.input_warnings {
        eprintln!("benchlens: {w}");
    }
    if !prediction_paths.is_empty() && run.answer_tables == 0 {
        return Err("no model answers found in the --predictions files (see above)".into());
    }
    if let Some(d) = &run.report.disagreement {
        eprintln!(
            "benchlens: model disagreement from {} models: {}",
            d.models.len(),
            d.models.join(", ")
        );
        if let Some(note) = d.left_out_note() {
            eprintln!("benchlens: {note}");
        }
        for w in &d.warnings {
            eprintln!("benchlens: {w}");
        }
    }
    if let Some(dir) = &args.export {
        write_exports(args, dir, &paths, &parsed, &run)?;
    }
    if args.evaluate.is_some() {
        return print_evaluation(&run.evaluation(), args.format);
    }
    match args.format {
        OutputFormat::Json => print_json(&run.report),
        OutputFormat::Csv => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let written = run
                .write_flags_csv(&mut out, |file| {
                    run.file_inputs
                        .get(file)
                        .and_then(|&input| paths.get(input))
                        .map_or_else(String::new, |p| p.display().to_string())
                })
                .and_then(|()| out.flush());
            stdout_result(written, "CSV")
        }
    }
}

fn print_evaluation(e: &Evaluation, format: OutputFormat) -> Result<(), String> {
    if format == OutputFormat::Json {
        return print_json(e);
    }
    let labels: Vec<&String> = e.labels.keys().filter(|l| *l != "ok").collect();
    let mut header = vec!["predictor", "flagged", "true_positives", "precision", "recall", "f1"];
    let label_cols: Vec<String> = labels.iter().map(|l| format!("recall_{l}")).collect();
    header.extend(label_cols.iter().map(String::as_str));
    header.push("flagged_ok");
    eprintln!(
        "benchlens: {} labelled items, {} not ok ({})",
        e.labelled,
        e.non_ok,
        e.labels.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ")
    );
    // The flags as run, then each disagreement statistic swept (combined with the error rules)
    // and cross-validated over subjects.
    let mut rows: Vec<(&EvalRow, String)> = e.rows.iter().map(|r| (r, String::new())).collect();
    for s in &e.sweeps {
        for (t, r) in &s.rows {
            let note = if *t == s.best { "best in-sample".to_owned() } else { String::new() };
            rows.push((r, note));
        }
        let choices: Vec<String> =
            s.fold_choices.iter().map(|(t, n)| format!("{} x{n}", format_score(*t))).collect();
        rows.push((&s.cross_validated, format!("threshold per fold: {}", choices.join(", "))));
    }
    header.push("note");
    print_csv(
        &header,
        rows.into_iter().map(|(r, note)| {
            let mut row = vec![
                r.name.clone(),
                r.flagged.to_string(),
                r.true_positives.to_string(),
                format!("{:.3}", r.precision),
                format!("{:.3}", r.recall),
                format!("{:.3}", r.f1),
            ];
            for l in &labels {
                let hit = r.by_label.get(*l).copied().unwrap_or(0);
                let total = e.labels.get(*l).copied().unwrap_or(0);
                row.push(format!("{hit}/{total}"));
            }
            row.push(r.by_label.get("ok").copied().unwrap_or(0).to_string());
            row.push(note);
            row
        }),
    )
}

fn write_exports(
    args: &DefectsArgs,
    dir: &Path,
    paths: &[PathBuf],
    parsed: &[ParsedFile],
    run: &DefectsRun,
) -> Result<(), String> {
    let wanted: Vec<String> =
        args.export_severities.iter().map(|s| s.trim().to_lowercase()).collect();
    let severities: Vec<Severity> =
        Severity::ALL.into_iter().filter(|s| wanted.iter().any(|w| w == s.id())).collect();
    let mode = match args.export_mode {
        ExportModeArg::Remove => ExportMode::Remove,
        ExportModeArg::FlagColumn => ExportMode::FlagColumn,
    };
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for (file, source) in run.report.items.files.iter().enumerate() {
        let Some(&input) = run.file_inputs.get(file) else { continue };
        let (Some(path), Some(pf)) = (paths.get(input), parsed.get(input)) else { continue };
        let (Some(format), Some(table)) = (pf.summary.format, pf.table()) else { continue };
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let flagged = run.flagged(file, &severities, table, format);
        let delimiter = pf.summary.delimiter.map_or(b',', |c| c as u8);
        let out =
            export(&source.name, &bytes, format, delimiter, pf.summary.header, &flagged, mode)
                .map_err(|e| e.to_string())?;
        let target = dir.join(path.file_name().unwrap_or_default());
        std::fs::write(&target, out).map_err(|e| format!("{}: {e}", target.display()))?;
    }
    Ok(())
}
