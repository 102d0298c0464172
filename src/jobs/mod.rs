//! The intake worker: reads Blobs in slices, feeds the engine's streaming loader, reports progress,
//! honours Cancel between chunks, and keeps the parsed datasets so the page only holds summaries.
//! Analyses run as pausable tasks (see [`tasks`]): they report progress and a Cancel message
//! reaches them between bootstrap rounds.

pub mod analysis;
mod codec;
pub mod defects;
pub mod defects_labels;
pub mod hub_merge;
pub mod hub_ref;
pub mod judge;
#[cfg(feature = "page-parquet")]
mod parquet_blob;
#[cfg(feature = "page-parquet")]
mod parquet_http;
pub mod protocol;
#[cfg(feature = "page-parquet")]
mod range_reader;
pub mod scaling;
mod tasks;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use benchlens_engine::formats::{LoadOptions, StreamLoader, CHUNK_BYTES};
use benchlens_engine::ParsedFile;
use gloo_worker::{HandlerId, Worker, WorkerScope};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

pub use codec::JsCodec;
use protocol::{JobId, Request, Response};

/// Internal messages: a finished parse hands its dataset back to the worker state.
pub enum WorkerMsg {
    Loaded { job: JobId, who: HandlerId, parsed: Box<ParsedFile> },
    Cancelled { job: JobId, who: HandlerId },
    Failed { job: JobId, who: HandlerId, message: String },
}

/// The parsed datasets by id. Shared, so a running analysis keeps its inputs even if the page
/// removes them meanwhile.
pub type Datasets = BTreeMap<JobId, Rc<ParsedFile>>;

/// Worker state: the datasets parsed so far and the jobs asked to stop.
pub struct IntakeWorker {
    datasets: Datasets,
    cancelled: Rc<RefCell<BTreeSet<JobId>>>,
    /// Set by [`Request::DebugTrapNextAnalysis`].
    trap_next_analysis: bool,
}

impl Worker for IntakeWorker {
    type Message = WorkerMsg;
    type Input = Request;
    type Output = Response;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        Self { datasets: BTreeMap::new(), cancelled: Rc::default(), trap_next_analysis: false }
    }

    fn update(&mut self, scope: &WorkerScope<Self>, msg: Self::Message) {
        match msg {
            WorkerMsg::Loaded { job, who, parsed } => {
                let summary = Box::new(parsed.summary.clone());
                self.datasets.insert(job, Rc::new(*parsed));
                scope.respond(who, Response::Loaded { job, summary });
            }
            WorkerMsg::Cancelled { job, who } => {
                self.cancelled.borrow_mut().remove(&job);
                scope.respond(who, Response::Cancelled { job });
            }
            WorkerMsg::Failed { job, who, message } => {
                scope.respond(who, Response::Failed { job, message });
            }
        }
    }

    fn received(&mut self, scope: &WorkerScope<Self>, msg: Self::Input, who: HandlerId) {
        match msg {
            #[cfg(feature = "page-parquet")]
            Request::Parse { job, name, blob, options }
                if parquet_blob::is_parquet_blob(&name, &blob) =>
            {
                // Row groups are decoded inside a pausable task, so Cancel reaches the load
                // between them.
                let cancelled = self.cancelled.clone();
                let scope = scope.clone();
                tasks::spawn(async move {
                    let mut ticker = tasks::shard_ticker(
                        job,
                        who,
                        (0.0, blob.size(), blob.size()),
                        cancelled.clone(),
                        scope.clone(),
                    );
                    let parsed = parquet_blob::load(&name, blob, &options, &mut ticker).await;
                    let msg = if cancelled.borrow().contains(&job) {
                        WorkerMsg::Cancelled { job, who }
                    } else {
                        WorkerMsg::Loaded { job, who, parsed: Box::new(parsed) }
                    };
                    scope.send_message(msg);
                });
            }
            Request::Parse { job, name, blob, options } => {
                let cancelled = self.cancelled.clone();
                let progress_scope = scope.clone();
                scope.send_future(async move {
                    read_blob(job, who, &name, blob, options, cancelled, progress_scope).await
                });
            }
            #[cfg(feature = "page-parquet")]
            Request::ParseHub { job, source, options } => {
                let cancelled = self.cancelled.clone();
                let scope = scope.clone();
                tasks::spawn(parquet_http::load(job, who, source, options, cancelled, scope));
            }
            #[cfg(not(feature = "page-parquet"))]
            Request::ParseHub { job, source, .. } => {
                let message = format!(
                    "{}: this build of benchlens reads no Parquet, so it cannot open hub datasets",
                    source.hub_ref.spec()
                );
                scope.respond(who, Response::Failed { job, message });
            }
            Request::ParseText { job, name, text, options } => {
                let parsed =
                    benchlens_engine::formats::load_bytes(&name, text.as_bytes(), &options);
                scope.send_message(WorkerMsg::Loaded { job, who, parsed: Box::new(parsed) });
            }
            Request::Cancel { job } => {
                self.cancelled.borrow_mut().insert(job);
            }
            Request::Remove { dataset } => {
                self.datasets.remove(&dataset);
            }
            Request::DebugTrapNextAnalysis => self.trap_next_analysis = true,
            Request::Analyse { .. } if std::mem::take(&mut self.trap_next_analysis) => {
                // Inside a task, as a real out-of-memory would be: a wasm `unreachable` trap.
                tasks::spawn(async { std::process::abort() });
            }
            Request::Analyse { job, request } => {
                // A snapshot of the datasets (shared, not copied) that the task owns.
                let datasets = self.datasets.clone();
                let cancelled = self.cancelled.clone();
                let scope = scope.clone();
                tasks::spawn(async move {
                    let mut ticker = tasks::ticker(job, who, cancelled.clone(), scope.clone());
                    let result = analysis::analyse(&datasets, &request, &mut ticker).await;
                    let response = if cancelled.borrow_mut().remove(&job) {
                        Response::Cancelled { job }
                    } else {
                        Response::Analysed { job, result }
                    };
                    scope.respond(who, response);
                });
            }
        }
    }
}

