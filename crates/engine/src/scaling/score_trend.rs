//! Score vs compute: a robust sigmoid of a benchmark score on log10(6ND), floored at chance, and
//! the models that sit far off it ("is this model benchmark-maxing, or undertrained?").
//!
//! Model: s(x) = floor + (ceiling − floor)·σ(k·(x − x0)), x = log10(6ND), k > 0. The fit is a Huber
//! M-estimate: least squares first, then Huber loss with c = 1.345·σ̂ (Huber's 95 %-efficiency
//! constant) where σ̂ = 1.4826·MAD of the residuals, re-estimated three times. Outliers are points
//! whose robust z = (r − median r) / (1.4826·MAD r) exceeds 2 in absolute value.

use serde::{Deserialize, Serialize};

use super::lbfgs::{minimize, LbfgsOptions};
use super::table::ScalingData;
use super::ScalingError;
use crate::stats::logistic::sigmoid;

/// Huber's tuning constant for 95 % efficiency under normal errors (Huber 1964).
pub const HUBER_K: f64 = 1.345;
/// MAD → σ under normality.
pub const MAD_TO_SIGMA: f64 = 1.4826;
/// |z| above which a point is an outlier (the rule).
pub const DEFAULT_Z: f64 = 2.0;
/// Chance on 4-option multiple choice (MMLU: Hendrycks et al. 2021), in percent.
pub const MMLU_CHANCE_PERCENT: f64 = 25.0;

/// Settings; `None` means "derive from the column" (see [`fit_score_trend`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScoreTrendSettings {
    pub floor: Option<f64>,
    pub ceiling: Option<f64>,
    pub z_threshold: Option<f64>,
}

/// One model on the trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendPoint {
    pub name: String,
    pub line: u64,
    pub compute: f64,
    pub log10_compute: f64,
    pub score: f64,
    pub predicted: f64,
    pub residual: f64,
    pub z: f64,
    /// "high" or "low" when |z| exceeds the threshold.
    pub outlier: Option<String>,
    /// Token count (so compute) is a lower bound.
    pub compute_lower_bound: bool,
}

/// The fitted trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreTrend {
    pub column: String,
    pub floor: f64,
    pub ceiling: f64,
    pub k: f64,
    pub x0: f64,
    /// Robust residual scale σ̂ at convergence.
    pub sigma: f64,
    pub z_threshold: f64,
    pub points: Vec<TrendPoint>,
    /// Names of outliers, largest |z| first (ties by name).
    pub outliers: Vec<String>,
    /// Models with a score but no compute (no tokens), left off the chart.
    pub off_compute: Vec<String>,
}

/// s(x) for the given shape.
pub fn curve(floor: f64, ceiling: f64, k: f64, x0: f64, x: f64) -> f64 {
    floor + (ceiling - floor) * sigmoid(k * (x - x0))
}

fn median(v: &[f64]) -> f64 {
    let mut s: Vec<f64> = v.to_vec();
    s.sort_by(f64::total_cmp);
    crate::stats::quantile_sorted(&s, 0.5)
}

/// Median absolute deviation from the median.
pub fn mad(v: &[f64]) -> f64 {
    let m = median(v);
    median(&v.iter().map(|x| (x - m).abs()).collect::<Vec<_>>())
}

/// Σ ρ(sᵢ − s(xᵢ)) with ρ = Huber_c (or squares when c is infinite), over θ = (ln k, x0).
fn objective(
    x: &[f64],
    s: &[f64],
    floor: f64,
    ceil: f64,
    c: f64,
    th: &[f64; 2],
    g: &mut [f64; 2],
) -> f64 {
    let k = th[0].exp();
    let mut f = 0.0;
    *g = [0.0; 2];
    for (&xi, &si) in x.iter().zip(s) {
        let sg = sigmoid(k * (xi - th[1]));
        let r = si - (floor + (ceil - floor) * sg);
        let (rho, drho) =
            if r.abs() <= c { (0.5 * r * r, r) } else { (c * (r.abs() - 0.5 * c), c * r.signum()) };
        f += rho;
        // ds/dθ: (ceil − floor)·σ(1 − σ)·(x − x0)·k for ln k; −(ceil − floor)·σ(1 − σ)·k for x0.
        let common = (ceil - floor) * sg * (1.0 - sg) * k;
        g[0] -= drho * common * (xi - th[1]);
        g[1] += drho * common;
    }
    f
}

