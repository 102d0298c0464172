//! Ratings from battle logs and pair counts: Bradley–Terry (ties as half, dropped, or Davidson),
//! online Elo, the 2023–24 L2 leaderboard fit, bootstrap and sandwich intervals, Rank (UB), style
//! control, filters and subset comparison. The CLI's `benchlens ratings` and the web page call the
//! same [`rate`], so every number on screen can be reproduced in a terminal.
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
pub mod filters;
pub mod graph;
pub mod history;
pub mod lbfgsb;
pub mod legacy;
pub mod linalg;
pub mod merge;
pub mod pair_counts;
pub(crate) mod plan;
pub mod results;
pub mod sandwich;
pub mod settings;
pub mod style_control;
pub mod synthetic;

use std::collections::BTreeMap;

use crate::battles::Battles;

pub use aggregate::{Aggregate, PairTally, RowOutcome, UniqueRow};
pub use error::RatingsError;
pub use filters::{FilterReport, Filters};
pub use results::{ComponentReport, ModelRating, PairStat, RatingsResult};
pub use settings::{Anchor, CiMethod, Method, RatingsSettings, TieRule};

use plan::{ComponentFit, Plan};
use results::{assign_rank_ub, sort_rows};

/// What to rate: a battle log (several files merged with [`merge::concat`]), pre-aggregated pair
/// counts ([`pair_counts::from_table`]), or both (their counts are added).
#[derive(Debug, Clone, Copy, Default)]
pub struct RatingsInput<'a> {
    pub battles: Option<&'a Battles>,
    pub pair_counts: Option<&'a Aggregate>,
}

/// The 2.5 / 97.5 percentiles of a 95 % interval.
const LOWER_Q: f64 = 0.025;
const UPPER_Q: f64 = 0.975;

