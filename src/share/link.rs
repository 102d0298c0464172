//! The Copy-link button and the notes a link can leave (a local file it could not carry, a bad
//! parameter). The opt-in that embeds a small dropped file in the link is
//! `crate::intake::embed`, beside the dataset card that offers it.

use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::sync::LinkBuilder;
use super::use_share;

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
