//! The inference-aware optimum of Sardana et al. 2023 ("Beyond Chinchilla-Optimal: Accounting for
//! Inference in Language Model Scaling Laws"): to reach a target loss ℓ with an expected T_inf
//! inference tokens, minimise training FLOPs 6ND plus inference FLOPs 2N·T_inf subject to
//! L(N, D) = ℓ. The more inference, the smaller and longer-trained the best model.

use serde::{Deserialize, Serialize};

use super::objective::LawParams;
use super::ScalingError;

/// D on the iso-loss curve L(N, D) = ℓ for a model of N parameters; None when N alone cannot get
/// below ℓ (ℓ ≤ E + A/N^α). Also the input of the iso-loss contour chart.
pub fn tokens_for_loss(p: &LawParams, loss: f64, n: f64) -> Option<f64> {
    let room = loss - p.E - p.A * n.powf(-p.alpha);
    if !(room > 0.0) || !(p.beta > 0.0) {
        return None;
    }
    let d = (p.B / room).powf(1.0 / p.beta);
    d.is_finite().then_some(d)
}

/// The optimum for one inference demand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InferencePoint {
    pub inference_tokens: f64,
    pub params: f64,
    pub tokens: f64,
    pub training_flops: f64,
    pub inference_flops: f64,
    pub total_flops: f64,
    /// The Chinchilla-optimal model for the same loss (T_inf = 0) and its total cost at this demand.
    pub chinchilla_params: f64,
    pub chinchilla_tokens: f64,
    pub chinchilla_total_flops: f64,
}

fn total_cost(p: &LawParams, loss: f64, inference_tokens: f64, ln_n: f64) -> Option<(f64, f64)> {
    let n = ln_n.exp();
    let d = tokens_for_loss(p, loss, n)?;
    Some((6.0 * n * d + 2.0 * n * inference_tokens, d))
}

/// Smallest N that can reach `loss` at all: A/N^α = ℓ − E.
fn min_params(p: &LawParams, loss: f64) -> Result<f64, ScalingError> {
    if !(loss > p.E) {
        return Err(ScalingError::BadSetting(format!(
            "target loss {loss} is not above the irreducible loss E = {:.4}: no model reaches it",
            p.E
        )));
    }
    if !(p.alpha > 0.0 && p.beta > 0.0 && p.A > 0.0 && p.B > 0.0) {
        return Err(ScalingError::BadSetting(
            "the law needs positive A, B, alpha and beta for an inference-aware optimum".into(),
        ));
    }
    Ok((p.A / (loss - p.E)).powf(1.0 / p.alpha))
}

/// Minimises total FLOPs over ln N: a scan to bracket the minimum, then golden-section search.
pub fn inference_optimum(
    p: &LawParams,
    loss: f64,
    inference_tokens: f64,
) -> Result<InferencePoint, ScalingError> {
    if !(inference_tokens >= 0.0 && inference_tokens.is_finite()) {
        return Err(ScalingError::BadSetting(format!(
            "inference tokens must be a non-negative number, got {inference_tokens}"
        )));
    }
    let lo = min_params(p, loss)?.ln();
    // N from just above the minimum to 12 orders of magnitude above it (in ln units: 27.6).
    let cost = |u: f64| total_cost(p, loss, inference_tokens, u).map_or(f64::INFINITY, |c| c.0);
    let span = 12.0 * std::f64::consts::LN_10;
    let steps = 400;
    let (mut best_i, mut best) = (0, f64::INFINITY);
    for i in 1..=steps {
        let v = cost(lo + span * i as f64 / steps as f64);
        if v < best {
            best = v;
            best_i = i;
        }
    }
    if !best.is_finite() {
        return Err(ScalingError::BadSetting(format!(
            "no finite training budget reaches loss {loss}"
        )));
    }
    let h = span / steps as f64;
    let (mut a, mut b) = (lo + h * (best_i as f64 - 1.0), lo + h * (best_i as f64 + 1.0));
    let phi = 0.5 * (5f64.sqrt() - 1.0);
    let (mut x1, mut x2) = (b - phi * (b - a), a + phi * (b - a));
    let (mut f1, mut f2) = (cost(x1), cost(x2));
    for _ in 0..200 {
        if f1 <= f2 {
            b = x2;
            x2 = x1;
            f2 = f1;
            x1 = b - phi * (b - a);
            f1 = cost(x1);
        } else {
            a = x1;
            x1 = x2;
            f1 = f2;
            x2 = a + phi * (b - a);
            f2 = cost(x2);
        }
        if (b - a).abs() < 1e-13 {
            break;
        }
    }
    let u = 0.5 * (a + b);
    let (_, d) = total_cost(p, loss, inference_tokens, u)
        .ok_or_else(|| ScalingError::BadSetting(format!("loss {loss} is unreachable")))?;
    let n = u.exp();
    let (cn, cd) = chinchilla_for_loss(p, loss);
    Ok(InferencePoint {
        inference_tokens,
        params: n,
        tokens: d,
        training_flops: 6.0 * n * d,
        inference_flops: 2.0 * n * inference_tokens,
        total_flops: 6.0 * n * d + 2.0 * n * inference_tokens,
        chinchilla_params: cn,
        chinchilla_tokens: cd,
        chinchilla_total_flops: 6.0 * cn * cd + 2.0 * cn * inference_tokens,
    })
}

