//! One call for the scaling view (the worker) and `benchlens scaling fit`: extract the table, fit
//! the loss law when there is a loss column, the score trend when there is a score column,
//! Approach 2 when the runs form isoFLOP groups, and the per-model table under the fitted and the
//! published laws. Parts that cannot be computed carry their error sentence instead.

use serde::{Deserialize, Serialize};

use super::approach2::{approach2, Approach2};
use super::inference::{default_demands, inference_curve, InferencePoint};
use super::law::{fit_law_with_progress, FitSettings, LawFit};
use super::models::{models_table, FitChoice, ModelsTable};
use super::objective::LawParams;
use super::reference_fits::ReferenceFit;
use super::score_trend::{fit_score_trend, ScoreTrend, ScoreTrendSettings};
use super::table::{extract, ColumnChoice, DetectedColumns, ScalingData};
use super::ScalingError;
use crate::dataset::Warning;
use crate::table::Table;

/// Everything the scaling view lets the user set (also its URL state).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScalingSettings {
    pub columns: ColumnChoice,
    pub fit: FitSettings,
    pub score: ScoreTrendSettings,
    /// Target loss of the inference-aware optimum; none skips it.
    pub target_loss: Option<f64>,
    /// Inference demands (tokens); empty means none, 1e9 … 1e15.
    pub inference_tokens: Vec<f64>,
}

/// The scaling view's data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScalingReport {
    pub columns: DetectedColumns,
    pub off_compute: Vec<String>,
    pub warnings: Vec<Warning>,
    pub law: Option<LawFit>,
    pub law_error: Option<String>,
    pub score_trend: Option<ScoreTrend>,
    pub score_error: Option<String>,
    /// Present when the runs form an isoFLOP grid (see [`super::approach2::grid_problem`]).
    pub approach2: Option<Approach2>,
    /// Why Approach 2 is not shown, when the table has losses but no isoFLOP grid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approach2_note: Option<String>,
    /// The fitted law (id `fit`, with bootstrap intervals) and the published ones, per model.
    pub models: ModelsTable,
    pub inference: Option<Vec<InferencePoint>>,
    pub inference_error: Option<String>,
}

/// The fitted law as a [`FitChoice`] whose bootstrap draws give the per-model intervals.
pub fn fitted_choice(f: &LawFit, id: &str) -> FitChoice {
    FitChoice {
        id: id.to_owned(),
        label: "fitted here".to_owned(),
        params: f.params,
        draws: f.bootstrap_thetas.iter().map(LawParams::from_theta).collect(),
    }
}

/// Approach 2 when the runs form an isoFLOP grid, else why not (None for tables without losses:
/// nothing to say about a table of released models).
pub fn gated_approach2(data: &ScalingData) -> (Option<Approach2>, Option<String>) {
    if data.columns.loss.is_none() {
        return (None, None);
    }
    let a2 = approach2(data);
    match a2.not_a_grid.clone() {
        Some(why) => (None, Some(why)),
        None => (Some(a2), None),
    }
}

/// Runs every analysis that the table supports. Fails only when the columns cannot be resolved
/// or the table has neither a loss nor a score column.
pub fn analyse(
    table: &Table,
    settings: &ScalingSettings,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<ScalingReport, ScalingError> {
    let data = extract(table, &settings.columns)?;
    if data.columns.loss.is_none() && data.columns.score.is_none() {
        return Err(ScalingError::NoLossColumn { columns: data.table_columns.join(", ") });
    }
    let (law, law_error) = if data.columns.loss.is_some() {
        match fit_law_with_progress(&data, &settings.fit, progress) {
            Ok(f) => (Some(f), None),
            Err(e) => (None, Some(e.to_string())),
        }
    } else {
        (None, None)
    };
    let (score_trend, score_error) = if data.columns.score.is_some() {
        match fit_score_trend(&data, &settings.score) {
            Ok(t) => (Some(t), None),
            Err(e) => (None, Some(e.to_string())),
        }
    } else {
        (None, None)
    };
    let (a2, approach2_note) = gated_approach2(&data);
    let mut fits: Vec<FitChoice> =
        ReferenceFit::ALL.into_iter().map(FitChoice::reference).collect();
    if let Some(f) = &law {
        fits.insert(0, fitted_choice(f, "fit"));
    }
    let models = models_table(&data, &fits);
    let (inference, inference_error) = match (settings.target_loss, &law) {
        (Some(target), Some(f)) => {
            let demands = if settings.inference_tokens.is_empty() {
                default_demands()
            } else {
                settings.inference_tokens.clone()
            };
            match inference_curve(&f.params, target, &demands) {
                Ok(c) => (Some(c), None),
                Err(e) => (None, Some(e.to_string())),
            }
        }
        _ => (None, None),
    };
    Ok(ScalingReport {
        columns: data.columns,
        off_compute: data.off_compute,
        warnings: data.warnings,
        law,
        law_error,
        score_trend,
        score_error,
        approach2: a2,
        approach2_note,
        models,
        inference,
        inference_error,
    })
}
