//! The ratings view: a leaderboard with honest uncertainty from every loaded battle log and
//! pair-count file, its charts, and how it moves under another filter set.

mod checklist;
mod compare;
mod controls;
mod legend;
mod published;
mod share;
mod specs;
mod tables;

use benchlens_engine::ratings::{CiMethod, Extras, RatingsSettings};
use benchlens_engine::DatasetKind;
use leptos::prelude::*;

use benchlens_engine::ratings::compare::LanguageOverview;
use benchlens_engine::ratings::history::MonthlyRatings;
use benchlens_engine::ratings::RatingsResult;

use crate::charts::{ChartCanvas, ChartSpec};
use crate::jobs::analysis::{AnalysisRequest, AnalysisResult, RatingsOutcome};
use crate::state::use_app_state;
use crate::views::panel::ChartPanel;
use crate::views::run::{use_tracked_analysis, AnalysisHead};
use crate::views::{AnalysisState, View};

pub use compare::CompareWith;
pub use controls::RatingsControls;
pub use share::RatingsShare;

/// Settings of this view, held by the app (so they survive switching views and go into the
/// share link).
#[derive(Clone, Copy)]
pub struct RatingsViewState {
    pub settings: RwSignal<RatingsSettings>,
    /// When set, the same analysis narrowed by this, for the Δ-rank comparison.
    pub compare: RwSignal<Option<CompareWith>>,
}

impl RatingsViewState {
    /// Defaults: the CLI's.
    pub fn new() -> Self {
        Self {
            settings: RwSignal::new(RatingsSettings {
                bootstrap_rounds: 1000,
                ..RatingsSettings::default()
            }),
            compare: RwSignal::new(None),
        }
    }
}

impl Default for RatingsViewState {
    fn default() -> Self {
        Self::new()
    }
}

/// The whole view.
#[component]
pub fn RatingsView() -> impl IntoView {
    let app = use_app_state();
    let view_state = expect_context::<RatingsViewState>();
    crate::export::provide_export_registry();
    let request = Memo::new(move |_| {
        let of_kind = |kinds: &[DatasetKind]| -> Vec<u32> {
            app.datasets.with(|d| {
                d.iter()
                    .filter(|e| kinds.contains(&e.summary.kind) && !e.summary.failed())
                    .map(|e| e.id)
                    .collect()
            })
        };
        let ids = of_kind(&[DatasetKind::BattleLog, DatasetKind::PairCounts]);
        let leaderboards = of_kind(&[DatasetKind::Leaderboard]);
        if ids.is_empty() {
            return Err("Load a battle log (FastChat clean_battle JSON/JSONL/CSV) or a pair-count file to see ratings.".to_string());
        }
        let settings = view_state.settings.get();
        let compare_with = view_state.compare.get().map(|c| c.apply(&settings));
        let extras = Extras::Facets;
        Ok(AnalysisRequest::Ratings { datasets: ids, settings, compare_with, leaderboards, extras })
    });
    // Created first so its request reaches the worker first: the worker takes turns between
    // running tasks, so the point estimates come back while the bootstrap is still going.
    let preview = use_tracked_analysis(Memo::new(move |_| point_estimates(request.get())));
    let run = use_tracked_analysis(request);
    let analysis = run.state;
    // Ranks per language and ratings per month: a fit per language and per month, which at
    // 250 models costs ten times the leaderboard's. Asked for once the run is done, so they
    // hold up neither the leaderboard nor its intervals.
    let finished = Memo::new(move |_| {
        run.state.with(|s| matches!(s, AnalysisState::Done(_)))
            && run.cancelled.with(Option::is_none)
    });
    let breakdown = use_tracked_analysis(Memo::new(move |_| {
        if finished.get() {
            breakdowns(request.get())
        } else {
            Err(String::new())
        }
    }));
    let breakdown = Memo::new(move |_| {
        breakdown
            .state
            .get()
            .into_outcome::<RatingsOutcome>()
            .map(|o| Breakdown { languages: o.languages, monthly: o.monthly })
    });
    let preview_outcome = move || preview.state.get().into_outcome::<RatingsOutcome>();
    // Without cloning the outcome (≈ 3 MB at 250 models).
    let has_preview = move || {
        preview.state.with(
            |s| matches!(s, AnalysisState::Done(r) if matches!(**r, AnalysisResult::Ratings(_))),
        )
    };
    // While the intervals compute, the point estimates for the current settings are shown;
    // before they arrive (and after a Cancel) the last finished outcome stays on screen, marked
    // stale, instead of an empty panel.
    let outcome = Memo::new(move |prev: Option<&Option<RatingsOutcome>>| match analysis.get() {
        AnalysisState::Running => preview_outcome().or_else(|| prev.cloned().flatten()),
        state => state.into_outcome(),
    });
    let stale = Memo::new(move |_| match analysis.get() {
        AnalysisState::Running if has_preview() => Some(Staleness::IntervalsPending),
        AnalysisState::Running => Some(Staleness::SettingsChanged),
        AnalysisState::Done(_) if run.cancelled.with(Option::is_some) => Some(Staleness::Cancelled),
        _ => None,
    });
    let greyed = move || {
        stale.with(|s| matches!(s, Some(Staleness::SettingsChanged | Staleness::Cancelled)))
    };
    view! {
        <section class="view ratings-view" data-testid="ratings-view">
            <RatingsControls facets=Signal::derive(move || {
                outcome.with(|o| o.as_ref().map(|o| o.facets.clone()))
            }) />
            <AnalysisHead
                view=View::Ratings
                report_settings=tables::report_settings()
                state=analysis
                run=run
                busy=Signal::derive(move || {
                    if stale.get() == Some(Staleness::IntervalsPending) {
                        "Computing the 95% intervals in the worker…".to_string()
                    } else {
                        "Computing ratings in the worker…".to_string()
                    }
                })
            />
            <Show when=move || outcome.with(Option::is_some)>
                <StaleNote stale=stale />
                <div class="ratings-results" class:stale=greyed data-testid="ratings-results">
                    <RatingsResults outcome=outcome breakdown=breakdown />
                </div>
            </Show>
        </section>
    }
}

