//! Keeps the page alive when its worker dies.
//!
//! The release build aborts on panic, so a bug or an out-of-memory in the worker is a wasm trap:
//! the worker's instance is finished, and without this file the page would show "Computing…"
//! forever. Here the page hears the Worker's `error` event, terminates it, answers every pending
//! analysis with a plain message (what happened, what to try), starts a fresh worker and re-sends
//! the files it still holds (Blobs and pasted text); analyses asked for meanwhile wait until the
//! files are back. A worker that keeps dying (three times within a minute, e.g. it cannot even
//! start) is not restarted again: the page says so and asks for a reload.
//!
//! The same path switches the page to the Parquet worker ([`replace_worker`], called by
//! [`super::parquet_worker`]); which script a fresh worker runs is that module's to say.
//!
//! gloo-worker does not hand out the `Worker` it creates, so [`spawn_bridge`] wraps the global
//! `Worker` constructor in a Proxy for the duration of the spawn call to keep a handle on it.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use gloo_worker::{Spawnable, WorkerBridge};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::client::{self, with_client, AnalysisEnd, Client, Source};
use crate::jobs::protocol::{JobId, Request, Response};
use crate::jobs::{IntakeWorker, JsCodec};
use crate::state::{AppState, JobStatus};

/// Restarts allowed within [`RESTART_WINDOW_MS`] before the page stops restarting.
const MAX_RESTARTS: usize = 3;
const RESTART_WINDOW_MS: f64 = 60_000.0;

/// What a pending analysis hears when the worker died under it. Views show it as the analysis's
/// error; [`is_worker_stop`] recognises it (for a Run again button).
pub const WORKER_STOPPED: &str = "The analysis worker stopped before answering: most likely this \
     tab ran out of memory (or hit a bug). A fresh worker has been started and your files are \
     being reloaded. Run the analysis again; if it stops again, try a smaller file or narrow it \
     with a filter (fewer models, one language, a date range).";

/// True when an analysis error is [`WORKER_STOPPED`].
pub fn is_worker_stop(message: &str) -> bool {
    message == WORKER_STOPPED
}

#[wasm_bindgen]
extern "C" {
    /// The browser's `Worker` behind the gloo bridge.
    #[derive(Clone)]
    pub type NativeWorker;
    #[wasm_bindgen(method)]
    fn terminate(this: &NativeWorker);
    #[wasm_bindgen(method, js_name = addEventListener)]
    fn add_event_listener(this: &NativeWorker, kind: &str, listener: &js_sys::Function);
}

/// The latest worker stop, for the notice on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerStop {
    /// The browser's description of the error ("RuntimeError: unreachable").
    pub detail: String,
    /// Stops since the page was opened.
    pub count: u32,
    /// Analyses that were running and now show [`WORKER_STOPPED`].
    pub analyses: usize,
    /// Files being reloaded into the fresh worker.
    pub reloaded: usize,
    /// Files that were being read when it stopped (not retried: they may be the cause).
    pub interrupted: Vec<String>,
    /// No fresh worker was started: it stopped too often.
    pub gave_up: bool,
}

/// The worker's history, kept in the client.
pub struct Life {
    /// Times of recent stops, ms since page load.
    stops: Vec<f64>,
    count: u32,
    gave_up: bool,
    /// Datasets re-sent to a fresh worker and not yet back.
    reloading: BTreeSet<JobId>,
    /// Analyses waiting for `reloading` to empty, in the order asked.
    held: Vec<(JobId, Request)>,
    notice: RwSignal<Option<WorkerStop>>,
}

impl Life {
    pub fn new() -> Self {
        Self {
            stops: Vec::new(),
            count: 0,
            gave_up: false,
            reloading: BTreeSet::new(),
            held: Vec::new(),
            notice: RwSignal::new(None),
        }
    }

    /// Holds `request` while files are being reloaded; gives it back when it can go now.
    pub fn hold(&mut self, job: JobId, request: Request) -> Option<Request> {
        if self.reloading.is_empty() {
            return Some(request);
        }
        self.held.push((job, request));
        None
    }

    /// Drops a held analysis (cancelled before it was sent); true if it was held.
    pub fn release_held(&mut self, job: JobId) -> bool {
        let before = self.held.len();
        self.held.retain(|(j, _)| *j != job);
        self.held.len() != before
    }
}

impl Default for Life {
    fn default() -> Self {
        Self::new()
    }
}

