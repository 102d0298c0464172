//! `benchlens ratings`: the leaderboard of the ratings page as CSV or JSON. Turns the arguments
//! into settings, loads every FILE through the same intake as the browser, and runs the page's
//! own entry point, `benchlens_engine::ratings::run`, whose outcome writes the report.

use std::io::Write;
use std::path::PathBuf;

use benchlens_engine::dataset::{Dataset, ParsedFile};
use benchlens_engine::formats::LoadOptions;
use benchlens_engine::ratings::{
    self, published, Anchor, CiMethod, Method, NamedFile, RatingsJob, RatingsSettings, TieRule,
};

use crate::output::{self, OutputFormat};

const FILTER_HELP: &str = "\
Filters (--filter KEY=VALUE, repeatable; lists are comma-separated or repeated):
  language=English[,German]   keep battles in these languages
  anony=true|false            keep anonymous (true) or named (false) battles
  turn=N | MIN..MAX | MIN..   keep battles with this many turns
  date=FROM..TO               keep battles in this UTC date range (YYYY-MM-DD, both ends inclusive,
                              either side optional; date=2024-01-01 is one day)
  judge=NAME[,NAME]           keep battles by these judges
  category=NAME[,NAME]        keep battles tagged with any of these category_tag leaves
                              (e.g. math_v0.1.math)
  dedup=sampled               keep battles whose dedup_tag.sampled is true
  model=NAME[,NAME]           keep battles between two of these models
  exclude_model=NAME[,NAME]   drop battles involving these models
  min_votes=N                 drop models with fewer than N battles (after the other filters)
  exclude_ties=true           drop tied battles altogether
Pair-count files (model_a,model_b,wins_a,wins_b,ties) accept only the model filters, min_votes
and exclude_ties.

