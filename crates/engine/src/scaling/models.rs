//! The per-model table: for each released model, the compute-optimal token count for its size, its
//! over-training factor and predicted loss, under each published fit and any fit of the user's.

use serde::{Deserialize, Serialize};

use super::allocation::AllocationLaw;
use super::bootstrap::interval;
use super::objective::LawParams;
use super::reference_fits::ReferenceFit;
use super::table::ScalingData;

/// A law to apply, with bootstrap draws when it was fitted here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitChoice {
    /// `hoffmann`, `hoffmann-unrounded`, `epoch`, or a user label (e.g. a file name).
    pub id: String,
    pub label: String,
    pub params: LawParams,
    #[serde(skip)]
    pub draws: Vec<LawParams>,
}

impl FitChoice {
    pub fn reference(f: ReferenceFit) -> Self {
        Self {
            id: f.id().to_owned(),
            label: f.label().to_owned(),
            params: f.params(),
            draws: vec![],
        }
    }
}

/// One model under one law.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelUnderFit {
    pub fit: String,
    /// Tokens for which this model's size is compute-optimal (see `allocation` module docs).
    pub optimal_tokens: Option<f64>,
    pub optimal_tokens_per_param: Option<f64>,
    /// tokens / optimal_tokens; a lower bound when the token count is.
    pub over_training: Option<f64>,
    /// L(N, D) under this law.
    pub predicted_loss: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub optimal_tokens_ci: Option<[f64; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub over_training_ci: Option<[f64; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub predicted_loss_ci: Option<[f64; 2]>,
}

/// One model row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelRow {
    pub name: String,
    pub line: u64,
    pub params: Option<f64>,
    pub tokens: Option<f64>,
    pub compute: Option<f64>,
    pub tokens_lower_bound: bool,
    pub fits: Vec<ModelUnderFit>,
}

/// The table, in input order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelsTable {
    pub fits: Vec<FitChoice>,
    pub models: Vec<ModelRow>,
    /// Models without tokens: no over-training factor, kept off compute axes.
    pub off_compute: Vec<String>,
}

fn under(p: &LawParams, n: Option<f64>, d: Option<f64>) -> [Option<f64>; 4] {
    let d_opt = n.and_then(|n| AllocationLaw::of(p).map(|a| a.d_opt_for_params(n)));
    let tpp = d_opt.zip(n).map(|(d, n)| d / n);
    let over = d.zip(d_opt).map(|(d, o)| d / o);
    let loss = n.zip(d).map(|(n, d)| p.loss(n, d));
    [d_opt, tpp, over, loss]
}

/// Applies every law in `fits` to every row that has a parameter count.
pub fn models_table(data: &ScalingData, fits: &[FitChoice]) -> ModelsTable {
    let models = data
        .rows
        .iter()
        .filter(|r| r.params.is_some())
        .map(|r| ModelRow {
            name: r.name.clone(),
            line: r.line,
            params: r.params,
            tokens: r.tokens,
            compute: r.compute,
            tokens_lower_bound: r.tokens_lower_bound,
            fits: fits
                .iter()
                .map(|f| {
                    let [d_opt, tpp, over, loss] = under(&f.params, r.params, r.tokens);
                    let mut cols: [Vec<f64>; 3] = Default::default();
                    for p in &f.draws {
                        let [d, _, o, l] = under(p, r.params, r.tokens);
                        for (c, v) in cols.iter_mut().zip([d, o, l]) {
                            if let Some(v) = v {
                                c.push(v);
                            }
                        }
                    }
                    let [mut cd, mut co, mut cl] = cols;
                    ModelUnderFit {
                        fit: f.id.clone(),
                        optimal_tokens: d_opt,
                        optimal_tokens_per_param: tpp,
                        over_training: over,
                        predicted_loss: loss,
                        optimal_tokens_ci: interval(&mut cd),
                        over_training_ci: interval(&mut co),
                        predicted_loss_ci: interval(&mut cl),
                    }
                })
                .collect(),
        })
        .collect();
    ModelsTable { fits: fits.to_vec(), models, off_compute: data.off_compute.clone() }
}
