//! One folder per analysis view; this file holds the tab bar and the shared "run an analysis
//! when its inputs change" helper.

pub mod defects;
pub mod fields;
pub mod form;
pub mod judge;
pub mod panel;
pub mod ratings;
pub mod run;
pub mod scaling;
pub mod sort_header;
pub mod table;

use leptos::prelude::*;

use crate::jobs::analysis::{AnalysisRequest, AnalysisResult};
use crate::state::use_app_state;

/// Defined beside the page state (which holds the view on screen) so that `state`, `export` and
/// `share` need not depend on the views; re-exported here, where the views use it.
pub use crate::state::View;

/// The tab bar.
#[component]
pub fn ViewTabs() -> impl IntoView {
    let state = use_app_state();
    View::ALL
        .into_iter()
        .map(|v| {
            view! {
                <button
                    class="tab"
                    class:active=move || state.view.get() == v
                    data-testid=format!("tab-{}", v.id())
                    on:click=move |_| state.view.set(v)
                >
                    {v.label()}
                </button>
            }
        })
        .collect_view()
}

/// Where an analysis stands.
#[derive(Debug, Clone)]
pub enum AnalysisState {
    /// Nothing to analyse yet (the message says what is missing).
    Waiting(String),
    Running,
    Done(Box<AnalysisResult>),
    Failed(String),
}

impl AnalysisState {
    /// The outcome of a finished run, when it is of the kind `T` a view shows.
    pub fn into_outcome<T: ViewOutcome>(self) -> Option<T> {
        match self {
            AnalysisState::Done(result) => T::pick(*result),
            _ => None,
        }
    }
}

/// An outcome one view shows, picked out of the worker's answer.
pub trait ViewOutcome: Sized {
    fn pick(result: AnalysisResult) -> Option<Self>;
}

/// One `ViewOutcome` per result variant a view reads whole.
macro_rules! view_outcomes {
    ($($outcome:ty => $variant:ident),* $(,)?) => {$(
        impl ViewOutcome for $outcome {
            fn pick(result: AnalysisResult) -> Option<Self> {
                if let AnalysisResult::$variant(o) = result { Some(*o) } else { None }
            }
        }
    )*};
}

view_outcomes!(
    crate::jobs::analysis::RatingsOutcome => Ratings,
    crate::jobs::judge::JudgeOutcome => Judge,
    crate::jobs::scaling::ScalingOutcome => Scaling,
);

/// Re-runs the analysis in the worker whenever `request` changes; the run in flight is cancelled
/// and stale answers are dropped (see [`run::use_tracked_analysis`] for progress and Cancel).
pub fn use_analysis(request: Memo<Result<AnalysisRequest, String>>) -> ReadSignal<AnalysisState> {
    run::use_tracked_analysis(request).state
}