CSV output: model,rating,lower,upper,rank_ub,battles (lower/upper empty with --ci none); with
--published two more columns, published,delta_published (ours − published; empty for models the
leaderboard does not list); with --style-control a blank line and a
feature,coefficient,lower,upper table follow. Models in
disconnected comparison graphs are rated separately (rank_ub is within each graph; see stderr).";

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum MethodArg {
    Bt,
    Elo,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TiesArg {
    Half,
    Drop,
    Davidson,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CiArg {
    Bootstrap,
    Sandwich,
    None,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PresetArg {
    /// Anchor mixtral-8x7b-instruct-v0.1 at 1114 when present (FastChat's leaderboard).
    Fastchat,
}

/// Arguments of `benchlens ratings`.
#[derive(clap::Args)]
#[command(after_help = FILTER_HELP)]
pub struct RatingsArgs {
    /// Battle logs (FastChat clean_battle JSON or JSONL; CSV with model_a, model_b, winner or the
    /// 55k release's one-hot winner columns; Parquet such as LMArena's hub shards) or pair counts
    /// (model_a, model_b, wins_a, wins_b, ties). Several files are concatenated; a folder stands
    /// for the data files below it (all the shards of a split: `benchlens ratings data/`).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Bradley–Terry maximum likelihood, or online Elo in timestamp order.
    #[arg(long, value_enum, default_value = "bt")]
    pub method: MethodArg,
    /// Ties (tie, tie (bothbad), both_bad): half a win each, dropped, or Davidson's tie model.
    #[arg(long, value_enum, default_value = "half")]
    pub ties: TiesArg,
    /// Pin one model's rating, e.g. --anchor gpt-4-0613=1200 (the others shift with it).
    #[arg(long, value_name = "MODEL=VALUE")]
    pub anchor: Option<String>,
    /// Reference settings: `fastchat` anchors mixtral-8x7b-instruct-v0.1 at 1114 when present.
    #[arg(long, value_enum)]
    pub preset: Option<PresetArg>,
    /// Bootstrap rounds.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub bootstrap: u32,
    /// Confidence interval: bootstrap percentiles, arena-rank's sandwich, or none.
    #[arg(long, value_enum, default_value = "bootstrap")]
    pub ci: CiArg,
    /// Seed of the bootstrap.
    #[arg(long, value_name = "S", default_value_t = 42)]
    pub seed: u64,
    /// Battle filter KEY=VALUE (repeatable; keys below).
    #[arg(long = "filter", value_name = "KEY=VALUE")]
    pub filters: Vec<String>,
    /// Also rate a subset: the --filter set narrowed by these KEY=VALUE filters (same keys; a key
    /// given here replaces the --filter value), and print each model's rank in both and the
    /// change (the page's "Compare with"). CSV: a second table after a blank line, columns
    /// model,rank_all,rank_subset,delta_rank,rating_all,rating_subset.
    #[arg(long = "compare", value_name = "KEY=VALUE")]
    pub compare: Vec<String>,
    /// The 2023–24 leaderboard fit: duplicated battles, scikit-learn's default L2 logistic
    /// regression, llama-13b anchored at 800 when present.
    #[arg(long)]
    pub legacy_l2: bool,
    /// Control for answer length and markdown (FastChat's style control).
    #[arg(long)]
    pub style_control: bool,
    /// A published leaderboard CSV (FastChat / GenAI-Arena / MTEB-Arena shape: key, Model,
    /// "Arena Elo rating (anony)", "Arena Elo rating (full)", …) to compare with: adds the
    /// columns published,delta_published and says on stderr how many models matched and
    /// whether the 2023–24 L2 method would reproduce the published values. Repeatable.
    #[arg(long = "published", value_name = "LEADERBOARD.csv")]
    pub published: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: OutputFormat,
    /// Weak prior: virtual tie games per model against an average opponent, so models that never
    /// lost (or never won) still get a finite rating. 0 = the plain MLE.
    #[arg(long, value_name = "GAMES", default_value_t = 0.0)]
    pub prior: f64,
    /// Rating points per factor of --base in the odds.
    #[arg(long, default_value_t = 400.0)]
    pub scale: f64,
    /// Base of the odds.
    #[arg(long, default_value_t = 10.0)]
    pub base: f64,
    /// Mean rating of a graph without an anchor; the Elo starting rating.
    #[arg(long, default_value_t = 1000.0)]
    pub init_rating: f64,
    /// Online Elo K factor.
    #[arg(long, default_value_t = 4.0)]
    pub k: f64,
    /// Weight each battle by this numeric column of the battle log (arena-rank's `weights`, e.g.
    /// inverse-propensity weights): every method, interval and tally uses them. Rows whose
    /// weight is missing, not a number or negative are skipped (said on stderr); weight 0 rows
    /// carry nothing. The output says the weighting: JSON a "weights" field, CSV a last
    /// one-column `weights` table after a blank line.
    #[arg(long, value_name = "COLUMN")]
    pub weights: Option<String>,
    /// Threads for bootstrap rounds (0 = every core). Intervals are identical for any count:
    /// each round draws from its own generator seeded by (--seed, round).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
}

fn settings(args: &RatingsArgs) -> Result<RatingsSettings, String> {
    let mut s = RatingsSettings {
        method: match args.method {
            MethodArg::Bt => Method::Bt,
            MethodArg::Elo => Method::Elo,
        },
        ties: match args.ties {
            TiesArg::Half => TieRule::Half,
            TiesArg::Drop => TieRule::Drop,
            TiesArg::Davidson => TieRule::Davidson,
        },
        ci: match args.ci {
            CiArg::Bootstrap => CiMethod::Bootstrap,
            CiArg::Sandwich => CiMethod::Sandwich,
            CiArg::None => CiMethod::None,
        },
        bootstrap_rounds: args.bootstrap,
        seed: args.seed,
        legacy_l2: args.legacy_l2,
        style_control: args.style_control,
        prior_games: args.prior,
        scale: args.scale,
        base: args.base,
        init_rating: args.init_rating,
        elo_k: args.k,
        threads: args.threads,
        weights: args.weights.clone(),
        ..RatingsSettings::default()
    };
    if args.preset == Some(PresetArg::Fastchat) {
        s = s.with_fastchat_preset();
    }
    if let Some(spec) = &args.anchor {
        let (model, value) = spec
            .rsplit_once('=')
            .ok_or_else(|| format!("--anchor {spec:?}: expected MODEL=VALUE"))?;
        let rating: f64 = value
            .trim()
            .parse()
            .map_err(|_| format!("--anchor {spec:?}: {value:?} is not a number"))?;
        s.anchor = Some(Anchor { model: model.trim().to_owned(), rating, required: true });
    }
    for f in &args.filters {
        s.filters.add(f).map_err(|e| e.to_string())?;
    }
    Ok(s)
}

/// Loads the data files (a folder stands for the data files below it); `skip_judges` leaves the
/// judge names out of battle logs (when no filter reads them: a tenth of the parse).
fn load_data(files: &[PathBuf], skip_judges: bool) -> Result<Vec<(String, ParsedFile)>, String> {
    let files = &benchlens_engine::formats::expand_data_paths(files)
        .map_err(|e| format!("cannot list the inputs: {e}"))?;
    if files.is_empty() {
        return Err(
            "no data files (.parquet, .json, .jsonl, .csv, .tsv) in the folders given".into()
        );
    }
    let options = LoadOptions { skip_judges, ..LoadOptions::default() };
    let parsed = output::load_many(files, &options)?;
    Ok(files.iter().map(|p| p.display().to_string()).zip(parsed).collect())
}

/// The `--published` files; each must be a table.
fn load_published(files: &[PathBuf]) -> Result<Vec<(String, ParsedFile)>, String> {
    let parsed = output::load_many(files, &LoadOptions::default())?;
    files
        .iter()
        .zip(parsed)
        .map(|(path, p)| match p.data {
            Dataset::Table(_) => Ok((path.display().to_string(), p)),
            _ => Err(format!(
                "{}: --published expects a leaderboard table (key, Model, Arena Elo rating …); detected {}",
                path.display(),
                p.summary.kind_reason
            )),
        })
        .collect()
}

fn named_files(files: &[(String, ParsedFile)]) -> Vec<NamedFile<'_>> {
    files.iter().map(|(name, parsed)| NamedFile { name: name.as_str(), parsed }).collect()
}

/// The `--compare` settings: the --filter set narrowed by the --compare filters.
fn subset_settings(args: &RatingsArgs, s: &RatingsSettings) -> Result<RatingsSettings, String> {
    let mut extra = ratings::Filters::default();
    for f in &args.compare {
        extra.add(f).map_err(|e| format!("--compare: {e}"))?;
    }
    Ok(RatingsSettings { filters: s.filters.narrowed_by(&extra), ..s.clone() })
}

pub fn run(args: &RatingsArgs) -> Result<(), String> {
    let s = settings(args)?;
    let subset = if args.compare.is_empty() { None } else { Some(subset_settings(args, &s)?) };
    let reads_judges =
        std::iter::once(&s).chain(subset.as_ref()).any(|x| !x.filters.judges.is_empty());
    let data = load_data(&args.files, !reads_judges)?;
    // Read before the (possibly long) fit, so a wrong file fails fast.
    let leaderboards = load_published(&args.published)?;
    let (files, boards) = (named_files(&data), named_files(&leaderboards));
    let job = RatingsJob {
        files: &files,
        leaderboards: &boards,
        settings: &s,
        compare_with: subset.as_ref(),
        extras: ratings::Extras::None,
        // Rounds run on this process's threads (`--threads`).
        rounds: None,
    };
    let outcome = ratings::run(job).map_err(|e| e.to_string())?;
    let second = outcome.comparison.as_ref().map(|c| &c.b.warnings);
    for w in outcome.result.warnings.iter().chain(second.into_iter().flatten()) {
        eprintln!("benchlens: warning: {w}");
    }
    if !leaderboards.is_empty() {
        say_how_published_matched(&leaderboards, outcome.published.as_ref())?;
    }
    let report = match args.format {
        OutputFormat::Json => outcome.to_json().map_err(|e| e.to_string())? + "\n",
        OutputFormat::Csv => outcome.to_csv(),
    };
    output::stdout_result(std::io::stdout().lock().write_all(report.as_bytes()), "the output")
}

/// One sentence on stderr on how the `--published` leaderboards matched; none matching fails.
fn say_how_published_matched(
    leaderboards: &[(String, ParsedFile)],
    comparison: Option<&published::PublishedComparison>,
) -> Result<(), String> {
    let Some(c) = comparison else {
        let names: Vec<&str> = leaderboards.iter().map(|(n, _)| n.as_str()).collect();
        return Err(format!(
            "{}: no rated model found in the published leaderboard (or it has no rating column: expected \"Arena Elo rating (full)\" or \"(anony)\")",
            names.join(", ")
        ));
    };
    for w in &c.warnings {
        eprintln!("benchlens: warning: {w}");
    }
    eprintln!("benchlens: {}", c.summary());
    Ok(())
}
