//! Parse jobs in flight: bytes, rows, rate and time left, with Cancel.

use leptos::prelude::*;

use crate::format;
use crate::intake::client;
use crate::state::{use_app_state, JobEntry, JobStatus};

/// One row per job.
#[component]
pub fn ProgressList() -> impl IntoView {
    let state = use_app_state();
    view! {
        <section class="progress-list" aria-live="polite">
            <For each=move || state.jobs.get() key=|j| (j.id, j.status.clone(), j.bytes_done as u64) let(job)>
                <ProgressRow job=job/>
            </For>
        </section>
    }
}

/// A single job's progress bar and controls.
#[component]
fn ProgressRow(
    /// The job to show.
    job: JobEntry,
) -> impl IntoView {
    let state = use_app_state();
    let id = job.id;
    let percent = job.fraction() * 100.0;
    let detail = format!(
        "{} of {} · {} rows · {}/s · {} left",
        format::bytes(job.bytes_done),
        format::bytes(job.bytes_total),
        format::count(job.rows as u64),
        format::bytes(job.rate()),
        format::duration(job.eta())
    );
    let (status_text, running) = match &job.status {
        JobStatus::Running => (detail, true),
        JobStatus::Cancelling => ("cancelling…".to_string(), false),
        JobStatus::Cancelled => ("cancelled".to_string(), false),
        JobStatus::Failed(m) => (format!("failed: {m}"), false),
    };
    let failed = matches!(job.status, JobStatus::Failed(_));
    view! {
        <div class="progress-row" data-testid="progress-row">
            <span class="name">{job.name.clone()}</span>
            <progress max="100" value=percent></progress>
            <span class="detail" class:error=failed data-testid="progress-status">{status_text}</span>
            {if running {
                view! { <button data-testid="cancel" on:click=move |_| client::cancel(state, id)>"Cancel"</button> }.into_any()
            } else {
                view! { <button on:click=move |_| client::dismiss(state, id)>"Dismiss"</button> }.into_any()
            }}
        </div>
    }
}
