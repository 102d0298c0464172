//! Whether to trust a fit beyond "the optimiser converged": parameters the points do not pin down
//! (a bootstrap interval spanning more than 10×, or a point fit outside its own bootstrap's
//! interval), and a few high-loss points that drag the whole law with them.
//!
//! Why both: on Epoch AI's Chinchilla points (`svg_extracted_data.csv`) the default fit converges
//! cleanly to B ≈ 12,800, β ≈ 0.45, yet B's interval spans 160× and five early, undertrained runs
//! sit far above the law. Without those five the fit is Epoch AI's replication. A user should be
//! told both things and be one click away from the refit, instead of reading a green "no flags".

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::fit::fit_points_async;
use super::flags::Flag;
use super::law::FitPoint;
use super::lbfgs::LbfgsOptions;
use super::objective::{log_prediction, LawParams, LossKind, Points};
use super::starts::StartMode;
use crate::progress::Ticker;
use crate::stats::quantile;

/// A bootstrap interval whose ends differ by more than this factor does not identify the
/// parameter (the rule; published intervals span a few percent).
pub const WIDE_INTERVAL_RATIO: f64 = 10.0;

/// Robust z (log residual minus its median, over 1.4826·MAD) above which a point's loss is an
/// outlier: Iglewicz and Hoaglin's cut-off for modified z-scores (1993).
pub const OUTLIER_Z: f64 = 3.5;

/// Smallest excess of loss over the fit (as a log ratio, 2 %) that counts: on very clean data the
/// MAD is tiny and 3.5 robust SDs can be a rounding error.
pub const MIN_EXCESS: f64 = 0.02;

/// At most this share of the points can be outliers; beyond that the law misfits, and dropping
/// points would hide it.
pub const MAX_OUTLIER_SHARE: f64 = 0.1;

/// Cook's distance of the group (Σ Δ log-predictions² at the other points over p·s²) above which
/// the outliers are influential.
pub const COOK_LIMIT: f64 = 1.0;

/// A shift of an exponent (α, β or the allocation exponent a) above this also counts as
/// influential: it changes compute-optimal allocation visibly even when in-sample predictions barely
/// move.
pub const EXPONENT_SHIFT: f64 = 0.02;

/// A point whose loss sits far above the fitted law.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutlierPoint {
    pub name: String,
    pub line: u64,
    pub params: f64,
    pub tokens: f64,
    pub loss: f64,
    pub predicted: f64,
    /// ln(loss) − ln(predicted) in robust standard deviations (1.4826·MAD of the log residuals).
    pub z: f64,
}

/// High-loss outliers, the fit without them, and how to ask for that fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outliers {
    /// Highest loss first.
    pub points: Vec<OutlierPoint>,
    /// The same fit (same loss, same starts, no bootstrap) without them.
    pub refit: LawParams,
    /// Cook's distance of the group (see [`COOK_LIMIT`]).
    pub cook_distance: f64,
    /// The refit differs enough to matter ([`COOK_LIMIT`] or [`EXPONENT_SHIFT`]).
    pub influential: bool,
    /// The outliers are the highest losses left in the fit, so the refit is `--drop-top K` with
    /// this K (the points already dropped plus these), other settings unchanged.
    pub drop_top: usize,
}

/// Flags for parameters the bootstrap does not pin down.
pub fn interval_flags(p: &LawParams, ci: &BTreeMap<String, [f64; 2]>) -> Vec<Flag> {
    let mut flags = Vec::new();
    for (name, v) in [("E", p.E), ("A", p.A), ("B", p.B), ("alpha", p.alpha), ("beta", p.beta)] {
        let Some(&[lo, hi]) = ci.get(name) else { continue };
        if lo > 0.0 && hi / lo > WIDE_INTERVAL_RATIO {
            flags.push(Flag::new(
                "not_identified",
                format!(
                    "{name}'s 95% bootstrap interval {} – {} spans {:.0}× (more than \
                     {WIDE_INTERVAL_RATIO:.0}×): the points do not pin {name} down",
                    sig(lo),
                    sig(hi),
                    hi / lo
                ),
            ));
        }
        if !(v >= lo && v <= hi) {
            flags.push(Flag::new(
                "bootstrap_disagrees",
                format!(
                    "the fitted {name} = {} lies outside its own 95% bootstrap interval {} – {}: \
                     resamples of these points land elsewhere, so the point fit is fragile",
                    sig(v),
                    sig(lo),
                    sig(hi)
                ),
            ));
        }
    }
    flags
}

