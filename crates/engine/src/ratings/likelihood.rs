//! Likelihood-based ratings of an [`Aggregate`]: one fit per component (Bradley–Terry, Davidson
//! or legacy L2), anchors, bootstrap or sandwich intervals, Rank (UB), and the component report
//! that says which parts of the graph could not be rated and why.

use crate::battles::{Battles, Outcome};

use super::aggregate::{Aggregate, PairTally, RowOutcome};
use super::error::RatingsError;
use super::filters::{self, FilterReport};
use super::plan::{ComponentFit, Plan};
use super::results::{
    assign_rank_ub, sort_rows, ComponentReport, ModelRating, PairStat, RatingsResult,
};
use super::round_work::{Resamples, RoundWork, RoundWorker};
use super::settings::{CiMethod, Method, RatingsSettings, TieRule};
use super::{bootstrap, rounds, sandwich, LOWER_Q, UPPER_Q};
use crate::progress::Ticker;
use crate::wording::counted;

/// Self-battles the legacy fit sees, as (model, outcome): both copies of the duplicated data
/// carry the row; a tie is a win in one copy and a loss in the other.
pub(crate) fn legacy_self_battles(
    battles: &Battles,
    s: &RatingsSettings,
) -> Vec<(String, RowOutcome)> {
    filters::select_self(battles, &s.filters)
        .into_iter()
        .filter_map(|b| {
            let o = match b.outcome {
                Outcome::ModelA => RowOutcome::AWins,
                Outcome::ModelB => RowOutcome::BWins,
                _ if s.ties == TieRule::Drop => return None,
                _ => RowOutcome::Tie,
            };
            Some((b.model.clone(), o))
        })
        .collect()
}

/// Fits every component of `agg` and computes the intervals. `legacy_self` only matters with
/// `legacy_l2` (see [`legacy::fit`]).
pub(crate) async fn rate_aggregate(
    agg: &Aggregate,
    s: &RatingsSettings,
    resamples: Resamples<'_>,
    legacy_self: &[(String, RowOutcome)],
    warnings: &mut Vec<String>,
    ticker: &mut Ticker<'_>,
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
                "{} of a model against itself {} the legacy fit as the reference pipeline fed {} to scikit-learn (a lone −ln 10 design entry)",
                counted(legacy_self.len() as u64, "battle", "battles"),
                crate::wording::plural(legacy_self.len() as u64, "enters", "enter"),
                crate::wording::plural(legacy_self.len() as u64, "it", "them")
            ));
        }
    }
    if let Some(a) = &s.anchor {
        if plan.anchor.is_none() {
            if a.required {
                return Err(RatingsError::AnchorMissing(a.model.clone()));
            }
            warnings.push(super::absent_anchor_warning(a, s.init_rating));
        }
    }
    let per_model = agg.battles_per_model();
    let counted_tallies = agg.count_tallies();
    let names =
        |ids: &[u32]| ids.iter().map(|&i| agg.models[i as usize].clone()).collect::<Vec<_>>();
    let mut fits: Vec<Option<ComponentFit>> = Vec::new();
    let mut components = Vec::new();
    for (c, comp) in plan.comps.iter().enumerate() {
        let battles: u64 = comp
            .tally_idx
            .iter()
            .fold(0u64, |acc, &i| acc.saturating_add(counted_tallies[i].total() as u64));
        let mut report = ComponentReport {
            models: names(&comp.members),
            battles,
            rated: false,
            never_lose: Vec::new(),
            never_win: Vec::new(),
            failed_replicates: 0,
            davidson_nu: None,
        };
        match plan.fit_component(c, &tallies, None, None) {
            Ok(fit) => {
                report.rated = true;
                report.davidson_nu = fit.nu;
                fits.push(Some(fit));
            }
            Err(sep) => {
                report.never_lose = names(&sep.never_lose);
                report.never_win = names(&sep.never_win);
                let why = if report.never_lose.is_empty() && report.never_win.is_empty() {
                    "the Newton iteration failed numerically".to_owned()
                } else {
                    let mut parts = Vec::new();
                    if !report.never_lose.is_empty() {
                        parts.push(format!(
                            "never lost to the rest: {}",
                            report.never_lose.join(", ")
                        ));
                    }
                    if !report.never_win.is_empty() {
                        parts.push(format!(
                            "never won against the rest: {}",
                            report.never_win.join(", ")
                        ));
                    }
                    parts.join("; ")
                };
                warnings.push(format!(
                    "no finite maximum-likelihood rating for the graph of {}: {why}; these models are left unrated (set a weak prior, `--prior 1`, to rate them anyway)",
                    report.models.join(", "),
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
            let threads = rounds::thread_count(s.threads);
            let work = RoundWork::new(&plan, agg, &fits, s.seed);
            let rep = match resamples {
                Resamples::Given(d) => {
                    let total = u32::try_from(d.len()).unwrap_or(u32::MAX);
                    let worker = RoundWorker::with_draws(work, d);
                    bootstrap::run(&worker, total, threads, None, &mut Ticker::silent()).await
                }
                Resamples::Seeded(executor) => {
                    let worker = RoundWorker::new(work);
                    let total = s.bootstrap_rounds;
                    bootstrap::run(&worker, total, threads, executor, ticker).await
                }
            }
            .ok_or(RatingsError::Cancelled)?;
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
        weights: None,
    })
}

/// Battle counts per pair, and with weights the weighted tallies (`tallies`) beside them.
pub(crate) fn pair_stats(agg: &Aggregate, tallies: &[PairTally]) -> Vec<PairStat> {
    let weighted = agg.weighted();
    let counts = if weighted { agg.count_tallies() } else { tallies.to_vec() };
    counts
        .iter()
        .zip(tallies)
        .map(|(t, w)| PairStat {
            model_a: agg.models[t.a as usize].clone(),
            model_b: agg.models[t.b as usize].clone(),
            wins_a: t.wins_a as u64,
            wins_b: t.wins_b as u64,
            ties: t.ties as u64,
            weighted: weighted.then_some([w.wins_a, w.wins_b, w.ties]),
        })
        .collect()
}
