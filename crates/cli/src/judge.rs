//! `benchlens judge`: AlpacaEval (raw and length-controlled), Arena-Hard and MT-Bench scores from
//! raw judgment files, as CSV or JSON, so the dashboard's judge numbers can be scripted.

use std::path::PathBuf;

use benchlens_engine::formats::{expand_paths, LoadOptions};
use benchlens_engine::judge::{judge, JudgeKind, JudgeReport, JudgeSettings, StyleControl};

use crate::output::{load_many, print_csv, print_json, OutputFormat};

/// Benchmark names on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum KindArg {
    AlpacaEval,
    ArenaHard,
    MtBench,
}

impl From<KindArg> for JudgeKind {
    fn from(k: KindArg) -> Self {
        match k {
            KindArg::AlpacaEval => JudgeKind::AlpacaEval,
            KindArg::ArenaHard => JudgeKind::ArenaHard,
            KindArg::MtBench => JudgeKind::MtBench,
        }
    }
}

/// Arena-Hard style features to control for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum StyleArg {
    Length,
    Markdown,
    Both,
}

/// Arguments of `benchlens judge`.
#[derive(clap::Args)]
pub struct JudgeArgs {
    /// Judgment files or folders: AlpacaEval annotations.json (one per model), Arena-Hard
    /// judgment JSONL, or MT-Bench single-answer grade JSONL.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Benchmark; detected from the columns when omitted.
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// Baseline model (AlpacaEval: read from generator_1; Arena-Hard: a `baseline` column, else
    /// gpt-4-0314).
    #[arg(long)]
    pub baseline: Option<String>,
    /// Bootstrap rounds for Arena-Hard intervals (arena-hard-auto uses 100).
    #[arg(long, default_value_t = 100)]
    pub bootstrap: u32,
    /// Seed of the bootstrap.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Confidence level of the intervals (default: 0.90 for Arena-Hard as arena-hard-auto
    /// reports, 0.95 for MT-Bench).
    #[arg(long)]
    pub ci_level: Option<f64>,
    /// How many times an Arena-Hard `>>` verdict counts (arena-hard-auto uses 3).
    #[arg(long, default_value_t = 3)]
    pub strong_verdict_weight: u32,
    /// Arena-Hard style control (pass the answer files with their `metadata` along with the
    /// judgment files).
    #[arg(long, value_enum)]
    pub style_control: Option<StyleArg>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Csv)]
    pub format: OutputFormat,
}

/// Numbers in CSV: shortest round-trip text, empty for NaN.
fn num(v: f64) -> String {
    if v.is_finite() {
        v.to_string()
    } else {
        String::new()
    }
}

pub fn run(args: &JudgeArgs) -> Result<(), String> {
    let paths = expand_paths(&args.files).map_err(|e| format!("cannot list the inputs: {e}"))?;
    let mut loaded = Vec::with_capacity(paths.len());
    for (path, parsed) in paths.iter().zip(load_many(&paths, &LoadOptions::default())?) {
        let table = parsed.table().cloned().ok_or_else(|| {
            format!(
                "{}: holds {} data, not judge annotations",
                path.display(),
                parsed.summary.kind.label()
            )
        })?;
        // The path, not only the file name: alpaca_eval's `results/<model>/<annotator>/annotations.json`
        // names the model in a folder, which names a file whose generator_2 is a placeholder.
        loaded.push((path.to_string_lossy().into_owned(), table));
    }
    let named: Vec<(&str, &benchlens_engine::Table)> =
        loaded.iter().map(|(n, t)| (n.as_str(), t)).collect();

    let mut settings = JudgeSettings {
        kind: args.kind.map(JudgeKind::from),
        baseline: args.baseline.clone(),
        seed: args.seed,
        ..JudgeSettings::default()
    };
    settings.arena_hard.bootstrap_rounds = args.bootstrap;
    settings.arena_hard.strong_verdict_weight = args.strong_verdict_weight;
    settings.arena_hard.style_control = args.style_control.map(|s| match s {
        StyleArg::Length => StyleControl::Length,
        StyleArg::Markdown => StyleControl::Markdown,
        StyleArg::Both => StyleControl::LengthAndMarkdown,
    });
    if let Some(level) = args.ci_level {
        settings.arena_hard.ci_level = level;
        settings.mt_bench_ci_level = level;
    }
    let report = judge(&named, &settings).map_err(|e| e.to_string())?;
    for w in report.warnings() {
        eprintln!("{w}");
    }
    if args.format == OutputFormat::Json {
        return print_json(&report);
    }
    match &report {
        JudgeReport::AlpacaEval { rows, length_controlled, .. } => {
            // Sorted by LC win rate, as the AlpacaEval 2 leaderboard is.
            let lines = length_controlled.models.iter().filter_map(|lc| {
                let r = rows.iter().find(|r| r.model == lc.model)?;
                Some(vec![
                    r.model.clone(),
                    num(r.win_rate),
                    num(r.standard_error),
                    num(r.discrete_win_rate),
                    num(lc.lc_win_rate),
                    num(lc.lc_standard_error),
                    r.avg_length.to_string(),
                    r.n.to_string(),
                    r.answer_flag.clone().unwrap_or_default(),
                ])
            });
            print_csv(
                &[
                    "model",
                    "win_rate",
                    "standard_error",
                    "discrete_win_rate",
                    "lc_win_rate",
                    "lc_standard_error",
                    "avg_length",
                    "n",
                    "answer_flag",
                ],
                lines,
            )
        }
        JudgeReport::ArenaHard(r) => print_csv(
            &[
                "model",
                "score",
                "lower",
                "upper",
                "ci_level",
                "rating",
                "questions",
                "wins",
                "ties",
                "losses",
            ],
            r.rows.iter().map(|x| {
                vec![
                    x.model.clone(),
                    num(x.score),
                    num(x.lower),
                    num(x.upper),
                    num(r.ci_level),
                    x.rating.map(num).unwrap_or_default(),
                    x.questions.to_string(),
                    x.wins.to_string(),
                    x.ties.to_string(),
                    x.losses.to_string(),
                ]
            }),
        ),
        JudgeReport::MtBench(r) => print_csv(
            &["model", "turn", "mean", "standard_error", "lower", "upper", "ci_level", "n"],
            r.rows.iter().map(|x| {
                vec![
                    x.model.clone(),
                    x.turn.map_or_else(|| "all".to_owned(), |t| t.to_string()),
                    num(x.mean),
                    num(x.standard_error),
                    num(x.lower),
                    num(x.upper),
                    num(r.ci_level),
                    x.n.to_string(),
                ]
            }),
        ),
    }
}