/// Four significant digits, with thousands separators for large numbers.
pub fn sig(v: f64) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let a = v.abs();
    if a >= 1e7 || (a > 0.0 && a < 1e-3) {
        return format!("{v:.3e}");
    }
    if a >= 1000.0 {
        let s = format!("{:.0}", a);
        let mut out = String::new();
        for (i, ch) in s.chars().enumerate() {
            if i > 0 && (s.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(ch);
        }
        return if v < 0.0 { format!("-{out}") } else { out };
    }
    let mag = if a == 0.0 { 0 } else { a.log10().floor() as i32 };
    let decimals = (3 - mag).max(0) as usize;
    format!("{v:.decimals$}")
}

/// Finds the high-loss outliers among the fitted points (those not dropped): the highest losses,
/// taken from the top while each sits more than [`OUTLIER_Z`] robust SDs above the law. Refits
/// without them with the same loss and starts, and measures how much they moved the law. None
/// when the highest loss fits, when more than [`MAX_OUTLIER_SHARE`] of the points would go, or
/// when the ticker stopped the refit.
///
/// Taking them from the top, not wherever they are, matches the remedy: `--drop-top K` (Epoch AI
/// drop the 5 highest losses), so the refit is one setting a user can see, share and undo.
pub async fn high_loss_outliers(
    points: &[FitPoint],
    fitted: &LawParams,
    loss: LossKind,
    starts: StartMode,
    drop_top_now: usize,
    ticker: &mut Ticker<'_>,
) -> Option<Outliers> {
    let kept: Vec<&FitPoint> = points.iter().filter(|p| !p.dropped).collect();
    // ln L − ln L̂: positive when the run's loss is above the law.
    let excess: Vec<f64> = kept.iter().map(|p| -p.log_residual).collect();
    if excess.iter().any(|r| !r.is_finite()) || kept.len() < 10 {
        return None;
    }
    let med = quantile(&excess, 0.5);
    let abs_dev: Vec<f64> = excess.iter().map(|r| (r - med).abs()).collect();
    let scale = 1.4826 * quantile(&abs_dev, 0.5);
    if !(scale > 0.0) {
        return None;
    }
    let z: Vec<f64> = excess.iter().map(|r| (r - med) / scale).collect();
    let is_outlier = |i: usize| z[i] > OUTLIER_Z && excess[i] > MIN_EXCESS;
    // Walk down from the highest loss (ties by input order, as --drop-top breaks them) while each
    // run sits far above the law; the first run that fits ends the tail.
    let mut by_loss: Vec<usize> = (0..kept.len()).collect();
    by_loss.sort_by(|&x, &y| kept[y].loss.total_cmp(&kept[x].loss).then(x.cmp(&y)));
    let cap = ((kept.len() as f64 * MAX_OUTLIER_SHARE).floor() as usize).max(1);
    let tail: Vec<usize> =
        by_loss.iter().copied().take_while(|&i| is_outlier(i)).take(cap + 1).collect();
    if tail.is_empty() || tail.len() > cap {
        // None, or so many that the law itself misfits the high-loss end.
        return None;
    }
    let is_out: Vec<bool> = (0..kept.len()).map(|i| tail.contains(&i)).collect();
    let rest: Vec<&FitPoint> =
        kept.iter().zip(&is_out).filter(|(_, &o)| !o).map(|(p, _)| *p).collect();
    let pts = Points::new(
        &rest.iter().map(|p| p.params).collect::<Vec<_>>(),
        &rest.iter().map(|p| p.tokens).collect::<Vec<_>>(),
        &rest.iter().map(|p| p.loss).collect::<Vec<_>>(),
    );
    // The ticker hears the full grid's starts (and may stop them: then no outlier report).
    let refit = fit_points_async(&pts, loss, starts, &[], &LbfgsOptions::default(), ticker)
        .await
        .flatten()?;
    let before = fitted.theta();
    let moved: f64 = rest
        .iter()
        .map(|p| {
            let (n, d) = (p.params.ln(), p.tokens.ln());
            let delta = log_prediction(&before, n, d) - log_prediction(&refit.theta, n, d);
            delta * delta
        })
        .sum();
    let cook_distance = moved / (5.0 * scale * scale);
    let after = LawParams::from_theta(&refit.theta);
    let alloc = |p: &LawParams| p.beta / (p.alpha + p.beta);
    let exponent_shift = (after.alpha - fitted.alpha)
        .abs()
        .max((after.beta - fitted.beta).abs())
        .max((alloc(&after) - alloc(fitted)).abs());
    let influential = cook_distance > COOK_LIMIT || exponent_shift > EXPONENT_SHIFT;

    let out: Vec<OutlierPoint> = tail
        .iter()
        .map(|&i| {
            let p = kept[i];
            OutlierPoint {
                name: p.name.clone(),
                line: p.line,
                params: p.params,
                tokens: p.tokens,
                loss: p.loss,
                predicted: p.predicted,
                z: z[i],
            }
        })
        .collect();
    Some(Outliers {
        points: out,
        refit: after,
        cook_distance,
        influential,
        drop_top: drop_top_now + tail.len(),
    })
}

