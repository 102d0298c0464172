//! The intake worker: reads Blobs in slices, feeds the engine's streaming loader, reports progress,
//! honours Cancel between chunks, and keeps the parsed datasets so the page only holds summaries.
//! Analyses run as pausable tasks (see [`tasks`]): they report progress and a Cancel message
//! reaches them between bootstrap rounds. A large battle log is parsed, and a long bootstrap's
//! rounds computed, on a pool of helper workers (`pool`, `round_pool`).

pub mod analysis;
mod blob_read;
mod codec;
pub mod defects;
pub mod defects_labels;
#[cfg(target_arch = "wasm32")]
mod helpers;
pub mod hub_merge;
pub mod hub_ref;
pub mod judge;
#[cfg(feature = "page-parquet")]
mod parquet_blob;
#[cfg(feature = "page-parquet")]
mod parquet_http;
#[cfg(target_arch = "wasm32")]
mod part_wire;
#[cfg(target_arch = "wasm32")]
mod pool;
pub mod protocol;
#[cfg(feature = "page-parquet")]
mod range_reader;
#[cfg(target_arch = "wasm32")]
mod round_pool;
pub mod scaling;
mod tasks;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use benchlens_engine::formats::{LoadOptions, StreamLoader};
use benchlens_engine::ParsedFile;
use gloo_worker::{HandlerId, Worker, WorkerScope};

pub use codec::JsCodec;
#[cfg(target_arch = "wasm32")]
pub use helpers::HELPER_NAME;
#[cfg(target_arch = "wasm32")]
pub use pool::serve_helper;
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
                let parse = ParseJob {
                    job,
                    who,
                    name,
                    blob,
                    options,
                    cancelled: self.cancelled.clone(),
                    scope: scope.clone(),
                };
                scope.send_future(async move {
                    #[cfg(target_arch = "wasm32")]
                    if let Some(msg) = pool::read_pooled(&parse).await {
                        return msg;
                    }
                    read_blob(&parse).await
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
                #[cfg(target_arch = "wasm32")]
                pool::cancel(job);
            }
            #[cfg(target_arch = "wasm32")]
            Request::Pool { script_url, size } => helpers::configure(script_url, size),
            #[cfg(not(target_arch = "wasm32"))]
            Request::Pool { .. } => {}
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

/// A dropped file to read, with what reading it needs of the worker.
struct ParseJob {
    job: JobId,
    who: HandlerId,
    name: String,
    blob: web_sys::Blob,
    options: LoadOptions,
    cancelled: Rc<RefCell<BTreeSet<JobId>>>,
    scope: WorkerScope<IntakeWorker>,
}

impl ParseJob {
    fn is_cancelled(&self) -> bool {
        self.cancelled.borrow().contains(&self.job)
    }

    /// Tells the page how far the read is.
    fn progress(&self, bytes_done: f64, rows: f64) {
        let (job, bytes_total) = (self.job, self.blob.size());
        self.scope.respond(self.who, Response::Progress { job, bytes_done, bytes_total, rows });
    }
}

/// Reads a dropped file in this worker alone.
async fn read_blob(parse: &ParseJob) -> WorkerMsg {
    let ParseJob { job, who, ref name, ref blob, ref options, .. } = *parse;
    let mut loader = StreamLoader::new(name, options.clone());
    let mut slices =
        blob_read::SliceStream::new(blob, 0.0, blob.size(), blob_read::READ_SLICE_BYTES);
    let mut buf = Vec::new();
    while let Some(slice) = slices.next_slice().await {
        if parse.is_cancelled() {
            return WorkerMsg::Cancelled { job, who };
        }
        let (chunk, offset) = match slice {
            Ok(slice) => slice,
            Err(message) => return WorkerMsg::Failed { job, who, message },
        };
        let going = blob_read::feed_in_pieces(&chunk, &mut buf, |piece| {
            loader.feed(piece);
            !loader.has_failed()
        });
        parse.progress(offset, loader.rows() as f64);
        if !going {
            break;
        }
    }
    if parse.is_cancelled() {
        return WorkerMsg::Cancelled { job, who };
    }
    WorkerMsg::Loaded { job, who, parsed: Box::new(loader.finish()) }
}
