//! Style control (FastChat `compute_style_control`, LMSYS blog 2024-08-28): a contextual
//! Bradley–Terry model whose logit adds Σ βₖ·xₖ for four style differences of the two answers —
//! assistant tokens, markdown headers, list items, bold spans — each (a − b) / (a + b + 1) and
//! z-scored over the battles. The ratings are then "what is left once style is accounted for".
//!
//! As in FastChat: per-battle rows (features differ per battle, so nothing deduplicates), ties as
//! half, logit = ln(base)·(θa − θb) + xᵀβ with θ in base-`base` units, an L2 penalty
//! (reg/2)·‖(θ, β)‖² with reg = 0.5 on every parameter, and bootstrap by resampling battles.
//! Solved by Newton's method (strictly convex thanks to the penalty) instead of L-BFGS.
//! The model and its fit are in [`super::style_model`]; sandwich intervals, as arena-rank offers
//! for its contextual model, in [`super::style_sandwich`].

use rand::Rng;

use crate::progress::Ticker;
use crate::stats;

use super::error::RatingsError;
use super::results::{assign_rank_ub, rated_components, sort_rows, ModelRating, RatingsResult};
pub use super::results::{StyleCoefficient, StyleRankChange, StyleReport};
use super::round_work::Resamples;
use super::settings::{CiMethod, Method, RatingsSettings, TieRule};
use super::style_model::{build_rows, fit};
pub use super::style_model::{FEATURES, REG};
use super::{graph, pair_stats, rounds, sandwich, style_sandwich, Aggregate, Picked};

fn rank_by_rating(ratings: &[f64]) -> Vec<u32> {
    ratings.iter().map(|r| 1 + ratings.iter().filter(|o| *o > r).count() as u32).collect()
}

