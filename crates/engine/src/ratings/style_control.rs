//! Style control (FastChat `compute_style_control`, LMSYS blog 2024-08-28): a contextual
//! Bradley–Terry model whose logit adds Σ βₖ·xₖ for four style differences of the two answers —
//! assistant tokens, markdown headers, list items, bold spans — each (a − b) / (a + b + 1) and
//! z-scored over the battles. The ratings are then "what is left once style is accounted for".
//!
//! As in FastChat: per-battle rows (features differ per battle, so nothing deduplicates), ties as
//! half, logit = ln(base)·(θa − θb) + xᵀβ with θ in base-`base` units, an L2 penalty
//! (reg/2)·‖(θ, β)‖² with reg = 0.5 on every parameter, and bootstrap by resampling battles.
//! Solved by Newton's method (strictly convex thanks to the penalty) instead of L-BFGS.
//! Sandwich intervals, as arena-rank offers for its contextual model, are in
//! [`super::style_sandwich`].

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::battles::{style_index, Battles, Outcome};
use crate::progress::Ticker;
use crate::stats;

use super::error::RatingsError;
use super::filters::FilterReport;
use super::results::{assign_rank_ub, sort_rows, ComponentReport, ModelRating, RatingsResult};
use super::settings::{CiMethod, Method, RatingsSettings, TieRule};
use super::{graph, pair_stats, rounds, sandwich, style_sandwich, Aggregate};
use crate::stats::linalg::solve_spd;

/// Feature names, in coefficient order (FastChat `STYLE_CONTROL_ELEMENTS_V1`, a/b paired).
pub const FEATURES: [&str; 4] =
    ["sum_assistant_tokens", "header_count", "list_count", "bold_count"];

/// FastChat `fit_contextual_bt(reg=0.5)`: penalty (reg / 2)·‖params‖².
pub const REG: f64 = 0.5;

/// One style coefficient: change in log-odds of winning per standard deviation of the feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StyleCoefficient {
    pub feature: String,
    pub coefficient: f64,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// How one model moves when style is controlled for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StyleRankChange {
    pub model: String,
    /// Plain Bradley–Terry (ties as half) on the same battles.
    pub raw_rating: f64,
    pub raw_rank: u32,
    pub style_rating: f64,
    pub style_rank: u32,
    /// raw_rank − style_rank: positive means the model climbs once style is controlled.
    pub rank_change: i64,
}

/// Style-control extras of a [`RatingsResult`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StyleReport {
    pub coefficients: Vec<StyleCoefficient>,
    /// Sorted by style-controlled rating (highest first), then name.
    pub rank_changes: Vec<StyleRankChange>,
    /// Selected battles left out because they carry no `conv_metadata`.
    pub battles_without_style: u64,
    /// Feature means and standard deviations used for z-scoring (raw ratio scale).
    pub feature_mean: Vec<f64>,
    pub feature_std: Vec<f64>,
}

/// One battle as the contextual model sees it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Row {
    pub(super) a: u32,
    pub(super) b: u32,
    pub(super) y: f64,
    pub(super) x: [f64; 4],
}

/// Penalised objective (only when `with_loss`: it costs a logarithm per row), gradient and
/// Hessian at `params`, in one pass over the rows.
pub(super) fn evaluate(
    m: usize,
    rows: &[Row],
    weights: Option<&[u32]>,
    alpha: f64,
    params: &[f64],
    with_loss: bool,
) -> (f64, Vec<f64>, Vec<f64>) {
    let p = m + 4;
    let mut h = vec![0.0; p * p];
    let mut g: Vec<f64> = params.iter().map(|v| REG * v).collect();
    let mut hff = [[0.0; 4]; 4];
    let mut loss = 0.0;
    for (i, r) in rows.iter().enumerate() {
        let c = weights.map_or(1.0, |w| w[i] as f64);
        if c == 0.0 {
            continue;
        }
        let z = logit(r, params, m, alpha);
        // One exponential serves both the logistic and the log-loss.
        let e = (-z.abs()).exp();
        let q = if z >= 0.0 { 1.0 / (1.0 + e) } else { e / (1.0 + e) };
        if with_loss {
            loss += c * (z.max(0.0) + e.ln_1p() - r.y * z);
        }
        let resid = c * (q - r.y);
        let w = c * q * (1.0 - q);
        let (a, b) = (r.a as usize, r.b as usize);
        g[a] += alpha * resid;
        g[b] -= alpha * resid;
        let aw = alpha * alpha * w;
        h[a * p + a] += aw;
        h[b * p + b] += aw;
        h[a * p + b] -= aw;
        h[b * p + a] -= aw;
        for k in 0..4 {
            g[m + k] += resid * r.x[k];
            let cross = alpha * w * r.x[k];
            h[a * p + m + k] += cross;
            h[b * p + m + k] -= cross;
            for (l, &xl) in r.x.iter().enumerate().skip(k) {
                hff[k][l] += w * r.x[k] * xl;
            }
        }
    }
    for k in 0..4 {
        for l in k..4 {
            h[(m + k) * p + m + l] += hff[k][l];
            h[(m + l) * p + m + k] = h[(m + k) * p + m + l];
        }
        for a in 0..m {
            h[(m + k) * p + a] = h[a * p + m + k];
        }
    }
    for i in 0..p {
        h[i * p + i] += REG;
    }
    (loss + 0.5 * REG * params.iter().map(|v| v * v).sum::<f64>(), g, h)
}