/// The flag sentence for influential outliers.
pub fn outlier_flag(o: &Outliers, fitted: &LawParams) -> Option<Flag> {
    if !o.influential {
        return None;
    }
    let (lo, hi) = o
        .points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p.z), b.max(p.z)));
    let lines: Vec<String> = o.points.iter().map(|p| p.line.to_string()).collect();
    let r = &o.refit;
    let changes: Vec<String> = [
        ("E", fitted.E, r.E, false),
        ("A", fitted.A, r.A, false),
        ("B", fitted.B, r.B, false),
        ("α", fitted.alpha, r.alpha, true),
        ("β", fitted.beta, r.beta, true),
    ]
    .into_iter()
    .filter(
        |(_, a, b, exponent)| {
            if *exponent {
                (a - b).abs() > 0.01
            } else {
                (b / a - 1.0).abs() > 0.1
            }
        },
    )
    .map(|(name, a, b, _)| format!("{name} = {} (not {})", sig(b), sig(a)))
    .collect();
    let how =
        format!("Drop top K = {} in the page, --drop-top {} in the CLI", o.drop_top, o.drop_top);
    Some(Flag::new(
        "influential_outliers",
        format!(
            "{} high-loss point{} (line{} {}) sit{} {:.1}–{:.1} robust SDs above the fitted law and \
             pull it: without them {}. Refit without them ({how}).",
            o.points.len(),
            if o.points.len() == 1 { "" } else { "s" },
            if o.points.len() == 1 { "" } else { "s" },
            lines.join(", "),
            if o.points.len() == 1 { "s" } else { "" },
            lo,
            hi,
            if changes.is_empty() { "the law shifts".to_owned() } else { changes.join(", ") },
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ci(pairs: &[(&str, [f64; 2])]) -> BTreeMap<String, [f64; 2]> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn interval_flags_fire_on_wide_and_disagreeing_intervals() {
        let p = LawParams { E: 1.89, A: 495.7, B: 12_846.0, alpha: 0.349, beta: 0.453 };
        // The numbers: B's interval 1,907–306,317.
        let flags = interval_flags(&p, &ci(&[("B", [1907.0, 306_317.0]), ("E", [1.80, 1.97])]));
        assert_eq!(flags.len(), 1, "{flags:?}");
        assert_eq!(flags[0].code, "not_identified");
        assert!(flags[0].message.contains("1,907 – 306,317 spans 161×"), "{}", flags[0].message);
        // A point fit outside its own interval.
        let flags = interval_flags(&p, &ci(&[("beta", [0.33, 0.41])]));
        assert_eq!(flags.len(), 1);
        assert_eq!(flags[0].code, "bootstrap_disagrees");
        // Within 10× and around the estimate: nothing; no interval (no bootstrap): nothing.
        assert!(interval_flags(&p, &ci(&[("B", [5000.0, 40_000.0])])).is_empty());
        assert!(interval_flags(&p, &BTreeMap::new()).is_empty());
    }

    #[test]
    fn sig_reads_like_the_page() {
        assert_eq!(sig(306_317.4), "306,317");
        assert_eq!(sig(1906.6), "1,907");
        assert_eq!(sig(0.45304), "0.4530");
        assert_eq!(sig(1.8913), "1.891");
        assert_eq!(sig(f64::NAN), "—");
    }
}
