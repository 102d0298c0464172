//! The 2023–24 leaderboard fit (FastChat `compute_elo_mle_with_tie`, copied by GenAI-Arena):
//! every battle duplicated, a tie counted as a win for a in one copy and a loss in the other,
//! then scikit-learn's `LogisticRegression(fit_intercept=False)` with its defaults — L2 penalty
//! with C = 1, lbfgs, tol 1e-4 — on ±ln(10) design columns; rating = 400·w + 1000.
//!
//! scikit-learn minimises the mean log-loss plus ‖w‖² / (2·C·Σ sample weights) and hands it to
//! SciPy's L-BFGS-B with gtol = tol, ftol = 64ε, maxls = 50. The loss only depends on each pair's
//! row count and positive-label count, so it is evaluated on pair tallies; and because lbfgs
//! stops a few hundredths of an Elo point before the optimum, [`super::lbfgsb`] retraces SciPy's
//! iterates rather than solving exactly. That is what reproduces the published numbers.

use super::aggregate::PairTally;
use super::lbfgsb;
use crate::stats::logistic::{sigmoid, softplus};

/// scikit-learn's default inverse regularisation strength.
const C: f64 = 1.0;

/// Fits component-local weights and returns θ in natural-log odds (w·ln 10), as the other fits.
/// `self_rows` are battles of a model against itself as (model, rows, positive rows): the
/// reference pipeline wrote `+ln 10` then `−ln 10` into the same design cell, leaving a row
/// that pulls that model towards 0, and the published numbers include that pull.
pub fn fit(n: usize, tallies: &[PairTally], self_rows: &[(usize, f64, f64)]) -> Vec<f64> {
    let ln10 = std::f64::consts::LN_10;
    // Duplicated rows: 2 per battle; positives: 2 per win of a, 1 per tie.
    let rows: Vec<(usize, usize, f64, f64)> = tallies
        .iter()
        .map(|t| (t.a as usize, t.b as usize, 2.0 * t.total(), 2.0 * t.wins_a + t.ties))
        .collect();
    let sw_sum: f64 =
        rows.iter().map(|r| r.2).sum::<f64>() + self_rows.iter().map(|r| r.1).sum::<f64>();
    if sw_sum <= 0.0 || n == 0 {
        return vec![0.0; n];
    }
    let l2 = 1.0 / (C * sw_sum);
    let objective = |w: &[f64], g: &mut [f64]| -> f64 {
        g.iter_mut().for_each(|v| *v = 0.0);
        let mut loss = 0.0;
        for &(a, b, count, positives) in &rows {
            let z = ln10 * (w[a] - w[b]);
            loss += count * softplus(z) - positives * z;
            let r = ln10 * (count * sigmoid(z) - positives);
            g[a] += r;
            g[b] -= r;
        }
        for &(m, count, positives) in self_rows {
            let z = -ln10 * w[m];
            loss += count * softplus(z) - positives * z;
            g[m] -= ln10 * (count * sigmoid(z) - positives);
        }
        let mut penalty = 0.0;
        for i in 0..n {
            g[i] = g[i] / sw_sum + l2 * w[i];
            penalty += w[i] * w[i];
        }
        loss / sw_sum + 0.5 * l2 * penalty
    };
    let w = lbfgsb::minimize(&vec![0.0; n], objective, lbfgsb::Options::default());
    w.into_iter().map(|v| v * ln10).collect()
}
