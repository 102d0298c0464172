//! Nonparametric bootstrap over fit points: resample points with replacement (as integer weights),
//! refit, and take percentile intervals of every parameter and derived quantity.
//!
//! Each round is polished from two starts: the full-data optimum (warm start) and the best cell of
//! a coarse variable-projection grid, so a resample whose optimum moved to another valley is still
//! found without paying for the full grid 1,000 times.

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::fit::{objective_scale, polish, PointFit};
use super::lbfgs::LbfgsOptions;
use super::objective::{evaluate, LossKind, Points};
use super::starts::{varpro_cells, BOOTSTRAP_EXPONENTS};
use crate::progress::{block_on, Ticker};
use crate::stats::{quantile_sorted, rng};

/// Default number of rounds (the default; Epoch AI's replication also uses bootstrap CIs).
pub const DEFAULT_ROUNDS: usize = 1000;

/// Lower and upper percentile of the reported intervals (95 %).
pub const CI_LEVELS: (f64, f64) = (0.025, 0.975);

/// θ of every successful round, in round order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BootstrapDraws {
    pub thetas: Vec<[f64; 5]>,
    pub rounds: usize,
    pub failed: usize,
    pub seed: u64,
    /// True when the caller cancelled before all rounds ran.
    pub cancelled: bool,
}

/// Runs `rounds` bootstrap refits. `progress(done, total)` is called after every round; returning
/// false cancels (the rounds done so far are kept).
pub fn bootstrap(
    pts: &Points,
    loss: LossKind,
    warm: [f64; 5],
    rounds: usize,
    seed: u64,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> BootstrapDraws {
    let mut ticker = Ticker::from_bool(|d, t| {
        progress(usize::try_from(d).unwrap_or(usize::MAX), usize::try_from(t).unwrap_or(usize::MAX))
    });
    block_on(bootstrap_async(pts, loss, warm, rounds, seed, &mut ticker))
}

/// [`bootstrap`] as a computation that can pause after each round (see [`crate::progress`]);
/// the ticker hears ("bootstrap", rounds done, rounds) after every round, and a stop keeps the
/// rounds done.
pub async fn bootstrap_async(
    pts: &Points,
    loss: LossKind,
    warm: [f64; 5],
    rounds: usize,
    seed: u64,
    ticker: &mut Ticker<'_>,
) -> BootstrapDraws {
    let mut r = rng(seed);
    let n = pts.len();
    let mut resampled = pts.clone();
    let mut out = BootstrapDraws { seed, rounds, ..Default::default() };
    let opts = LbfgsOptions::default();
    for round in 0..rounds {
        resampled.weight.iter_mut().for_each(|w| *w = 0.0);
        // Each original point carries its own weight (1 unless the caller weighted it).
        for _ in 0..n {
            let i = r.gen_range(0..n as u64) as usize; // u64: usize draws differ on wasm32
            resampled.weight[i] += pts.weight[i];
        }
        let mut starts = vec![warm];
        // The grid cell is polished only when it already beats the warm start on this resample:
        // then the resample's optimum may sit in another valley. Otherwise it would only cost time.
        if let Some(c) = varpro_cells(&resampled, loss, 1, BOOTSTRAP_EXPONENTS).first() {
            if c.objective < evaluate(&warm, &resampled, loss, None) {
                starts.push(c.theta);
            }
        }
        match fit_with_starts(&resampled, loss, &starts, &opts) {
            Some(f) if f.theta.iter().all(|v| v.is_finite()) => out.thetas.push(f.theta),
            _ => out.failed += 1,
        }
        if !ticker.tick("bootstrap", round as u64 + 1, rounds as u64).await {
            out.cancelled = true;
            out.rounds = round + 1;
            break;
        }
    }
    out
}

fn fit_with_starts(
    pts: &Points,
    loss: LossKind,
    starts: &[[f64; 5]],
    opts: &LbfgsOptions,
) -> Option<PointFit> {
    let scale = objective_scale(pts, loss);
    let mut best: Option<PointFit> = None;
    for s in starts {
        if let Some(f) = polish(pts, loss, *s, scale, opts) {
            if best.as_ref().is_none_or(|b| f.objective < b.objective) {
                best = Some(f);
            }
        }
    }
    best
}

/// 95 % percentile interval (numpy 'linear') of finite values; None when fewer than 2.
pub fn interval(values: &mut Vec<f64>) -> Option<[f64; 2]> {
    values.retain(|v| v.is_finite());
    if values.len() < 2 {
        return None;
    }
    values.sort_by(f64::total_cmp);
    Some([quantile_sorted(values, CI_LEVELS.0), quantile_sorted(values, CI_LEVELS.1)])
}
