//! "Open from the Hugging Face hub": the intake bar's box for an `hf://datasets/…` link, and the
//! start of every hub load (the box and `?data=hf://…` share links both come here). The worker
//! lists and reads the files (`crate::jobs::parquet_http`); the rules of a link are in
//! `crate::jobs::hub_ref`.
//!
//! Which hub: always `https://huggingface.co`, except that a page served from a loopback address
//! may name another loopback server with `?hub=http://127.0.0.1:PORT`, so the end-to-end tests
//! can stand in for the hub without internet. A public page ignores the parameter, so no link can
//! send a visitor's requests to a server of the sender's choosing; the policy in scripts/csp.py
//! would refuse it anyway.

use std::cell::OnceCell;

use benchlens_engine::formats::LoadOptions;
use leptos::prelude::*;

use super::client::{self, Source};
use super::source::DataSource;
use crate::jobs::hub_ref::{HubRef, HubSource, HUB};
use crate::jobs::protocol::JobId;
use crate::state::{use_app_state, AppState};

thread_local! {
    /// The hub, decided once from the address the page was opened with (the share link code
    /// rewrites the address soon after, without `hub=`).
    static HUB_BASE: OnceCell<String> = const { OnceCell::new() };
}

fn is_loopback(host: &str) -> bool {
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

/// The `hub=` override of a page at `href`, when both the page and the named server are on
/// loopback; `None` otherwise.
fn loopback_override(href: &str) -> Option<String> {
    let page = web_sys::Url::new(href).ok()?;
    if !is_loopback(&page.hostname()) {
        return None;
    }
    let raw = page.search_params().get("hub")?;
    let hub = web_sys::Url::new(&raw).ok()?;
    let ok = matches!(hub.protocol().as_str(), "http:" | "https:") && is_loopback(&hub.hostname());
    ok.then(|| hub.origin())
}

/// Reads the hub override from the address the page was opened with. Call before anything
/// rewrites the address.
pub fn remember_hub() {
    let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    HUB_BASE.with(|h| {
        h.get_or_init(|| loopback_override(&href).unwrap_or_else(|| HUB.into()));
    });
}

fn hub_base() -> String {
    HUB_BASE.with(|h| h.get().cloned()).unwrap_or_else(|| HUB.into())
}

/// Starts loading the files a hub link names, as one dataset; its job id, or why the link is
/// not one.
pub fn open(state: AppState, spec: &str, options: LoadOptions) -> Result<JobId, String> {
    let hub_ref = HubRef::parse(spec)?;
    let label = hub_ref.label();
    let provenance = DataSource::Url { url: hub_ref.spec() };
    let source = HubSource { hub: hub_base(), hub_ref };
    let origin = "Hugging Face hub";
    client::start_job(
        state,
        &label,
        origin,
        0.0,
        Source::Hub(source),
        options,
        None,
        Some(provenance),
    )
    .ok_or_else(|| format!("{spec}: the worker is not running; reload the page"))
}

/// "From the hub…": a disclosure holding the link box.
#[component]
pub fn HubBox() -> impl IntoView {
    let state = use_app_state();
    let (spec, set_spec) = signal(String::new());
    let (problem, set_problem) = signal(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = spec.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        match open(state, text.trim(), LoadOptions::default()) {
            Ok(_) => {
                set_problem.set(None);
                set_spec.set(String::new());
            }
            Err(why) => set_problem.set(Some(why)),
        }
    };
    view! {
        <details class="hub-box" data-testid="hub-box">
            <summary class="button" data-testid="hub-toggle">
                "From the hub…"
            </summary>
            <form class="paste-box" on:submit=submit>
                <label for="hub-input">"Open from the Hugging Face hub"</label>
                <input
                    id="hub-input"
                    type="text"
                    data-testid="hub-input"
                    placeholder="hf://datasets/lmarena-ai/arena-human-preference-140k/data/train-*.parquet"
                    prop:value=move || spec.get()
                    on:input=move |ev| set_spec.set(event_target_value(&ev))
                />
                <button type="submit" class="button primary" data-testid="hub-open">
                    "Open"
                </button>
                <p class="hint">
                    "Public Parquet datasets, read in parts by range requests. Add a path to pick one split, and @revision for another branch (e.g. @refs%2Fconvert%2Fparquet). benchlens sends no token: gated and private datasets cannot be read."
                </p>
                <Show when=move || problem.with(Option::is_some)>
                    <p class="error" data-testid="hub-error">
                        {move || problem.get().unwrap_or_default()}
                    </p>
                </Show>
            </form>
        </details>
    }
}