/// Style-controlled ratings with bootstrap intervals (or none).
pub(crate) async fn rate(
    picked: Picked<'_>,
    s: &RatingsSettings,
    ticker: &mut Ticker<'_>,
) -> Result<RatingsResult, RatingsError> {
    let Picked { battles, selection, filter, mut warnings, weights } = picked;
    let (names, rows, without, mean, std) = build_rows(battles, selection, s.ties, weights);
    if rows.is_empty() {
        return Err(RatingsError::NoStyle(selection.len() as u64));
    }
    if without > 0 {
        warnings.push(format!(
            "{without} selected {} no conv_metadata and {} left out of style control",
            crate::wording::plural(without, "battle has", "battles have"),
            crate::wording::plural(without, "is", "are")
        ));
    }
    let m = names.len();
    let alpha = s.base.ln();
    let full = fit(m, &rows, None, alpha, None).ok_or_else(|| {
        RatingsError::NothingRated("the style-control Hessian is singular".into())
    })?;
    let anchor = s
        .anchor
        .as_ref()
        .and_then(|a| names.iter().position(|n| *n == a.model).map(|i| (i, a.rating)));
    if let Some(a) = &s.anchor {
        if anchor.is_none() {
            if a.required {
                return Err(RatingsError::AnchorMissing(a.model.clone()));
            }
            warnings.push(super::absent_anchor_warning(a, s.init_rating));
        }
    }
    let to_ratings = |params: &[f64]| -> Vec<f64> {
        let mut r: Vec<f64> = params[..m].iter().map(|t| t * s.scale + s.init_rating).collect();
        if let Some((i, value)) = anchor {
            let shift = value - r[i];
            r.iter_mut().for_each(|x| *x += shift);
        }
        r
    };
    let ratings = to_ratings(&full);
    // Sandwich standard errors (θ then β); rating intervals are the anchored rating ± z·se.
    let sandwich_se = match s.ci {
        CiMethod::Sandwich => {
            Some(style_sandwich::standard_errors(m, &rows, alpha, &full).ok_or_else(|| {
                RatingsError::NothingRated("the style-control Hessian is singular".into())
            })?)
        }
        _ => None,
    };
    let symmetric = |centre: f64, se: f64, unit: f64| -> (Option<f64>, Option<f64>) {
        let half = sandwich::Z_975 * se * unit;
        if half.is_finite() {
            (Some(centre - half), Some(centre + half))
        } else {
            (None, None)
        }
    };
    let mut model_reps: Vec<Vec<f64>> = vec![Vec::new(); m];
    let mut coef_reps: Vec<Vec<f64>> = vec![Vec::new(); 4];
    let mut rounds_done = 0;
    if s.ci == CiMethod::Bootstrap {
        // Battles resampled with replacement, round r from (seed, r), rounds on every core (the
        // replicates do not depend on the thread count: see `rounds`).
        let n = rows.len();
        let replicate = |round: u32| {
            let mut rng = rounds::round_rng(s.seed, round);
            let mut counts = vec![0u32; n];
            for _ in 0..n {
                counts[rng.gen_range(0..n as u64) as usize] += 1; // u64: usize draws differ on wasm32
            }
            fit(m, &rows, Some(&counts), alpha, Some(&full))
        };
        let threads = rounds::thread_count(s.threads);
        let chunk = rounds::chunk_len(threads);
        let total = s.bootstrap_rounds;
        while rounds_done < total {
            let label = "style-control bootstrap";
            if !ticker.tick(label, u64::from(rounds_done), u64::from(total)).await {
                return Err(RatingsError::Cancelled);
            }
            let len = chunk.min(total - rounds_done);
            for params in rounds::map(rounds_done, len, threads, &replicate).into_iter().flatten() {
                for (i, r) in to_ratings(&params).into_iter().enumerate() {
                    model_reps[i].push(r);
                }
                for k in 0..4 {
                    coef_reps[k].push(params[m + k]);
                }
            }
            rounds_done += len;
        }
    }
    let interval = |values: &mut Vec<f64>| -> (Option<f64>, Option<f64>) {
        if values.is_empty() {
            return (None, None);
        }
        values.sort_by(f64::total_cmp);
        (Some(stats::quantile_sorted(values, 0.025)), Some(stats::quantile_sorted(values, 0.975)))
    };
    // Plain Bradley–Terry on the very same battles, for the rank change. Counted by model index
    // first: handing the aggregate one named item per battle sorted two million name strings,
    // which cost more than the style fit at 1M battles.
    let mut per_pair = std::collections::HashMap::<(u32, u32, super::RowOutcome), u64>::new();
    for r in &rows {
        let o = if r.y == 1.0 {
            super::RowOutcome::AWins
        } else if r.y == 0.0 {
            super::RowOutcome::BWins
        } else {
            super::RowOutcome::Tie
        };
        *per_pair.entry((r.a, r.b, o)).or_default() += 1;
    }
    let name = |i: u32| names.get(i as usize).map_or("", String::as_str);
    let agg =
        Aggregate::from_named(per_pair.into_iter().map(|((a, b, o), c)| (name(a), name(b), o, c)));
    let raw_settings = RatingsSettings {
        ci: CiMethod::None,
        style_control: false,
        ties: TieRule::Half,
        ..s.clone()
    };
    let mut raw_warnings = Vec::new();
    let raw = super::rate_aggregate(
        &agg,
        &raw_settings,
        Resamples::Seeded(None),
        &[],
        &mut raw_warnings,
        ticker,
    )
    .await
    .ok();
    let tallies = agg.tallies();
    let comps = graph::components(m, &tallies);
    if comps.len() > 1 {
        warnings.push(format!(
            "the comparison graph has {} disconnected parts; style control fits them jointly (the penalty ties their scales), but ratings across parts are not comparable",
            comps.len()
        ));
    }
    let per_model = agg.battles_per_model();
    let (components, comp_of) = rated_components(&comps, &names, &per_model);
    let mut out_rows = Vec::with_capacity(m);
    for i in 0..m {
        let (lower, upper) = match &sandwich_se {
            Some(se) => symmetric(ratings[i], se[i], s.scale),
            None => interval(&mut model_reps[i]),
        };
        out_rows.push(ModelRating {
            model: names[i].clone(),
            rating: ratings[i],
            lower,
            upper,
            rank_ub: 0,
            battles: per_model[i],
            component: comp_of[i],
        });
    }
    assign_rank_ub(&mut out_rows);
    sort_rows(&mut out_rows);
    let style_rank = rank_by_rating(&ratings);
    let raw_ratings: Vec<f64> = names
        .iter()
        .map(|n| raw.as_ref().and_then(|r| r.rating_of(n)).map_or(f64::NAN, |r| r.rating))
        .collect();
    let raw_rank = rank_by_rating(&raw_ratings);
    let mut rank_changes: Vec<StyleRankChange> = (0..m)
        .map(|i| StyleRankChange {
            model: names[i].clone(),
            raw_rating: raw_ratings[i],
            raw_rank: raw_rank[i],
            style_rating: ratings[i],
            style_rank: style_rank[i],
            rank_change: raw_rank[i] as i64 - style_rank[i] as i64,
        })
        .collect();
    rank_changes.sort_by(|x, y| {
        y.style_rating.total_cmp(&x.style_rating).then_with(|| x.model.cmp(&y.model))
    });
    let coefficients = (0..4)
        .map(|k| {
            let (lower, upper) = match &sandwich_se {
                Some(se) => symmetric(full[m + k], se[m + k], 1.0),
                None => interval(&mut coef_reps[k]),
            };
            StyleCoefficient { feature: FEATURES[k].into(), coefficient: full[m + k], lower, upper }
        })
        .collect();
    let failed = rounds_done - model_reps.first().map_or(0, |v| v.len() as u32);
    if failed > 0 {
        warnings.push(format!("{failed} of {rounds} style-control bootstrap replicates failed to fit and were left out", rounds = rounds_done));
    }
    Ok(RatingsResult {
        method: Method::Bt,
        ties: s.ties,
        ci: s.ci,
        legacy_l2: false,
        ratings: out_rows,
        components,
        pairs: pair_stats(&agg, &tallies),
        bootstrap_rounds: rounds_done,
        style: Some(StyleReport {
            coefficients,
            rank_changes,
            battles_without_style: without,
            feature_mean: mean.to_vec(),
            feature_std: std.to_vec(),
        }),
        elo_history: None,
        battles_used: rows.len() as u64,
        ties_dropped: 0,
        filter,
        warnings,
        weights: None,
    })
}
