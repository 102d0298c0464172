//! Davidson's (1970) tie model: with strengths πᵢ = e^θᵢ,
//! P(i wins) = πᵢ / D, P(tie) = ν√(πᵢπⱼ) / D, D = πᵢ + πⱼ + ν√(πᵢπⱼ).
//! Given that a battle was not a tie it is exactly Bradley–Terry, so θ lives on the same rating
//! scale; ν says how tie-prone the arena is (P(tie) between equals is ν / (2 + ν)).
//! Fitted by Newton's method on (θ, ln ν) with the mean θ fixed at 0.

use super::aggregate::PairTally;
use super::bradley_terry;
use crate::stats::linalg::{cholesky_in_place, cholesky_solve, solve_spd};
use crate::stats::logistic::{sigmoid, softplus};

const STEP_TOLERANCE: f64 = 1e-10;
const MAX_ITERATIONS: usize = 200;

/// (P(a wins), P(b wins), P(tie), ln D') for d = θa − θb, with D' = e^{d/2} + e^{−d/2} + ν.
fn probabilities(d: f64, nu: f64) -> (f64, f64, f64, f64) {
    let u = (-d.abs() / 2.0).exp();
    let e = 1.0 + u * u + nu * u;
    let (big, small, tie) = (1.0 / e, u * u / e, nu * u / e);
    let ln_d = d.abs() / 2.0 + e.ln();
    if d >= 0.0 {
        (big, small, tie, ln_d)
    } else {
        (small, big, tie, ln_d)
    }
}

fn log_likelihood(theta: &[f64], lambda: f64, tallies: &[PairTally], prior: f64) -> f64 {
    let nu = lambda.exp();
    let mut ll = 0.0;
    for t in tallies {
        let d = theta[t.a as usize] - theta[t.b as usize];
        let (_, _, _, ln_d) = probabilities(d, nu);
        ll += (t.wins_a - t.wins_b) * d / 2.0 + t.ties * lambda - t.total() * ln_d;
    }
    if prior > 0.0 {
        for &x in theta {
            ll += prior * (0.5 * x - softplus(x));
        }
    }
    ll
}

/// Gradient in (θ, λ = ln ν) into `g` and, when asked, the negated Hessian made positive
/// definite into `h` (row-major (n + 1) × (n + 1), λ last).
fn derivatives(
    theta: &[f64],
    lambda: f64,
    tallies: &[PairTally],
    prior: f64,
    g: &mut [f64],
    h: Option<&mut [f64]>,
) {
    let n = theta.len();
    let p = n + 1;
    let nu = lambda.exp();
    g.iter_mut().for_each(|x| *x = 0.0);
    let mut h = h;
    if let Some(h) = h.as_deref_mut() {
        h.iter_mut().for_each(|x| *x = 0.0);
    }
    for t in tallies {
        let (a, b) = (t.a as usize, t.b as usize);
        let (pa, pb, pt, _) = probabilities(theta[a] - theta[b], nu);
        let m = t.total();
        let gd = (t.wins_a - t.wins_b) / 2.0 - m * (pa - pb) / 2.0;
        let gl = t.ties - m * pt;
        g[a] += gd;
        g[b] -= gd;
        g[n] += gl;
        if let Some(h) = h.as_deref_mut() {
            let hdd = m * ((pa + pb) - (pa - pb) * (pa - pb)) / 4.0;
            let hll = m * pt * (1.0 - pt);
            let hdl = -m * (pa - pb) * pt / 2.0;
            h[a * p + a] += hdd;
            h[b * p + b] += hdd;
            h[a * p + b] -= hdd;
            h[b * p + a] -= hdd;
            h[a * p + n] += hdl;
            h[n * p + a] += hdl;
            h[b * p + n] -= hdl;
            h[n * p + b] -= hdl;
            h[n * p + n] += hll;
        }
    }
    if prior > 0.0 {
        for i in 0..n {
            let q = sigmoid(theta[i]);
            g[i] += prior * (0.5 - q);
            if let Some(h) = h.as_deref_mut() {
                h[i * p + i] += prior * q * (1.0 - q);
            }
        }
    } else if let Some(h) = h {
        let trace: f64 = (0..n).map(|i| h[i * p + i]).sum();
        let c = (trace / (n * n).max(1) as f64).max(1e-300);
        for i in 0..n {
            for j in 0..n {
                h[i * p + j] += c;
            }
        }
    }
}

