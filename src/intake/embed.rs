//! The opt-in that embeds a small dropped file in the share link. It sits in intake, beside the
//! dataset card that offers it, because it rewrites the dataset's recorded source; the link
//! reads that source like any other.

use benchlens_engine::share::{compressed_len, MAX_INLINE_COMPRESSED_BYTES};
use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::client;
use super::source::DataSource;
use crate::format;
use crate::jobs::protocol::JobId;
use crate::state::use_share;

/// Files larger than this are not even offered for embedding (they would not compress under
/// the limit, and reading them on the main thread would stall the page).
const MAX_EMBED_SOURCE_BYTES: u64 = 4 << 20;

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
