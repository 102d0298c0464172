//! Keeps the address bar in step with the page: every settings change rewrites the URL in
//! place (`replaceState`), a view change adds a history entry (`pushState`) so back/forward
//! move between views, and nothing ever reloads the page. On load, a link's state is applied
//! and its data fetched in the link's order.

use std::time::Duration;

use benchlens_engine::formats::LoadOptions;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::location::{self, checked_data_url, ReadLink};
use super::{DataSource, ShareContext, ShareState, SharedDataset, ViewStates, SHARE_VERSION};
use crate::intake::samples::sample_sets;
use crate::intake::{client, fetch, hub};
use crate::jobs::protocol::JobId;
use crate::state::View;
use crate::state::{AppState, JobStatus};
use crate::views::defects::DefectsShare;
use crate::views::judge::JudgeShare;
use crate::views::ratings::RatingsShare;
use crate::views::scaling::ScalingShare;

/// Settings of untouched views: left out of links.
#[derive(Clone)]
struct Defaults {
    ratings: RatingsShare,
    scaling: ScalingShare,
    defects: DefectsShare,
    judge: JudgeShare,
}

/// Builds the link of the page as it is now; in context for the Copy-link button.
#[derive(Clone, Copy)]
pub struct LinkBuilder {
    app: AppState,
    /// Id and status of each job listed, so the link follows jobs starting, ending and being
    /// cancelled but not their progress reports (which arrive every few megabytes).
    job_ids: Memo<Vec<(JobId, JobStatus)>>,
    views: ViewStates,
    defaults: StoredValue<Defaults>,
    share: ShareContext,
}

impl LinkBuilder {
    /// The page's state (tracked: call it in an effect to follow changes).
    pub fn state(&self) -> ShareState {
        self.share.revision.track();
        self.app.datasets.track();
        self.job_ids.track();
        let provenance = client::provenance();
        let ids: Vec<JobId> = provenance.iter().map(|(id, ..)| *id).collect();
        let data = provenance
            .into_iter()
            .map(|(_, source, options)| SharedDataset { source, options })
            .collect();
        let d = self.defaults.get_value();
        let view = self.app.view.get();
        ShareState {
            v: SHARE_VERSION,
            view: (view != View::Data).then_some(view),
            data,
            ratings: Some(self.views.ratings.snapshot()).filter(|s| *s != d.ratings),
            scaling: Some(self.views.scaling.snapshot(|id| ids.iter().position(|i| *i == id)))
                .filter(|s| *s != d.scaling),
            defects: Some(self.views.defects.snapshot()).filter(|s| *s != d.defects),
            judge: Some(self.views.judge.snapshot()).filter(|s| *s != d.judge),
        }
    }

    /// The full address of the page as it is now.
    pub fn href(&self) -> String {
        let state = untrack(|| self.state());
        location::write(&page_base(), &state)
    }

    /// How many datasets a link cannot carry (dropped locally and not embedded).
    pub fn local_files(&self) -> Vec<String> {
        self.share.revision.track();
        self.app.datasets.track();
        client::provenance()
            .into_iter()
            .filter_map(|(_, s, _)| match s {
                DataSource::Local { name } => Some(name),
                _ => None,
            })
            .collect()
    }
}

fn page_base() -> String {
    web_sys::window()
        .map(|w| w.location())
        .and_then(|l| Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?)))
        .unwrap_or_default()
}

fn current_href() -> String {
    web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default()
}