async fn read_blob(
    job: JobId,
    who: HandlerId,
    name: &str,
    blob: web_sys::Blob,
    options: LoadOptions,
    cancelled: Rc<RefCell<BTreeSet<JobId>>>,
    scope: WorkerScope<IntakeWorker>,
) -> WorkerMsg {
    let total = blob.size();
    let mut loader = StreamLoader::new(name, options);
    let mut offset = 0.0;
    let mut buf = Vec::new();
    while offset < total {
        if cancelled.borrow().contains(&job) {
            return WorkerMsg::Cancelled { job, who };
        }
        let end = (offset + CHUNK_BYTES as f64).min(total);
        let chunk = match read_slice(&blob, offset, end).await {
            Ok(chunk) => chunk,
            Err(message) => return WorkerMsg::Failed { job, who, message },
        };
        buf.resize(chunk.length() as usize, 0);
        chunk.copy_to(&mut buf);
        loader.feed(&buf);
        offset = end;
        scope.respond(
            who,
            Response::Progress {
                job,
                bytes_done: offset,
                bytes_total: total,
                rows: loader.rows() as f64,
            },
        );
        if loader.has_failed() {
            break;
        }
    }
    if cancelled.borrow().contains(&job) {
        return WorkerMsg::Cancelled { job, who };
    }
    WorkerMsg::Loaded { job, who, parsed: Box::new(loader.finish()) }
}

async fn read_slice(
    blob: &web_sys::Blob,
    start: f64,
    end: f64,
) -> Result<js_sys::Uint8Array, String> {
    let slice = blob
        .slice_with_f64_and_f64(start, end)
        .map_err(|e| format!("cannot slice the file: {e:?}"))?;
    let buffer = JsFuture::from(slice.array_buffer())
        .await
        .map_err(|e| format!("the browser could not read the file: {e:?}"))?;
    let buffer: js_sys::ArrayBuffer =
        buffer.dyn_into().map_err(|_| "the browser returned no bytes".to_string())?;
    Ok(js_sys::Uint8Array::new(&buffer))
}
