//! `benchlens ratings`: the leaderboard of the ratings page as CSV or JSON. Loads every FILE
//! through the same intake as the browser, concatenates battle logs, adds pair-count tables, and
//! runs `benchlens_engine::ratings::rate`.

use std::path::PathBuf;

use benchlens_engine::dataset::Dataset;
use benchlens_engine::formats::LoadOptions;
use benchlens_engine::ratings::{
    self, merge, pair_counts, published, Aggregate, Anchor, CiMethod, Method, RatingsInput,
    RatingsResult, RatingsSettings, TieRule,
};
use benchlens_engine::{Battles, Table};

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

/// Loads the files: battle logs merged, pair-count tables summed.
fn load_inputs(files: &[PathBuf]) -> Result<(Option<Battles>, Option<Aggregate>), String> {
    let files = &benchlens_engine::formats::expand_data_paths(files)
        .map_err(|e| format!("cannot list the inputs: {e}"))?;
    if files.is_empty() {
        return Err(
            "no data files (.parquet, .json, .jsonl, .csv, .tsv) in the folders given".into()
        );
    }
    let mut logs = Vec::new();
    let mut counts: Option<Aggregate> = None;
    for (path, parsed) in files.iter().zip(output::load_many(files, &LoadOptions::default())?) {
        match parsed.data {
            Dataset::Battles(b) => logs.push(b),
            Dataset::Table(t) if pair_counts::looks_like_pair_counts(&t) => {
                let (agg, warnings) = pair_counts::from_table(&t).map_err(|e| format!("{}: {e}", path.display()))?;
                for w in warnings {
                    eprintln!("{}: {w}", path.display());
                }
                counts = Some(match counts {
                    Some(c) => c.merged(&agg),
                    None => agg,
                });
            }
            Dataset::Table(_) => {
                return Err(format!(
                    "{}: neither a battle log (model_a, model_b, winner) nor pair counts (model_a, model_b, wins_a, wins_b, ties); detected {}",
                    path.display(),
                    parsed.summary.kind_reason
                ))
            }
            Dataset::Empty => return Err(format!("{}: no usable rows", path.display())),
        }
    }
    let battles = match logs.len() {
        0 => None,
        1 => logs.pop(),
        _ => {
            let refs: Vec<&Battles> = logs.iter().collect();
            let (merged, warnings) = merge::concat(&refs);
            for w in warnings {
                eprintln!("benchlens: warning: {w}");
            }
            Some(merged)
        }
    };
    Ok((battles, counts))
}

fn number(x: f64) -> String {
    format!("{x:.4}")
}

fn print_csv(
    result: &RatingsResult,
    published: Option<&published::PublishedComparison>,
) -> Result<(), String> {
    let rows = result.ratings.iter().map(|r| {
        let mut row = vec![
            r.model.clone(),
            number(r.rating),
            r.lower.map(number).unwrap_or_default(),
            r.upper.map(number).unwrap_or_default(),
            r.rank_ub.to_string(),
            r.battles.to_string(),
        ];
        if let Some(p) = published {
            let hit = p.rows.iter().find(|x| x.model == r.model);
            row.push(hit.map(|x| number(x.published)).unwrap_or_default());
            row.push(hit.map(|x| number(x.delta)).unwrap_or_default());
        }
        row
    });
    let mut header = vec!["model", "rating", "lower", "upper", "rank_ub", "battles"];
    if published.is_some() {
        header.extend(["published", "delta_published"]);
    }
    output::print_csv(&header, rows)?;
    if let Some(style) = &result.style {
        output::print_line("")?;
        let rows = style.coefficients.iter().map(|c| {
            vec![
                c.feature.clone(),
                format!("{:.6}", c.coefficient),
                c.lower.map(|x| format!("{x:.6}")).unwrap_or_default(),
                c.upper.map(|x| format!("{x:.6}")).unwrap_or_default(),
            ]
        });
        output::print_csv(&["feature", "coefficient", "lower", "upper"], rows)?;
    }
    Ok(())
}