/// Restores the link the page was opened with, then keeps the URL in step. Call once, after
/// the view states are in context and the worker is up.
pub fn install(app: AppState, views: ViewStates, share: ShareContext) {
    let defaults = untrack(|| Defaults {
        ratings: views.ratings.snapshot(),
        scaling: views.scaling.snapshot(|_| None),
        defects: views.defects.snapshot(),
        judge: views.judge.snapshot(),
    });
    let job_ids =
        Memo::new(move |_| app.jobs.with(|j| j.iter().map(|j| (j.id, j.status.clone())).collect()));
    let builder = LinkBuilder { app, job_ids, views, defaults: StoredValue::new(defaults), share };
    provide_context(builder);
    if let Some(link) = location::read(&current_href()) {
        apply(builder, link, true);
    }
    let last_view = StoredValue::new(app.view.get_untracked());
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        let state = builder.state();
        let this = generation.get_value().wrapping_add(1);
        generation.set_value(this);
        // Coalesces bursts (typing in a search box) into one history call.
        set_timeout(
            move || {
                if generation.get_value() == this {
                    write_url(&state, last_view);
                }
            },
            Duration::from_millis(120),
        );
    });
    let on_pop = Closure::<dyn FnMut(web_sys::PopStateEvent)>::new(move |_| {
        generation.update_value(|g| *g = g.wrapping_add(1));
        let link = location::read(&current_href()).unwrap_or_default();
        last_view.set_value(link.state.view.unwrap_or(View::Data));
        apply(builder, link, false);
    });
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    }
    // The listener lives as long as the page.
    on_pop.forget();
}

fn write_url(state: &ShareState, last_view: StoredValue<View>) {
    let Some(history) = web_sys::window().and_then(|w| w.history().ok()) else { return };
    let href = location::write(&page_base(), state);
    if href == current_href() {
        return;
    }
    let view = state.view.unwrap_or(View::Data);
    let new_entry = view != last_view.get_value();
    last_view.set_value(view);
    let result = if new_entry {
        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&href))
    } else {
        history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&href))
    };
    if result.is_err() {
        leptos::logging::warn!("the address bar could not be updated");
    }
}

/// Applies a link: view, every view's settings, and (on load) its data.
fn apply(builder: LinkBuilder, link: ReadLink, load_data: bool) {
    let LinkBuilder { app, views, defaults, share, .. } = builder;
    let d = defaults.get_value();
    let state = link.state;
    if !link.notes.is_empty() {
        share.notes.update(|n| n.extend(link.notes));
    }
    let ids: Vec<Option<JobId>> = if load_data {
        state.data.iter().map(|d| load(app, share, d)).collect()
    } else {
        client::provenance().iter().map(|(id, ..)| Some(*id)).collect()
    };
    views.ratings.restore(state.ratings.unwrap_or(d.ratings));
    views
        .scaling
        .restore(state.scaling.unwrap_or(d.scaling), |pos| ids.get(pos).copied().flatten());
    views.defects.restore(state.defects.unwrap_or(d.defects));
    views.judge.restore(state.judge.unwrap_or(d.judge));
    app.view.set(state.view.unwrap_or(View::Data));
}

/// Starts loading one dataset of a link; its job id, or `None` when it cannot be loaded here.
fn load(app: AppState, share: ShareContext, dataset: &SharedDataset) -> Option<JobId> {
    let options: LoadOptions = dataset.options.clone();
    let note = |text: String| share.notes.update(|n| n.push(text));
    match &dataset.source {
        DataSource::Sample { set, file } => {
            let sets = sample_sets();
            let Some(s) = sets.iter().find(|s| &s.id == set && s.files.contains(file)) else {
                note(format!(
                    "The link names a sample file this version does not have: {set}/{file}."
                ));
                return None;
            };
            let name = dataset.source.name().to_owned();
            let origin = format!("sample: {}", s.label);
            let url = format!("samples/{file}");
            fetch::download(app, &name, &origin, dataset.source.clone(), options, url)
        }
        DataSource::Url { url } if url.starts_with("hf://") => {
            hub::open(app, url, options).map_err(note).ok()
        }
        DataSource::Url { url } => match checked_data_url(url, &current_href()) {
            Ok(url) => {
                let name = dataset.source.name().to_owned();
                fetch::download(
                    app,
                    &name,
                    &url,
                    DataSource::Url { url: url.clone() },
                    options,
                    url.clone(),
                )
            }
            Err(e) => {
                note(e);
                None
            }
        },
        DataSource::Inline { name, text } => {
            let job =
                client::reserve(app, name, "inline in the link", dataset.source.clone(), options)?;
            client::submit_inline(app, job, name, text.clone());
            Some(job)
        }
        DataSource::Local { name } => {
            note(format!(
                "“{name}” was a local file on the sender's machine and is not in this link: drop it here to complete the view."
            ));
            None
        }
    }
}
