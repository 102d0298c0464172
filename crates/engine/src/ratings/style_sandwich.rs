//! Closed-form "sandwich" intervals for the style-control model, so style control can update as
//! fast as the plain leaderboard (arena-rank offers them for its contextual Bradley–Terry too).
//!
//! Cov = H⁻¹ G H⁻¹ over the parameters (θ in base-`base` units, then β): H is the Hessian of
//! the penalised objective at the fit (the one Newton's method already uses) and G the outer
//! products of the per-battle scores, centred. Centring matters here: at the penalised optimum
//! the scores sum to −reg·params rather than to zero, and the uncentred sum would count that
//! deterministic pull of the penalty as sampling noise (arena-rank subtracts the same term).
//! The θ direction shared by all models has no score (each battle moves a and b in opposite
//! directions), so the intervals are those of differences, as for plain Bradley–Terry.

use super::style_model::{evaluate, logit, Row};
use crate::stats::linalg::{inverse_spd, matmul};
use crate::stats::logistic::sigmoid;

/// Standard errors of (θ₀…θₘ₋₁, β₀…β₃); None when the Hessian is not positive definite.
pub(super) fn standard_errors(
    m: usize,
    rows: &[Row],
    alpha: f64,
    params: &[f64],
) -> Option<Vec<f64>> {
    let p = m + 4;
    let (_, _, h) = evaluate(m, rows, None, alpha, params, false);
    let mut g = vec![0.0; p * p];
    let mut total = vec![0.0; p];
    for r in rows {
        // A weighted battle's score is w times its own (× 1.0 without weights).
        let resid = r.w * (r.y - sigmoid(logit(r, params, m, alpha)));
        // A battle's score touches its two models and the four style coefficients only.
        let at = [r.a as usize, r.b as usize, m, m + 1, m + 2, m + 3];
        let score = [
            alpha * resid,
            -alpha * resid,
            resid * r.x[0],
            resid * r.x[1],
            resid * r.x[2],
            resid * r.x[3],
        ];
        for (i, &si) in at.iter().zip(&score) {
            total[*i] += si;
            for (j, &sj) in at.iter().zip(&score) {
                g[i * p + j] += si * sj;
            }
        }
    }
    let n = rows.len().max(1) as f64;
    for i in 0..p {
        for j in 0..p {
            g[i * p + j] -= total[i] * total[j] / n;
        }
    }
    let h_inv = inverse_spd(h, p)?;
    let cov = matmul(&matmul(&h_inv, &g, p), &h_inv, p);
    Some((0..p).map(|i| cov[i * p + i].max(0.0).sqrt()).collect())
}