/// Runs one rating analysis.
pub fn rate(input: RatingsInput<'_>, s: &RatingsSettings) -> Result<RatingsResult, RatingsError> {
    check_combination(input, s)?;
    let mut warnings = Vec::new();
    let (selection, filter) = select(input, s, &mut warnings)?;
    if s.style_control {
        let battles =
            input.battles.ok_or_else(|| unsupported("style control needs a battle log"))?;
        return style_control::rate(battles, &selection, filter, s, warnings);
    }
    match s.method {
        Method::Elo => {
            let battles =
                input.battles.ok_or_else(|| unsupported("online Elo needs a battle log"))?;
            rate_elo(battles, &selection, filter, s, warnings)
        }
        Method::Bt => {
            let (agg, ties_dropped) =
                aggregate_input(input, &selection, &filter.below_min_votes, s);
            let legacy_self = match (s.legacy_l2, input.battles) {
                (true, Some(b)) => legacy_self_battles(b, s),
                _ => Vec::new(),
            };
            let mut result = rate_aggregate(&agg, s, None, &legacy_self, &mut warnings)?;
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
    let mut result = rate_aggregate(agg, s, Some(draws), &[], &mut warnings)?;
    result.warnings = warnings;
    Ok(result)
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
    if sandwich && (s.legacy_l2 || davidson || s.style_control) {
        return Err(unsupported("sandwich intervals are implemented for the plain Bradley–Terry MLE (ties half or dropped): use --ci bootstrap"));
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
        return Err(RatingsError::NoBattles(format!("{} battles in the input", report.total)));
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
) -> (Aggregate, u64) {
    let (mut agg, report) = match input.battles {
        Some(b) => Aggregate::from_battles(b, selection, s.ties),
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

/// Self-battles the legacy fit sees, as (model, outcome): both copies of the duplicated data
/// carry the row; a tie is a win in one copy and a loss in the other.
fn legacy_self_battles(battles: &Battles, s: &RatingsSettings) -> Vec<(String, RowOutcome)> {
    filters::select_self(battles, &s.filters)
        .into_iter()
        .filter_map(|b| {
            let o = match b.outcome {
                crate::battles::Outcome::ModelA => RowOutcome::AWins,
                crate::battles::Outcome::ModelB => RowOutcome::BWins,
                _ if s.ties == TieRule::Drop => return None,
                _ => RowOutcome::Tie,
            };
            Some((b.model.clone(), o))
        })
        .collect()
}

/// Fits every component of `agg` and computes the intervals. `legacy_self` only matters with
/// `legacy_l2` (see [`legacy::fit`]).
pub(crate) fn rate_aggregate(
    agg: &Aggregate,
    s: &RatingsSettings,
    draws: Option<&[Vec<u64>]>,
    legacy_self: &[(String, RowOutcome)],
    warnings: &mut Vec<String>,
) -> Result<RatingsResult, RatingsError> {
    if agg.rows.is_empty() {
        return Err(RatingsError::NoBattles("no battle between two different models".into()));
    }
    let tallies = agg.tallies();
    let mut plan = Plan::new(agg, &tallies, s);
    if s.legacy_l2 {
        for (model, outcome) in legacy_self {
            if let Ok(i) = agg.models.binary_search(model) {
                let positives = match outcome {
                    RowOutcome::AWins => 2.0,
                    RowOutcome::BWins => 0.0,
                    RowOutcome::Tie => 1.0,
                };
                plan.legacy_self_rows.push((i as u32, 2.0, positives));
            }
        }
        if !legacy_self.is_empty() {
            warnings.push(format!(
                "{} battles of a model against itself enter the legacy fit as the reference pipeline fed them to scikit-learn (a lone −ln 10 design entry)",
                legacy_self.len()
            ));
        }
    }
    if let Some(a) = s.anchor.as_ref().filter(|a| a.required) {
        if plan.anchor.is_none() {
            return Err(RatingsError::AnchorMissing(a.model.clone()));
        }
    }
    let per_model = agg.battles_per_model();
    let names =
        |ids: &[u32]| ids.iter().map(|&i| agg.models[i as usize].clone()).collect::<Vec<_>>();
    let mut fits: Vec<Option<ComponentFit>> = Vec::new();
    let mut components = Vec::new();
    for (c, comp) in plan.comps.iter().enumerate() {
        let battles: u64 = comp.tally_idx.iter().map(|&i| tallies[i].total() as u64).sum();
        let mut report = ComponentReport {
            models: names(&comp.members),
            battles,
            rated: false,
            never_lose: Vec::new(),
            never_win: Vec::new(),
            failed_replicates: 0,
            davidson_nu: None,
        };
        match plan.fit_component(c, &tallies, None) {
            Ok(fit) => {
                report.rated = true;
                report.davidson_nu = fit.nu;
                fits.push(Some(fit));
            }
            Err(sep) => {
                report.never_lose = names(&sep.never_lose);
                report.never_win = names(&sep.never_win);
                warnings.push(format!(
                    "no finite maximum-likelihood rating for the graph of {}: {}{}; these models are left unrated (set a weak prior, `--prior 1`, to rate them anyway)",
                    report.models.join(", "),
                    if report.never_lose.is_empty() { String::new() } else { format!("never lost to the rest: {}", report.never_lose.join(", ")) },
                    if report.never_win.is_empty() { String::new() } else { format!("; never won against the rest: {}", report.never_win.join(", ")) },
                ));
                fits.push(None);
            }
        }
        components.push(report);
    }
    if fits.iter().all(Option::is_none) {
        return Err(RatingsError::NothingRated(warnings.last().cloned().unwrap_or_default()));
    }
    if plan.comps.len() > 1 {
        warnings.push(format!(
            "the comparison graph has {} disconnected parts, each rated on its own (their ratings are not comparable): {}",
            plan.comps.len(),
            components.iter().map(|c| format!("[{}]", c.models.join(", "))).collect::<Vec<_>>().join(" ")
        ));
    }
    let mut rating = vec![f64::NAN; agg.models.len()];
    for (c, fit) in fits.iter().enumerate() {
        if let Some(fit) = fit {
            for (&m, r) in plan.comps[c].members.iter().zip(plan.ratings(c, fit)) {
                rating[m as usize] = r;
            }
        }
    }
    let mut bounds: Vec<Option<(f64, f64)>> = vec![None; agg.models.len()];
    let mut rounds = 0;
    match s.ci {
        CiMethod::None => {}
        CiMethod::Sandwich => {
            let se = sandwich::standard_errors(&plan, agg, &fits);
            let half = |i: usize| sandwich::Z_975 * se[i] * plan.points_per_logit;
            for i in 0..agg.models.len() {
                if rating[i].is_finite() && se[i].is_finite() {
                    bounds[i] = Some((rating[i] - half(i), rating[i] + half(i)));
                }
            }
        }
        CiMethod::Bootstrap => {
            let rep = match draws {
                Some(d) => {
                    let mut it = d.iter();
                    bootstrap::run(&plan, agg, &fits, |out| match it.next() {
                        Some(v) => {
                            out.clone_from(v);
                            true
                        }
                        None => false,
                    })
                }
                None => bootstrap::run(
                    &plan,
                    agg,
                    &fits,
                    bootstrap::seeded_draws(agg, s.bootstrap_rounds, s.seed),
                ),
            };
            rounds = rep.rounds;
            for (c, &failed) in rep.failed.iter().enumerate() {
                components[c].failed_replicates = failed;
                if failed > 0 {
                    warnings.push(format!(
                        "{failed} of {rounds} bootstrap replicates of the graph of {} had no finite maximum-likelihood estimate and were left out of the interval",
                        components[c].models.join(", ")
                    ));
                }
            }
            for (i, (lo, hi)) in
                bootstrap::intervals(&rep, LOWER_Q, UPPER_Q).into_iter().enumerate()
            {
                if rating[i].is_finite() && lo.is_finite() && hi.is_finite() {
                    bounds[i] = Some((lo, hi));
                }
            }
        }
    }
    let mut rows: Vec<ModelRating> = (0..agg.models.len())
        .filter(|&i| rating[i].is_finite())
        .map(|i| ModelRating {
            model: agg.models[i].clone(),
            rating: rating[i],
            lower: bounds[i].map(|b| b.0),
            upper: bounds[i].map(|b| b.1),
            rank_ub: 0,
            battles: per_model[i],
            component: plan.comp_of[i],
        })
        .collect();
    assign_rank_ub(&mut rows);
    sort_rows(&mut rows);
    Ok(RatingsResult {
        method: Method::Bt,
        ties: s.ties,
        ci: s.ci,
        legacy_l2: s.legacy_l2,
        ratings: rows,
        components,
        pairs: pair_stats(agg, &tallies),
        bootstrap_rounds: rounds,
        style: None,
        elo_history: None,
        battles_used: agg.total(),
        ties_dropped: 0,
        filter: FilterReport::default(),
        warnings: Vec::new(),
    })
}

pub(crate) fn pair_stats(agg: &Aggregate, tallies: &[PairTally]) -> Vec<PairStat> {
    tallies
        .iter()
        .map(|t| PairStat {
            model_a: agg.models[t.a as usize].clone(),
            model_b: agg.models[t.b as usize].clone(),
            wins_a: t.wins_a as u64,
            wins_b: t.wins_b as u64,
            ties: t.ties as u64,
        })
        .collect()
}

fn rate_elo(
    battles: &Battles,
    selection: &[u32],
    filter: FilterReport,
    s: &RatingsSettings,
    mut warnings: Vec<String>,
) -> Result<RatingsResult, RatingsError> {
    let order = elo::time_order(battles, selection);
    let missing_time = selection.iter().filter(|&&i| battles.tstamp[i as usize].is_nan()).count();
    if missing_time > 0 {
        warnings.push(format!(
            "{missing_time} battles have no tstamp: they are replayed last, in file order"
        ));
    }
    let (r, seen, history) = elo::with_history(battles, &order, s);
    let (agg, report) = Aggregate::from_battles(battles, selection, s.ties);
    let tallies = agg.tallies();
    let comps = graph::components(agg.models.len(), &tallies);
    let mut comp_of = vec![0u32; agg.models.len()];
    for (c, members) in comps.iter().enumerate() {
        for &m in members {
            comp_of[m as usize] = c as u32;
        }
    }
    let replicates = match s.ci {
        CiMethod::Bootstrap => Some(elo::bootstrap(battles, selection, s)),
        _ => None,
    };
    let per_model = agg.battles_per_model();
    let mut rows = Vec::new();
    for (id, name) in battles.models.iter().enumerate() {
        if !seen[id] {
            continue;
        }
        let Ok(local) = agg.models.binary_search(name) else { continue };
        let (lower, upper) = match &replicates {
            Some(reps) => {
                let mut v = reps[id].clone();
                v.sort_by(f64::total_cmp);
                (
                    Some(crate::stats::quantile_sorted(&v, LOWER_Q)),
                    Some(crate::stats::quantile_sorted(&v, UPPER_Q)),
                )
            }
            None => (None, None),
        };
        rows.push(ModelRating {
            model: name.clone(),
            rating: r[id],
            lower: lower.filter(|x| x.is_finite()),
            upper: upper.filter(|x| x.is_finite()),
            rank_ub: 0,
            battles: per_model[local],
            component: comp_of[local],
        });
    }
    assign_rank_ub(&mut rows);
    sort_rows(&mut rows);
    let components = comps
        .iter()
        .map(|members| ComponentReport {
            models: members.iter().map(|&i| agg.models[i as usize].clone()).collect(),
            battles: members.iter().map(|&i| per_model[i as usize]).sum::<u64>() / 2,
            rated: true,
            never_lose: Vec::new(),
            never_win: Vec::new(),
            failed_replicates: 0,
            davidson_nu: None,
        })
        .collect();
    Ok(RatingsResult {
        method: Method::Elo,
        ties: s.ties,
        ci: s.ci,
        legacy_l2: false,
        ratings: rows,
        components,
        pairs: pair_stats(&agg, &tallies),
        bootstrap_rounds: if replicates.is_some() { s.bootstrap_rounds } else { 0 },
        style: None,
        elo_history: Some(history),
        battles_used: agg.total(),
        ties_dropped: report.ties_dropped,
        filter,
        warnings,
    })
}
