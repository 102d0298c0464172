//! The Chinchilla Approach-3 objective: robust loss of log residuals of
//! L(N, D) = E + A/N^α + B/D^β, written as a log-sum-exp so it stays finite for any parameters.
//!
//! Parameters are θ = (a, b, e, α, β) with A = exp(a), B = exp(b), E = exp(e), as in Hoffmann et
//! al. 2022 (Appendix D.2) and Epoch AI's replication: log L̂ = LSE(a − α ln N, b − β ln D, e),
//! residual r = log L̂ − ln L. The gradient is analytic (softmax weights of the three terms).

use serde::{Deserialize, Serialize};

/// Robust loss applied to each log residual.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum LossKind {
    /// Huber: r²/2 for |r| ≤ δ, else δ(|r| − δ/2). δ = 1e-3 in Hoffmann et al. 2022 (App. D.2).
    Huber { delta: f64 },
    /// r²/2.
    L2,
    /// |r| (not differentiable at 0: the optimiser uses the subgradient sign(r), 0 at 0).
    L1,
}

impl Default for LossKind {
    fn default() -> Self {
        // Hoffmann et al. 2022, Appendix D.2: "Huber loss with δ = 10⁻³".
        Self::Huber { delta: DEFAULT_HUBER_DELTA }
    }
}

/// δ of the Huber loss, from Hoffmann et al. 2022 (Appendix D.2), also used by Epoch AI.
pub const DEFAULT_HUBER_DELTA: f64 = 1e-3;

impl LossKind {
    /// ρ(r).
    pub fn value(self, r: f64) -> f64 {
        match self {
            Self::Huber { delta } => {
                let a = r.abs();
                if a <= delta {
                    0.5 * r * r
                } else {
                    delta * (a - 0.5 * delta)
                }
            }
            Self::L2 => 0.5 * r * r,
            Self::L1 => r.abs(),
        }
    }

    /// ρ'(r).
    pub fn derivative(self, r: f64) -> f64 {
        match self {
            Self::Huber { delta } => r.clamp(-delta, delta),
            Self::L2 => r,
            Self::L1 => {
                if r > 0.0 {
                    1.0
                } else if r < 0.0 {
                    -1.0
                } else {
                    0.0
                }
            }
        }
    }
}

/// Fit points in log space, plus per-point weights (bootstrap multiplicities; 1 by default).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Points {
    pub ln_n: Vec<f64>,
    pub ln_d: Vec<f64>,
    pub ln_l: Vec<f64>,
    pub weight: Vec<f64>,
}

impl Points {
    /// From absolute N, D, L (all positive and finite; the caller checks).
    pub fn new(n: &[f64], d: &[f64], l: &[f64]) -> Self {
        Self {
            ln_n: n.iter().map(|x| x.ln()).collect(),
            ln_d: d.iter().map(|x| x.ln()).collect(),
            ln_l: l.iter().map(|x| x.ln()).collect(),
            weight: vec![1.0; n.len()],
        }
    }

    pub fn len(&self) -> usize {
        self.ln_n.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ln_n.is_empty()
    }

    /// Sum of weights (the effective number of points).
    pub fn total_weight(&self) -> f64 {
        self.weight.iter().sum()
    }
}

/// log(exp(x) + exp(y) + exp(z)) and the softmax weights. The direct sum costs two fewer `exp`
/// calls than the max-shifted one, so it is tried first; the shifted form takes over when the sum
/// over- or underflows.
#[inline]
fn lse3(x: f64, y: f64, z: f64, ez: f64) -> (f64, [f64; 3]) {
    // `ez` = exp(z), hoisted by callers since z (= ln E) is the same at every point.
    let (ex, ey) = (x.exp(), y.exp());
    let s = ex + ey + ez;
    if s.is_finite() && s > 1e-300 {
        let inv = 1.0 / s;
        return (s.ln(), [ex * inv, ey * inv, ez * inv]);
    }
    let m = x.max(y).max(z);
    if !m.is_finite() {
        return (m, [1.0 / 3.0; 3]);
    }
    let (ex, ey, ez) = ((x - m).exp(), (y - m).exp(), (z - m).exp());
    let s = ex + ey + ez;
    (m + s.ln(), [ex / s, ey / s, ez / s])
}

