//! Synthetic training runs from a known law plus log-normal noise: the sample "runs" table (labelled
//! synthetic), the recovery tests and the benchmarks. Seeded, so a seed names one data set.

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::objective::LawParams;
use crate::stats::{rng, standard_normal};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SyntheticSpec {
    pub law: LawParams,
    /// Number of runs.
    pub n: usize,
    /// Standard deviation of the multiplicative noise on the loss (log scale).
    pub noise: f64,
    /// log10 of the smallest and largest compute budget (FLOPs).
    pub compute_range: (f64, f64),
    pub seed: u64,
}

impl Default for SyntheticSpec {
    fn default() -> Self {
        Self {
            // Epoch AI's replication fit (Besiroglu et al. 2024): a realistic ground truth.
            law: super::ReferenceFit::Epoch.params(),
            n: 250,
            noise: 0.01,
            // Hoffmann et al. 2022's runs span ≈ 6e18 to 3e21 FLOPs at the isoFLOP levels.
            compute_range: (18.0, 22.0),
            seed: 0,
        }
    }
}

/// One synthetic run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyntheticRun {
    pub name: String,
    pub params: f64,
    pub tokens: f64,
    pub compute: f64,
    pub loss: f64,
    /// Index of the isoFLOP level the run belongs to.
    pub compute_level: usize,
}

/// Runs on isoFLOP levels (like Hoffmann et al.'s Approach 2 runs): 9 compute levels, model sizes
/// spread over ±1.2 decades around each level's optimum, so both Approach 2 and 3 apply.
pub fn generate(spec: &SyntheticSpec) -> Vec<SyntheticRun> {
    let mut r = rng(spec.seed);
    let levels = 9usize.min(spec.n.max(1));
    let per = spec.n.div_ceil(levels).max(1);
    let alloc = super::allocation::AllocationLaw::of(&spec.law);
    let mut out = Vec::with_capacity(spec.n);
    let (lo, hi) = spec.compute_range;
    for i in 0..spec.n {
        let level = (i / per).min(levels - 1);
        let pos = i % per;
        let log_c =
            if levels > 1 { lo + (hi - lo) * level as f64 / (levels - 1) as f64 } else { lo };
        let c = 10f64.powf(log_c);
        let centre = alloc.map_or((c / 6.0).sqrt(), |a| a.n_opt(c));
        let frac = if per > 1 { pos as f64 / (per - 1) as f64 } else { 0.5 };
        // Evenly spread with a small jitter so no two runs coincide.
        let jitter: f64 = r.gen_range(-0.02..0.02);
        let n = centre * 10f64.powf(-1.2 + 2.4 * frac + jitter);
        let d = c / (6.0 * n);
        let noise = spec.noise * standard_normal(&mut r);
        out.push(SyntheticRun {
            name: format!("synthetic-{i:04}"),
            params: n,
            tokens: d,
            compute: c,
            loss: spec.law.loss(n, d) * noise.exp(),
            compute_level: level,
        });
    }
    out
}
