//! The Parquet reader as a second worker module, fetched only when the first Parquet file arrives.
//!
//! Decoding Parquet more than doubles the worker's wasm (BENCHMARKS.md, "Parquet in the page"), a
//! download nobody who reads CSV or JSON should pay. So the page starts the small worker
//! (`worker.js`) and, when a Parquet file is dropped, picked or fetched (by its name, else by its
//! `PAR1` magic number), switches for good to `worker-parquet.js`: the same worker built with the
//! `page-parquet` feature. The switch goes the way of a worker restart
//! ([`super::worker_life::replace_worker`]): the small worker is terminated, the loaded files are
//! re-sent, files still being read are sent again, analyses in flight are asked again once the
//! files are back; then the Parquet file goes to the new worker like any other.
//!
//! [`ensure_parquet_worker`] is the switch, for any intake that knows it brings Parquet.

use std::cell::Cell;

use benchlens_engine::formats::parquet::{has_parquet_name, is_parquet};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::client::with_client;
use crate::jobs::protocol::Request;
use crate::state::AppState;

/// The small worker's script, and the one with Parquet (file names Trunk gives worker binaries).
pub(super) const PLAIN_WORKER: &str = "./worker.js";
const PARQUET_WORKER: &str = "./worker-parquet.js";

/// What the status line says while the Parquet worker is fetched and starting. The size is the
/// gzipped `worker-parquet_bg.wasm` (budgets.toml), what a compressing server sends.
pub const LOADING_READER: &str = "Loading the Parquet reader (about 1.6 MB)…";

thread_local! {
    /// True once the page switched to the Parquet worker (never switches back).
    static ACTIVE: Cell<bool> = const { Cell::new(false) };
    /// True while the Parquet worker is fetched and starts (until it first answers); made on
    /// first use.
    static STATUS: Cell<Option<RwSignal<bool>>> = const { Cell::new(None) };
    /// When the switch started (page clock, ms), for the console line that says how long the
    /// Parquet worker took to start.
    static SWITCHED_AT: Cell<f64> = const { Cell::new(0.0) };
}

/// The script of the worker the page runs (or restarts) now.
pub fn worker_script() -> &'static str {
    if ACTIVE.with(Cell::get) {
        PARQUET_WORKER
    } else {
        PLAIN_WORKER
    }
}

/// True once the page runs the Parquet worker.
pub fn is_active() -> bool {
    ACTIVE.with(Cell::get)
}

fn loading_signal() -> RwSignal<bool> {
    STATUS.with(|s| {
        s.get().unwrap_or_else(|| {
            let signal = RwSignal::new(false);
            s.set(Some(signal));
            signal
        })
    })
}

/// The worker answered: whatever it is, it has started, so the status line goes.
pub fn heard_from_worker() {
    if let Some(signal) = STATUS.with(Cell::get) {
        if signal.get_untracked() {
            signal.set(false);
            let started = SWITCHED_AT.with(Cell::get);
            leptos::logging::log!(
                "benchlens parquet worker: first answer {:.0} ms after the switch",
                super::client::now_ms() - started
            );
        }
    }
}

/// Switches the page to the Parquet worker, once; later calls do nothing. Loaded files are
/// reloaded into it and analyses in flight are asked again, so nothing is lost but time.
pub fn ensure_parquet_worker(state: AppState) {
    if is_active() || super::worker_life::gave_up().is_some() {
        return;
    }
    ACTIVE.with(|a| a.set(true));
    SWITCHED_AT.with(|s| s.set(super::client::now_ms()));
    loading_signal().set(true);
    super::worker_life::replace_worker(state);
}

/// File names whose bytes are text for sure: no need to look at their first bytes.
fn has_text_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".csv", ".tsv", ".json", ".jsonl", ".ndjson", ".txt"].iter().any(|ext| lower.ends_with(ext))
}

/// Sends a parse request to the worker, switching to the Parquet worker first when the file is
/// Parquet: by its name at once, else (a name that says nothing) by its first four bytes.
pub(super) fn send_parse(state: AppState, request: Request) {
    let blob = match &request {
        Request::Parse { name, blob, .. } if !is_active() => {
            if has_parquet_name(name) {
                ensure_parquet_worker(state);
                None
            } else if has_text_name(name) || blob.size() < 4.0 {
                None
            } else {
                Some(blob.clone())
            }
        }
        // A hub dataset is Parquet by construction.
        Request::ParseHub { .. } if !is_active() => {
            ensure_parquet_worker(state);
            None
        }
        _ => None,
    };
    let Some(blob) = blob else {
        with_client(|c| c.bridge.send(request));
        return;
    };
    // By the time the head is read the job shows as running, so a switch meanwhile (this file's
    // or another's) has already re-sent it to the new worker: sending it again would read it twice.
    leptos::task::spawn_local(async move {
        if blob_head(&blob).await.is_some_and(|head| is_parquet(&head)) {
            ensure_parquet_worker(state);
        }
        if !is_active() {
            with_client(|c| c.bridge.send(request));
        }
    });
}

/// The first four bytes of a Blob (the page has no FileReaderSync: read asynchronously).
async fn blob_head(blob: &web_sys::Blob) -> Option<Vec<u8>> {
    let slice = blob.slice_with_f64_and_f64(0.0, 4.0).ok()?;
    let buffer = JsFuture::from(slice.array_buffer()).await.ok()?;
    let buffer: js_sys::ArrayBuffer = buffer.dyn_into().ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// "Loading the Parquet reader…" while the Parquet worker is fetched and starts.
#[component]
pub fn ParquetReaderStatus() -> impl IntoView {
    let loading = loading_signal();
    view! {
        <Show when=move || loading.get()>
            <p class="parquet-reader-status" role="status" data-testid="parquet-reader-status">
                {LOADING_READER}
            </p>
        </Show>
    }
}
