//! Closed-form "sandwich" intervals, computed the way arena-rank (lmarena/arena-rank,
//! `BradleyTerry.compute_hessian_and_covariance`) does: over the unique (a, b, outcome) rows,
//! H = Σ count·p(1−p) and G = Σ count·(y − p)² in the pairwise Laplacian pattern, H gets
//! 1e-5 × (total battles) on its diagonal, Cov = H⁻¹ G H⁻¹, and the interval is
//! θ ± z₀.₉₇₅·√Cov_ii. With weights (rows of weight w, see [`super::aggregate`]) H takes
//! count·w·p(1−p) and G count·w²·(y − p)², and the diagonal gets 1e-5 alone (arena-rank scales
//! the regularisation by the battle count only for unweighted data). One m × m inverse per component: milliseconds, so the page can recompute
//! it while filters change.

use super::aggregate::Aggregate;
use super::linalg::add_pair;
use super::plan::{ComponentFit, Plan};
use crate::stats::linalg::{inverse_spd, matmul};
use crate::stats::logistic::sigmoid;

/// arena-rank `hessian_reg` default, multiplied by the total battle count for unweighted data.
pub const HESSIAN_REG: f64 = 1e-5;
/// `scipy.stats.norm.ppf(0.975)`.
pub use crate::stats::normal::Z_975;

/// Standard errors of θ (natural-log units) per global model, NaN outside fitted components.
pub(crate) fn standard_errors(
    plan: &Plan,
    agg: &Aggregate,
    fits: &[Option<ComponentFit>],
) -> Vec<f64> {
    let mut se = vec![f64::NAN; agg.models.len()];
    let weighted = agg.weighted();
    for (c, comp) in plan.comps.iter().enumerate() {
        let Some(fit) = fits.get(c).and_then(Option::as_ref) else { continue };
        let k = comp.members.len();
        let mut h = vec![0.0; k * k];
        let mut g = vec![0.0; k * k];
        let mut total = 0.0;
        for r in &agg.rows {
            if plan.comp_of[r.a as usize] != c as u32 {
                continue;
            }
            let (a, b) = (plan.local[r.a as usize] as usize, plan.local[r.b as usize] as usize);
            let p = sigmoid(fit.theta[a] - fit.theta[b]);
            let count = r.count as f64;
            let w = r.weight;
            let resid = r.outcome.score() - p;
            // × w is × 1.0 without weights: the unweighted sums are unchanged to the bit.
            add_pair(&mut h, k, a, b, count * w * p * (1.0 - p));
            add_pair(&mut g, k, a, b, count * w * w * resid * resid);
            total += count;
        }
        let reg = if weighted { HESSIAN_REG } else { HESSIAN_REG * total };
        for i in 0..k {
            h[i * k + i] += reg;
        }
        let Some(h_inv) = inverse_spd(h, k) else { continue };
        let cov = matmul(&matmul(&h_inv, &g, k), &h_inv, k);
        for (i, &m) in comp.members.iter().enumerate() {
            se[m as usize] = cov[i * k + i].max(0.0).sqrt();
        }
    }
    se
}