/// log L̂ for θ = (a, b, e, α, β) at one point.
#[inline]
pub fn log_prediction(theta: &[f64; 5], ln_n: f64, ln_d: f64) -> f64 {
    lse3(theta[0] - theta[3] * ln_n, theta[1] - theta[4] * ln_d, theta[2], theta[2].exp()).0
}

/// Σ wᵢ ρ(rᵢ) (unscaled), and its gradient into `grad` when given.
pub fn evaluate(
    theta: &[f64; 5],
    pts: &Points,
    loss: LossKind,
    grad: Option<&mut [f64; 5]>,
) -> f64 {
    let mut f = 0.0;
    let ez = theta[2].exp();
    match grad {
        None => {
            for i in 0..pts.len() {
                let w = pts.weight[i];
                if w == 0.0 {
                    continue;
                }
                let lp = lse3(
                    theta[0] - theta[3] * pts.ln_n[i],
                    theta[1] - theta[4] * pts.ln_d[i],
                    theta[2],
                    ez,
                )
                .0;
                let r = lp - pts.ln_l[i];
                f += w * loss.value(r);
            }
        }
        Some(g) => {
            *g = [0.0; 5];
            for i in 0..pts.len() {
                let w = pts.weight[i];
                if w == 0.0 {
                    continue;
                }
                let (ln_n, ln_d) = (pts.ln_n[i], pts.ln_d[i]);
                let (lp, sm) =
                    lse3(theta[0] - theta[3] * ln_n, theta[1] - theta[4] * ln_d, theta[2], ez);
                let r = lp - pts.ln_l[i];
                f += w * loss.value(r);
                let dr = w * loss.derivative(r);
                g[0] += dr * sm[0];
                g[1] += dr * sm[1];
                g[2] += dr * sm[2];
                g[3] -= dr * sm[0] * ln_n;
                g[4] -= dr * sm[1] * ln_d;
            }
        }
    }
    f
}

/// Linear-space parameters of a fitted law.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[allow(non_snake_case)]
pub struct LawParams {
    pub E: f64,
    pub A: f64,
    pub B: f64,
    pub alpha: f64,
    pub beta: f64,
}

impl LawParams {
    /// From θ = (a, b, e, α, β).
    pub fn from_theta(t: &[f64; 5]) -> Self {
        Self { E: t[2].exp(), A: t[0].exp(), B: t[1].exp(), alpha: t[3], beta: t[4] }
    }

    /// θ = (ln A, ln B, ln E, α, β).
    pub fn theta(&self) -> [f64; 5] {
        [self.A.ln(), self.B.ln(), self.E.ln(), self.alpha, self.beta]
    }

    /// L(N, D).
    pub fn loss(&self, n: f64, d: f64) -> f64 {
        self.E + self.A / n.powf(self.alpha) + self.B / d.powf(self.beta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huber_matches_definition() {
        let h = LossKind::Huber { delta: 1e-3 };
        assert_eq!(h.value(5e-4), 0.5 * 25e-8);
        assert!((h.value(-2e-3) - 1e-3 * (2e-3 - 5e-4)).abs() < 1e-18);
        assert_eq!(h.derivative(-2e-3), -1e-3);
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let pts = Points::new(
            &[1e8, 3e8, 1e9, 5e9, 2e10],
            &[2e9, 1e10, 2e10, 1e11, 4e11],
            &[3.3, 2.9, 2.6, 2.35, 2.2],
        );
        for loss in [LossKind::Huber { delta: 1e-3 }, LossKind::L2, LossKind::Huber { delta: 1.0 }]
        {
            let theta = [6.0, 7.0, 0.5, 0.34, 0.28];
            let mut g = [0.0; 5];
            evaluate(&theta, &pts, loss, Some(&mut g));
            for k in 0..5 {
                let h = 1e-6;
                let (mut p, mut m) = (theta, theta);
                p[k] += h;
                m[k] -= h;
                let fd =
                    (evaluate(&p, &pts, loss, None) - evaluate(&m, &pts, loss, None)) / (2.0 * h);
                assert!((fd - g[k]).abs() <= 1e-6 * (1.0 + fd.abs()), "k={k} fd={fd} g={}", g[k]);
            }
        }
    }

    #[test]
    fn log_sum_exp_equals_direct_law() {
        let p = LawParams { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
        let lp = log_prediction(&p.theta(), 7e10f64.ln(), 1.4e12f64.ln());
        assert!((lp.exp() - p.loss(7e10, 1.4e12)).abs() < 1e-12);
    }
}
