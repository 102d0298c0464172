//! Running a view's analysis in the worker: a new request supersedes (cancels) the one in flight,
//! long runs report progress, and the user can cancel and run again.

use leptos::prelude::*;

use crate::intake::client::{self, AnalysisEnd, AnalysisProgress};
use crate::intake::worker_life::is_worker_stop;
use crate::jobs::analysis::AnalysisRequest;
use crate::jobs::protocol::JobId;

use super::{AnalysisState, View};
use crate::views::form::ActionButton;

/// How a cancelled run stopped.
#[derive(Debug, Clone, PartialEq)]
pub struct Cancelled {
    /// The last progress heard before the stop.
    pub at: Option<AnalysisProgress>,
    /// From the click on Cancel to the worker's answer, in ms.
    pub latency_ms: Option<f64>,
    /// The previous result is back on screen.
    pub kept_previous: bool,
}

/// One view's analysis: its state, progress, and what Cancel / Run again do.
#[derive(Clone, Copy)]
pub struct TrackedAnalysis {
    pub state: ReadSignal<AnalysisState>,
    /// Progress of the run in flight (None before its first report and when none is running).
    pub progress: ReadSignal<Option<AnalysisProgress>>,
    /// Set when the user cancelled the last run.
    pub cancelled: ReadSignal<Option<Cancelled>>,
    job: StoredValue<Option<JobId>>,
    cancel_clicked: StoredValue<Option<f64>>,
    rerun: RwSignal<u32>,
}

impl TrackedAnalysis {
    /// Stops the run in flight (at its next pause: between bootstrap rounds).
    pub fn cancel(&self) {
        if let Some(job) = self.job.get_value() {
            self.cancel_clicked.set_value(Some(client::now_ms()));
            client::cancel_analysis(job);
        }
    }

    /// Runs the same request again (after a cancel).
    pub fn run_again(&self) {
        self.rerun.update(|n| *n = n.wrapping_add(1));
    }
}

/// Re-runs the analysis in the worker whenever `request` changes. The run in flight is
/// cancelled rather than left to finish: the worker starts on the new one within a slice
/// (≈ 40 ms), and stale answers are dropped.
pub fn use_tracked_analysis(request: Memo<Result<AnalysisRequest, String>>) -> TrackedAnalysis {
    let (state, set_state) = signal(AnalysisState::Waiting(String::new()));
    let (progress, set_progress) = signal(None::<AnalysisProgress>);
    let (cancelled, set_cancelled) = signal(None::<Cancelled>);
    let job = StoredValue::new(None::<JobId>);
    let cancel_clicked = StoredValue::new(None::<f64>);
    let rerun = RwSignal::new(0u32);
    let latest = StoredValue::new(0u32);
    // The last finished result: a cancelled run puts it back (the view stays as it was).
    let last_done = StoredValue::new(None::<Box<crate::jobs::analysis::AnalysisResult>>);
    Effect::new(move |_| {
        rerun.track();
        let req = request.get();
        if let Some(previous) = job.get_value() {
            client::cancel_analysis(previous);
            job.set_value(None);
        }
        let token = latest.get_value().wrapping_add(1);
        latest.set_value(token);
        set_progress.set(None);
        set_cancelled.set(None);
        cancel_clicked.set_value(None);
        let req = match req {
            Err(why) => {
                set_state.set(AnalysisState::Waiting(why));
                return;
            }
            Ok(req) => req,
        };
        set_state.set(AnalysisState::Running);
        // Both callbacks may fire after the view is gone (the answer was on its way when the
        // user switched views or went back): a disposed owner means "stale", never a panic.
        let on_progress = move |p: AnalysisProgress| {
            if latest.try_get_value() == Some(token) {
                set_progress.set(Some(p));
            }
        };
        let on_end = move |end: AnalysisEnd| {
            if latest.try_get_value() != Some(token) {
                return;
            }
            job.set_value(None);
            match end {
                AnalysisEnd::Finished(Ok(r)) => {
                    last_done.set_value(Some(Box::new(r.clone())));
                    set_state.set(AnalysisState::Done(Box::new(r)));
                }
                AnalysisEnd::Finished(Err(e)) => set_state.set(AnalysisState::Failed(e)),
                AnalysisEnd::Cancelled => {
                    let latency_ms = cancel_clicked.get_value().map(|t| client::now_ms() - t);
                    let previous = last_done.get_value();
                    set_cancelled.set(Some(Cancelled {
                        at: progress.get_untracked(),
                        latency_ms,
                        kept_previous: previous.is_some(),
                    }));
                    set_state.set(match previous {
                        Some(r) => AnalysisState::Done(r),
                        None => AnalysisState::Waiting(String::new()),
                    });
                }
            }
            set_progress.set(None);
        };
        job.set_value(client::analyse_tracked(req, on_progress, on_end));
    });
    // The view is going away: its run in flight is of no use to anyone.
    on_cleanup(move || {
        if let Some(Some(running)) = job.try_get_value() {
            client::cancel_analysis(running);
        }
    });
    TrackedAnalysis { state, progress, cancelled, job, cancel_clicked, rerun }
}

fn describe(p: &AnalysisProgress) -> String {
    format!("{} {}/{}", p.stage, p.done, p.total)
}

