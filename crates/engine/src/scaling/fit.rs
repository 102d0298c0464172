//! One Approach-3 fit of fit points: choose starts, polish with L-BFGS on a scaled objective,
//! keep the best. The bootstrap calls the same function with resampled weights.

use serde::{Deserialize, Serialize};

use super::lbfgs::{minimize, LbfgsOptions, Stop};
use super::objective::{evaluate, LossKind, Points};
use super::starts::{full_grid, varpro_cells, StartMode, VARPRO_EXPONENTS, VARPRO_POLISH};
use crate::progress::{block_on, Ticker};

/// Result of fitting one set of points.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PointFit {
    /// θ = (ln A, ln B, ln E, α, β).
    pub theta: [f64; 5],
    /// Unscaled Σ wᵢ ρ(rᵢ).
    pub objective: f64,
    pub iterations: usize,
    pub evaluations: usize,
    pub stop: Stop,
    /// Starts that were polished.
    pub starts: usize,
    /// θ of the start whose polish won (for the "best start at the grid edge" flag).
    pub start_theta: [f64; 5],
}

/// The objective is ≈ 1e-3 in size for typical data (Huber with δ = 1e-3 on 1 % residuals), and
/// optimisers with absolute tolerances stop early on it (a known trap of the scipy-based fits). We
/// divide it by the value a uniform 1 % log residual would give, so the optimiser sees O(1) numbers.
pub fn objective_scale(pts: &Points, loss: LossKind) -> f64 {
    let s = pts.total_weight() * loss.value(1e-2);
    if s > 0.0 && s.is_finite() {
        s
    } else {
        1.0
    }
}

/// Polishes one start; returns None when the start is unusable (non-finite).
pub fn polish(
    pts: &Points,
    loss: LossKind,
    start: [f64; 5],
    scale: f64,
    opts: &LbfgsOptions,
) -> Option<PointFit> {
    let inv = 1.0 / scale;
    let m = minimize(
        |x: &[f64; 5], g: &mut [f64; 5]| {
            let f = evaluate(x, pts, loss, Some(g));
            for v in g.iter_mut() {
                *v *= inv;
            }
            f * inv
        },
        start,
        opts,
    );
    if m.stop == Stop::NonFinite || !m.f.is_finite() {
        return None;
    }
    Some(PointFit {
        theta: m.x,
        objective: m.f * scale,
        iterations: m.iterations,
        evaluations: m.evaluations,
        stop: m.stop,
        starts: 1,
        start_theta: start,
    })
}

fn better(a: Option<PointFit>, b: Option<PointFit>) -> Option<PointFit> {
    match (a, b) {
        (Some(x), Some(y)) => {
            // Ties (same optimum reached from several starts) keep the earlier start.
            if y.objective < x.objective {
                Some(y)
            } else {
                Some(x)
            }
        }
        (x, None) => x,
        (None, y) => y,
    }
}

/// Fits θ to the points from the chosen starts (plus any `extra` starts, e.g. a warm start).
pub fn fit_points(
    pts: &Points,
    loss: LossKind,
    mode: StartMode,
    extra: &[[f64; 5]],
    opts: &LbfgsOptions,
) -> Option<PointFit> {
    block_on(fit_points_async(pts, loss, mode, extra, opts, &mut Ticker::silent())).flatten()
}

/// [`fit_points`] as a computation that can pause between grid starts (see
/// [`crate::progress`]): with `full-grid`, the ticker hears ("grid starts", starts done, starts)
/// before each start. None when it stopped the fit; Some(None) when no start gave a finite fit.
pub async fn fit_points_async(
    pts: &Points,
    loss: LossKind,
    mode: StartMode,
    extra: &[[f64; 5]],
    opts: &LbfgsOptions,
    ticker: &mut Ticker<'_>,
) -> Option<Option<PointFit>> {
    let scale = objective_scale(pts, loss);
    let starts: Vec<[f64; 5]> = match mode {
        StartMode::Varpro => varpro_cells(pts, loss, VARPRO_POLISH, VARPRO_EXPONENTS)
            .into_iter()
            .map(|c| c.theta)
            .collect(),
        StartMode::FullGrid => full_grid(),
    };
    let tried = starts.len() + extra.len();
    let best = if mode == StartMode::FullGrid {
        // Two stages: every grid start with a loose stopping rule (most of the 4,500 starts sit in
        // degenerate corners and would otherwise crawl along plateaus for hundreds of iterations),
        // then the best few end points re-polished with the full rule.
        let mut ends: Vec<PointFit> = Vec::with_capacity(tried);
        for (i, s) in starts.iter().chain(extra).enumerate() {
            if !ticker.tick("grid starts", i as u64, tried as u64).await {
                return None;
            }
            ends.extend(polish(pts, loss, *s, scale, &GRID_STAGE));
        }
        ends.sort_by(|a, b| a.objective.total_cmp(&b.objective));
        let mut best: Option<PointFit> = None;
        for e in ends.iter().take(GRID_REPOLISH) {
            let refined = polish(pts, loss, e.theta, scale, opts).map(|mut r| {
                r.start_theta = e.start_theta;
                r.iterations += e.iterations;
                r.evaluations += e.evaluations;
                r
            });
            best = better(best, refined);
        }
        best
    } else {
        let mut best: Option<PointFit> = None;
        for s in starts.iter().chain(extra) {
            best = better(best, polish(pts, loss, *s, scale, opts));
        }
        best
    };
    Some(best.map(|mut b| {
        b.starts = tried;
        b
    }))
}

/// Stage-one stopping rule of the full grid: relative change 1e-8 once, at most 200 iterations.
const GRID_STAGE: LbfgsOptions =
    LbfgsOptions { max_iter: 200, gtol: 1e-8, ftol: 1e-8, patience: 1, memory: 10 };

/// Grid end points re-polished with the full stopping rule.
const GRID_REPOLISH: usize = 8;
