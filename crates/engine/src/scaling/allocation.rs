//! Compute-optimal allocation implied by a fitted law, in closed form.
//!
//! Minimising L(N, D) = E + A/N^α + B/D^β subject to C = 6ND gives (Hoffmann et al. 2022, eq. 4):
//! N_opt(C) = G·(C/6)^a, D_opt(C) = G⁻¹·(C/6)^b with a = β/(α+β), b = α/(α+β),
//! G = (αA/(βB))^(1/(α+β)).
//!
//! "Compute-optimal data for a model of size N" is D_opt at the compute for which N is the optimal
//! size: C/6 = (N/G)^(1/a), so D_opt(N) = (N/G)^(1/a) / N. This is the definition that reproduces
//! the figures quoted for an 8B model (≈ 550B tokens under the rounded Hoffmann fit, ≈ 346B
//! unrounded, ≈ 163B under Epoch AI's), and hence Llama 3 8B at 15T being ≈ 27×, 43×, 92×
//! over-trained. The over-training factor of a model is D / D_opt(N).

use serde::{Deserialize, Serialize};

use super::objective::LawParams;

/// Exponents and constant of the optimal allocation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AllocationLaw {
    /// N_opt ∝ C^a.
    pub a: f64,
    /// D_opt ∝ C^b.
    pub b: f64,
    /// G = (αA/(βB))^(1/(α+β)).
    pub g: f64,
}

impl AllocationLaw {
    /// None when α or β is not positive (no interior optimum).
    pub fn of(p: &LawParams) -> Option<Self> {
        if !(p.alpha > 0.0 && p.beta > 0.0 && p.A > 0.0 && p.B > 0.0) {
            return None;
        }
        let s = p.alpha + p.beta;
        let g = (p.alpha * p.A / (p.beta * p.B)).powf(1.0 / s);
        let out = Self { a: p.beta / s, b: p.alpha / s, g };
        (out.a.is_finite() && out.b.is_finite() && g.is_finite() && g > 0.0).then_some(out)
    }

    /// Compute-optimal parameters at compute C (FLOPs).
    pub fn n_opt(&self, compute: f64) -> f64 {
        self.g * (compute / 6.0).powf(self.a)
    }

    /// Compute-optimal tokens at compute C.
    pub fn d_opt(&self, compute: f64) -> f64 {
        (compute / 6.0).powf(self.b) / self.g
    }

    /// The compute at which `params` is the optimal model size.
    pub fn compute_for_params(&self, params: f64) -> f64 {
        6.0 * (params / self.g).powf(1.0 / self.a)
    }

    /// Compute-optimal tokens for a model of `params` parameters (see the module docs).
    pub fn d_opt_for_params(&self, params: f64) -> f64 {
        self.compute_for_params(params) / (6.0 * params)
    }
}

/// One row of the allocation table across compute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AllocationPoint {
    pub compute: f64,
    pub n_opt: f64,
    pub d_opt: f64,
    pub tokens_per_param: f64,
    /// L(N_opt, D_opt): the loss frontier.
    pub loss: f64,
    /// Bootstrap 95 % intervals, when a bootstrap ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n_opt_ci: Option<[f64; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub d_opt_ci: Option<[f64; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tokens_per_param_ci: Option<[f64; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loss_ci: Option<[f64; 2]>,
}

/// Quantities at one compute level for a law (used for the point fit and each bootstrap round).
pub fn at_compute(p: &LawParams, alloc: &AllocationLaw, compute: f64) -> [f64; 4] {
    let n = alloc.n_opt(compute);
    let d = alloc.d_opt(compute);
    [n, d, d / n, p.loss(n, d)]
}

/// Log-spaced compute levels, 4 per decade, spanning whole decades around `[lo, hi]` (extended one
/// decade up so the frontier reaches past the largest run). Falls back to 1e18..1e26 FLOPs.
pub fn compute_grid(lo: f64, hi: f64) -> Vec<f64> {
    let (lo, hi) = if lo.is_finite() && hi.is_finite() && lo > 0.0 && hi >= lo {
        (lo.log10().floor(), hi.log10().ceil() + 1.0)
    } else {
        (18.0, 26.0)
    };
    let steps = ((hi - lo) * 4.0).round().clamp(1.0, 400.0) as usize;
    (0..=steps).map(|i| 10f64.powf(lo + i as f64 / 4.0)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_forms_agree() {
        let p = LawParams { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
        let al = AllocationLaw::of(&p).expect("positive exponents");
        assert!((al.a + al.b - 1.0).abs() < 1e-15);
        let c = 5.88e23;
        let (n, d) = (al.n_opt(c), al.d_opt(c));
        assert!((6.0 * n * d / c - 1.0).abs() < 1e-12);
        // First-order condition of min L on 6ND = C: α A N^-α = β B D^-β.
        let lhs = p.alpha * p.A * n.powf(-p.alpha);
        let rhs = p.beta * p.B * d.powf(-p.beta);
        assert!((lhs / rhs - 1.0).abs() < 1e-10);
        // Perturbing N along the iso-compute curve cannot lower the loss.
        for f in [0.9, 1.1] {
            assert!(p.loss(n * f, d / f) > p.loss(n, d));
        }
        assert!((al.n_opt(al.compute_for_params(8e9)) / 8e9 - 1.0).abs() < 1e-12);
        assert!(AllocationLaw::of(&LawParams { alpha: 0.0, ..p }).is_none());
    }

    #[test]
    fn grid_spans_data() {
        let g = compute_grid(3e20, 6e24);
        assert_eq!(g[0], 1e20);
        assert!((g[g.len() - 1] / 1e26 - 1.0).abs() < 1e-12);
        assert_eq!(g.len(), 25);
    }
}
