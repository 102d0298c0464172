//! Ratings from battle logs and pair counts: Bradley–Terry (ties as half, dropped, or Davidson),
//! online Elo, the 2023–24 L2 leaderboard fit, bootstrap and sandwich intervals, Rank (UB), style
//! control, filters and subset comparison. The CLI's `benchlens ratings` and the web page call the
//! same entry point, [`run`] (files in, [`RatingsOutcome`] and its reports out), so every number
//! on screen can be reproduced in a terminal.
//!
//! Data flow: filters pick battles → [`aggregate`] turns them into unique (a, b, outcome) counts
//! (pair-count files join here) → [`graph`] splits the comparison graph into components and
//! checks that a finite MLE exists → each component is fitted ([`plan`]) → intervals
//! ([`bootstrap`], [`sandwich`]) → Rank (UB).

pub mod aggregate;
pub(crate) mod bootstrap;
pub mod bradley_terry;
pub mod compare;
pub mod dates;
pub mod davidson;
pub mod elo;
pub mod error;
pub mod facets;
pub mod filters;
pub mod graph;
pub mod history;
pub mod lbfgsb;
pub mod legacy;
pub(crate) mod likelihood;
pub mod linalg;
pub mod merge;
pub mod outcome;
pub mod pair_counts;
pub(crate) mod plan;
pub mod published;
pub mod results;
pub mod round_work;
pub(crate) mod rounds;
pub mod run;
pub mod sandwich;
pub mod settings;
pub mod style_control;
pub(crate) mod style_model;
pub(crate) mod style_sandwich;
pub mod synthetic;
pub(crate) mod weights;

use std::collections::BTreeMap;

use crate::battles::Battles;
use crate::progress::{block_on, Ticker};

pub use aggregate::{Aggregate, PairTally, RowOutcome, UniqueRow};
pub use error::RatingsError;
pub use facets::{BattleFacets, MAX_JUDGES_LISTED};
pub use filters::{FilterReport, Filters};
pub use outcome::RatingsOutcome;
pub use results::{ComponentReport, ModelRating, PairStat, RatingsResult};
pub use round_work::{RoundExecutor, RoundWork, RoundWorker, RoundsPart};
pub use run::{is_pair_counts, run, run_async, Extras, NamedFile, RatingsJob};
pub use settings::{Anchor, CiMethod, Method, RatingsSettings, TieRule};

pub(crate) use likelihood::{pair_stats, rate_aggregate};
use round_work::Resamples;

/// What to rate: a battle log (several files merged with [`merge::concat`]), pre-aggregated pair
/// counts ([`pair_counts::from_table`]), or both (their counts are added).
#[derive(Debug, Clone, Copy, Default)]
pub struct RatingsInput<'a> {
    pub battles: Option<&'a Battles>,
    pub pair_counts: Option<&'a Aggregate>,
}

/// The battles a per-battle fit (online Elo, style control) rates: the log, the indices the
/// filters selected with their report, and the warnings so far.
pub(crate) struct Picked<'a> {
    pub battles: &'a Battles,
    pub selection: &'a [u32],
    pub filter: FilterReport,
    pub warnings: Vec<String>,
    /// Per-battle weights (indexed like the log), when the settings name a weight column.
    pub weights: Option<&'a [f64]>,
}

/// The 2.5 / 97.5 percentiles of a 95 % interval.
pub(crate) const LOWER_Q: f64 = 0.025;
pub(crate) const UPPER_Q: f64 = 0.975;

/// Runs one rating analysis.
pub fn rate(input: RatingsInput<'_>, s: &RatingsSettings) -> Result<RatingsResult, RatingsError> {
    rate_with_progress(input, s, &mut |_, _| true)
}

/// [`rate`] that reports bootstrap progress as (rounds done, rounds) before each round and stops
/// with [`RatingsError::Cancelled`] as soon as `progress` returns false.
pub fn rate_with_progress(
    input: RatingsInput<'_>,
    s: &RatingsSettings,
    progress: &mut dyn FnMut(u32, u32) -> bool,
) -> Result<RatingsResult, RatingsError> {
    let mut ticker = Ticker::from_bool(|done, total| {
        progress(u32::try_from(done).unwrap_or(u32::MAX), u32::try_from(total).unwrap_or(u32::MAX))
    });
    block_on(rate_async(input, s, &mut ticker))
}

/// [`rate`] as a computation that can pause between bootstrap rounds (see [`crate::progress`]):
/// what the browser worker runs, so its progress bar moves and Cancel reaches a running
/// bootstrap. Same numbers as [`rate`] however often it pauses.
pub async fn rate_async(
    input: RatingsInput<'_>,
    s: &RatingsSettings,
    ticker: &mut Ticker<'_>,
) -> Result<RatingsResult, RatingsError> {
    rate_on(input, s, None, ticker).await
}