pub fn run(args: &RatingsArgs) -> Result<(), String> {
    let s = settings(args)?;
    let (battles, counts) = load_inputs(&args.files)?;
    let input = RatingsInput { battles: battles.as_ref(), pair_counts: counts.as_ref() };
    // Read before the (possibly long) fit, so a wrong file fails fast.
    let leaderboards = load_published(&args.published)?;
    if !args.compare.is_empty() {
        return run_comparison(args, input, &s, &leaderboards);
    }
    let result = ratings::rate(input, &s).map_err(|e| e.to_string())?;
    for w in &result.warnings {
        eprintln!("benchlens: warning: {w}");
    }
    let comparison = compare_published(&leaderboards, input, &s, &result)?;
    match args.format {
        OutputFormat::Json => {
            output::print_json(&RatingsJson { result: &result, published: comparison.as_ref() })
        }
        OutputFormat::Csv => print_csv(&result, comparison.as_ref()),
    }
}

/// `--format json`: the result's fields, plus `published` with `--published`.
#[derive(serde::Serialize)]
struct RatingsJson<'a> {
    #[serde(flatten)]
    result: &'a RatingsResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<&'a published::PublishedComparison>,
}

/// The `--published` files as (file name, table).
fn load_published(files: &[PathBuf]) -> Result<Vec<(String, Table)>, String> {
    let parsed = output::load_many(files, &LoadOptions::default())?;
    files
        .iter()
        .zip(parsed)
        .map(|(path, p)| match p.data {
            Dataset::Table(t) => Ok((path.display().to_string(), t)),
            _ => Err(format!(
                "{}: --published expects a leaderboard table (key, Model, Arena Elo rating …); detected {}",
                path.display(),
                p.summary.kind_reason
            )),
        })
        .collect()
}

/// Lines the result up with the `--published` leaderboards (one sentence on stderr).
fn compare_published(
    tables: &[(String, Table)],
    input: RatingsInput<'_>,
    s: &RatingsSettings,
    result: &RatingsResult,
) -> Result<Option<published::PublishedComparison>, String> {
    if tables.is_empty() {
        return Ok(None);
    }
    let named: Vec<published::PublishedTable<'_>> =
        tables.iter().map(|(name, t)| published::PublishedTable { name, table: t }).collect();
    let comparison = published::compare(input, s, result, &named);
    match &comparison {
        Some(c) => {
            for w in &c.warnings {
                eprintln!("benchlens: warning: {w}");
            }
            eprintln!("benchlens: {}", c.summary());
        }
        None => {
            let names: Vec<String> = tables.iter().map(|(n, _)| n.clone()).collect();
            return Err(format!(
                "{}: no rated model found in the published leaderboard (or it has no rating column: expected \"Arena Elo rating (full)\" or \"(anony)\")",
                names.join(", ")
            ));
        }
    }
    Ok(comparison)
}

/// `--compare`: the leaderboard under --filter, then the Δ-rank table against the subset.
fn run_comparison(
    args: &RatingsArgs,
    input: RatingsInput<'_>,
    s: &RatingsSettings,
    leaderboards: &[(String, Table)],
) -> Result<(), String> {
    let mut extra = ratings::Filters::default();
    for f in &args.compare {
        extra.add(f).map_err(|e| format!("--compare: {e}"))?;
    }
    let subset = RatingsSettings { filters: s.filters.narrowed_by(&extra), ..s.clone() };
    let comparison = ratings::compare::compare(input, s, &subset).map_err(|e| e.to_string())?;
    for w in comparison.a.warnings.iter().chain(&comparison.b.warnings) {
        eprintln!("benchlens: warning: {w}");
    }
    if args.format == OutputFormat::Json {
        return output::print_json(&comparison);
    }
    print_csv(&comparison.a, compare_published(leaderboards, input, s, &comparison.a)?.as_ref())?;
    output::print_line("")?;
    let opt = |v: Option<u32>| v.map(|x| x.to_string()).unwrap_or_default();
    let rows = comparison.rows.iter().map(|r| {
        vec![
            r.model.clone(),
            opt(r.rank_a),
            opt(r.rank_b),
            r.delta_rank.map(|d| d.to_string()).unwrap_or_default(),
            r.rating_a.map(number).unwrap_or_default(),
            r.rating_b.map(number).unwrap_or_default(),
        ]
    });
    output::print_csv(
        &["model", "rank_all", "rank_subset", "delta_rank", "rating_all", "rating_subset"],
        rows,
    )
}