/// The first phase of a bootstrap run: the same ratings without intervals, which take a fraction
/// of the time (one fit instead of one per round). None for runs that are quick anyway.
fn point_estimates(request: Result<AnalysisRequest, String>) -> Result<AnalysisRequest, String> {
    let request = request?;
    let bootstrap = matches!(&request, AnalysisRequest::Ratings { settings, .. }
        if settings.ci == CiMethod::Bootstrap && settings.bootstrap_rounds > 0);
    if bootstrap {
        without_intervals(request, Extras::Facets)
    } else {
        Err(String::new())
    }
}

/// The run that adds ranks per language and ratings per month to `request`'s leaderboard: no
/// intervals (those breakdowns draw none) and no comparison.
fn breakdowns(request: Result<AnalysisRequest, String>) -> Result<AnalysisRequest, String> {
    without_intervals(request?, Extras::All)
}

/// A ratings `request` with no intervals and no comparison, drawing `extras`: the quick runs
/// around a bootstrap.
fn without_intervals(request: AnalysisRequest, extras: Extras) -> Result<AnalysisRequest, String> {
    match request {
        AnalysisRequest::Ratings { datasets, settings, leaderboards, .. } => {
            let settings = RatingsSettings { ci: CiMethod::None, ..settings };
            Ok(AnalysisRequest::Ratings {
                datasets,
                settings,
                compare_with: None,
                leaderboards,
                extras,
            })
        }
        _ => Err(String::new()),
    }
}

/// What the breakdown run adds to the leaderboard.
#[derive(Clone, PartialEq)]
struct Breakdown {
    languages: Option<LanguageOverview>,
    monthly: Vec<MonthlyRatings>,
}

/// Why the result on screen is not the one the settings ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Staleness {
    /// The point estimates for these settings are shown; their intervals are computing.
    IntervalsPending,
    /// A new run is computing.
    SettingsChanged,
    /// The user cancelled the run for the current settings.
    Cancelled,
}