/// Fits (θ with mean 0, ν) for `n` models. Without ties ν = 0 and θ is the Bradley–Terry fit.
/// None when no finite estimate exists (only ties, or a singular Hessian).
pub fn fit(
    n: usize,
    tallies: &[PairTally],
    prior_games: f64,
    start: Option<(&[f64], Option<f64>)>,
) -> Option<(Vec<f64>, f64)> {
    let ties: f64 = tallies.iter().map(|t| t.ties).sum();
    let total: f64 = tallies.iter().map(|t| t.total()).sum();
    if ties <= 0.0 {
        let opts = bradley_terry::BtOptions { prior_games };
        return bradley_terry::fit(n, tallies, opts, start.map(|s| s.0)).map(|th| (th, 0.0));
    }
    if ties >= total {
        return None;
    }
    let prior = prior_games.max(0.0);
    let tau = ties / total;
    let mut theta = match start {
        Some((s, _)) if s.len() == n => s.to_vec(),
        _ => vec![0.0; n],
    };
    let mut lambda = match start {
        Some((_, Some(nu))) if nu > 0.0 => nu.ln(),
        _ => (2.0 * tau / (1.0 - tau)).ln(),
    };
    let p = n + 1;
    let mut ll = log_likelihood(&theta, lambda, tallies, prior);
    let mut h = vec![0.0; p * p];
    let mut g = vec![0.0; p];
    for _ in 0..MAX_ITERATIONS {
        derivatives(&theta, lambda, tallies, prior, &mut g, Some(&mut h));
        let step = solve_spd(h.clone(), p, g.clone())?;
        if step.iter().any(|s| !s.is_finite()) {
            return None;
        }
        let mut t = 1.0;
        let mut next = theta.clone();
        let mut next_lambda = lambda;
        let mut next_ll = f64::NEG_INFINITY;
        for _ in 0..40 {
            for i in 0..n {
                next[i] = theta[i] + t * step[i];
            }
            next_lambda = lambda + t * step[n];
            next_ll = log_likelihood(&next, next_lambda, tallies, prior);
            if next_ll >= ll - 1e-12 * ll.abs() {
                break;
            }
            t *= 0.5;
        }
        let moved = step.iter().map(|s| (t * s).abs()).fold(0.0, f64::max);
        theta = next;
        lambda = next_lambda;
        ll = next_ll;
        if moved < STEP_TOLERANCE {
            break;
        }
    }
    let mean = theta.iter().sum::<f64>() / n.max(1) as f64;
    theta.iter_mut().for_each(|x| *x -= mean);
    Some((theta, lambda.exp()))
}

/// Cholesky factor of the Newton matrix at the full-data fit (θ, ν), for [`refit`]. None
/// without ties (the fit is then Bradley–Terry's, see [`bradley_terry::newton_factor`]).
pub fn newton_factor(
    n: usize,
    tallies: &[PairTally],
    prior_games: f64,
    theta: &[f64],
    nu: f64,
) -> Option<Vec<f64>> {
    if n <= 1 || theta.len() != n || nu.is_nan() || nu <= 0.0 {
        return None;
    }
    let p = n + 1;
    let mut g = vec![0.0; p];
    let mut h = vec![0.0; p * p];
    derivatives(theta, nu.ln(), tallies, prior_games.max(0.0), &mut g, Some(&mut h));
    cholesky_in_place(&mut h, p).then_some(h)
}