/// Spawns the worker and listens for its death. The handle is None only if the constructor could
/// not be wrapped (then a stop goes unnoticed, as before this file existed).
pub fn spawn_bridge(state: AppState) -> (WorkerBridge<IntakeWorker>, Option<NativeWorker>) {
    let captured: Rc<RefCell<Option<JsValue>>> = Rc::default();
    let global = js_sys::global();
    let original = js_sys::Reflect::get(&global, &"Worker".into()).ok();
    let sink = captured.clone();
    let construct = Closure::<dyn FnMut(JsValue, js_sys::Array) -> Result<JsValue, JsValue>>::new(
        move |target: JsValue, args: js_sys::Array| {
            let worker =
                js_sys::Reflect::construct(&target.dyn_into::<js_sys::Function>()?, &args)?;
            *sink.borrow_mut() = Some(worker.clone());
            Ok(worker)
        },
    );
    let wrapped =
        original.as_ref().and_then(|o| o.dyn_ref::<js_sys::Function>()).and_then(|ctor| {
            let handler = js_sys::Object::new();
            js_sys::Reflect::set(&handler, &"construct".into(), construct.as_ref()).ok()?;
            let proxy = js_sys::Proxy::new(ctor, &handler);
            js_sys::Reflect::set(&global, &"Worker".into(), &proxy).ok()
        });
    let bridge = IntakeWorker::spawner()
        .encoding::<JsCodec>()
        .callback(move |response| {
            super::parquet_worker::heard_from_worker();
            client::handle(state, response)
        })
        .spawn(super::parquet_worker::worker_script());
    if let (Some(true), Some(original)) = (wrapped, original) {
        let _ = js_sys::Reflect::set(&global, &"Worker".into(), &original);
    }
    let native = captured.borrow_mut().take().map(|w| w.unchecked_into::<NativeWorker>());
    if let Some(request) = pool_request() {
        bridge.send(request);
    }
    if let Some(worker) = &native {
        let on_error = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            // Handled here: not also reported as an uncaught error of the page.
            if let Ok(prevent) = js_sys::Reflect::get(&event, &"preventDefault".into())
                .and_then(|f| f.dyn_into::<js_sys::Function>())
            {
                let _ = prevent.call0(&event);
            }
            let detail = js_sys::Reflect::get(&event, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| "no detail from the browser".to_owned());
            worker_died(state, detail);
        })
        .into_js_value();
        worker.add_event_listener("error", on_error.unchecked_ref());
        let on_message_error = Closure::<dyn FnMut()>::new(move || {
            worker_died(state, "a message from the worker could not be read".to_owned())
        })
        .into_js_value();
        worker.add_event_listener("messageerror", on_message_error.unchecked_ref());
    }
    (bridge, native)
}

/// The worker pool's size: `?workers=N` (a debug and test setting), else
/// min(navigator.hardwareConcurrency, 8). Also left on `globalThis.__benchlensPoolSize` for the
/// browser benchmark.
pub fn pool_size() -> u32 {
    let window = web_sys::window();
    let asked = window
        .as_ref()
        .and_then(|w| w.location().search().ok())
        .and_then(|q| web_sys::UrlSearchParams::new_with_str(&q).ok())
        .and_then(|p| p.get("workers"))
        .and_then(|n| n.parse::<u32>().ok());
    let cores = window.map_or(1.0, |w| w.navigator().hardware_concurrency());
    let size = asked.unwrap_or(cores as u32).clamp(1, 8);
    let _ = js_sys::Reflect::set(&js_sys::global(), &"__benchlensPoolSize".into(), &size.into());
    size
}

/// Tells a fresh worker how large its pool is and where helpers come from (`jobs::pool`).
fn pool_request() -> Option<Request> {
    let href = web_sys::window()?.location().href().ok()?;
    let script = web_sys::Url::new_with_base(super::parquet_worker::PLAIN_WORKER, &href).ok()?;
    Some(Request::Pool { script_url: script.href(), size: pool_size() })
}

/// Loaded datasets as (id, file name, origin, bytes), for re-sending them to a fresh worker.
type LoadedFile = (JobId, String, String, f64);

fn loaded_files(state: AppState) -> Vec<LoadedFile> {
    state.datasets.with_untracked(|d| {
        d.iter()
            .map(|e| (e.id, e.summary.name.clone(), e.origin.clone(), e.summary.bytes as f64))
            .collect()
    })
}

/// Sends `job`'s file (as it was last parsed) to the worker again; false if the page no longer
/// holds its source.
fn resend(c: &mut Client, job: JobId, name: &str) -> bool {
    let Some((source, options)) = c.sources.get(&job).cloned() else { return false };
    let name = name.to_owned();
    c.bridge.send(match source {
        Source::Blob(blob) => Request::Parse { job, name, blob, options },
        Source::Text(text) => Request::ParseText { job, name, text, options },
        Source::Hub(source) => Request::ParseHub { job, source, options },
    });
    true
}