/// [`rate_async`] whose likelihood bootstrap also hands rounds to `executor` (the page's worker
/// pool); same numbers with or without it.
pub(crate) async fn rate_on(
    input: RatingsInput<'_>,
    s: &RatingsSettings,
    executor: Option<&dyn RoundExecutor>,
    ticker: &mut Ticker<'_>,
) -> Result<RatingsResult, RatingsError> {
    let mut result = rate_unlabelled(input, s, executor, ticker).await?;
    result.weights.clone_from(&s.weights);
    Ok(result)
}

async fn rate_unlabelled(
    input: RatingsInput<'_>,
    s: &RatingsSettings,
    executor: Option<&dyn RoundExecutor>,
    ticker: &mut Ticker<'_>,
) -> Result<RatingsResult, RatingsError> {
    check_combination(input, s)?;
    let mut warnings = Vec::new();
    let (mut selection, mut filter) = select(input, s, &mut warnings)?;
    let weights = match (&s.weights, input.battles) {
        (None, _) => None,
        (Some(_), _) if input.pair_counts.is_some() => {
            return Err(RatingsError::Weights(
                "pair-count tables carry no per-battle weight: rate battle logs only".into(),
            ))
        }
        (Some(column), Some(b)) => {
            let w = weights::apply(b, column, &mut selection, &mut warnings)?;
            filter.kept = selection.len() as u64;
            Some(w)
        }
        (Some(_), None) => return Err(RatingsError::Weights("weights need a battle log".into())),
    };
    if s.style_control {
        let battles =
            input.battles.ok_or_else(|| unsupported("style control needs a battle log"))?;
        let picked = Picked { battles, selection: &selection, filter, warnings, weights };
        return style_control::rate(picked, s, ticker).await;
    }
    match s.method {
        Method::Elo => {
            if let Some(a) = &s.anchor {
                warnings.push(format!(
                    "the anchor ({} = {}) applies to Bradley–Terry fits; online Elo starts every model at {} and ignores it",
                    a.model, a.rating, s.init_rating
                ));
            }
            let battles =
                input.battles.ok_or_else(|| unsupported("online Elo needs a battle log"))?;
            let picked = Picked { battles, selection: &selection, filter, warnings, weights };
            elo::rate(picked, s, ticker).await
        }
        Method::Bt => {
            let (agg, ties_dropped) =
                aggregate_input(input, &selection, &filter.below_min_votes, s, weights);
            let legacy_self = match (s.legacy_l2, input.battles) {
                (true, Some(b)) => likelihood::legacy_self_battles(b, s),
                _ => Vec::new(),
            };
            let seeded = Resamples::Seeded(executor);
            let mut result =
                rate_aggregate(&agg, s, seeded, &legacy_self, &mut warnings, ticker).await?;
            result.ties_dropped = ties_dropped;
            result.filter = filter;
            result.warnings = warnings;
            Ok(result)
        }
    }
}

/// Rates already aggregated counts with the given bootstrap draws (one count vector per
/// replicate, in `agg.rows` order) instead of seeded ones: how reference tests feed both sides
/// the very same resamples.
pub fn rate_with_draws(
    agg: &Aggregate,
    s: &RatingsSettings,
    draws: &[Vec<u64>],
) -> Result<RatingsResult, RatingsError> {
    let mut warnings = Vec::new();
    let mut silent = Ticker::silent();
    let fit = rate_aggregate(agg, s, Resamples::Given(draws), &[], &mut warnings, &mut silent);
    let mut result = block_on(fit)?;
    result.warnings = warnings;
    Ok(result)
}

/// The warning for an anchor that is allowed to be absent (the FastChat preset's
/// "when present") and is: without it nothing is pinned, and the user should know.
pub(crate) fn absent_anchor_warning(a: &Anchor, init_rating: f64) -> String {
    format!(
        "anchor model `{}` (pinned at {}) is not among the rated models, so the anchor does nothing: each graph's ratings average {init_rating} instead",
        a.model, a.rating
    )
}

fn unsupported(why: &str) -> RatingsError {
    RatingsError::Unsupported(why.to_owned())
}

fn check_combination(input: RatingsInput<'_>, s: &RatingsSettings) -> Result<(), RatingsError> {
    if let Some(b) = input.battles {
        if !b.unknown_winners.is_empty() {
            return Err(RatingsError::UnknownWinners(b.unknown_winners.clone()));
        }
    }
    if input.battles.is_none() && input.pair_counts.is_none() {
        return Err(RatingsError::NoBattles("no input".into()));
    }
    if input.pair_counts.is_some() {
        if let Some(key) = s.filters.needs_battle_log() {
            return Err(RatingsError::FilterNeedsBattles(key));
        }
    }
    let davidson = s.ties == TieRule::Davidson;
    let sandwich = s.ci == CiMethod::Sandwich;
    if s.method == Method::Elo {
        if davidson {
            return Err(unsupported(
                "the Davidson tie model is a Bradley–Terry variant: use --method bt",
            ));
        }
        if sandwich {
            return Err(unsupported(
                "sandwich intervals need a likelihood: use --method bt, or --ci bootstrap with Elo",
            ));
        }
        if s.legacy_l2 || s.style_control {
            return Err(unsupported(
                "--legacy-l2 and --style-control are Bradley–Terry fits: drop --method elo",
            ));
        }
    }
    if s.legacy_l2 && (davidson || s.style_control) {
        return Err(unsupported("--legacy-l2 counts ties as a win plus a loss: it combines with --ties half or drop only, and not with style control"));
    }
    if sandwich && (s.legacy_l2 || davidson) {
        return Err(unsupported("sandwich intervals are implemented for the Bradley–Terry MLE and style control (ties half or dropped), not for the 2023–24 L2 method or the Davidson tie model: use bootstrap intervals (--ci bootstrap)"));
    }
    if s.style_control && davidson {
        return Err(unsupported(
            "style control uses ties as half (as FastChat): use --ties half or drop",
        ));
    }
    let positive = |x: f64| x.is_finite() && x > 0.0;
    if !positive(s.scale) || !positive(s.base - 1.0) {
        return Err(unsupported("the rating scale must be positive and the base greater than 1"));
    }
    Ok(())
}

