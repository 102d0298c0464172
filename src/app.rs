//! Layout and shared context: header, intake, progress, datasets; the whole page is a drop target.

use leptos::prelude::*;

use crate::intake::worker_life::WorkerNotice;
use crate::intake::{self, DatasetPanel, IntakeBar, ProgressList};
use crate::share::link::{CopyLink, ShareNotes};
use crate::share::{self, ShareContext, ViewStates};
use crate::state::AppState;
use crate::views::defects::{DefectsView, DefectsViewState};
use crate::views::judge::{JudgeView, JudgeViewState};
use crate::views::ratings::{RatingsView, RatingsViewState};
use crate::views::scaling::{ScalingView, ScalingViewState};
use crate::views::{View, ViewTabs};

/// The application root.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    intake::client::init(state);
    let views = ViewStates {
        ratings: RatingsViewState::new(),
        scaling: ScalingViewState::new(),
        defects: DefectsViewState::new(state),
        judge: JudgeViewState::new(),
    };
    provide_context(views.ratings);
    provide_context(views.scaling);
    provide_context(views.defects);
    provide_context(views.judge);
    let share = ShareContext::new();
    provide_context(share);
    share::sync::install(state, views, share);
    let (dragging, set_dragging) = signal(false);
    view! {
        <div
            class="app"
            class:dragging=move || dragging.get()
            on:dragover=move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                set_dragging.set(true);
            }
            on:dragleave=move |ev: leptos::ev::DragEvent| {
                if ev.related_target().is_none() {
                    set_dragging.set(false);
                }
            }
            on:drop=move |ev: leptos::ev::DragEvent| {
                set_dragging.set(false);
                intake::on_drop(state, &ev);
            }
        >
            <header class="top">
                <h1>"benchlens"</h1>
                <p class="tagline">"LLM evaluation data, analysed in your browser"</p>
                <nav class="tabs">
                    <ViewTabs />
                </nav>
                <CopyLink />
            </header>
            <main>
                <ShareNotes />
                <WorkerNotice />
                <IntakeBar />
                <ProgressList />
                <Show when=move || state.view.get() == View::Data>
                    <DatasetPanel />
                </Show>
                <Show when=move || state.view.get() == View::Ratings>
                    <RatingsView />
                </Show>
                <Show when=move || state.view.get() == View::Judge>
                    <JudgeView />
                </Show>
                <Show when=move || state.view.get() == View::Scaling>
                    <ScalingView />
                </Show>
                <Show when=move || state.view.get() == View::Defects>
                    <DefectsView />
                </Show>
            </main>
            <div class="drop-overlay" aria-hidden="true">
                "Drop files or folders to load them"
            </div>
        </div>
    }
}