/// Re-sends the loaded files to a fresh worker as reloads; returns those sent, for their rows.
fn reload_files(c: &mut Client, loaded: &[LoadedFile]) -> Vec<LoadedFile> {
    let mut resent = Vec::new();
    for file in loaded {
        if resend(c, file.0, &file.1) {
            c.life.reloading.insert(file.0);
            resent.push(file.clone());
        }
    }
    resent
}

fn show_reloading(state: AppState, resent: &[LoadedFile]) {
    for (job, name, origin, bytes) in resent {
        client::show_running(state, *job, name, origin, *bytes);
    }
}

/// Terminates the worker and starts one of the current kind in its place (the switch to the
/// Parquet worker): loaded files are reloaded, files being read are sent again, and analyses
/// that were running are asked again once the files are back. Nothing is answered with an error.
pub(super) fn replace_worker(state: AppState) {
    let loaded = loaded_files(state);
    let reading: Vec<(JobId, String)> = state.jobs.with_untracked(|jobs| {
        jobs.iter()
            .filter(|j| j.status == JobStatus::Running)
            .map(|j| (j.id, j.name.clone()))
            .collect()
    });
    let cancelling: Vec<JobId> = state.jobs.with_untracked(|jobs| {
        jobs.iter().filter(|j| j.status == JobStatus::Cancelling).map(|j| j.id).collect()
    });
    let (bridge, native) = spawn_bridge(state);
    let resent = with_client(|c| {
        if let Some(old) = c.native.take() {
            old.terminate();
        }
        c.bridge = bridge;
        c.native = native;
        // Reads in flight (new files, re-parses, earlier reloads) go again as they were.
        for (job, name) in &reading {
            resend(c, *job, name);
        }
        let idle: Vec<LoadedFile> =
            loaded.iter().filter(|l| !reading.iter().any(|r| r.0 == l.0)).cloned().collect();
        let resent = reload_files(c, &idle);
        let asked: Vec<(JobId, Request)> = c
            .pending
            .iter()
            .filter(|(job, _)| !c.life.held.iter().any(|(h, _)| h == *job))
            .filter_map(|(job, p)| p.request.clone().map(|r| (*job, r)))
            .collect();
        for (job, request) in asked {
            if let Some(request) = c.life.hold(job, request) {
                c.bridge.send(request);
            }
        }
        resent
    })
    .unwrap_or_default();
    show_reloading(state, &resent);
    // The old worker would have confirmed these; it is gone, so the page does.
    for job in cancelling {
        client::handle(state, Response::Cancelled { job });
    }
}

/// The worker is gone: answer what waited on it, start a fresh one, re-send the files.
fn worker_died(state: AppState, detail: String) {
    let now = client::now_ms();
    let loaded = loaded_files(state);
    let running: Vec<(JobId, String)> = state.jobs.with_untracked(|jobs| {
        jobs.iter()
            .filter(|j| matches!(j.status, JobStatus::Running | JobStatus::Cancelling))
            .map(|j| (j.id, j.name.clone()))
            .collect()
    });
    let Some((pending, interrupted, gave_up, notice)) = with_client(|c| {
        if let Some(old) = c.native.take() {
            old.terminate();
        }
        c.life.stops.retain(|t| now - t < RESTART_WINDOW_MS);
        c.life.stops.push(now);
        c.life.count += 1;
        c.life.gave_up = c.life.stops.len() >= MAX_RESTARTS;
        c.life.held.clear();
        c.life.reloading.clear();
        let pending = std::mem::take(&mut c.pending);
        // Files that were being read (not reloads of a loaded dataset) may be what killed it.
        let interrupted: Vec<(JobId, String)> = running
            .iter()
            .filter(|(id, _)| c.sources.contains_key(id) && !loaded.iter().any(|l| l.0 == *id))
            .cloned()
            .collect();
        for (id, _) in &interrupted {
            c.sources.remove(id);
        }
        (pending, interrupted, c.life.gave_up, c.life.notice)
    }) else {
        return;
    };
    let mut reloaded = 0;
    if !gave_up {
        let (bridge, native) = spawn_bridge(state);
        reloaded = with_client(|c| {
            c.bridge = bridge;
            c.native = native;
            reload_files(c, &loaded)
        })
        .map_or(0, |resent| {
            show_reloading(state, &resent);
            resent.len()
        });
    }
    let interrupted_message = if gave_up {
        "The worker stopped while reading this file and was not restarted: reload the page."
    } else {
        "The worker stopped while reading this file (it may be too large for this tab's memory). \
         Try a smaller file or a part of it."
    };
    for (id, _) in &interrupted {
        fail_job(state, *id, interrupted_message.to_owned());
    }
    let count = with_client(|c| c.life.count).unwrap_or(1);
    notice.set(Some(WorkerStop {
        detail,
        count,
        analyses: pending.len(),
        reloaded,
        interrupted: interrupted.into_iter().map(|(_, name)| name).collect(),
        gave_up,
    }));
    let message = gave_up.then(gave_up_message).unwrap_or_else(|| WORKER_STOPPED.to_owned());
    for (_, p) in pending {
        (p.done)(AnalysisEnd::Finished(Err(message.clone())));
    }
}

