//! The defects view: every defect check on the loaded benchmark items (with model predictions
//! when loaded), a per-subject chart, dataset statistics, duplicates, a filterable table of
//! flagged items with evidence, an item detail panel with reviewer marks, and exports.

mod controls;
mod export;
mod items;
mod labels;
mod marks;
mod marks_panel;
mod share;
mod specs;
mod stats;

use benchlens_engine::defects::{CheckId, Settings, Severity};
use leptos::prelude::*;

use crate::charts::ChartCanvas;
use crate::jobs::analysis::{AnalysisRequest, AnalysisResult};
use crate::jobs::defects::{
    pick_datasets, DefectsAnswer, DefectsAsk, DefectsInput, DefectsOverview, DefectsRequest,
    SortBy, TableQuery,
};
use crate::jobs::defects_labels::LabelChoice;
use crate::state::AppState;
use crate::views::run::AnalysisHead;
use crate::views::{use_analysis, AnalysisState, View};

/// "1 item", "2,900 items": a count (with thousands separators) and its noun in the right number.
pub(crate) fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", crate::format::count(n), benchlens_engine::wording::plural(n, one, many))
}

/// Rows per page of the flagged-items table.
pub const PAGE_SIZE: usize = 25;

pub use share::DefectsShare;

/// Settings and filters of this view.
#[derive(Clone, Copy)]
pub struct DefectsViewState {
    /// Checks that run.
    pub checks: RwSignal<Vec<CheckId>>,
    /// k of the k-of-m disagreement rule; None = the engine's default.
    pub min_agree: RwSignal<Option<usize>>,
    /// Expert-label column the checks are scored against.
    pub labels: RwSignal<LabelChoice>,
    /// Severities shown in the chart and the table.
    pub severities: RwSignal<Vec<Severity>>,
    /// One check shown in the table, or all.
    pub check_filter: RwSignal<Option<CheckId>>,
    pub subject: RwSignal<Option<String>>,
    pub search: RwSignal<String>,
    pub sort: RwSignal<(SortBy, bool)>,
    pub page: RwSignal<usize>,
    /// Item shown in the detail panel.
    pub selected: RwSignal<Option<usize>>,
    /// The current run's input (Err: what is missing).
    pub input: Memo<Result<DefectsInput, String>>,
}

/// Wraps a defects question into the worker's request type.
pub fn request(input: DefectsInput, ask: DefectsAsk) -> AnalysisRequest {
    AnalysisRequest::Defects(Box::new(DefectsRequest { input, ask }))
}

/// The defects answer inside an analysis state, if any.
pub fn answer(state: &AnalysisState) -> Option<DefectsAnswer> {
    match state {
        AnalysisState::Done(r) => match r.as_ref() {
            AnalysisResult::Defects(a) => Some(a.as_ref().clone()),
            _ => None,
        },
        _ => None,
    }
}

impl DefectsViewState {
    /// Defaults: every check, the engine's threshold, all severities; the run's input follows
    /// the loaded datasets.
    pub fn new(app: AppState) -> Self {
        let checks = RwSignal::new(CheckId::ALL.to_vec());
        let min_agree = RwSignal::new(None::<usize>);
        let labels = RwSignal::new(LabelChoice::Auto);
        let input = Memo::new(move |_| {
            let (benchmarks, predictions) =
                app.datasets.with(|d| pick_datasets(d.iter().map(|e| (e.id, &e.summary))));
            if benchmarks.is_empty() {
                return Err("Load benchmark items (MMLU CSVs, a choices-list export, TruthfulQA.csv) to check them for defects; model-prediction files add the disagreement check.".to_string());
            }
            let chosen = checks.get();
            if chosen.is_empty() {
                return Err("Select at least one check.".to_string());
            }
            let checks = if chosen.len() == CheckId::ALL.len() { Vec::new() } else { chosen };
            let settings = Settings { checks, min_agree: min_agree.get(), ..Settings::default() };
            Ok(DefectsInput { benchmarks, predictions, settings, labels: labels.get() })
        });
        Self {
            checks,
            min_agree,
            labels,
            severities: RwSignal::new(vec![Severity::Error, Severity::Suspect, Severity::Warning]),
            check_filter: RwSignal::new(None),
            subject: RwSignal::new(None),
            search: RwSignal::new(String::new()),
            sort: RwSignal::new((SortBy::Suspicion, false)),
            page: RwSignal::new(0),
            selected: RwSignal::new(None),
            input,
        }
    }
}

/// The whole view.
#[component]
pub fn DefectsView() -> impl IntoView {
    let vs = expect_context::<DefectsViewState>();
    let input = vs.input;
    marks::provide_marks();
    crate::export::provide_export_registry();
    let overview_request = Memo::new(move |_| {
        let input = input.get()?;
        let (sort, descending) = vs.sort.get();
        let q = TableQuery {
            checks: vs.check_filter.get().into_iter().collect(),
            severities: vs.severities.get(),
            subject: vs.subject.get(),
            search: vs.search.get(),
            sort,
            descending,
            page: vs.page.get(),
            page_size: PAGE_SIZE,
        };
        Ok(request(input, DefectsAsk::Overview(q)))
    });
    let analysis = use_analysis(overview_request);
    // Keep the last overview on screen while a new page or filter is computed.
    let last = RwSignal::new(None::<DefectsOverview>);
    Effect::new(move |_| {
        let state = analysis.get();
        match answer(&state) {
            Some(DefectsAnswer::Overview(o)) => last.set(Some(*o)),
            _ => {
                if matches!(state, AnalysisState::Waiting(_) | AnalysisState::Failed(_)) {
                    last.set(None);
                }
            }
        }
    });
    let overview = Signal::derive(move || last.get());
    let report = stats::report_settings();
    view! {
        <section class="view defects-view" data-testid="defects-view">
            <controls::RunControls overview=overview />
            <AnalysisHead view=View::Defects report_settings=report state=analysis>
                <marks_panel::MarksPanel />
            </AnalysisHead>
            <Show when=move || overview.with(Option::is_some)>
                <DefectsResults overview=overview />
            </Show>
        </section>
    }
}

/// Everything drawn from one overview.
#[component]
fn DefectsResults(
    /// The latest overview.
    overview: Signal<Option<DefectsOverview>>,
) -> impl IntoView {
    let vs = expect_context::<DefectsViewState>();
    let chart = Signal::derive(move || {
        let shown = vs.severities.get();
        let only = vs.check_filter.get();
        overview.with(|o| o.as_ref().and_then(|o| specs::subject_chart(o, &shown, only)))
    });
    view! {
        <stats::Summary overview=overview />
        <div class="panel" data-testid="defects-chart-panel">
            <h2>"Flagged share by subject and check"</h2>
            <Show
                when=move || chart.with(Option::is_some)
                fallback=|| view! { <p class="hint">"No flags of the shown severities."</p> }
            >
                <ChartCanvas
                    spec=chart
                    testid="chart-defects-subjects"
                    label="Share of items flagged per subject, stacked by check"
                />
            </Show>
        </div>
        <div class="defects-review">
            <div class="panel defects-table-panel">
                <h2>"Flagged items"</h2>
                <controls::TableFilters overview=overview />
                <items::FlagTable overview=overview />
            </div>
            <items::ItemPanel />
        </div>
        <labels::LabelScores overview=overview />
        <export::ExportPanel overview=overview />
        <stats::Positions overview=overview />
        <stats::Duplicates overview=overview />
    }
}
