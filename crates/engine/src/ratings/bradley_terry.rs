//! Bradley–Terry maximum likelihood on pair tallies, by Newton's method.
//!
//! The log-likelihood is Σ over pairs of s·d − n·ln(1 + eᵈ), with d = θa − θb in natural-log
//! odds, n battles and s = wins of a + ½·ties (ties as half a win each: FastChat's
//! `preprocess_for_bt`, outcome 0.5). It is concave, its Hessian is a weighted graph Laplacian,
//! and on deduplicated counts each Newton step costs one pass over the pairs plus an m × m
//! Cholesky, so it reaches machine precision in a handful of steps where L-BFGS (FastChat, tol
//! 1e-6) stops about 0.01 Elo short. The model is identified by fixing the mean θ at 0 (where
//! FastChat's L-BFGS, started at 0, also keeps it).

use super::aggregate::PairTally;
use super::linalg::add_pair;
use crate::stats::linalg::{cholesky_in_place, cholesky_solve, solve_spd};
use crate::stats::logistic::{sigmoid, softplus};

/// Newton stops when no parameter moves more than this (natural-log units: 2e-8 Elo).
const STEP_TOLERANCE: f64 = 1e-10;
const MAX_ITERATIONS: usize = 200;

/// Options of one fit.
#[derive(Debug, Clone, Copy, Default)]
pub struct BtOptions {
    /// Virtual tie games per model against an opponent at θ = 0 (0 = plain MLE).
    pub prior_games: f64,
}

fn log_likelihood(theta: &[f64], tallies: &[PairTally], prior: f64) -> f64 {
    let mut ll = 0.0;
    for t in tallies {
        let d = theta[t.a as usize] - theta[t.b as usize];
        ll += (t.wins_a + 0.5 * t.ties) * d - t.total() * softplus(d);
    }
    if prior > 0.0 {
        for &x in theta {
            ll += prior * (0.5 * x - softplus(x));
        }
    }
    ll
}

/// Gradient of the log-likelihood at θ into `g` and, when asked, the negated Hessian made
/// positive definite into `h` (row-major n × n): the one pass over the pairs every Newton-type
/// step needs.
fn derivatives(
    theta: &[f64],
    tallies: &[PairTally],
    prior: f64,
    g: &mut [f64],
    h: Option<&mut [f64]>,
) {
    let n = theta.len();
    g.iter_mut().for_each(|x| *x = 0.0);
    let Some(h) = h else {
        // Every chord step of every bootstrap replicate comes here, and at 250 models an `exp`
        // per pair was a fifth of the page's bootstrap (wasm has no native `exp`). With
        // e^(θ_i − max θ) once per model, a pair's win probability is e_a / (e_a + e_b); a pair
        // so far apart that either factor leaves the normal range goes through the sigmoid.
        let top = theta.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let scaled: Vec<f64> = theta.iter().map(|&x| (x - top).exp()).collect();
        for t in tallies {
            let (a, b) = (t.a as usize, t.b as usize);
            let (ea, eb) = (scaled[a], scaled[b]);
            let p = if ea.min(eb) >= f64::MIN_POSITIVE {
                ea / (ea + eb)
            } else {
                sigmoid(theta[a] - theta[b])
            };
            let r = t.wins_a + 0.5 * t.ties - t.total() * p;
            g[a] += r;
            g[b] -= r;
        }
        if prior > 0.0 {
            for i in 0..n {
                g[i] += prior * (0.5 - sigmoid(theta[i]));
            }
        }
        return;
    };
    h.iter_mut().for_each(|x| *x = 0.0);
    for t in tallies {
        let (a, b) = (t.a as usize, t.b as usize);
        let p = sigmoid(theta[a] - theta[b]);
        let total = t.total();
        let r = t.wins_a + 0.5 * t.ties - total * p;
        g[a] += r;
        g[b] -= r;
        add_pair(h, n, a, b, total * p * (1.0 - p));
    }
    if prior > 0.0 {
        for i in 0..n {
            let p = sigmoid(theta[i]);
            g[i] += prior * (0.5 - p);
            h[i * n + i] += prior * p * (1.0 - p);
        }
    } else {
        // The Laplacian is singular along the all-ones direction; adding c·11ᵀ makes it
        // definite without changing the step, because the gradient is orthogonal to 11ᵀ.
        let trace: f64 = (0..n).map(|i| h[i * n + i]).sum();
        let c = (trace / (n * n) as f64).max(1e-300);
        h.iter_mut().for_each(|x| *x += c);
    }
}

