//! `benchlens scaling fit|models`: Chinchilla Approach-3 fits with bootstrap intervals, and the
//! per-model table of compute-optimal tokens and over-training factors. All numbers come from
//! `benchlens_engine::scaling`; this file only parses flags, loads the file and prints.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use benchlens_engine::dataset::Dataset;
use benchlens_engine::formats::LoadOptions;
use benchlens_engine::progress::{Tick, Ticker};
use benchlens_engine::scaling::bootstrap::DEFAULT_ROUNDS;
use benchlens_engine::scaling::models::{models_table, FitChoice};
use benchlens_engine::scaling::objective::DEFAULT_HUBER_DELTA;
use benchlens_engine::scaling::output::{
    fit_choice_from_json, fit_csv_rows, models_csv, FIT_CSV_HEADER,
};
use benchlens_engine::scaling::score_trend::ScoreTrendSettings;
use benchlens_engine::scaling::{
    self, extract, ColumnChoice, FitSettings, LossKind, ReferenceFit, ScalingData, ScalingSettings,
    StartMode,
};
use benchlens_engine::Table;

use crate::output::{load_file, print_csv, print_json, OutputFormat};

/// Arguments of `benchlens scaling`.
#[derive(clap::Args)]
pub struct ScalingArgs {
    #[command(subcommand)]
    pub command: ScalingCommand,
}

/// What to compute.
#[derive(clap::Subcommand)]
pub enum ScalingCommand {
    /// Fit L(N, D) = E + A/N^alpha + B/D^beta (Chinchilla Approach 3) with bootstrap intervals,
    /// allocation across compute, Approach 2 when the runs form isoFLOP groups, and the
    /// score-vs-compute trend when a score column is present.
    Fit(FitArgs),
    /// Per-model compute-optimal tokens and over-training factors under published or fitted laws.
    Models(ModelsArgs),
}

/// Column choices shared by both subcommands.
#[derive(clap::Args, Clone)]
pub struct ColumnArgs {
    /// Column with parameter counts (default: detected from headers like params, N, Model Size).
    #[arg(long)]
    pub params_col: Option<String>,
    /// Column with training tokens (default: detected, e.g. tokens, D).
    #[arg(long)]
    pub tokens_col: Option<String>,
    /// Column with training compute in FLOPs (default: detected, e.g. compute, FLOPs).
    #[arg(long)]
    pub compute_col: Option<String>,
    /// Column with the loss (default: detected, e.g. loss, eval_loss).
    #[arg(long)]
    pub loss_col: Option<String>,
    /// Column with a benchmark score (default: detected, e.g. mmlu, score, accuracy).
    #[arg(long)]
    pub score_col: Option<String>,
    /// Column with model or run names (default: detected, e.g. model, name, run).
    #[arg(long)]
    pub name_col: Option<String>,
}

