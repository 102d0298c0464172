//! Scaling-law fits: Chinchilla Approach 3 (parametric loss law) with bootstrap intervals,
//! compute-optimal allocation, per-model over-training factors under published and fitted laws,
//! the inference-aware optimum, Approach 2 (isoFLOP parabolas) and score-vs-compute outliers.
//!
//! Entry point: [`analysis::run`] (or [`analysis::run_async`]) runs everything a table supports;
//! the view's worker and `benchlens scaling fit` both call it, and its outcome writes their
//! reports ([`output`]). Underneath, [`table::extract`] turns a loaded table into [`table::ScalingData`];
//! [`law::fit_law`], [`models::models_table`], [`score_trend::fit_score_trend`],
//! [`approach2::approach2`] and [`inference::inference_optimum`] analyse it. Methods and their
//! sources are written up in `docs/scaling.md`.

// Checks are written `!(x > 0.0)` on purpose throughout: NaN must fail them.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

pub mod allocation;
pub mod analysis;
pub mod approach2;
pub mod bootstrap;
pub mod cells;
pub mod columns;
pub mod diagnostics;
pub mod fit;
pub mod flags;
pub mod inference;
pub mod law;
pub mod lbfgs;
pub mod models;
pub mod name_column;
pub mod objective;
pub mod output;
pub mod reference_fits;
pub mod report;
pub mod score_trend;
pub mod starts;
pub mod synthetic;
pub mod table;

pub use analysis::{run, run_async, FitMemo, InferenceOutcome, ScalingOutcome, SourceRow};
pub use law::{fit_law, FitSettings, LawFit};
pub use objective::{LawParams, LossKind};
pub use reference_fits::ReferenceFit;
pub use report::{analyse, ScalingReport, ScalingSettings};
pub use starts::StartMode;
pub use table::{extract, ColumnChoice, ScalingData, ScalingRow};

/// What can stop a scaling analysis, as sentences a user can act on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScalingError {
    #[error("column `{column}` is not in the table; columns are: {available}")]
    NoSuchColumn { column: String, available: String },
    #[error(
        "a loss fit needs two of parameters, tokens and compute, but no such columns were \
         recognised among: {columns}. Name them with --params-col, --tokens-col or --compute-col"
    )]
    NeedTwoOfNDC { columns: String },
    #[error(
        "no loss column was recognised among: {columns}. Name it with --loss-col (or use \
         `scaling models` for a table of released models)"
    )]
    NoLossColumn { columns: String },
    #[error(
        "rows with parameters, tokens and a loss: {usable}; at least {needed} are needed to fit 5 \
         parameters{detail}"
    )]
    TooFewPoints { usable: usize, needed: usize, detail: String },
    #[error("--drop-top {drop} would leave {left} of {total} points (need at least {needed})")]
    DropTooMany { drop: usize, total: usize, left: usize, needed: usize },
    #[error("Huber delta must be a positive finite number, got {0}")]
    BadDelta(f64),
    #[error("the optimiser found no finite fit from any start: check that losses are in nats or bits per token, not percentages")]
    NoFiniteFit,
    #[error("no score column was recognised among: {columns}. Name it with --score-col")]
    NoScoreColumn { columns: String },
    #[error("rows with a score and compute: {usable}; the trend needs at least {needed}")]
    TooFewScores { usable: usize, needed: usize },
    #[error("invalid setting: {0}")]
    BadSetting(String),
    #[error("cancelled")]
    Cancelled,
}
