//! Davidson's (1970) tie model: with strengths πᵢ = e^θᵢ,
//! P(i wins) = πᵢ / D, P(tie) = ν√(πᵢπⱼ) / D, D = πᵢ + πⱼ + ν√(πᵢπⱼ).
//! Given that a battle was not a tie it is exactly Bradley–Terry, so θ lives on the same rating
//! scale; ν says how tie-prone the arena is (P(tie) between equals is ν / (2 + ν)).
//! Fitted by Newton's method on (θ, ln ν) with the mean θ fixed at 0.

use super::aggregate::PairTally;
use super::bradley_terry;
use super::linalg::{sigmoid, softplus, solve_spd};

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
    for _ in 0..MAX_ITERATIONS {
        let nu = lambda.exp();
        let mut h = vec![0.0; p * p];
        let mut g = vec![0.0; p];
        for t in tallies {
            let (a, b) = (t.a as usize, t.b as usize);
            let (pa, pb, pt, _) = probabilities(theta[a] - theta[b], nu);
            let m = t.total();
            let gd = (t.wins_a - t.wins_b) / 2.0 - m * (pa - pb) / 2.0;
            let gl = t.ties - m * pt;
            let hdd = m * ((pa + pb) - (pa - pb) * (pa - pb)) / 4.0;
            let hll = m * pt * (1.0 - pt);
            let hdl = -m * (pa - pb) * pt / 2.0;
            g[a] += gd;
            g[b] -= gd;
            g[n] += gl;
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
        if prior > 0.0 {
            for i in 0..n {
                let q = sigmoid(theta[i]);
                g[i] += prior * (0.5 - q);
                h[i * p + i] += prior * q * (1.0 - q);
            }
        } else {
            let trace: f64 = (0..n).map(|i| h[i * p + i]).sum();
            let c = (trace / (n * n).max(1) as f64).max(1e-300);
            for i in 0..n {
                for j in 0..n {
                    h[i * p + j] += c;
                }
            }
        }
        let step = solve_spd(h, p, g)?;
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
