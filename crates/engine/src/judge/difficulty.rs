//! Instruction difficulty for length-controlled AlpacaEval, estimated jointly from the files
//! loaded instead of downloaded.
//!
//! The reference tool downloads a precomputed `instruction_difficulty.csv` at run time. Its
//! authors computed it (alpaca_eval `notebooks/instruction_difficulty.ipynb`, issue #346) by one
//! joint logistic fit over every leaderboard model, with a length slope and a bias per model and
//! one weight per instruction shared by all models; the instruction weights are the difficulty.
//! We fit that same joint model on whatever is loaded:
//!
//!   logit P(model m preferred on instruction i) = a_m · tanh(Δlen_mi / sd_m) + b_m + γ_i
//!
//! with a Gaussian prior (ridge) on γ: it pins the otherwise free shift between the b's and the
//! γ's, and keeps γ finite for instructions every loaded model wins or loses. The reference used
//! an L1 penalty chosen by cross-validation and one instruction as a zero reference level; only
//! the shape of γ matters downstream (each model's own GLM rescales and shifts it).
//!
//! The objective is convex; block-coordinate Newton (each model's (a, b) pair, then each γ_i)
//! converges in a few dozen sweeps and costs O(judgments) per sweep.

use super::glm::row_loss;
use crate::stats::logistic::sigmoid;

/// One judgment as the joint fit sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Obs {
    pub model: u32,
    pub instruction: u32,
    /// tanh of the standardised length difference (baseline minus model).
    pub t: f64,
    /// Preference for the model, in [0, 1].
    pub y: f64,
}

/// Fitted joint model.
pub(crate) struct JointFit {
    /// Per-model length slope.
    pub slope: Vec<f64>,
    /// Per-model bias.
    pub bias: Vec<f64>,
    /// Per-instruction weight: the instruction difficulty (higher = easier for models to beat
    /// the baseline).
    pub gamma: Vec<f64>,
    pub sweeps: u32,
}

const MAX_SWEEPS: u32 = 500;
const TOLERANCE: f64 = 1e-9;
/// Newton steps shorter than this are taken without a line search.
const FULL_STEP: f64 = 0.05;
/// Keeps the per-model pair finite when a model wins or loses every judgment.
const TINY_RIDGE: f64 = 1e-6;

/// Fits the joint model. `ridge` is the precision of the zero-mean Gaussian prior on γ.
pub(crate) fn fit_joint(
    obs: &[Obs],
    n_models: usize,
    n_instructions: usize,
    ridge: f64,
) -> JointFit {
    let mut by_model: Vec<Vec<u32>> = vec![Vec::new(); n_models];
    let mut by_instruction: Vec<Vec<u32>> = vec![Vec::new(); n_instructions];
    for (r, o) in obs.iter().enumerate() {
        by_model[o.model as usize].push(r as u32);
        by_instruction[o.instruction as usize].push(r as u32);
    }
    let mut fit = JointFit {
        slope: vec![0.0; n_models],
        bias: vec![0.0; n_models],
        gamma: vec![0.0; n_instructions],
        sweeps: 0,
    };
    for sweep in 1..=MAX_SWEEPS {
        fit.sweeps = sweep;
        let mut largest = 0.0f64;
        for (m, rows) in by_model.iter().enumerate() {
            let moved = model_step(obs, rows, &fit.gamma, &mut fit.slope[m], &mut fit.bias[m]);
            largest = largest.max(moved);
        }
        for (i, rows) in by_instruction.iter().enumerate() {
            let moved =
                instruction_step(obs, rows, &fit.slope, &fit.bias, &mut fit.gamma[i], ridge);
            largest = largest.max(moved);
        }
        if largest < TOLERANCE {
            break;
        }
    }
    fit
}

fn model_step(obs: &[Obs], rows: &[u32], gamma: &[f64], a: &mut f64, b: &mut f64) -> f64 {
    let loss = |a: f64, b: f64| -> f64 {
        rows.iter()
            .map(|&r| {
                let o = obs[r as usize];
                row_loss(a * o.t + b + gamma[o.instruction as usize], o.y)
            })
            .sum::<f64>()
            + 0.5 * TINY_RIDGE * (a * a + b * b)
    };
    let (mut ga, mut gb, mut haa, mut hab, mut hbb) =
        (TINY_RIDGE * *a, TINY_RIDGE * *b, TINY_RIDGE, 0.0, TINY_RIDGE);
    for &r in rows {
        let o = obs[r as usize];
        let p = sigmoid(*a * o.t + *b + gamma[o.instruction as usize]);
        let g = p - o.y;
        let h = p * (1.0 - p);
        ga += g * o.t;
        gb += g;
        haa += h * o.t * o.t;
        hab += h * o.t;
        hbb += h;
    }
    let det = haa * hbb - hab * hab;
    if det <= 0.0 || !det.is_finite() {
        return 0.0;
    }
    let da = (hbb * ga - hab * gb) / det;
    let db = (haa * gb - hab * ga) / det;
    if da.abs().max(db.abs()) < FULL_STEP {
        // Close to the block optimum a full Newton step on a convex objective descends; skip the
        // two loss passes a line search would cost.
        *a -= da;
        *b -= db;
        return da.abs().max(db.abs());
    }
    let f0 = loss(*a, *b);
    let mut t = 1.0;
    for _ in 0..30 {
        let (na, nb) = (*a - t * da, *b - t * db);
        if loss(na, nb) <= f0 {
            *a = na;
            *b = nb;
            return (t * da).abs().max((t * db).abs());
        }
        t *= 0.5;
    }
    0.0
}

fn instruction_step(
    obs: &[Obs],
    rows: &[u32],
    slope: &[f64],
    bias: &[f64],
    gamma: &mut f64,
    ridge: f64,
) -> f64 {
    let z0 = |r: u32| {
        let o = obs[r as usize];
        slope[o.model as usize] * o.t + bias[o.model as usize]
    };
    let loss = |g: f64| -> f64 {
        rows.iter().map(|&r| row_loss(z0(r) + g, obs[r as usize].y)).sum::<f64>()
            + 0.5 * ridge * g * g
    };
    let (mut grad, mut hess) = (ridge * *gamma, ridge);
    for &r in rows {
        let p = sigmoid(z0(r) + *gamma);
        grad += p - obs[r as usize].y;
        hess += p * (1.0 - p);
    }
    if hess <= 0.0 {
        return 0.0;
    }
    let step = grad / hess;
    if step.abs() < FULL_STEP {
        *gamma -= step;
        return step.abs();
    }
    let f0 = loss(*gamma);
    let mut t = 1.0;
    for _ in 0..30 {
        let cand = *gamma - t * step;
        if loss(cand) <= f0 {
            *gamma = cand;
            return (t * step).abs();
        }
        t *= 0.5;
    }
    0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easier_instructions_get_higher_weight() {
        // Two models, three instructions; every model does best on instruction 2, worst on 0.
        let mut obs = Vec::new();
        for m in 0..2u32 {
            for (i, y) in [(0u32, 0.1), (1, 0.4), (2, 0.8)] {
                obs.push(Obs { model: m, instruction: i, t: 0.0, y: y + 0.05 * m as f64 });
            }
        }
        let fit = fit_joint(&obs, 2, 3, 1.0);
        assert!(fit.gamma[0] < fit.gamma[1] && fit.gamma[1] < fit.gamma[2], "{:?}", fit.gamma);
        assert!(fit.bias[1] > fit.bias[0]);
        assert!(fit.sweeps < MAX_SWEEPS);
    }
}
