//! A small weighted logistic regression with soft labels, solved by damped Newton steps.
//!
//! AlpacaEval preferences are probabilities, not labels, so the likelihood is the cross-entropy
//! y·log σ(z) + (1 − y)·log(1 − σ(z)) — what the reference gets by duplicating each row with
//! labels 1 and 0 weighted y and 1 − y. The length-controlled GLM has three coefficients per
//! model, so a dense Newton solve is both the fastest and the most accurate choice; the
//! objective is convex, and backtracking keeps every step a descent step.

// Dense Newton algebra reads closest to its formulas with index loops.
#![allow(clippy::needless_range_loop)]

use crate::stats::linalg::solve_spd_fixed;
use crate::stats::logistic::{sigmoid, softplus};

/// Cross-entropy of one soft-labelled row at linear predictor `z`.
pub(crate) fn row_loss(z: f64, y: f64) -> f64 {
    softplus(z) - y * z
}

/// Design of a logistic fit: `P` features per row, a target probability, a weight and an offset
/// (a fixed addend of the linear predictor).
pub(crate) struct Design<const P: usize> {
    pub x: Vec<[f64; P]>,
    pub y: Vec<f64>,
    pub weight: Vec<f64>,
    pub offset: Vec<f64>,
}

impl<const P: usize> Design<P> {
    pub fn with_capacity(n: usize) -> Self {
        Self {
            x: Vec::with_capacity(n),
            y: Vec::with_capacity(n),
            weight: Vec::with_capacity(n),
            offset: Vec::with_capacity(n),
        }
    }

    pub fn push(&mut self, x: [f64; P], y: f64, weight: f64, offset: f64) {
        self.x.push(x);
        self.y.push(y);
        self.weight.push(weight);
        self.offset.push(offset);
    }

    fn objective(&self, w: &[f64; P], ridge: f64, quad: Option<&Quadratic<P>>) -> f64 {
        let mut total = 0.0;
        for r in 0..self.x.len() {
            let z = dot(&self.x[r], w) + self.offset[r];
            total += self.weight[r] * row_loss(z, self.y[r]);
        }
        total
            + 0.5 * ridge * w.iter().map(|v| v * v).sum::<f64>()
            + quad.map_or(0.0, |q| q.value(w))
    }

    /// Gradient and Hessian of the weighted cross-entropy at `w`.
    pub fn gradient_hessian(&self, w: &[f64; P]) -> ([f64; P], [[f64; P]; P]) {
        let mut g = [0.0; P];
        let mut h = [[0.0; P]; P];
        for r in 0..self.x.len() {
            let x = &self.x[r];
            let p = sigmoid(dot(x, w) + self.offset[r]);
            let s = self.weight[r];
            let gr = s * (p - self.y[r]);
            let hr = s * p * (1.0 - p);
            for i in 0..P {
                g[i] += gr * x[i];
                for j in 0..=i {
                    h[i][j] += hr * x[i] * x[j];
                }
            }
        }
        for i in 0..P {
            for j in 0..i {
                h[j][i] = h[i][j];
            }
        }
        (g, h)
    }
}

/// A quadratic penalty ½ (w − c)ᵀ A (w − c) + bᵀ (w − c): the second-order expansion, around
/// `c`, of a log-likelihood the caller does not want to re-evaluate row by row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Quadratic<const P: usize> {
    pub center: [f64; P],
    pub linear: [f64; P],
    pub hessian: [[f64; P]; P],
}

impl<const P: usize> Quadratic<P> {
    fn value(&self, w: &[f64; P]) -> f64 {
        let d: Vec<f64> = (0..P).map(|i| w[i] - self.center[i]).collect();
        let mut v = 0.0;
        for i in 0..P {
            v += self.linear[i] * d[i];
            for j in 0..P {
                v += 0.5 * d[i] * self.hessian[i][j] * d[j];
            }
        }
        v
    }

