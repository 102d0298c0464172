//! The scaling view's request as the worker receives it, mapped onto the engine's one entry point
//! `benchlens_engine::scaling::run_async` (the call `benchlens scaling fit` makes too), with the
//! worker's memo of its last fit. No analysis happens here.

use std::cell::RefCell;

use benchlens_engine::progress::Ticker;
use benchlens_engine::scaling::{
    run_async, ColumnChoice, FitMemo, FitSettings, ScalingError, ScalingSettings,
};
/// The outcome types the scaling view reads, here since before they moved to the engine.
pub use benchlens_engine::scaling::{InferenceOutcome, ScalingOutcome, SourceRow};
use serde::{Deserialize, Serialize};

use super::protocol::JobId;

/// What the scaling view asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScalingRequest {
    /// The scaling table to analyse.
    pub dataset: JobId,
    /// Explicit column choices (None: detected from the headers).
    pub columns: ColumnChoice,
    /// Approach-3 fit settings (used only when the table has a loss column).
    pub fit: FitSettings,
    /// Law of the inference-aware optimum: `fit` (the fit of this table) or a reference fit id.
    pub inference_law: String,
    /// Target loss of the inference-aware optimum; None: the loss of a compute-optimal 7B model
    /// under that law.
    pub target_loss: Option<f64>,
    /// The user's expected inference tokens, shown next to the default demands.
    pub inference_tokens: f64,
}

/// Runs the scaling analysis on one dataset.
pub async fn analyse(
    datasets: &super::Datasets,
    req: &ScalingRequest,
    ticker: &mut Ticker<'_>,
) -> Result<ScalingOutcome, String> {
    let parsed = datasets
        .get(&req.dataset)
        .ok_or_else(|| "the chosen table is no longer loaded".to_string())?;
    let name = parsed.summary.name.clone();
    let table = parsed
        .table()
        .ok_or_else(|| format!("{name}: this is a battle log, not a table of models or runs"))?;
    let settings = ScalingSettings {
        columns: req.columns.clone(),
        fit: req.fit.clone(),
        target_loss: req.target_loss,
        inference_tokens: vec![req.inference_tokens],
        inference_law: req.inference_law.clone(),
        ..ScalingSettings::default()
    };
    // The memo is taken out for the run (another job may start while this one yields) and put
    // back after; one for another dataset is no use.
    let mut memo = LAST_FIT
        .with(|c| c.borrow_mut().take())
        .filter(|(dataset, _)| *dataset == req.dataset)
        .map(|(_, memo)| memo)
        .unwrap_or_default();
    let outcome = run_async(&name, table, &settings, &mut memo, ticker).await;
    LAST_FIT.with(|c| *c.borrow_mut() = Some((req.dataset, memo)));
    outcome.map_err(|e| match e {
        ScalingError::Cancelled => e.to_string(),
        e => format!("{name}: {e}"),
    })
}

thread_local! {
    /// The worker's last fit and its dataset: changing only the inference controls must not
    /// re-run a 1,000-round bootstrap.
    static LAST_FIT: RefCell<Option<(JobId, FitMemo)>> = const { RefCell::new(None) };
}
