//! The scaling view: a Chinchilla Approach-3 fit with bootstrap intervals when the table has a
//! loss column, and always the published laws applied per model, the inference-aware optimum and
//! the score-vs-compute trend with its outliers.

mod approach2;
mod controls;
mod inference;
mod models_table;
mod score_trend;
mod share;
mod specs;
mod tables;
mod trust;

pub use share::ScalingShare;

use benchlens_engine::scaling::objective::DEFAULT_HUBER_DELTA;
use benchlens_engine::scaling::{ColumnChoice, FitSettings, LossKind};
use benchlens_engine::DatasetKind;
use leptos::prelude::*;

use crate::charts::ChartCanvas;
use crate::jobs::analysis::AnalysisRequest;
use crate::jobs::protocol::JobId;
use crate::jobs::scaling::{ScalingOutcome, ScalingRequest};
use crate::state::use_app_state;
use crate::views::panel::ChartPanel;
use crate::views::run::{use_tracked_analysis, AnalysisHead};
use crate::views::{AnalysisState, View};

/// Robust loss of the fit, as chosen in the form (δ is kept apart so switching back to Huber
/// restores it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LossChoice {
    Huber,
    L2,
    L1,
}

/// Settings of this view.
#[derive(Clone, Copy)]
pub struct ScalingViewState {
    /// Chosen table; None: the first scaling table loaded.
    pub dataset: RwSignal<Option<JobId>>,
    pub columns: RwSignal<ColumnChoice>,
    pub loss: RwSignal<LossChoice>,
    pub delta: RwSignal<f64>,
    /// Everything of the fit but the loss (kept in `loss` / `delta`).
    pub fit: RwSignal<FitSettings>,
    /// `fit` or a reference fit id.
    pub inference_law: RwSignal<String>,
    pub target_loss: RwSignal<Option<f64>>,
    pub inference_tokens: RwSignal<f64>,
    /// Columns of the table last analysed (for the override selects, kept across failures).
    pub table_columns: RwSignal<Vec<String>>,
}

impl ScalingViewState {
    /// Defaults: the CLI's.
    pub fn new() -> Self {
        Self {
            dataset: RwSignal::new(None),
            columns: RwSignal::new(ColumnChoice::default()),
            loss: RwSignal::new(LossChoice::Huber),
            delta: RwSignal::new(DEFAULT_HUBER_DELTA),
            // As the CLI: 1,000 bootstrap rounds, seed 0, variable-projection starts.
            fit: RwSignal::new(FitSettings::default()),
            inference_law: RwSignal::new("fit".into()),
            target_loss: RwSignal::new(None),
            inference_tokens: RwSignal::new(2e12),
            table_columns: RwSignal::new(Vec::new()),
        }
    }

    /// The fit settings the worker gets.
    fn fit_settings(&self) -> FitSettings {
        let mut s = self.fit.get();
        s.loss = match self.loss.get() {
            LossChoice::Huber => LossKind::Huber { delta: self.delta.get() },
            LossChoice::L2 => LossKind::L2,
            LossChoice::L1 => LossKind::L1,
        };
        s
    }
}

impl Default for ScalingViewState {
    fn default() -> Self {
        Self::new()
    }
}