fn gave_up_message() -> String {
    format!(
        "The analysis worker stopped {MAX_RESTARTS} times within a minute and was not restarted. \
         Reload the page, then load a smaller file or narrow the analysis with a filter."
    )
}

/// Why nothing can run any more, once the page stopped restarting the worker.
pub fn gave_up() -> Option<String> {
    with_client(|c| c.life.gave_up).unwrap_or(false).then(gave_up_message)
}

/// Marks a parse job's row as failed.
pub fn fail_job(state: AppState, job: JobId, message: String) {
    state.jobs.update(|jobs| {
        if let Some(j) = jobs.iter_mut().find(|j| j.id == job) {
            j.status = JobStatus::Failed(message);
        }
    });
}

/// Handles the answer to a re-sent dataset (true if `response` was one): the dataset's entry
/// stays as it was (same file, same options), its row goes, and once every file is back the held
/// analyses are sent.
pub fn reload_answered(state: AppState, response: &Response) -> bool {
    let (job, failure) = match response {
        Response::Loaded { job, .. } => (*job, None),
        Response::Failed { job, message } => (*job, Some(message.clone())),
        Response::Cancelled { job } => (*job, Some("cancelled".to_owned())),
        _ => return false,
    };
    let Some(true) = with_client(|c| c.life.reloading.remove(&job)) else { return false };
    match failure {
        None => state.jobs.update(|jobs| jobs.retain(|j| j.id != job)),
        Some(why) => fail_job(state, job, format!("Reloading into a fresh worker failed: {why}")),
    }
    with_client(|c| {
        if c.life.reloading.is_empty() {
            for (_, request) in std::mem::take(&mut c.life.held) {
                c.bridge.send(request);
            }
        }
    });
    true
}

/// `window.benchlensDebug.trapNextAnalysis()`: the worker traps on the next analysis, to test
/// the recovery. Harmless in the page users get: only code run in the page itself (the console,
/// an automated test) can call it, and what it does is what a large file could do anyway.
pub fn install_debug_hook() {
    let trap = Closure::<dyn FnMut()>::new(|| {
        with_client(|c| c.bridge.send(Request::DebugTrapNextAnalysis));
    })
    .into_js_value();
    let hook = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&hook, &"trapNextAnalysis".into(), &trap);
    let _ = js_sys::Reflect::set(&js_sys::global(), &"benchlensDebug".into(), &hook);
}

/// Says the worker stopped, what happened to the work in flight, and what to try.
#[component]
pub fn WorkerNotice() -> impl IntoView {
    let notice = with_client(|c| c.life.notice).unwrap_or_else(|| RwSignal::new(None));
    let text = move || {
        notice.get().map(|n| {
            let mut parts = vec![format!("The analysis worker stopped ({}).", n.detail)];
            if n.gave_up {
                parts.push(gave_up_message());
            } else {
                parts.push(format!(
                    "A fresh worker was started; {} loaded file{} {} being reloaded.",
                    n.reloaded,
                    if n.reloaded == 1 { "" } else { "s" },
                    if n.reloaded == 1 { "is" } else { "are" },
                ));
            }
            if n.analyses > 0 {
                parts.push(format!(
                    "{} running analys{} stopped: run {} again.",
                    n.analyses,
                    if n.analyses == 1 { "is" } else { "es" },
                    if n.analyses == 1 { "it" } else { "them" },
                ));
            }
            if !n.interrupted.is_empty() {
                parts.push(format!(
                    "Not reloaded (being read when it stopped): {}.",
                    n.interrupted.join(", ")
                ));
            }
            parts.push(
                "This usually means the tab ran out of memory: try a smaller file, or narrow the \
                 analysis with a filter."
                    .to_owned(),
            );
            if n.count > 1 {
                parts.push(format!("({} stops since the page was opened.)", n.count));
            }
            parts.join(" ")
        })
    };
    view! {
        <super::parquet_worker::ParquetReaderStatus />
        <Show when=move || notice.with(Option::is_some)>
            <div class="worker-stopped error" role="alert" data-testid="worker-stopped">
                <p data-testid="worker-stopped-text">{text}</p>
                <button
                    type="button"
                    data-testid="worker-stopped-dismiss"
                    on:click=move |_| notice.set(None)
                >
                    "Dismiss"
                </button>
            </div>
        </Show>
    }
}
