//! The "Try sample data" menu: bundled real data sets, listed in `samples/index.json` (compiled
//! in, so the menu needs no request) and fetched from the page's own origin when chosen.

use benchlens_engine::formats::LoadOptions;
use leptos::prelude::*;
use serde::Deserialize;

use super::source::DataSource;
use crate::intake::fetch;
use crate::state::{use_app_state, AppState};

/// One entry of the menu.
#[derive(Debug, Clone, Deserialize)]
pub struct SampleSet {
    pub id: String,
    pub label: String,
    pub files: Vec<String>,
    pub source: String,
    pub licence: String,
}

#[derive(Deserialize)]
struct SampleIndex {
    sets: Vec<SampleSet>,
}

/// The bundled sample sets.
pub fn sample_sets() -> Vec<SampleSet> {
    serde_json::from_str::<SampleIndex>(include_str!("../../samples/index.json"))
        .map(|i| i.sets)
        .unwrap_or_default()
}

/// Loads every file of a sample set, in the set's order.
pub fn load_sample_files(state: AppState, set: &SampleSet, files: &[String]) {
    for file in files {
        let name = file.rsplit('/').next().unwrap_or(file);
        let source = DataSource::Sample { set: set.id.clone(), file: file.clone() };
        let origin = format!("sample: {}", set.label);
        let url = format!("samples/{file}");
        fetch::download(state, name, &origin, source, LoadOptions::default(), url);
    }
}

/// A select menu that loads a bundled sample set into the worker.
#[component]
pub fn SampleMenu() -> impl IntoView {
    let state = use_app_state();
    let sets = sample_sets();
    let options = sets
        .iter()
        .map(|s| {
            view! {
                <option value=s.id.clone() title=format!("{} — {}", s.source, s.licence)>
                    {s.label.clone()}
                </option>
            }
        })
        .collect_view();
    let on_change = move |ev: leptos::ev::Event| {
        let select: web_sys::HtmlSelectElement = event_target(&ev);
        let id = select.value();
        select.set_value("");
        let Some(set) = sample_sets().into_iter().find(|s| s.id == id) else { return };
        load_sample_files(state, &set, &set.files);
    };
    view! {
        <label class="sample-menu">
            <select data-testid="sample-menu" on:change=on_change>
                <option value="" selected=true>
                    "Try sample data…"
                </option>
                {options}
            </select>
        </label>
    }
}