/// A bootstrap replicate's fit from the full-data (θ, ν) by chord iterations with the full
/// data's factor (see [`bradley_terry::refit`] for why); same optimum as [`fit`], which it falls
/// back to when the steps stop shrinking or the replicate has no ties.
pub fn refit(
    n: usize,
    tallies: &[PairTally],
    prior_games: f64,
    start: (&[f64], f64),
    factor: &[f64],
) -> Option<(Vec<f64>, f64)> {
    let p = n + 1;
    let ties: f64 = tallies.iter().map(|t| t.ties).sum();
    let total: f64 = tallies.iter().map(|t| t.total()).sum();
    let usable = ties > 0.0 && ties < total && start.1 > 0.0;
    if !usable || n <= 1 || start.0.len() != n || factor.len() != p * p {
        return fit(n, tallies, prior_games, Some((start.0, Some(start.1))));
    }
    let prior = prior_games.max(0.0);
    let mut theta = start.0.to_vec();
    let mut lambda = start.1.ln();
    let mut g = vec![0.0; p];
    let mut last = f64::INFINITY;
    for _ in 0..bradley_terry::CHORD_MAX_ITERATIONS {
        derivatives(&theta, lambda, tallies, prior, &mut g, None);
        cholesky_solve(factor, p, &mut g);
        let moved = g.iter().map(|s| s.abs()).fold(0.0, f64::max);
        if !moved.is_finite() || moved > 0.9 * last {
            break;
        }
        theta.iter_mut().zip(&g).for_each(|(t, s)| *t += s);
        lambda += g[n];
        if moved < STEP_TOLERANCE {
            let mean = theta.iter().sum::<f64>() / n as f64;
            theta.iter_mut().for_each(|x| *x -= mean);
            return Some((theta, lambda.exp()));
        }
        last = moved;
    }
    let finite = theta.iter().all(|x| x.is_finite()) && lambda.is_finite();
    let (from, nu) = if finite { (theta, lambda.exp()) } else { (start.0.to_vec(), start.1) };
    fit(n, tallies, prior_games, Some((&from, Some(nu))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_models_match_closed_form() {
        // With two models the MLE solves P(a)/P(b) = wa/wb and P(t) = t/n:
        // d = ln(wa/wb), ν = t·2cosh(d/2)/(wa + wb)·… checked through the probabilities.
        let t = [PairTally { a: 0, b: 1, wins_a: 30.0, wins_b: 10.0, ties: 20.0 }];
        let (th, nu) = fit(2, &t, 0.0, None).expect("finite");
        let (pa, pb, pt, _) = probabilities(th[0] - th[1], nu);
        assert!((pa - 0.5).abs() < 1e-10, "{pa}");
        assert!((pb - 10.0 / 60.0).abs() < 1e-10);
        assert!((pt - 20.0 / 60.0).abs() < 1e-10);
    }

    #[test]
    fn chord_refit_reaches_the_newton_optimum() {
        for n in [5, 50] {
            let (full, draw) = bradley_terry::tests::arena(n, 7 + n as u64);
            let (theta, nu) = fit(n, &full, 0.0, None).expect("finite");
            let factor = newton_factor(n, &full, 0.0, &theta, nu).expect("definite");
            let (newton, nu_newton) = fit(n, &draw, 0.0, Some((&theta, Some(nu)))).expect("finite");
            let (chord, nu_chord) = refit(n, &draw, 0.0, (&theta, nu), &factor).expect("finite");
            let gap = newton.iter().zip(&chord).map(|(x, y)| (x - y).abs()).fold(0.0, f64::max);
            assert!(gap < 1e-9, "{n} models: {gap}");
            assert!((nu_newton - nu_chord).abs() < 1e-9 * nu_newton);
        }
    }

    #[test]
    fn without_ties_it_is_bradley_terry() {
        let t = [
            PairTally { a: 0, b: 1, wins_a: 3.0, wins_b: 1.0, ties: 0.0 },
            PairTally { a: 1, b: 2, wins_a: 2.0, wins_b: 2.0, ties: 0.0 },
        ];
        let (th, nu) = fit(3, &t, 0.0, None).expect("finite");
        let bt = bradley_terry::fit(3, &t, Default::default(), None).expect("finite");
        assert_eq!(nu, 0.0);
        assert!(th.iter().zip(&bt).all(|(x, y)| (x - y).abs() < 1e-12));
    }
}