/// Closed form of the training-only optimum at loss ℓ: with Δ = ℓ − E, the first-order condition
/// αA/N^α = βB/D^β gives A/N^α = Δβ/(α+β) and B/D^β = Δα/(α+β).
pub fn chinchilla_for_loss(p: &LawParams, loss: f64) -> (f64, f64) {
    let delta = loss - p.E;
    let s = p.alpha + p.beta;
    let n = (p.A * s / (delta * p.beta)).powf(1.0 / p.alpha);
    let d = (p.B * s / (delta * p.alpha)).powf(1.0 / p.beta);
    (n, d)
}

/// Default inference demands for the chart: none, then 1e9 … 1e15 tokens by decades.
pub fn default_demands() -> Vec<f64> {
    std::iter::once(0.0).chain((9..=15).map(|e| 10f64.powi(e))).collect()
}

/// The optimum for each demand, in the order given.
pub fn inference_curve(
    p: &LawParams,
    loss: f64,
    demands: &[f64],
) -> Result<Vec<InferencePoint>, ScalingError> {
    demands.iter().map(|&t| inference_optimum(p, loss, t)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scaling::ReferenceFit;

    #[test]
    fn zero_inference_is_chinchilla_optimal() {
        let p = ReferenceFit::Hoffmann.params();
        let pt = inference_optimum(&p, 2.1, 0.0).expect("reachable");
        assert!((pt.params / pt.chinchilla_params - 1.0).abs() < 1e-6, "{pt:?}");
        assert!((pt.tokens / pt.chinchilla_tokens - 1.0).abs() < 1e-6, "{pt:?}");
        assert!((p.loss(pt.params, pt.tokens) - 2.1).abs() < 1e-12);
    }

    #[test]
    fn more_inference_means_smaller_longer_trained_models() {
        let p = ReferenceFit::Epoch.params();
        let curve = inference_curve(&p, 2.2, &default_demands()).expect("curve");
        for w in curve.windows(2) {
            assert!(w[1].params <= w[0].params * (1.0 + 1e-9));
            assert!(w[1].tokens >= w[0].tokens * (1.0 - 1e-9));
            assert!(w[1].total_flops <= w[1].chinchilla_total_flops * (1.0 + 1e-9));
        }
        assert!(curve.last().expect("points").params < 0.5 * curve[0].params);
    }

    #[test]
    fn unreachable_loss_is_an_error() {
        let p = ReferenceFit::Hoffmann.params();
        assert!(inference_optimum(&p, 1.5, 1e12).is_err());
        assert!(inference_optimum(&p, 2.0, f64::NAN).is_err());
    }
}
