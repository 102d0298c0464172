//! The front door every view uses: drop, pick or paste files, or load a sample; see progress and
//! what was loaded.

pub mod analyses;
pub mod client;
pub mod dataset_panel;
pub mod drop;
pub mod embed;
pub mod fetch;
pub mod hub;
pub mod mapping;
pub mod parquet_worker;
pub mod progress;
pub mod samples;
pub mod source;
pub mod worker_life;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::{use_app_state, AppState};

pub use dataset_panel::DatasetPanel;
pub use progress::ProgressList;
pub use samples::SampleMenu;

/// Sends every file of a `<input type=file>` to the worker.
fn submit_input_files(state: AppState, input: &web_sys::HtmlInputElement, origin: &str) {
    let Some(files) = input.files() else { return };
    let mut list = Vec::new();
    for i in 0..files.length() {
        if let Some(f) = files.get(i) {
            // Folder picks carry the path inside the folder.
            let path = js_sys::Reflect::get(&f, &"webkitRelativePath".into())
                .ok()
                .and_then(|v| v.as_string())
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| f.name());
            list.push((path, f));
        }
    }
    list.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, file) in list {
        if path.rsplit('/').next().is_some_and(|n| n.starts_with('.')) {
            continue;
        }
        client::submit_blob(state, &file.name(), file.unchecked_into(), origin);
    }
    input.set_value("");
}

/// Handles a drop anywhere on the page.
pub fn on_drop(state: AppState, ev: &web_sys::DragEvent) {
    ev.prevent_default();
    let Some(transfer) = ev.data_transfer() else { return };
    let items = drop::collect(&transfer);
    leptos::task::spawn_local(async move {
        for (_path, file) in drop::expand(items).await {
            let name = file.name();
            client::submit_blob(state, &name, file.unchecked_into(), "dropped");
        }
    });
}

/// Buttons: open files, open a folder, paste text, samples.
#[component]
pub fn IntakeBar() -> impl IntoView {
    let state = use_app_state();
    let folder_ref = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = folder_ref.get() {
            let _ = input.set_attribute("webkitdirectory", "");
        }
    });
    let (paste_open, set_paste_open) = signal(false);
    let (paste_text, set_paste_text) = signal(String::new());
    let (paste_name, set_paste_name) = signal("pasted.csv".to_string());
    let submit_paste = move |_| {
        let text = paste_text.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        client::submit_text(state, &paste_name.get_untracked(), text);
        set_paste_text.set(String::new());
        set_paste_open.set(false);
    };
    view! {
        <div class="intake-bar">
            <label class="button primary">
                "Open files…"
                <input
                    type="file"
                    multiple=true
                    data-testid="file-input"
                    class="visually-hidden"
                    on:change=move |ev| submit_input_files(state, &event_target(&ev), "picked")
                />
            </label>
            <label class="button">
                "Open folder…"
                <input
                    type="file"
                    multiple=true
                    node_ref=folder_ref
                    data-testid="folder-input"
                    class="visually-hidden"
                    on:change=move |ev| submit_input_files(
                        state,
                        &event_target(&ev),
                        "picked folder",
                    )
                />
            </label>
            <button
                class="button"
                data-testid="paste-toggle"
                on:click=move |_| set_paste_open.update(|o| *o = !*o)
            >
                "Paste text"
            </button>
            <SampleMenu />
            <hub::HubBox />
            <span class="hint">
                "…or drop files and folders anywhere. Nothing leaves this browser."
            </span>
        </div>
        <Show when=move || paste_open.get()>
            <div class="paste-box">
                <input
                    type="text"
                    data-testid="paste-name"
                    prop:value=move || paste_name.get()
                    on:input=move |ev| set_paste_name.set(event_target_value(&ev))
                />
                <textarea
                    rows="8"
                    data-testid="paste-text"
                    placeholder="Paste CSV, TSV, JSON or JSONL"
                    prop:value=move || paste_text.get()
                    on:input=move |ev| set_paste_text.set(event_target_value(&ev))
                ></textarea>
                <button class="button primary" data-testid="paste-submit" on:click=submit_paste>
                    "Load pasted text"
                </button>
            </div>
        </Show>
    }
}