impl ColumnArgs {
    fn choice(&self) -> ColumnChoice {
        ColumnChoice {
            params: self.params_col.clone(),
            tokens: self.tokens_col.clone(),
            compute: self.compute_col.clone(),
            loss: self.loss_col.clone(),
            score: self.score_col.clone(),
            name: self.name_col.clone(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LossArg {
    Huber,
    L2,
    L1,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum StartsArg {
    Varpro,
    FullGrid,
}

/// Arguments of `benchlens scaling fit`.
#[derive(clap::Args)]
pub struct FitArgs {
    /// Table of runs (CSV or JSON) with two of parameters/tokens/compute, and a loss and/or score.
    pub file: PathBuf,
    /// Loss on log residuals.
    #[arg(long, value_enum, default_value_t = LossArg::Huber)]
    pub loss: LossArg,
    /// Huber delta (default 1e-3, Hoffmann et al. 2022 App. D.2).
    #[arg(long, default_value_t = DEFAULT_HUBER_DELTA)]
    pub delta: f64,
    /// Drop the K highest-loss points before fitting (Epoch AI's replication drops 5).
    #[arg(long, default_value_t = 0)]
    pub drop_top: usize,
    /// Bootstrap rounds for the intervals (0 disables them).
    #[arg(long, default_value_t = DEFAULT_ROUNDS)]
    pub bootstrap: usize,
    /// Seed of the bootstrap.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Start strategy.
    #[arg(long, value_enum, default_value_t = StartsArg::Varpro)]
    pub starts: StartsArg,
    #[command(flatten)]
    pub columns: ColumnArgs,
    /// Floor of the score sigmoid (default: chance, 25 for an MMLU column on a 0-100 scale, else 0).
    #[arg(long)]
    pub score_floor: Option<f64>,
    /// Ceiling of the score sigmoid (default: 100, or 1 when every score is at most 1).
    #[arg(long)]
    pub score_ceiling: Option<f64>,
    /// Also report the inference-aware optimum (Sardana et al. 2023) for this target loss.
    #[arg(long)]
    pub target_loss: Option<f64>,
    /// Output format: JSON (everything) or CSV (parameters and allocation, long format).
    #[arg(long, value_enum, default_value_t = OutputFormat::Json)]
    pub format: OutputFormat,
}

/// Arguments of `benchlens scaling models`.
#[derive(clap::Args)]
pub struct ModelsArgs {
    /// Table of models (CSV or JSON) with parameters and, where known, tokens.
    pub file: PathBuf,
    /// Law to apply: hoffmann, hoffmann-unrounded, epoch, or a JSON file written by
    /// `benchlens scaling fit`. Default: all three published fits side by side.
    #[arg(long)]
    pub fit: Option<String>,
    #[command(flatten)]
    pub columns: ColumnArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Csv)]
    pub format: OutputFormat,
}

pub fn run(args: &ScalingArgs) -> Result<(), String> {
    match &args.command {
        ScalingCommand::Fit(a) => run_fit(a),
        ScalingCommand::Models(a) => run_models(a),
    }
}

fn load_data(path: &Path, columns: &ColumnArgs) -> Result<ScalingData, String> {
    let parsed = load_file(path, &LoadOptions::default())?;
    let table = parsed.table().ok_or_else(|| {
        format!("{}: this is a battle log, not a table of models or runs", path.display())
    })?;
    let data = extract(table, &columns.choice()).map_err(|e| format!("{}: {e}", path.display()))?;
    for w in &data.warnings {
        eprintln!("{}", w.render(&parsed.summary.name));
    }
    Ok(data)
}

fn settings(a: &FitArgs) -> FitSettings {
    FitSettings {
        loss: match a.loss {
            LossArg::Huber => LossKind::Huber { delta: a.delta },
            LossArg::L2 => LossKind::L2,
            LossArg::L1 => LossKind::L1,
        },
        starts: match a.starts {
            StartsArg::Varpro => StartMode::Varpro,
            StartsArg::FullGrid => StartMode::FullGrid,
        },
        drop_top: a.drop_top,
        bootstrap: a.bootstrap,
        seed: a.seed,
    }
}

fn load_table(path: &Path) -> Result<(String, Table), String> {
    let parsed = load_file(path, &LoadOptions::default())?;
    let name = parsed.summary.name.clone();
    match parsed.data {
        Dataset::Table(t) => Ok((name, t)),
        _ => Err(format!("{}: this is not a table of models or runs", path.display())),
    }
}

fn run_fit(a: &FitArgs) -> Result<(), String> {
    let (file_name, table) = load_table(&a.file)?;
    let name = a.file.display().to_string();
    let settings = ScalingSettings {
        columns: a.columns.choice(),
        fit: settings(a),
        score: ScoreTrendSettings {
            floor: a.score_floor,
            ceiling: a.score_ceiling,
            z_threshold: None,
        },
        target_loss: a.target_loss,
        ..ScalingSettings::default()
    };
    let mut last = 0;
    let interactive = std::io::stderr().is_terminal();
    let mut ticker = Ticker::new(|stage, done, total| {
        // Coarse progress on a terminal's stderr for long bootstraps; stdout stays data.
        if stage == "bootstrap" && interactive && total >= 200 && done * 10 / total != last {
            last = done * 10 / total;
            eprint!("\rbootstrap {done}/{total}");
            if done == total {
                eprintln!();
            }
        }
        Tick::Continue
    });
    let outcome = scaling::run(&file_name, &table, &settings, &mut ticker)
        .map_err(|e| format!("{name}: {e}"))?;
    outcome.needs_loss_or_score().map_err(|e| format!("{name}: {e}"))?;
    for w in &outcome.warnings {
        eprintln!("{w}");
    }
    // A loss column that cannot be fitted is the user's main question failing: say so and stop.
    if let Some(e) = &outcome.fit_error {
        return Err(format!("{name}: {e}"));
    }
    // Reasons not to trust the fit go to stderr too, whatever the format: a script reading the
    // CSV or a person reading the terminal must not miss them.
    for f in outcome.fit.iter().flat_map(|f| &f.flags) {
        eprintln!("{file_name}: flag {}: {}", f.code, f.message);
    }
    if let Some(why) = &outcome.approach2_note {
        eprintln!("{file_name}: Approach 2 not run: {why}");
    }
    if let Some(Err(e)) = outcome.requested_inference() {
        return Err(format!("--target-loss: {e}"));
    }
    match a.format {
        OutputFormat::Csv => {
            let Some(fit) = &outcome.fit else {
                return Err(format!(
                    "{name}: no loss column, so no parameters to write as CSV; use --format json \
                     for the score trend"
                ));
            };
            print_csv(&FIT_CSV_HEADER, fit_csv_rows(fit))
        }
        OutputFormat::Json => print_json(&outcome.fit_json()?),
    }
}

/// Reads `params` (and bootstrap draws, when present) from a `scaling fit` JSON file.
fn fit_from_file(path: &Path) -> Result<FitChoice, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let id = path.file_stem().map_or("fit".to_owned(), |s| s.to_string_lossy().into_owned());
    fit_choice_from_json(&text, &path.display().to_string(), &id)
}

fn run_models(a: &ModelsArgs) -> Result<(), String> {
    let fits: Vec<FitChoice> = match a.fit.as_deref() {
        None => ReferenceFit::ALL.into_iter().map(FitChoice::reference).collect(),
        Some(id) => match ReferenceFit::from_id(id) {
            Some(f) => vec![FitChoice::reference(f)],
            None if Path::new(id).exists() => vec![fit_from_file(Path::new(id))?],
            None => {
                return Err(format!(
                    "--fit {id:?}: not hoffmann, hoffmann-unrounded or epoch, and no such file"
                ))
            }
        },
    };
    let data = load_data(&a.file, &a.columns)?;
    let table = models_table(&data, &fits);
    match a.format {
        OutputFormat::Json => print_json(&table),
        OutputFormat::Csv => {
            let (header, rows) = models_csv(&table);
            let header: Vec<&str> = header.iter().map(|s| s.as_str()).collect();
            print_csv(&header, rows)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use benchlens_engine::scaling::synthetic::{generate, SyntheticSpec};
    use benchlens_engine::Table;

    fn runs_data() -> ScalingData {
        let runs = generate(&SyntheticSpec { n: 60, seed: 4, ..SyntheticSpec::default() });
        let mut t = Table::new(["run", "params", "tokens", "loss"].map(String::from).to_vec());
        for (i, r) in runs.iter().enumerate() {
            let cells =
                [r.name.clone(), r.params.to_string(), r.tokens.to_string(), r.loss.to_string()];
            t.push_row(cells.iter().map(|s| s.as_str()), i as u64 + 2);
        }
        extract(&t, &ColumnChoice::default()).expect("columns")
    }

    #[test]
    fn fit_csv_is_long_format_with_intervals() {
        let settings = FitSettings { bootstrap: 30, ..FitSettings::default() };
        let fit = benchlens_engine::scaling::fit_law(&runs_data(), &settings).expect("fit");
        let rows = fit_csv_rows(&fit);
        assert_eq!(rows[0][0], "E");
        assert!(rows.iter().all(|r| r.len() == 5));
        let e: f64 = rows[0][2].parse().expect("number");
        assert_eq!(e, fit.params.E);
        assert!(!rows[0][3].is_empty(), "E has an interval");
        assert_eq!(rows.iter().filter(|r| r[0] == "n_opt").count(), fit.allocation.len());
    }

    #[test]
    fn fit_json_round_trips_into_models() {
        let settings = FitSettings { bootstrap: 20, ..FitSettings::default() };
        let data = runs_data();
        let fit = benchlens_engine::scaling::fit_law(&data, &settings).expect("fit");
        let path = std::env::temp_dir().join(format!("benchlens-fit-{}.json", std::process::id()));
        std::fs::write(&path, serde_json::to_string(&fit).expect("json")).expect("write");
        let choice = fit_from_file(&path).expect("readable fit");
        let _ = std::fs::remove_file(&path);
        // serde_json parses floats to within 1 ulp (no `float_roundtrip` feature).
        let (a, b) = (choice.params, fit.params);
        for (x, y) in [(a.E, b.E), (a.A, b.A), (a.B, b.B), (a.alpha, b.alpha), (a.beta, b.beta)] {
            assert!((x / y - 1.0).abs() < 1e-15, "{x} vs {y}");
        }
        assert_eq!(choice.draws.len(), fit.bootstrap_thetas.len());
        let table = models_table(&data, &[choice]);
        let (header, rows) = models_csv(&table);
        assert!(header.iter().any(|h| h.ends_with("_over_training_lo")));
        assert!(rows.iter().all(|r| r.len() == header.len()));
    }

    #[test]
    fn bad_fit_file_is_explained() {
        let path =
            std::env::temp_dir().join(format!("benchlens-badfit-{}.json", std::process::id()));
        std::fs::write(&path, "{\"params\": {\"E\": 1}}").expect("write");
        let err = fit_from_file(&path).expect_err("incomplete params");
        let _ = std::fs::remove_file(&path);
        assert!(err.contains("\"params\""), "{err}");
    }
}