/// Fits θ (natural-log odds units, mean 0) for `n` models from tallies with local indices.
/// `start` warm-starts the iteration (bootstrap replicates start from the full-data fit).
/// None when the Hessian is singular (a disconnected or separated graph without a prior).
pub fn fit(
    n: usize,
    tallies: &[PairTally],
    opts: BtOptions,
    start: Option<&[f64]>,
) -> Option<Vec<f64>> {
    let mut theta = match start {
        Some(s) if s.len() == n => s.to_vec(),
        _ => vec![0.0; n],
    };
    if n <= 1 {
        return Some(vec![0.0; n]);
    }
    let prior = opts.prior_games.max(0.0);
    let mut ll = log_likelihood(&theta, tallies, prior);
    let mut h = vec![0.0; n * n];
    let mut g = vec![0.0; n];
    for _ in 0..MAX_ITERATIONS {
        derivatives(&theta, tallies, prior, &mut g, Some(&mut h));
        let step = solve_spd(h.clone(), n, g.clone())?;
        if step.iter().any(|s| !s.is_finite()) {
            return None;
        }
        // Newton on a concave function: halve the step until the likelihood does not drop.
        let mut t = 1.0;
        let mut next = theta.clone();
        let mut next_ll = f64::NEG_INFINITY;
        for _ in 0..40 {
            for i in 0..n {
                next[i] = theta[i] + t * step[i];
            }
            next_ll = log_likelihood(&next, tallies, prior);
            if next_ll >= ll - 1e-12 * ll.abs() {
                break;
            }
            t *= 0.5;
        }
        let moved = step.iter().map(|s| (t * s).abs()).fold(0.0, f64::max);
        theta.copy_from_slice(&next);
        ll = next_ll;
        if moved < STEP_TOLERANCE {
            break;
        }
    }
    let mean = theta.iter().sum::<f64>() / n as f64;
    theta.iter_mut().for_each(|x| *x -= mean);
    Some(theta)
}

/// Cholesky factor of the Newton matrix at θ (the full-data fit): the fixed matrix [`refit`]
/// iterates with. None when it is not positive definite.
pub fn newton_factor(
    n: usize,
    tallies: &[PairTally],
    opts: BtOptions,
    theta: &[f64],
) -> Option<Vec<f64>> {
    if n <= 1 || theta.len() != n {
        return None;
    }
    let mut g = vec![0.0; n];
    let mut h = vec![0.0; n * n];
    derivatives(theta, tallies, opts.prior_games.max(0.0), &mut g, Some(&mut h));
    cholesky_in_place(&mut h, n).then_some(h)
}

/// Chord iterations allowed before [`refit`] (and Davidson's) hands over to full Newton steps.
pub(super) const CHORD_MAX_ITERATIONS: usize = 100;

