//! The reviewer's marks as a file, and where they stand in storage: a count, "Export marks",
//! "Import marks…", and a plain alert when local storage cannot be read or written (with the
//! unreadable text offered as a download before anything replaces it).

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::marks::{
    export_json, merge, overwrite_unreadable, parse_import, use_marks, Marks, MarksStore,
    STORAGE_KEY,
};
use crate::export::download::{blob, save_blob};
use crate::views::form::ActionButton;

/// Saves `text` as a JSON download named `file`.
fn download(text: &str, file: &str) -> Result<(), String> {
    save_blob(&blob(text.as_bytes(), "application/json")?, file)
}

/// Reads the picked file and merges its marks; the message says what changed or what was wrong.
async fn import(marks: Marks, file: web_sys::File) -> Result<String, String> {
    let name = file.name();
    let text = JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| format!("{name}: the browser could not read the file"))?;
    let imported = parse_import(&name, &text)?;
    let total = imported.len();
    let merged = marks.0.try_update(|m| merge(m, imported)).ok_or("the view was closed")?;
    Ok(format!(
        "{name}: {total} marks read — {} new, {} changed (the file's verdict kept), {} already here.",
        merged.added, merged.changed, merged.unchanged
    ))
}

/// What the storage alert says, or None when the marks are safe.
fn store_alert(store: &MarksStore) -> Option<String> {
    match store {
        MarksStore::Saved => None,
        MarksStore::Unavailable => Some(
            "This browser gives the page no local storage: marks last only until the page is \
             closed. Export them to keep them."
                .to_owned(),
        ),
        MarksStore::Unreadable { why, .. } => Some(format!(
            "Saved marks could not be read ({why}). They are left untouched and new marks are \
             not saved until you choose: download the stored text to repair it, or replace it \
             with the marks on this page."
        )),
        MarksStore::SaveFailed(why) => Some(format!(
            "Marks are not being saved: {why}. They exist only on this page; export them."
        )),
    }
}

/// Marks count, export and import, and storage problems.
#[component]
pub fn MarksPanel() -> impl IntoView {
    let marks = use_marks();
    let (status, set_status) = signal(None::<Result<String, String>>);
    let count = move || marks.0.with(|m| m.len());
    let export = move |_| {
        let text = marks.0.with_untracked(export_json);
        set_status.set(download(&text, "benchlens-marks.json").err().map(Err));
    };
    let on_pick = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        // The same file can be picked again after a fix.
        input.set_value("");
        leptos::task::spawn_local(async move {
            set_status.set(Some(import(marks, file).await));
        });
    };
    let unreadable_raw = move || match marks.1.get() {
        MarksStore::Unreadable { raw, .. } => Some(raw),
        _ => None,
    };
    let download_raw = move |_| {
        if let MarksStore::Unreadable { raw: Some(raw), .. } = marks.1.get_untracked() {
            set_status
                .set(download(&raw, &format!("{STORAGE_KEY}.unreadable.json")).err().map(Err));
        }
    };
    view! {
        <div class="marks-panel" data-testid="marks-panel">
            <span data-testid="marks-count">
                {move || match count() {
                    1 => "1 mark".to_owned(),
                    n => format!("{n} marks"),
                }}
            </span>
            <button type="button" data-testid="marks-export" on:click=export>
                "Export marks"
            </button>
            <label class="button">
                "Import marks…"
                <input
                    type="file"
                    accept=".json,application/json"
                    hidden=true
                    data-testid="marks-import"
                    on:change=on_pick
                />
            </label>
            {move || {
                status
                    .get()
                    .map(|s| match s {
                        Ok(m) => {
                            view! {
                                <span class="hint" role="status" data-testid="marks-status">
                                    {m}
                                </span>
                            }
                                .into_any()
                        }
                        Err(e) => {
                            view! {
                                <span class="error" role="alert" data-testid="marks-status">
                                    {e}
                                </span>
                            }
                                .into_any()
                        }
                    })
            }}
            {move || {
                marks
                    .1
                    .with(store_alert)
                    .map(|text| {
                        view! {
                            <p
                                class="error marks-store"
                                role="alert"
                                data-testid="marks-store-error"
                            >
                                {text}
                                {unreadable_raw()
                                    .map(|raw| {
                                        view! {
                                            {raw
                                                .is_some()
                                                .then(|| {
                                                    view! {
                                                        " "
                                                        <ActionButton
                                                            testid="marks-download-unreadable"
                                                            on_click=download_raw
                                                        >
                                                            "Download the stored text"
                                                        </ActionButton>
                                                    }
                                                })}
                                            " "
                                            <ActionButton
                                                testid="marks-overwrite"
                                                on_click=move |_| overwrite_unreadable(marks)
                                            >
                                                "Replace it with this page's marks"
                                            </ActionButton>
                                        }
                                    })}
                            </p>
                        }
                    })
            }}
        </div>
    }
}
