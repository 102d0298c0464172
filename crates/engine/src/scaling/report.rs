//! The scaling analysis's settings, and its older report shape: [`analyse`] gives the parts of
//! [`super::analysis::run`]'s outcome that `benchlens scaling fit` reported before the outcome
//! wrote its own reports (the engine's tests and the fuzzer call it). Parts that cannot be
//! computed carry their error sentence instead.

use serde::{Deserialize, Serialize};

use super::analysis::run;
use super::approach2::{approach2, Approach2};
use super::inference::InferencePoint;
use super::law::{bootstrap_ticker, FitSettings, LawFit};
use super::models::{FitChoice, ModelsTable};
use super::objective::LawParams;
use super::score_trend::{ScoreTrend, ScoreTrendSettings};
use super::table::{ColumnChoice, DetectedColumns, ScalingData};
use super::ScalingError;
use crate::dataset::Warning;
use crate::table::Table;

/// The settings of a scaling analysis: what the view's controls and `scaling fit`'s flags set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScalingSettings {
    pub columns: ColumnChoice,
    pub fit: FitSettings,
    pub score: ScoreTrendSettings,
    /// Target loss of the inference-aware optimum; none: the loss of a compute-optimal 7B model
    /// under the chosen law (and no optimum in the `scaling fit` report).
    pub target_loss: Option<f64>,
    /// Inference demands (tokens) added to the defaults (none, 1e9 … 1e15); the first is the
    /// user's own (the view's highlighted row).
    pub inference_tokens: Vec<f64>,
    /// Law of the inference-aware optimum: `fit` or a reference id; the first law (the fitted one
    /// when there is one) when unknown or empty.
    pub inference_law: String,
}

/// The parts of the outcome that [`analyse`] reports.
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

/// Runs every analysis that the table supports, as [`run`] does, with the older progress callback
/// (`progress(done, total)` follows the bootstrap and may cancel it). Fails also when the table has
/// neither a loss nor a score column.
pub fn analyse(
    table: &Table,
    settings: &ScalingSettings,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<ScalingReport, ScalingError> {
    let outcome = run("", table, settings, &mut bootstrap_ticker(progress))?;
    outcome.needs_loss_or_score()?;
    let (inference, inference_error) = match outcome.requested_inference() {
        Some(Ok(i)) => (Some(i.points.clone()), None),
        Some(Err(e)) => (None, Some(e.clone())),
        None => (None, None),
    };
    let (score_trend, score_error) = match outcome.trend {
        Some(Ok(t)) => (Some(t), None),
        Some(Err(e)) => (None, Some(e)),
        None => (None, None),
    };
    Ok(ScalingReport {
        columns: outcome.columns,
        off_compute: outcome.off_compute,
        warnings: outcome.warning_records,
        law: outcome.fit,
        law_error: outcome.fit_error,
        score_trend,
        score_error,
        approach2: outcome.approach2,
        approach2_note: outcome.approach2_note,
        models: outcome.models,
        inference,
        inference_error,
    })
}