/// A progress bar with Cancel while the analysis runs; after a cancel (or a worker that died
/// under the run), where it stopped and Run again. `testid` prefixes the test ids (`{testid}-progress`, `-cancel`, `-cancelled`,
/// `-run-again`).
#[component]
pub fn AnalysisProgressBar(run: TrackedAnalysis, testid: &'static str) -> impl IntoView {
    let running = move || matches!(run.state.get(), AnalysisState::Running);
    let text = move || run.progress.get().map_or_else(|| "starting…".to_owned(), |p| describe(&p));
    let value = move || run.progress.get().map_or(0.0, |p| p.done).to_string();
    let max = move || run.progress.get().map_or(1.0, |p| p.total.max(1.0)).to_string();
    let cancelled_text = move || {
        run.cancelled.get().map(|c| {
            let at = c.at.map_or_else(String::new, |p| format!(" at {}", describe(&p)));
            let latency = c
                .latency_ms
                .map_or_else(String::new, |ms| format!(" ({ms:.0} ms after the click)"));
            let kept = if c.kept_previous {
                " The previous result is shown; it does not reflect the settings above."
            } else {
                ""
            };
            format!("Cancelled{at}{latency}.{kept}")
        })
    };
    let latency_attr =
        move || run.cancelled.get().and_then(|c| c.latency_ms).map(|ms| format!("{ms:.1}"));
    view! {
        <Show when=running>
            <div class="analysis-progress" data-testid=format!("{testid}-progress")>
                <progress max=max value=value aria-label="Analysis progress"></progress>
                <span class="detail" data-testid=format!("{testid}-progress-text")>
                    {text}
                </span>
                <ActionButton testid=format!("{testid}-cancel") on_click=move |_| run.cancel()>
                    "Cancel"
                </ActionButton>
            </div>
        </Show>
        // The worker died under this run (WorkerNotice says why): the fresh one can try again.
        <Show when=move || {
            run.state.with(|s| matches!(s, AnalysisState::Failed(e) if is_worker_stop(e)))
        }>
            <p class="analysis-cancelled" data-testid=format!("{testid}-worker-stopped")>
                <ActionButton testid=format!("{testid}-retry") on_click=move |_| run.run_again()>
                    "Run again"
                </ActionButton>
            </p>
        </Show>
        <Show when=move || run.cancelled.with(Option::is_some)>
            <p
                class="analysis-cancelled"
                role="status"
                data-testid=format!("{testid}-cancelled")
                data-latency-ms=latency_attr
            >
                {cancelled_text}
                " "
                <ActionButton
                    testid=format!("{testid}-run-again")
                    on_click=move |_| run.run_again()
                >
                    "Run again"
                </ActionButton>
            </p>
        </Show>
    }
}

/// What every analysis view shows under its controls, in this order: the report button,
/// `children` (the defects view's marks), the status line, and a tracked run's progress bar
/// with Cancel. Test ids are prefixed with the view's id ("ratings-busy", "scaling-progress"…).
#[component]
pub fn AnalysisHead(
    /// The view, which names the report and the test ids.
    view: View,
    /// The view's settings as JSON, written into its report.
    #[prop(into)]
    report_settings: Signal<serde_json::Value>,
    /// Where the analysis stands.
    #[prop(into)]
    state: Signal<AnalysisState>,
    /// What the worker is doing, while it runs; by default what the view's analysis does
    /// ([`busy_text`]).
    #[prop(optional, into)]
    busy: Option<Signal<String>>,
    /// A run with progress and Cancel; None for quick analyses.
    #[prop(optional)]
    run: Option<TrackedAnalysis>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let testid = view.id();
    let busy = busy.unwrap_or_else(|| Signal::stored(busy_text(view).to_owned()));
    view! {
        <crate::export::ReportButton view=view settings=report_settings />
        {children.map(|c| c())}
        {analysis_status(state, testid, busy)}
        {run.map(|run| view! { <AnalysisProgressBar run=run testid=testid /> })}
    }
}

/// What the worker does for `view`, in the status line while it runs.
fn busy_text(view: View) -> &'static str {
    match view {
        View::Defects => "Checking items in the worker…",
        _ => "Computing in the worker…",
    }
}

/// The line a view shows for its analysis while there is no result: what is missing
/// (`{testid}-waiting`), that the worker is busy (`{testid}-busy`), or what failed
/// (`{testid}-error`).
fn analysis_status(
    state: Signal<AnalysisState>,
    testid: &'static str,
    busy: Signal<String>,
) -> impl IntoView {
    move || match state.get() {
        AnalysisState::Waiting(why) => view! {
            <p class="empty" data-testid=format!("{testid}-waiting")>
                {why}
            </p>
        }
        .into_any(),
        AnalysisState::Running => view! {
            <p class="busy" data-testid=format!("{testid}-busy")>
                {move || busy.get()}
            </p>
        }
        .into_any(),
        AnalysisState::Failed(e) => view! {
            <p class="error" role="alert" data-testid=format!("{testid}-error")>
                {e}
            </p>
        }
        .into_any(),
        AnalysisState::Done(_) => ().into_any(),
    }
}
