//! The Copy-link button, the notes a link can leave (a local file it could not carry, a bad
//! parameter), and the opt-in that embeds a small dropped file in the link itself.

use benchlens_engine::share::{compressed_len, MAX_INLINE_COMPRESSED_BYTES};
use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::sync::LinkBuilder;
use super::{use_share, DataSource};
use crate::format;
use crate::intake::client;
use crate::jobs::protocol::JobId;

/// Files larger than this are not even offered for embedding (they would not compress under
/// the limit, and reading them on the main thread would stall the page).
const MAX_EMBED_SOURCE_BYTES: u64 = 4 << 20;

/// "Copy link": puts the page's address (which carries its whole state) on the clipboard, and
/// shows it so it can be copied by hand where the clipboard is not allowed.
#[component]
pub fn CopyLink() -> impl IntoView {
    let builder = expect_context::<LinkBuilder>();
    let (link, set_link) = signal(None::<String>);
    let (status, set_status) = signal(String::new());
    let local = Memo::new(move |_| builder.local_files());
    let copy = move |_| {
        let href = builder.href();
        set_link.set(Some(href.clone()));
        set_status.set(format!("{} characters", href.chars().count()));
        let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) else { return };
        let promise = clipboard.write_text(&href);
        leptos::task::spawn_local(async move {
            match JsFuture::from(promise).await {
                Ok(_) => set_status.set("Link copied".into()),
                Err(_) => set_status
                    .set("Copy the link below (the clipboard is not available here)".into()),
            }
        });
    };
    view! {
        <div class="copy-link">
            <button
                class="button"
                data-testid="copy-link"
                on:click=copy
                title="A link that reproduces this view: data sources, settings, seed and selection"
            >
                "Copy link"
            </button>
            <Show when=move || link.with(Option::is_some)>
                <div class="copy-link-panel" data-testid="share-panel">
                    <input
                        type="text"
                        readonly=true
                        data-testid="share-link"
                        aria-label="Link to this view"
                        prop:value=move || link.get().unwrap_or_default()
                        on:focus=move |ev| {
                            let input: web_sys::HtmlInputElement = event_target(&ev);
                            input.select();
                        }
                    />
                    <span class="hint" data-testid="share-status">
                        {move || status.get()}
                    </span>
                    <Show when=move || local.with(|l| !l.is_empty())>
                        <p class="warning" data-testid="share-local-files">
                            {move || {
                                let files = local.get();
                                format!(
                                    "Not in the link (local files): {}. Embed small files from the Data tab, or host them and load them with ?data=URL.",
                                    files.join(", "),
                                )
                            }}
                        </p>
                    </Show>
                    <button class="button small" on:click=move |_| set_link.set(None)>
                        "Close"
                    </button>
                </div>
            </Show>
        </div>
    }
}

/// What a link could not do, until dismissed.
#[component]
pub fn ShareNotes() -> impl IntoView {
    let share = use_share();
    view! {
        <Show when=move || share.notes.with(|n| !n.is_empty())>
            <div class="share-notes" role="status" data-testid="share-notes">
                <ul>
                    {move || {
                        share.notes.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()
                    }}
                </ul>
                <button class="button small" on:click=move |_| share.notes.set(Vec::new())>
                    "Dismiss"
                </button>
            </div>
        </Show>
    }
}

/// Whether the embed box can be offered for a file of this size and encoding.
pub fn embeddable(bytes: u64, encoding: &str) -> bool {
    bytes <= MAX_EMBED_SOURCE_BYTES && encoding.starts_with("utf-8")
}

/// The opt-in to carry a dropped file inside the link.
#[component]
pub fn EmbedToggle(
    /// The dataset.
    id: JobId,
) -> impl IntoView {
    let share = use_share();
    let (state, set_state) = signal(String::new());
    let embedded = RwSignal::new(matches!(
        client::provenance().into_iter().find(|(i, ..)| *i == id).map(|(_, s, _)| s),
        Some(DataSource::Inline { .. })
    ));
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some((_, source, _)) = client::provenance().into_iter().find(|(i, ..)| *i == id) else {
            return;
        };
        let name = source.name().to_owned();
        if !input.checked() {
            client::set_provenance(id, DataSource::Local { name });
            embedded.set(false);
            set_state.set(String::new());
            share.touch();
            return;
        }
        let Some(blob) = client::source_blob(id) else { return };
        leptos::task::spawn_local(async move {
            let text = match JsFuture::from(blob.text()).await.map(|t| t.as_string()) {
                Ok(Some(t)) => t,
                _ => {
                    set_state.set("could not read the file".into());
                    return;
                }
            };
            let size = compressed_len(text.as_bytes());
            if size > MAX_INLINE_COMPRESSED_BYTES {
                embedded.set(false);
                set_state.set(format!(
                    "too large to embed: {} compressed (limit {})",
                    format::bytes(size as f64),
                    format::bytes(MAX_INLINE_COMPRESSED_BYTES as f64)
                ));
                return;
            }
            client::set_provenance(id, DataSource::Inline { name, text });
            embedded.set(true);
            set_state.set(format!("in the link: {} compressed", format::bytes(size as f64)));
            share.touch();
        });
    };
    view! {
        <label
            class="embed-toggle"
            title="Put this file's contents in the share link (up to 64 KB compressed), so the link works without hosting it"
        >
            <input
                type="checkbox"
                data-testid=format!("embed-{id}")
                prop:checked=move || embedded.get()
                on:change=on_change
            />
            "Embed in link"
            <span class="hint" data-testid=format!("embed-status-{id}")>
                {move || state.get()}
            </span>
        </label>
    }
}
