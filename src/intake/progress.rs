//! Parse jobs in flight: bytes, rows, rate and time left, with Cancel.

use leptos::prelude::*;

use crate::format;
use crate::intake::client;
use crate::jobs::protocol::JobId;
use crate::state::{use_app_state, JobStatus};

/// One row per job.
#[component]
pub fn ProgressList() -> impl IntoView {
    let state = use_app_state();
    view! {
        <section class="progress-list" aria-live="polite">
            // Keyed by id only: progress updates must not re-create the row (and its Cancel button).
            <For
                each=move || state.jobs.with(|jobs| jobs.iter().map(|j| j.id).collect::<Vec<_>>())
                key=|id| *id
                let(id)
            >
                <ProgressRow id=id />
            </For>
        </section>
    }
}

/// A single job's progress bar and controls.
#[component]
fn ProgressRow(
    /// The job to show.
    id: JobId,
) -> impl IntoView {
    let state = use_app_state();
    let job = Memo::new(move |_| state.jobs.with(|jobs| jobs.iter().find(|j| j.id == id).cloned()));
    let percent = move || job.with(|j| j.as_ref().map_or(0.0, |j| j.fraction() * 100.0));
    let status_text = move || {
        job.with(|j| {
            let Some(job) = j else { return String::new() };
            match &job.status {
                JobStatus::Running => format!(
                    "{} of {} · {} rows · {}/s · {} left",
                    format::bytes(job.bytes_done),
                    format::bytes(job.bytes_total),
                    format::count(job.rows as u64),
                    format::bytes(job.rate()),
                    format::duration(job.eta())
                ),
                JobStatus::Cancelling => "cancelling…".to_string(),
                JobStatus::Cancelled => "cancelled".to_string(),
                JobStatus::Failed(m) => format!("failed: {m}"),
            }
        })
    };
    let running = move || job.with(|j| j.as_ref().is_some_and(|j| j.status == JobStatus::Running));
    let failed =
        move || job.with(|j| j.as_ref().is_some_and(|j| matches!(j.status, JobStatus::Failed(_))));
    let name = move || job.with(|j| j.as_ref().map(|j| j.name.clone()).unwrap_or_default());
    view! {
        <div class="progress-row" data-testid="progress-row">
            <span class="name">{name}</span>
            <progress max="100" value=percent></progress>
            <span class="detail" class:error=failed data-testid="progress-status">
                {status_text}
            </span>
            <Show
                when=running
                fallback=move || {
                    view! {
                        <button on:click=move |_| client::dismiss(state, id)>"Dismiss"</button>
                    }
                }
            >
                <button data-testid="cancel" on:click=move |_| client::cancel(state, id)>
                    "Cancel"
                </button>
            </Show>
        </div>
    }
}
