//! One folder per analysis view; this file holds the tab bar and the shared "run an analysis
//! when its inputs change" helper.

pub mod defects;
pub mod judge;
pub mod ratings;
pub mod run;
pub mod scaling;
pub mod sort_header;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::jobs::analysis::{AnalysisRequest, AnalysisResult};
use crate::state::use_app_state;

/// The page's views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum View {
    Data,
    Ratings,
    Judge,
    Scaling,
    Defects,
}

impl View {
    /// Every view, in tab order.
    pub const ALL: [View; 5] =
        [View::Data, View::Ratings, View::Scaling, View::Defects, View::Judge];

    /// Tab label.
    pub fn label(self) -> &'static str {
        match self {
            View::Data => "Data",
            View::Ratings => "Ratings",
            View::Judge => "Judge",
            View::Scaling => "Scaling",
            View::Defects => "Defects",
        }
    }

    /// The view with this [`View::id`].
    pub fn from_id(id: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.id() == id)
    }

    /// Stable id (URL, test ids).
    pub fn id(self) -> &'static str {
        match self {
            View::Data => "data",
            View::Ratings => "ratings",
            View::Judge => "judge",
            View::Scaling => "scaling",
            View::Defects => "defects",
        }
    }
}

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

/// Re-runs the analysis in the worker whenever `request` changes; the run in flight is cancelled
/// and stale answers are dropped (see [`run::use_tracked_analysis`] for progress and Cancel).
pub fn use_analysis(request: Memo<Result<AnalysisRequest, String>>) -> ReadSignal<AnalysisState> {
    run::use_tracked_analysis(request).state
}