/// Refits a bootstrap replicate from `start` (the full-data θ) by chord iterations: Newton steps
/// that reuse `factor` ([`newton_factor`] at the full-data fit) instead of building and
/// factorising a new Hessian. A replicate's Hessian differs from the full data's by sampling
/// noise, so each step shrinks the error by a constant factor well below one, at O(pairs + n²)
/// per step instead of O(n³): at 250 models this is what makes a 1000-round bootstrap cheap.
/// Converges to the same MLE as [`fit`] (same step tolerance); falls back to [`fit`] from the
/// last iterate when the steps stop shrinking.
pub fn refit(
    n: usize,
    tallies: &[PairTally],
    opts: BtOptions,
    start: &[f64],
    factor: &[f64],
) -> Option<Vec<f64>> {
    if n <= 1 || start.len() != n || factor.len() != n * n {
        return fit(n, tallies, opts, Some(start));
    }
    let prior = opts.prior_games.max(0.0);
    let mut theta = start.to_vec();
    let mut g = vec![0.0; n];
    let mut last = f64::INFINITY;
    for _ in 0..CHORD_MAX_ITERATIONS {
        derivatives(&theta, tallies, prior, &mut g, None);
        cholesky_solve(factor, n, &mut g);
        let moved = g.iter().map(|s| s.abs()).fold(0.0, f64::max);
        if !moved.is_finite() || moved > 0.9 * last {
            break;
        }
        theta.iter_mut().zip(&g).for_each(|(t, s)| *t += s);
        if moved < STEP_TOLERANCE {
            let mean = theta.iter().sum::<f64>() / n as f64;
            theta.iter_mut().for_each(|x| *x -= mean);
            return Some(theta);
        }
        last = moved;
    }
    let from = if theta.iter().all(|x| x.is_finite()) { theta } else { start.to_vec() };
    fit(n, tallies, opts, Some(&from))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn the_gradient_from_model_exponentials_equals_the_per_pair_sigmoid() {
        // Ratings up to ±9 (≈ ±1560 Elo), plus a model 800 log-odds below the rest, whose
        // factor underflows, so its pairs take the sigmoid.
        let n = 40;
        let mut theta: Vec<f64> = (0..n).map(|i| ((i * 7919) % 181) as f64 / 10.0 - 9.0).collect();
        theta[n - 1] = -800.0;
        let mut tallies = Vec::new();
        for a in 0..n as u32 {
            for b in a + 1..n as u32 {
                let k = f64::from((a * 31 + b * 17) % 23);
                tallies.push(PairTally {
                    a,
                    b,
                    wins_a: k,
                    wins_b: 22.0 - k,
                    ties: f64::from(b % 3),
                });
            }
        }
        for prior in [0.0, 2.0] {
            let mut g = vec![0.0; n];
            derivatives(&theta, &tallies, prior, &mut g, None);
            let mut want = vec![0.0; n];
            for t in &tallies {
                let (a, b) = (t.a as usize, t.b as usize);
                let r = t.wins_a + 0.5 * t.ties - t.total() * sigmoid(theta[a] - theta[b]);
                want[a] += r;
                want[b] -= r;
            }
            for (i, w) in want.iter_mut().enumerate() {
                *w += prior * (0.5 - sigmoid(theta[i]));
            }
            for (got, want) in g.iter().zip(&want) {
                assert!((got - want).abs() <= 1e-12 * want.abs().max(1.0), "{got} vs {want}");
            }
        }
    }

    #[test]
    fn two_models_match_closed_form() {
        // 3 wins, 1 loss, 2 ties: score 4 of 6 → d = ln(4/2).
        let t = [PairTally { a: 0, b: 1, wins_a: 3.0, wins_b: 1.0, ties: 2.0 }];
        let th = fit(2, &t, BtOptions::default(), None).expect("finite");
        assert!((th[0] - th[1] - 2f64.ln()).abs() < 1e-12);
        assert!((th[0] + th[1]).abs() < 1e-12);
    }

    #[test]
    fn gradient_vanishes_at_the_fit() {
        let t = [
            PairTally { a: 0, b: 1, wins_a: 30.0, wins_b: 10.0, ties: 5.0 },
            PairTally { a: 1, b: 2, wins_a: 12.0, wins_b: 20.0, ties: 1.0 },
            PairTally { a: 0, b: 2, wins_a: 8.0, wins_b: 9.0, ties: 0.0 },
        ];
        let th = fit(3, &t, BtOptions::default(), None).expect("finite");
        let mut g = [0.0; 3];
        for x in &t {
            let p = sigmoid(th[x.a as usize] - th[x.b as usize]);
            let r = x.wins_a + 0.5 * x.ties - x.total() * p;
            g[x.a as usize] += r;
            g[x.b as usize] -= r;
        }
        assert!(g.iter().all(|v| v.abs() < 1e-9), "{g:?}");
    }

    /// A random complete arena of `n` models (seeded), and a resample of it.
    pub(crate) fn arena(n: usize, seed: u64) -> (Vec<PairTally>, Vec<PairTally>) {
        use rand::Rng;
        let mut rng = crate::stats::rng(seed);
        let strength: Vec<f64> = (0..n).map(|_| 1.5 * rng.gen::<f64>()).collect();
        let mut full = Vec::new();
        let mut draw = Vec::new();
        for a in 0..n {
            for b in a + 1..n {
                let p = sigmoid(strength[a] - strength[b]);
                let games = rng.gen_range(20..60);
                let (mut wa, mut wb, mut ties) = (0.0, 0.0, 0.0);
                for _ in 0..games {
                    match rng.gen::<f64>() {
                        u if u < 0.15 => ties += 1.0,
                        u if u < 0.15 + 0.85 * p => wa += 1.0,
                        _ => wb += 1.0,
                    }
                }
                let t = PairTally { a: a as u32, b: b as u32, wins_a: wa, wins_b: wb, ties };
                full.push(t);
                let jitter = |x: f64, u: f64| (x * (0.7 + 0.6 * u)).round();
                draw.push(PairTally {
                    wins_a: jitter(wa, rng.gen()),
                    wins_b: jitter(wb, rng.gen()),
                    ties: jitter(ties, rng.gen()),
                    ..t
                });
            }
        }
        (full, draw)
    }

    #[test]
    fn chord_refit_reaches_the_newton_optimum() {
        for (n, prior) in [(8, 0.0), (60, 0.0), (60, 1.0)] {
            let (full, draw) = arena(n, n as u64);
            let opts = BtOptions { prior_games: prior };
            let theta = fit(n, &full, opts, None).expect("finite");
            let factor = newton_factor(n, &full, opts, &theta).expect("definite");
            let newton = fit(n, &draw, opts, Some(&theta)).expect("finite");
            let chord = refit(n, &draw, opts, &theta, &factor).expect("finite");
            let gap = newton.iter().zip(&chord).map(|(x, y)| (x - y).abs()).fold(0.0, f64::max);
            // 1e-6 Elo is 5.8e-9 in natural-log units.
            assert!(gap < 1e-9, "{n} models, prior {prior}: {gap}");
        }
    }

    #[test]
    fn prior_keeps_a_perfect_record_finite() {
        let t = [PairTally { a: 0, b: 1, wins_a: 5.0, wins_b: 0.0, ties: 0.0 }];
        let th = fit(2, &t, BtOptions { prior_games: 1.0 }, None).expect("finite with prior");
        assert!(th[0] > th[1] && th[0].is_finite());
    }
}