    fn gradient(&self, w: &[f64; P]) -> [f64; P] {
        let mut g = self.linear;
        for (i, gi) in g.iter_mut().enumerate() {
            for j in 0..P {
                *gi += self.hessian[i][j] * (w[j] - self.center[j]);
            }
        }
        g
    }
}

fn dot<const P: usize>(a: &[f64; P], b: &[f64; P]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Minimises the weighted cross-entropy plus `ridge/2 · |w|²` plus an optional quadratic penalty,
/// from `w = 0`. The ridge is kept tiny by callers: it only keeps the optimum finite when a model
/// wins or loses everything.
pub(crate) fn fit<const P: usize>(
    d: &Design<P>,
    ridge: f64,
    quad: Option<&Quadratic<P>>,
) -> [f64; P] {
    fit_from(d, ridge, quad, [0.0; P])
}

/// [`fit`] from a given start; a start near the optimum saves most Newton steps.
pub(crate) fn fit_from<const P: usize>(
    d: &Design<P>,
    ridge: f64,
    quad: Option<&Quadratic<P>>,
    start: [f64; P],
) -> [f64; P] {
    let mut w = start;
    let mut f = d.objective(&w, ridge, quad);
    for _ in 0..100 {
        let (mut g, mut h) = d.gradient_hessian(&w);
        let qg = quad.map(|q| q.gradient(&w));
        for i in 0..P {
            g[i] += ridge * w[i] + qg.map_or(0.0, |q| q[i]);
            h[i][i] += ridge;
            if let Some(q) = quad {
                for j in 0..P {
                    h[i][j] += q.hessian[i][j];
                }
            }
        }
        let Some(step) = solve_spd_fixed(&h, &g) else { break };
        if step.iter().all(|s| s.abs() < 1e-9) {
            // Converged: the remaining change is below anything a win rate can show.
            for i in 0..P {
                w[i] -= step[i];
            }
            break;
        }
        let mut t = 1.0;
        let mut improved = false;
        for _ in 0..40 {
            let mut cand = w;
            for i in 0..P {
                cand[i] -= t * step[i];
            }
            let fc = d.objective(&cand, ridge, quad);
            if fc <= f {
                let done = step.iter().all(|s| (t * s).abs() < 1e-11);
                w = cand;
                f = fc;
                improved = !done;
                break;
            }
            t *= 0.5;
        }
        if !improved {
            break;
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_a_known_soft_label_optimum() {
        // One feature (intercept) and soft labels averaging 0.2: optimum is logit(0.2).
        let mut d = Design::<1>::with_capacity(4);
        for y in [0.1, 0.3, 0.2, 0.2] {
            d.push([1.0], y, 1.0, 0.0);
        }
        let w = fit(&d, 0.0, None);
        assert!((w[0] - (0.2f64 / 0.8).ln()).abs() < 1e-9, "{w:?}");
    }

    #[test]
    fn two_features_match_closed_form_saturated_model() {
        // Groups x=0 (mean y .25) and x=1 (mean y .75): intercept logit(.25), slope 2·logit(.75).
        let mut d = Design::<2>::with_capacity(4);
        d.push([1.0, 0.0], 0.0, 1.0, 0.0);
        d.push([1.0, 0.0], 0.5, 1.0, 0.0);
        d.push([1.0, 1.0], 1.0, 1.0, 0.0);
        d.push([1.0, 1.0], 0.5, 1.0, 0.0);
        let w = fit(&d, 0.0, None);
        let l = 3f64.ln();
        assert!((w[0] + l).abs() < 1e-9 && (w[1] - 2.0 * l).abs() < 1e-9, "{w:?}");
    }

    #[test]
    fn stays_finite_when_everything_is_lost() {
        let mut d = Design::<1>::with_capacity(3);
        for _ in 0..3 {
            d.push([1.0], 0.0, 1.0, 0.0);
        }
        let w = fit(&d, 1e-6, None);
        assert!(w[0].is_finite() && w[0] < -5.0);
    }
}