fn fit_shape(x: &[f64], s: &[f64], floor: f64, ceil: f64, c: f64, starts: &[[f64; 2]]) -> [f64; 2] {
    let opts = LbfgsOptions::default();
    let mut best = (starts[0], f64::INFINITY);
    for st in starts {
        let m = minimize(
            |th: &[f64; 2], g: &mut [f64; 2]| objective(x, s, floor, ceil, c, th, g),
            *st,
            &opts,
        );
        if m.f < best.1 {
            best = (m.x, m.f);
        }
    }
    best.0
}

/// Fits the trend of the score column against log10(6ND).
///
/// Floor and ceiling default from the column: a 0–1 column gets ceiling 1, else 100; the floor is
/// chance on 4-option multiple choice (25 % or 0.25) when the header names MMLU, else 0.
pub fn fit_score_trend(
    data: &ScalingData,
    settings: &ScoreTrendSettings,
) -> Result<ScoreTrend, ScalingError> {
    let column =
        data.columns.score.clone().ok_or_else(|| ScalingError::NoScoreColumn {
            columns: data.table_columns.join(", "),
        })?;
    let mut pts = Vec::new();
    let mut off_compute = Vec::new();
    for r in &data.rows {
        let Some(score) = r.score else { continue };
        let compute = match (r.params, r.tokens) {
            (Some(n), Some(d)) => 6.0 * n * d,
            _ => {
                off_compute.push(r.name.clone());
                continue;
            }
        };
        pts.push((r, compute, score));
    }
    const NEEDED: usize = 4;
    if pts.len() < NEEDED {
        return Err(ScalingError::TooFewScores { usable: pts.len(), needed: NEEDED });
    }
    let unit_scale = pts.iter().all(|p| p.2 <= 1.0);
    let ceiling = settings.ceiling.unwrap_or(if unit_scale { 1.0 } else { 100.0 });
    let is_mmlu = column.to_ascii_lowercase().contains("mmlu");
    let chance = if is_mmlu { MMLU_CHANCE_PERCENT / 100.0 * ceiling } else { 0.0 };
    let floor = settings.floor.unwrap_or(chance);
    if !(ceiling > floor) {
        return Err(ScalingError::BadSetting(format!(
            "ceiling {ceiling} must exceed floor {floor}"
        )));
    }
    let z_threshold = settings.z_threshold.unwrap_or(DEFAULT_Z);
    let x: Vec<f64> = pts.iter().map(|p| p.1.log10()).collect();
    let s: Vec<f64> = pts.iter().map(|p| p.2).collect();
    let (xmin, xmax) =
        x.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
    let mut starts = Vec::new();
    for i in 0..7 {
        for k in [0.25f64, 0.5, 1.0, 2.0, 4.0] {
            starts.push([k.ln(), xmin + (xmax - xmin) * i as f64 / 6.0]);
        }
    }
    let mut th = fit_shape(&x, &s, floor, ceiling, f64::INFINITY, &starts);
    let resid = |th: &[f64; 2]| -> Vec<f64> {
        x.iter()
            .zip(&s)
            .map(|(&xi, &si)| si - curve(floor, ceiling, th[0].exp(), th[1], xi))
            .collect()
    };
    let mut sigma = MAD_TO_SIGMA * mad(&resid(&th));
    for _ in 0..3 {
        if !(sigma > 0.0) {
            break;
        }
        th = fit_shape(&x, &s, floor, ceiling, HUBER_K * sigma, &[th]);
        sigma = MAD_TO_SIGMA * mad(&resid(&th));
    }
    let r = resid(&th);
    let med = median(&r);
    let mut points: Vec<TrendPoint> = pts
        .iter()
        .zip(r.iter().zip(&x))
        .map(|((row, compute, score), (&ri, &xi))| {
            let z = if sigma > 0.0 { (ri - med) / sigma } else { 0.0 };
            TrendPoint {
                name: row.name.clone(),
                line: row.line,
                compute: *compute,
                log10_compute: xi,
                score: *score,
                predicted: score - ri,
                residual: ri,
                z,
                outlier: (z.abs() > z_threshold)
                    .then(|| if z > 0.0 { "high" } else { "low" }.to_owned()),
                compute_lower_bound: row.tokens_lower_bound,
            }
        })
        .collect();
    points.sort_by(|a, b| a.compute.total_cmp(&b.compute).then(a.name.cmp(&b.name)));
    let mut out: Vec<&TrendPoint> = points.iter().filter(|p| p.outlier.is_some()).collect();
    out.sort_by(|a, b| b.z.abs().total_cmp(&a.z.abs()).then(a.name.cmp(&b.name)));
    let outliers = out.iter().map(|p| p.name.clone()).collect();
    Ok(ScoreTrend {
        column,
        floor,
        ceiling,
        k: th[0].exp(),
        x0: th[1],
        sigma,
        z_threshold,
        points,
        outliers,
        off_compute,
    })
}
