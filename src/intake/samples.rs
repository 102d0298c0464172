//! The "Try sample data" menu: bundled real data sets, listed in `samples/index.json` (compiled
//! in, so the menu needs no request) and fetched from the page's own origin when chosen.

use leptos::prelude::*;
use serde::Deserialize;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::intake::client;
use crate::state::use_app_state;

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

async fn fetch_blob(path: &str) -> Result<web_sys::Blob, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(path))
        .await
        .map_err(|_| format!("{path}: the request failed (offline?)"))?;
    let response: web_sys::Response =
        response.dyn_into().map_err(|_| "not a response".to_string())?;
    if !response.ok() {
        return Err(format!("{path}: HTTP {}", response.status()));
    }
    let blob = response.blob().map_err(|_| format!("{path}: no body"))?;
    JsFuture::from(blob)
        .await
        .map_err(|_| format!("{path}: download interrupted"))?
        .dyn_into()
        .map_err(|_| "not a blob".into())
}

/// A select menu that loads a bundled sample set into the worker.
#[component]
pub fn SampleMenu() -> impl IntoView {
    let state = use_app_state();
    let sets = sample_sets();
    let (error, set_error) = signal(None::<String>);
    let options = sets
        .iter()
        .map(|s| view! { <option value=s.id.clone() title=format!("{} — {}", s.source, s.licence)>{s.label.clone()}</option> })
        .collect_view();
    let on_change = move |ev: leptos::ev::Event| {
        let select: web_sys::HtmlSelectElement = event_target(&ev);
        let id = select.value();
        select.set_value("");
        let Some(set) = sample_sets().into_iter().find(|s| s.id == id) else { return };
        set_error.set(None);
        leptos::task::spawn_local(async move {
            for file in &set.files {
                match fetch_blob(&format!("samples/{file}")).await {
                    Ok(blob) => {
                        let name = file.rsplit('/').next().unwrap_or(file);
                        client::submit_blob(state, name, blob, &format!("sample: {}", set.label));
                    }
                    Err(e) => set_error.set(Some(e)),
                }
            }
        });
    };
    view! {
        <label class="sample-menu">
            <select data-testid="sample-menu" on:change=on_change>
                <option value="" selected=true>"Try sample data…"</option>
                {options}
            </select>
        </label>
        <Show when=move || error.get().is_some()>
            <span class="error" role="alert">{move || error.get().unwrap_or_default()}</span>
        </Show>
    }
}