/// The whole view.
#[component]
pub fn ScalingView() -> impl IntoView {
    let app = use_app_state();
    let vs = expect_context::<ScalingViewState>();
    crate::export::provide_export_registry();
    // Every scaling table loaded: (id, file name).
    let tables = Memo::new(move |_| {
        app.datasets.with(|d| {
            d.iter()
                .filter(|e| e.summary.kind == DatasetKind::ScalingTable && !e.summary.failed())
                .map(|e| (e.id, e.summary.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let chosen = Memo::new(move |_| {
        let t = tables.get();
        let want = vs.dataset.get();
        want.filter(|id| t.iter().any(|(i, _)| i == id)).or_else(|| t.first().map(|(i, _)| *i))
    });
    // A different table: its columns are not the old one's. The first table to arrive is not
    // a change (a share link's column choices must survive its data loading).
    Effect::new(move |prev: Option<Option<JobId>>| {
        let now = chosen.get();
        if prev.flatten().is_some_and(|p| Some(p) != now) {
            vs.columns.set(ColumnChoice::default());
            vs.table_columns.set(Vec::new());
            vs.target_loss.set(None);
        }
        now
    });
    let request = Memo::new(move |_| {
        let Some(dataset) = chosen.get() else {
            return Err("Load a table of models or training runs (parameters, tokens or compute, and a loss or benchmark score) to fit scaling laws; try the “Models” or “Synthetic training runs” samples.".to_string());
        };
        Ok(AnalysisRequest::Scaling(Box::new(ScalingRequest {
            dataset,
            columns: vs.columns.get(),
            fit: vs.fit_settings(),
            inference_law: vs.inference_law.get(),
            target_loss: vs.target_loss.get(),
            inference_tokens: vs.inference_tokens.get(),
        })))
    });
    let run = use_tracked_analysis(request);
    let analysis = run.state;
    let outcome = Memo::new(move |_| analysis.get().into_outcome::<ScalingOutcome>());
    // Keep the last outcome on screen while the next one computes (no flicker on every click).
    let shown = RwSignal::new(None::<ScalingOutcome>);
    Effect::new(move |_| {
        if let Some(o) = outcome.get() {
            vs.table_columns.set(o.table_columns.clone());
            shown.set(Some(o));
        }
    });
    Effect::new(move |_| {
        if matches!(analysis.get(), AnalysisState::Waiting(_) | AnalysisState::Failed(_)) {
            shown.set(None);
        }
    });
    let rounds = move || vs.fit.with(|f| f.bootstrap);
    view! {
        <section class="view scaling-view" data-testid="scaling-view">
            <controls::InputControls tables=tables chosen=chosen outcome=shown />
            <AnalysisHead
                view=View::Scaling
                report_settings=tables::report_settings()
                state=analysis
                run=run
                busy=Signal::derive(move || {
                    format!("Fitting in the worker ({} bootstrap rounds)…", rounds())
                })
            />
            <Show when=move || shown.with(Option::is_some)>
                <ScalingResults outcome=Signal::derive(move || shown.get()) />
            </Show>
        </section>
    }
}

/// Tables and charts of one analysis.
#[component]
fn ScalingResults(
    /// The finished analysis.
    outcome: Signal<Option<ScalingOutcome>>,
) -> impl IntoView {
    let has_loss = move || outcome.with(|o| o.as_ref().is_some_and(|o| o.columns.loss.is_some()));
    let has_fit = move || outcome.with(|o| o.as_ref().is_some_and(|o| o.fit.is_some()));
    let has_trend = move || outcome.with(|o| o.as_ref().is_some_and(|o| o.trend.is_some()));
    let loss_chart = Signal::derive(move || outcome.get().and_then(|o| specs::loss_vs_compute(&o)));
    let contours = Signal::derive(move || outcome.get().and_then(|o| specs::iso_loss(&o)));
    let tpp = Signal::derive(move || outcome.get().and_then(|o| specs::tokens_per_param(&o)));
    let trend = Signal::derive(move || outcome.get().and_then(|o| specs::score_trend(&o)));
    let inference = Signal::derive(move || outcome.get().and_then(|o| specs::inference(&o)));
    let residuals = Signal::derive(move || outcome.get().and_then(|o| trust::residuals_chart(&o)));
    view! {
        <tables::InputNotes outcome=outcome />
        <Show when=has_loss>
            <div class="panel">
                <h2>
                    "Chinchilla fit: L(N, D) = E + A/N" <sup>"α"</sup> " + B/D" <sup>"β"</sup>
                </h2>
                <controls::FitControls />
                <tables::FitTable outcome=outcome />
                <trust::OutlierCallout outcome=outcome />
            </div>
        </Show>
        <Show when=has_fit>
            <ChartPanel
                title="Loss vs compute"
                caption="Runs, curves of constant model size (iso-N), and the compute-optimal frontier with its 95% bootstrap band, next to the frontiers of Hoffmann et al.'s and Epoch AI's published laws."
                spec=loss_chart
                testid="chart-scaling-loss"
                label="Loss against training compute on log axes, with iso-N curves and the fitted frontier"
            />
            <ChartPanel
                title="Residuals"
                caption="Each run's loss above (+) or below (−) the fitted law, in percent. A good fit scatters evenly around 0 at every compute; the lines are the running medians under the published laws on the same runs."
                spec=residuals
                testid="chart-scaling-residuals"
                label="Log residual of each run against training compute, with flagged outliers and the running median residual under Hoffmann et al.'s and Epoch AI's published laws"
            />
            <ChartPanel
                title="Tokens per parameter at the optimum"
                spec=tpp
                testid="chart-scaling-tpp"
                label="Compute-optimal tokens per parameter against compute, with bootstrap band"
            />
        </Show>
        <approach2::Approach2Panel outcome=outcome />
        <div class="panel">
            <h2>
                {move || {
                    if has_loss() {
                        "Each run under each law"
                    } else {
                        "Released models under each law"
                    }
                }}
            </h2>
            <p class="caption">
                "Compute-optimal tokens for each model's size, D_opt(N), and the over-training factor D / D_opt(N). The published fits disagree by 3× or more: the choice of law matters."
            </p>
            <models_table::ModelsTableView outcome=outcome />
        </div>
        <ChartPanel
            title="Iso-loss contours"
            spec=contours
            testid="chart-scaling-contours"
            label="Curves of equal predicted loss in parameters and tokens, with the compute-optimal line and the models"
        >
            <controls::LawSelect outcome=outcome />
        </ChartPanel>
        <ChartPanel
            title="Inference-aware optimum (Sardana et al. 2023)"
            caption="To reach a target loss, minimise training FLOPs 6ND plus inference FLOPs 2N per token served: the more inference, the smaller and longer-trained the best model."
            spec=inference
            testid="chart-scaling-inference"
            label="Best parameters and tokens against expected inference tokens"
        >
            <controls::InferenceControls outcome=outcome />
            <inference::InferenceTable outcome=outcome />
        </ChartPanel>
        <Show when=has_trend>
            <div class="panel">
                <h2>"Score vs compute"</h2>
                <score_trend::TrendSummary outcome=outcome />
                <ChartCanvas
                    spec=trend
                    testid="chart-scaling-trend"
                    label="Benchmark score against training compute with a robust sigmoid fit and labelled outliers"
                />
                <score_trend::OutlierTable outcome=outcome />
            </div>
        </Show>
        <tables::Sources outcome=outcome />
    }
}
