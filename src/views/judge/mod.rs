//! The judge view: AlpacaEval, Arena-Hard and MT-Bench leaderboards recomputed from the raw
//! judgment files, with intervals, the published numbers next to ours, what length buys, and a
//! per-instruction drill-down.

mod alpaca;
mod controls;
mod drill;
mod others;
mod specs;

use benchlens_engine::judge::{AlpacaEvalRow, JudgeKind, JudgeReport, JudgeSettings, LcResult};
use benchlens_engine::DatasetKind;
use leptos::prelude::*;

use crate::jobs::analysis::AnalysisRequest;
use crate::jobs::judge::{AlpacaDetail, JudgeOutcome};
use crate::state::use_app_state;
use crate::views::run::AnalysisHead;
use crate::views::{use_analysis, AnalysisState, View};

/// Settings and selections of this view, shared by its components.
#[derive(Clone, Copy)]
pub struct JudgeViewState {
    pub settings: RwSignal<JudgeSettings>,
    /// Drill-down: the model whose instructions are listed.
    pub drill_model: RwSignal<Option<String>>,
    /// Drill-down: the judgment shown (index into [`AlpacaDetail::judgments`]).
    pub drill_pick: RwSignal<Option<usize>>,
}

impl JudgeViewState {
    /// Defaults: the engine's (Arena-Hard `>>` weight 3, its 90 % intervals).
    pub fn new() -> Self {
        Self {
            settings: RwSignal::new(JudgeSettings::default()),
            drill_model: RwSignal::new(None),
            drill_pick: RwSignal::new(None),
        }
    }

    /// The current settings and drill-down (tracked: a change rewrites the link).
    pub fn snapshot(&self) -> JudgeShare {
        JudgeShare {
            settings: self.settings.get(),
            drill_model: self.drill_model.get(),
            drill_pick: self.drill_pick.get(),
        }
    }

    /// Applies a link's settings.
    pub fn restore(&self, share: JudgeShare) {
        self.settings.set(share.settings);
        self.drill_model.set(share.drill_model);
        self.drill_pick.set(share.drill_pick);
    }
}

impl Default for JudgeViewState {
    fn default() -> Self {
        Self::new()
    }
}

/// The judge view's part of a share link.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct JudgeShare {
    pub settings: JudgeSettings,
    #[serde(default)]
    pub drill_model: Option<String>,
    #[serde(default)]
    pub drill_pick: Option<usize>,
}

/// The AlpacaEval parts of an outcome, borrowed together.
pub struct AlpacaView<'a> {
    pub baseline: &'a str,
    pub rows: &'a [AlpacaEvalRow],
    pub lc: &'a LcResult,
    pub warnings: &'a [String],
    pub detail: &'a AlpacaDetail,
}

/// The AlpacaEval result of an outcome, if that is what it holds.
pub fn alpaca_of(o: &JudgeOutcome) -> Option<AlpacaView<'_>> {
    match (&o.report, &o.alpaca) {
        (
            Ok(JudgeReport::AlpacaEval { baseline, rows, length_controlled, warnings }),
            Some(detail),
        ) => Some(AlpacaView { baseline, rows, lc: length_controlled, warnings, detail }),
        _ => None,
    }
}

/// Human name of a benchmark.
pub fn kind_label(k: JudgeKind) -> &'static str {
    match k {
        JudgeKind::AlpacaEval => "AlpacaEval",
        JudgeKind::ArenaHard => "Arena-Hard-Auto",
        JudgeKind::MtBench => "MT-Bench",
    }
}

/// The whole view.
#[component]
pub fn JudgeView() -> impl IntoView {
    let app = use_app_state();
    let vs = expect_context::<JudgeViewState>();
    crate::export::provide_export_registry();
    let request = Memo::new(move |_| {
        let (ids, boards): (Vec<u32>, Vec<u32>) = app.datasets.with(|d| {
            let usable = || d.iter().filter(|e| !e.summary.failed());
            (
                usable()
                    .filter(|e| {
                        // Unknown too: Arena-Hard v2 files (uid, not question_id) land there;
                        // the worker keeps only tables whose columns fit a judge benchmark.
                        matches!(
                            e.summary.kind,
                            DatasetKind::JudgeAnnotations | DatasetKind::Unknown
                        )
                    })
                    .map(|e| e.id)
                    .collect(),
                usable()
                    .filter(|e| e.summary.kind == DatasetKind::Leaderboard)
                    .map(|e| e.id)
                    .collect(),
            )
        });
        if ids.is_empty() {
            return Err("Load judge annotation files to see a leaderboard: AlpacaEval \
                        annotations.json (one per model), Arena-Hard-Auto judgment JSONL or \
                        MT-Bench single-answer grades. The “AlpacaEval 2 annotations” sample \
                        has eight real models and the published leaderboard."
                .to_string());
        }
        Ok(AnalysisRequest::Judge {
            datasets: ids,
            leaderboards: boards,
            settings: vs.settings.get(),
        })
    });
    let analysis = use_analysis(request);
    // The last finished outcome stays on screen while a new one is computed.
    let outcome = Memo::new(move |prev: Option<&Option<JudgeOutcome>>| match analysis.get() {
        AnalysisState::Running => prev.cloned().flatten(),
        state => state.into_outcome(),
    });
    let outcome_signal = Signal::derive(move || outcome.get());
    let kind = Memo::new(move |_| {
        outcome.with(|o| o.as_ref().and_then(|o| o.report.as_ref().ok().map(report_kind)))
    });
    let report = others::report_settings();
    view! {
        <section class="view judge-view" data-testid="judge-view">
            <controls::JudgeControls outcome=outcome_signal />
            <AnalysisHead view=View::Judge report_settings=report state=analysis />
            {move || {
                outcome
                    .with(|o| o.as_ref().and_then(|o| o.report.as_ref().err().cloned()))
                    .map(|e| {
                        view! {
                            <p class="error" role="alert" data-testid="judge-error">
                                {e}
                            </p>
                        }
                    })
            }}
            {move || match kind.get() {
                Some(JudgeKind::AlpacaEval) => {
                    view! { <alpaca::AlpacaResults outcome=outcome_signal /> }.into_any()
                }
                Some(JudgeKind::ArenaHard) => {
                    view! { <others::ArenaHardResults outcome=outcome_signal /> }.into_any()
                }
                Some(JudgeKind::MtBench) => {
                    view! { <others::MtBenchResults outcome=outcome_signal /> }.into_any()
                }
                None => ().into_any(),
            }}
        </section>
    }
}

fn report_kind(r: &JudgeReport) -> JudgeKind {
    match r {
        JudgeReport::AlpacaEval { .. } => JudgeKind::AlpacaEval,
        JudgeReport::ArenaHard(_) => JudgeKind::ArenaHard,
        JudgeReport::MtBench(_) => JudgeKind::MtBench,
    }
}

/// A number with fixed decimals; empty for NaN/∞ or None.
pub fn fmt(v: Option<f64>, decimals: usize) -> String {
    v.filter(|x| x.is_finite()).map_or(String::new(), |x| format!("{x:.decimals$}"))
}
