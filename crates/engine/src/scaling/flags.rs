//! Reasons not to trust a fit, as machine-readable codes with sentences for people.

use serde::{Deserialize, Serialize};

use super::objective::{LawParams, Points};
use super::starts::VARPRO_EXPONENTS;

/// One warning about a fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    /// Stable code: `exponent_above_1_5`, `term_vanishes`, `at_bound`, `too_few_points`,
    /// `start_at_grid_edge`, `not_converged`, `bootstrap_failures`, `lower_bound_tokens`.
    pub code: String,
    pub message: String,
}

impl Flag {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self { code: code.to_owned(), message: message.into() }
    }
}

/// Exponents above this are implausible for language-model scaling (published fits: 0.28–0.37).
pub const MAX_PLAUSIBLE_EXPONENT: f64 = 1.5;

/// A term contributing less than this share of the predicted loss at every point has vanished.
pub const VANISHING_SHARE: f64 = 1e-3;

/// Parameters per point below which a 5-parameter fit is underdetermined in practice: 3 points per
/// parameter.
pub const MIN_POINTS_PER_PARAM: usize = 3;

/// Flags about the fitted parameters themselves.
pub fn parameter_flags(p: &LawParams, pts: &Points, start_theta: &[f64; 5]) -> Vec<Flag> {
    let mut flags = Vec::new();
    for (name, v) in [("alpha", p.alpha), ("beta", p.beta)] {
        if v > MAX_PLAUSIBLE_EXPONENT {
            flags.push(Flag::new(
                "exponent_above_1_5",
                format!(
                    "{name} = {v:.3} is above {MAX_PLAUSIBLE_EXPONENT}: published fits are near 0.3; \
                     the data probably do not pin this exponent down"
                ),
            ));
        }
        if v <= 1e-3 {
            flags.push(Flag::new(
                "at_bound",
                format!(
                    "{name} = {v:.2e} is at or below its natural bound 0: the term is constant"
                ),
            ));
        }
    }
    if p.E < 1e-3 {
        flags.push(Flag::new(
            "at_bound",
            format!(
                "E = {:.2e} sits at its lower bound 0: the irreducible loss is not identified",
                p.E
            ),
        ));
    }
    let (mut max_a, mut max_b) = (0.0f64, 0.0f64);
    for i in 0..pts.len() {
        if pts.weight[i] == 0.0 {
            continue;
        }
        let (n, d) = (pts.ln_n[i].exp(), pts.ln_d[i].exp());
        let l = p.loss(n, d);
        max_a = max_a.max(p.A * n.powf(-p.alpha) / l);
        max_b = max_b.max(p.B * d.powf(-p.beta) / l);
    }
    for (term, share) in [("A/N^alpha", max_a), ("B/D^beta", max_b)] {
        if !(share >= VANISHING_SHARE) {
            flags.push(Flag::new(
                "term_vanishes",
                format!(
                    "the {term} term is below {:.1}% of the predicted loss at every point: the law \
                     degenerated to fewer terms",
                    VANISHING_SHARE * 100.0
                ),
            ));
        }
    }
    let (lo, step, count) = VARPRO_EXPONENTS;
    let hi = lo + step * (count - 1) as f64;
    let on_edge = |v: f64| (v - lo).abs() < 1e-12 || (v - hi).abs() < 1e-12;
    if on_edge(start_theta[3]) || on_edge(start_theta[4]) {
        flags.push(Flag::new(
            "start_at_grid_edge",
            format!(
                "the best start had an exponent on the edge of the start grid [{lo}, {hi}]: the \
                 optimum may lie outside the range searched"
            ),
        ));
    }
    flags
}

/// Flag when the points are few for five parameters.
pub fn count_flag(n: usize) -> Option<Flag> {
    (n < 5 * MIN_POINTS_PER_PARAM).then(|| {
        Flag::new(
            "too_few_points",
            format!(
                "{n} points for 5 parameters (fewer than {MIN_POINTS_PER_PARAM} per parameter): \
                 treat every number as a rough guess"
            ),
        )
    })
}