/// Newton's method. Each trial point costs one pass (gradient and Hessian together). A full step
/// that shrinks the gradient is taken as is (the objective is strictly convex); otherwise the
/// step is halved until the objective drops. Warm-started bootstrap replicates converge in two
/// or three passes: the last step is taken without evaluating where it lands.
fn fit(
    m: usize,
    rows: &[Row],
    weights: Option<&[u32]>,
    alpha: f64,
    start: Option<&[f64]>,
) -> Option<Vec<f64>> {
    let p = m + 4;
    let mut params = match start {
        Some(s) if s.len() == p => s.to_vec(),
        _ => vec![0.0; p],
    };
    let inf = |v: &[f64]| v.iter().fold(0.0, |acc: f64, x| acc.max(x.abs()));
    let (_, mut g, mut h) = evaluate(m, rows, weights, alpha, &params, false);
    for _ in 0..100 {
        let step = solve_spd(h.clone(), p, g.clone())?;
        // Newton converges quadratically: once a step is below 1e-5 (base-10 log-odds, 4e-3
        // rating points) the point it lands on is within ~1e-9 of the optimum, so take it
        // without paying a pass to look.
        if inf(&step) < 1e-5 {
            params.iter_mut().zip(&step).for_each(|(x, s)| *x -= s);
            break;
        }
        let full: Vec<f64> = params.iter().zip(&step).map(|(x, s)| x - s).collect();
        let (_, gc, hc) = evaluate(m, rows, weights, alpha, &full, false);
        if inf(&gc) < inf(&g) {
            params = full;
            g = gc;
            h = hc;
            continue;
        }
        let (f0, _, _) = evaluate(m, rows, weights, alpha, &params, true);
        let mut t = 0.5;
        let mut accepted = false;
        for _ in 0..40 {
            let cand: Vec<f64> = params.iter().zip(&step).map(|(x, s)| x - t * s).collect();
            let (fc, gc, hc) = evaluate(m, rows, weights, alpha, &cand, true);
            if fc <= f0 {
                params = cand;
                g = gc;
                h = hc;
                accepted = true;
                break;
            }
            t *= 0.5;
        }
        if !accepted {
            break;
        }
    }
    Some(params)
}

pub(super) fn logit(r: &Row, params: &[f64], m: usize, alpha: f64) -> f64 {
    alpha * (params[r.a as usize] - params[r.b as usize])
        + r.x[0] * params[m]
        + r.x[1] * params[m + 1]
        + r.x[2] * params[m + 2]
        + r.x[3] * params[m + 3]
}