/// The mark over a result that no longer matches the settings above it.
#[component]
fn StaleNote(
    /// Why it is stale; nothing is shown when the result is current.
    stale: Memo<Option<Staleness>>,
) -> impl IntoView {
    move || {
        stale.get().map(|why| {
            let (kind, text) = match why {
                Staleness::IntervalsPending => (
                    "intervals-pending",
                    "Point estimates for these settings; the 95% intervals (and Rank (UB), which rests on them) are computing.",
                ),
                Staleness::SettingsChanged => (
                    "settings-changed",
                    "Stale — settings changed: below is the last finished result; the new one is computing.",
                ),
                Staleness::Cancelled => (
                    "cancelled",
                    "Stale — cancelled: below is the last finished result; it does not reflect the settings above.",
                ),
            };
            view! {
                <p class="stale-note" role="status" data-testid="ratings-stale" data-stale=kind>
                    {text}
                </p>
            }
        })
    }
}

/// Tables and charts of one rating run.
#[component]
fn RatingsResults(
    /// The finished run.
    #[prop(into)]
    outcome: Signal<Option<RatingsOutcome>>,
    /// Its ranks per language and ratings per month, once computed.
    #[prop(into)]
    breakdown: Signal<Option<Breakdown>>,
) -> impl IntoView {
    // Memos, not derived signals: a chart is redrawn only when what it draws changed. The
    // intervals arriving after the point estimates change the forest plot, never the heat maps
    // (each 120² cells at 120 models).
    let chart = |spec: fn(&RatingsResult) -> ChartSpec| -> Memo<Option<ChartSpec>> {
        Memo::new(move |_| outcome.with(|o| o.as_ref().map(|o| spec(&o.result))))
    };
    let forest = chart(specs::forest);
    let wins = chart(specs::win_fraction);
    let counts = chart(specs::battle_counts);
    let predicted = chart(specs::predicted);
    let view_state = expect_context::<RatingsViewState>();
    let slope: Memo<Option<ChartSpec>> = Memo::new(move |_| {
        let subset =
            view_state.compare.get().map_or_else(|| "comparison subset".into(), |c| c.label());
        outcome.with(|o| o.as_ref()?.comparison.as_ref().map(|c| specs::slope(c, &subset)))
    });
    let monthly: Memo<Option<ChartSpec>> =
        Memo::new(move |_| breakdown.with(|b| b.as_ref().and_then(|b| specs::monthly(&b.monthly))));
    let elo: Memo<Option<ChartSpec>> = Memo::new(move |_| {
        outcome.with(|o| o.as_ref()?.result.elo_history.as_ref().and_then(specs::elo_trajectory))
    });
    let languages = Signal::derive(move || breakdown.with(|b| b.as_ref()?.languages.clone()));
    view! {
        <tables::Notes outcome=outcome />
        <published::PublishedNote outcome=outcome />
        <div class="panel">
            <h2>"Leaderboard"</h2>
            <tables::Leaderboard outcome=outcome />
        </div>
        <Show when=move || outcome.with(|o| o.as_ref().is_some_and(|o| o.result.style.is_some()))>
            <div class="panel">
                <h2>"Style control"</h2>
                <tables::StyleTable outcome=outcome />
            </div>
        </Show>
        <Show when=move || slope.with(Option::is_some)>
            <div class="panel">
                <h2>"Rank shift"</h2>
                <tables::DeltaRank outcome=outcome />
                <ChartCanvas
                    spec=slope
                    testid="chart-slope"
                    label="Rank under each filter set, joined per model"
                />
            </div>
        </Show>
        <Show when=move || languages.with(Option::is_some)>
            <div class="panel">
                <h2>"Rank per language"</h2>
                <tables::LanguageRanks languages=languages />
            </div>
        </Show>
        <ChartPanel
            title="Online Elo over the battles"
            spec=elo
            testid="chart-elo"
            label="Online Elo rating of the leading models as battles are processed"
            only_with_data=true
        />
        <ChartPanel
            title="Ratings over time"
            spec=monthly
            testid="chart-monthly"
            label="Cumulative Bradley–Terry rating at the end of each month"
            only_with_data=true
        />
        <ChartPanel
            title="Ratings with 95% intervals"
            spec=forest
            testid="chart-forest"
            label="Forest plot of ratings with confidence intervals"
        />
        <div class="panel grid2">
            <ChartCanvas
                spec=wins
                testid="chart-win-fraction"
                label="Observed win fraction of row model over column model, ties excluded"
            />
            <ChartCanvas
                spec=predicted
                testid="chart-predicted"
                label="Predicted win rate of row model over column model"
            />
            <ChartCanvas
                spec=counts
                testid="chart-battle-counts"
                label="Battles between each pair of models"
            />
        </div>
    }
}