/// Applies the battle filters and `min_votes`. Returns the selected battle indices.
pub(crate) fn select(
    input: RatingsInput<'_>,
    s: &RatingsSettings,
    warnings: &mut Vec<String>,
) -> Result<(Vec<u32>, FilterReport), RatingsError> {
    let (mut selection, mut report) = match input.battles {
        Some(b) => filters::select(b, &s.filters, warnings),
        None => (Vec::new(), FilterReport::default()),
    };
    if s.filters.min_votes > 0 {
        let mut votes: BTreeMap<&str, u64> = BTreeMap::new();
        if let Some(b) = input.battles {
            for &i in &selection {
                *votes.entry(&b.models[b.model_a[i as usize] as usize]).or_default() += 1;
                *votes.entry(&b.models[b.model_b[i as usize] as usize]).or_default() += 1;
            }
        }
        if let Some(p) = input.pair_counts {
            for (m, n) in p.models.iter().zip(p.battles_per_model()) {
                *votes.entry(m).or_default() += n;
            }
        }
        let low: Vec<String> = votes
            .iter()
            .filter(|(_, &n)| n < s.filters.min_votes)
            .map(|(m, _)| (*m).to_owned())
            .collect();
        if let Some(b) = input.battles {
            let drop: Vec<bool> = b.models.iter().map(|m| low.binary_search(m).is_ok()).collect();
            let before = selection.len();
            selection.retain(|&i| {
                !drop[b.model_a[i as usize] as usize] && !drop[b.model_b[i as usize] as usize]
            });
            let removed = (before - selection.len()) as u64;
            if removed > 0 {
                report.removed_by.push(("min_votes".into(), removed));
            }
            report.kept = selection.len() as u64;
        }
        report.below_min_votes = low;
    }
    if input.battles.is_some() && selection.is_empty() && input.pair_counts.is_none() {
        let removed: Vec<String> =
            report.removed_by.iter().map(|(k, n)| format!("{k} {n}")).collect();
        let mut why = format!(
            "{} in the input; removed by filter: {}",
            crate::wording::counted(report.total, "battle", "battles"),
            removed.join(", ")
        );
        if !warnings.is_empty() {
            why.push_str(&format!("; {}", warnings.join("; ")));
        }
        return Err(RatingsError::NoBattles(why));
    }
    Ok((selection, report))
}

/// Battles (selected) plus pair counts → one aggregate, with the model-level filters (and the
/// models below `min_votes`, sorted) applied to the pair counts too. Returns the aggregate and the ties dropped by the tie rule.
fn aggregate_input(
    input: RatingsInput<'_>,
    selection: &[u32],
    low_votes: &[String],
    s: &RatingsSettings,
    weights: Option<&[f64]>,
) -> (Aggregate, u64) {
    let (mut agg, report) = match input.battles {
        Some(b) => Aggregate::from_battles_weighted(b, selection, s.ties, weights),
        None => (Aggregate::default(), Default::default()),
    };
    let mut ties_dropped = report.ties_dropped;
    if let Some(p) = input.pair_counts {
        let f = &s.filters;
        let keep_model = |m: &str| {
            (f.include_models.is_empty() || f.include_models.iter().any(|x| x == m))
                && !f.exclude_models.iter().any(|x| x == m)
                && low_votes.binary_search_by(|x| x.as_str().cmp(m)).is_err()
        };
        let drop_ties = s.ties == TieRule::Drop || f.exclude_ties;
        let mut rows = Vec::new();
        for r in &p.rows {
            let (a, b) = (p.models[r.a as usize].as_str(), p.models[r.b as usize].as_str());
            if !keep_model(a) || !keep_model(b) {
                continue;
            }
            if r.outcome == RowOutcome::Tie && drop_ties {
                ties_dropped += r.count;
                continue;
            }
            rows.push((a, b, r.outcome, r.count));
        }
        agg = agg.merged(&Aggregate::from_named(rows));
    }
    (agg, ties_dropped)
}