/// Builds the rows: battles with complete style data, features z-scored. Returns the model
/// names (sorted), rows, battles without style, and the feature means and deviations.
fn build_rows(
    battles: &Battles,
    selection: &[u32],
    ties: TieRule,
) -> (Vec<String>, Vec<Row>, u64, [f64; 4], [f64; 4]) {
    let mut used: Vec<bool> = vec![false; battles.models.len()];
    let mut keep = Vec::with_capacity(selection.len());
    let mut without = 0u64;
    for &i in selection {
        let i = i as usize;
        if battles.style[i].iter().any(|v| !v.is_finite()) {
            without += 1;
            continue;
        }
        let y = match battles.outcome[i] {
            Outcome::ModelA => 1.0,
            Outcome::ModelB => 0.0,
            Outcome::Tie | Outcome::TieBothBad if ties == TieRule::Drop => continue,
            Outcome::Tie | Outcome::TieBothBad => 0.5,
        };
        used[battles.model_a[i] as usize] = true;
        used[battles.model_b[i] as usize] = true;
        keep.push((i, y));
    }
    let mut names: Vec<String> =
        battles.models.iter().zip(&used).filter(|(_, &u)| u).map(|(n, _)| n.clone()).collect();
    names.sort();
    let local: Vec<u32> = battles
        .models
        .iter()
        .map(|n| names.binary_search(n).map_or(u32::MAX, |i| i as u32))
        .collect();
    let pairs = [
        (style_index::TOKENS_A, style_index::TOKENS_B),
        (style_index::HEADERS_A, style_index::HEADERS_B),
        (style_index::LISTS_A, style_index::LISTS_B),
        (style_index::BOLD_A, style_index::BOLD_B),
    ];
    let mut rows: Vec<Row> = keep
        .iter()
        .map(|&(i, y)| {
            let s = &battles.style[i];
            let mut x = [0.0; 4];
            for (k, &(ia, ib)) in pairs.iter().enumerate() {
                let (a, b) = (s[ia] as f64, s[ib] as f64);
                x[k] = (a - b) / (a + b + 1.0);
            }
            Row {
                a: local[battles.model_a[i] as usize],
                b: local[battles.model_b[i] as usize],
                y,
                x,
            }
        })
        .collect();
    let n = rows.len().max(1) as f64;
    let mut mean = [0.0; 4];
    let mut std = [0.0; 4];
    for k in 0..4 {
        mean[k] = rows.iter().map(|r| r.x[k]).sum::<f64>() / n;
        let var = rows.iter().map(|r| (r.x[k] - mean[k]).powi(2)).sum::<f64>() / n;
        // numpy's population std; a constant feature is left unscaled (arena-rank does the same).
        std[k] = if var > 0.0 { var.sqrt() } else { 1.0 };
    }
    for r in &mut rows {
        for k in 0..4 {
            r.x[k] = (r.x[k] - mean[k]) / std[k];
        }
    }
    (names, rows, without, mean, std)
}

fn rank_by_rating(ratings: &[f64]) -> Vec<u32> {
    ratings.iter().map(|r| 1 + ratings.iter().filter(|o| *o > r).count() as u32).collect()
}

/// Style-controlled ratings with bootstrap intervals (or none).
pub(crate) async fn rate(
    battles: &Battles,
    selection: &[u32],
    filter: FilterReport,
    s: &RatingsSettings,
    mut warnings: Vec<String>,
    ticker: &mut Ticker<'_>,
) -> Result<RatingsResult, RatingsError> {
    let (names, rows, without, mean, std) = build_rows(battles, selection, s.ties);
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
    // Plain Bradley–Terry on the very same battles, for the rank change.
    let agg = Aggregate::from_named(rows.iter().map(|r| {
        let o = if r.y == 1.0 {
            super::RowOutcome::AWins
        } else if r.y == 0.0 {
            super::RowOutcome::BWins
        } else {
            super::RowOutcome::Tie
        };
        (names[r.a as usize].as_str(), names[r.b as usize].as_str(), o, 1)
    }));
    let raw_settings = RatingsSettings {
        ci: CiMethod::None,
        style_control: false,
        ties: TieRule::Half,
        ..s.clone()
    };
    let mut raw_warnings = Vec::new();
    let raw =
        super::rate_aggregate(&agg, &raw_settings, None, &[], &mut raw_warnings, ticker).await.ok();
    let tallies = agg.tallies();
    let comps = graph::components(m, &tallies);
    let mut comp_of = vec![0u32; m];
    for (c, members) in comps.iter().enumerate() {
        for &i in members {
            comp_of[i as usize] = c as u32;
        }
    }
    if comps.len() > 1 {
        warnings.push(format!(
            "the comparison graph has {} disconnected parts; style control fits them jointly (the penalty ties their scales), but ratings across parts are not comparable",
            comps.len()
        ));
    }
    let per_model = agg.battles_per_model();
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
    let components = comps
        .iter()
        .map(|members| ComponentReport {
            models: members.iter().map(|&i| names[i as usize].clone()).collect(),
            battles: members.iter().map(|&i| per_model[i as usize]).sum::<u64>() / 2,
            rated: true,
            never_lose: Vec::new(),
            never_win: Vec::new(),
            failed_replicates: 0,
            davidson_nu: None,
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
    })
}
