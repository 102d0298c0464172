//! The page's side of the worker: one bridge, job ids, and the Blobs kept so a file can be
//! re-parsed with another kind without asking the user to drop it again (and re-sent to a fresh
//! worker when the old one died: see [`super::worker_life`]).

use std::cell::RefCell;
use std::collections::BTreeMap;

use benchlens_engine::dataset::DatasetKind;
use benchlens_engine::formats::LoadOptions;
use gloo_worker::WorkerBridge;
use leptos::prelude::*;

use super::analyses::Pending;
pub use super::analyses::{
    analyse, analyse_tracked, cancel_analysis, AnalysisEnd, AnalysisProgress,
};
use super::source::DataSource;
use crate::jobs::protocol::{JobId, Request, Response};
use crate::jobs::IntakeWorker;
use crate::state::{AppState, DatasetEntry, JobEntry, JobStatus};

pub(super) struct Client {
    pub(super) bridge: WorkerBridge<IntakeWorker>,
    /// The bridge's Worker, to hear it die and to terminate it.
    pub(super) native: Option<super::worker_life::NativeWorker>,
    /// Where each pending analysis result goes.
    pub(super) pending: BTreeMap<JobId, Pending>,
    pub(super) next_job: JobId,
    /// Source of each dataset and running job, with the options it was parsed with, for
    /// re-parsing.
    pub(super) sources: BTreeMap<JobId, (Source, LoadOptions)>,
    /// Where each dataset (loaded, parsing or still downloading) came from, in load order: what
    /// a share link says to load. Kept apart from `sources`, which exists only once the bytes
    /// are here.
    provenance: BTreeMap<JobId, (DataSource, LoadOptions)>,
    /// How the worker is doing: restarts, datasets being re-sent, held analyses.
    pub(super) life: super::worker_life::Life,
}

#[derive(Clone)]
pub(super) enum Source {
    Blob(web_sys::Blob),
    Text(String),
    /// Parquet files on the hub, read by range requests (`super::hub`).
    Hub(crate::jobs::hub_ref::HubSource),
}

thread_local! {
    static CLIENT: RefCell<Option<Client>> = const { RefCell::new(None) };
}

/// Milliseconds since page load.
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Spawns the worker once; responses update `state`.
pub fn init(state: AppState) {
    CLIENT.with(|c| {
        if c.borrow().is_some() {
            return;
        }
        let (bridge, native) = super::worker_life::spawn_bridge(state);
        *c.borrow_mut() = Some(Client {
            bridge,
            native,
            pending: BTreeMap::new(),
            next_job: 1,
            sources: BTreeMap::new(),
            provenance: BTreeMap::new(),
            life: super::worker_life::Life::new(),
        });
    });
    super::worker_life::install_debug_hook();
    super::hub::remember_hub();
}

pub(super) fn with_client<R>(f: impl FnOnce(&mut Client) -> R) -> Option<R> {
    CLIENT.with(|c| c.borrow_mut().as_mut().map(f))
}

/// Sends a parse job to the worker and shows its row; its id, or `None` without a worker.
#[allow(clippy::too_many_arguments)]
pub(super) fn start_job(
    state: AppState,
    name: &str,
    origin: &str,
    bytes_total: f64,
    source: Source,
    options: LoadOptions,
    reuse: Option<JobId>,
    provenance: Option<DataSource>,
) -> Option<JobId> {
    let (job, request) = with_client(|c| {
        let job = reuse.unwrap_or_else(|| {
            let j = c.next_job;
            c.next_job += 1;
            j
        });
        c.sources.insert(job, (source.clone(), options.clone()));
        match provenance {
            Some(p) => {
                c.provenance.insert(job, (p, options.clone()));
            }
            None => {
                if let Some(entry) = c.provenance.get_mut(&job) {
                    entry.1 = options.clone();
                }
            }
        }
        let request = match source {
            Source::Blob(blob) => Request::Parse { job, name: name.to_owned(), blob, options },
            Source::Text(text) => Request::ParseText { job, name: name.to_owned(), text, options },
            Source::Hub(source) => Request::ParseHub { job, source, options },
        };
        (job, request)
    })?;
    // A Parquet file (or a hub dataset) first switches the page to the worker that reads it.
    super::parquet_worker::send_parse(state, request);
    show_running(state, job, name, origin, bytes_total);
    if let Some(why) = super::worker_life::gave_up() {
        super::worker_life::fail_job(state, job, why);
    }
    Some(job)
}

/// Puts (or puts back) a job's row in the progress list, as just started.
pub(super) fn show_running(
    state: AppState,
    job: JobId,
    name: &str,
    origin: &str,
    bytes_total: f64,
) {
    let now = now_ms();
    state.jobs.update(|jobs| {
        jobs.retain(|j| j.id != job);
        jobs.push(JobEntry {
            id: job,
            name: name.to_owned(),
            origin: origin.to_owned(),
            bytes_total,
            bytes_done: 0.0,
            rows: 0.0,
            started_ms: now,
            updated_ms: now,
            status: JobStatus::Running,
        });
    });
}

/// Parses a File or Blob the user dropped or picked in the worker.
pub fn submit_blob(state: AppState, name: &str, blob: web_sys::Blob, origin: &str) {
    let size = blob.size();
    let local = DataSource::Local { name: name.to_owned() };
    start_job(
        state,
        name,
        origin,
        size,
        Source::Blob(blob),
        LoadOptions::default(),
        None,
        Some(local),
    );
}

/// Parses pasted text in the worker.
pub fn submit_text(state: AppState, name: &str, text: String) {
    let size = text.len() as f64;
    let local = DataSource::Local { name: name.to_owned() };
    start_job(
        state,
        name,
        "pasted",
        size,
        Source::Text(text),
        LoadOptions::default(),
        None,
        Some(local),
    );
}

/// Holds a place (and a job id, so load order is fixed now) for a file still to be downloaded;
/// the row shows the download's progress until [`submit_reserved`] hands the bytes over.
pub fn reserve(
    state: AppState,
    name: &str,
    origin: &str,
    source: DataSource,
    options: LoadOptions,
) -> Option<JobId> {
    let job = with_client(|c| {
        let j = c.next_job;
        c.next_job += 1;
        c.provenance.insert(j, (source, options));
        j
    })?;
    show_running(state, job, name, origin, 0.0);
    Some(job)
}

/// Download progress of a reserved job.
pub fn download_progress(state: AppState, job: JobId, bytes_done: f64, bytes_total: f64) {
    let now = now_ms();
    state.jobs.update(|jobs| {
        if let Some(j) = jobs.iter_mut().find(|j| j.id == job) {
            j.bytes_done = bytes_done;
            j.bytes_total = bytes_total;
            j.updated_ms = now;
        }
    });
}

/// A reserved job's download failed: the row says why and the link keeps the entry.
pub fn download_failed(state: AppState, job: JobId, message: String) {
    state.jobs.update(|jobs| {
        if let Some(j) = jobs.iter_mut().find(|j| j.id == job) {
            j.status = JobStatus::Failed(message);
        }
    });
}

/// Parses the downloaded bytes of a reserved job.
pub fn submit_reserved(state: AppState, job: JobId, name: &str, blob: web_sys::Blob) {
    let running = state
        .jobs
        .with_untracked(|jobs| jobs.iter().any(|j| j.id == job && j.status == JobStatus::Running));
    if !running {
        return;
    }
    let Some((_, options)) = with_client(|c| c.provenance.get(&job).cloned()).flatten() else {
        return;
    };
    let origin = state
        .jobs
        .with_untracked(|jobs| jobs.iter().find(|j| j.id == job).map(|j| j.origin.clone()))
        .unwrap_or_default();
    let size = blob.size();
    start_job(state, name, &origin, size, Source::Blob(blob), options, Some(job), None);
}

/// Parses text that arrived inside a share link, as if it had been pasted.
pub fn submit_inline(state: AppState, job: JobId, name: &str, text: String) {
    let Some((_, options)) = with_client(|c| c.provenance.get(&job).cloned()).flatten() else {
        return;
    };
    let size = text.len() as f64;
    start_job(
        state,
        name,
        "inline in the link",
        size,
        Source::Text(text),
        options,
        Some(job),
        None,
    );
}

/// Every dataset's origin and options in load order, for the share link.
pub fn provenance() -> Vec<(JobId, DataSource, LoadOptions)> {
    with_client(|c| c.provenance.iter().map(|(id, (s, o))| (*id, s.clone(), o.clone())).collect())
        .unwrap_or_default()
}

/// Replaces how a dataset is described in the share link (embedding a local file's text).
pub fn set_provenance(dataset: JobId, source: DataSource) {
    with_client(|c| {
        if let Some(entry) = c.provenance.get_mut(&dataset) {
            entry.0 = source;
        }
    });
}

/// Re-parses a loaded dataset as another kind (same id, replaced in place).
pub fn reparse(state: AppState, dataset: JobId, kind: DatasetKind) {
    reparse_with(state, dataset, LoadOptions { kind: Some(kind), ..LoadOptions::default() });
}

/// Re-parses a loaded dataset with explicit options (kind and column mapping).
pub fn reparse_with(state: AppState, dataset: JobId, options: LoadOptions) {
    let Some((source, _)) = with_client(|c| c.sources.get(&dataset).cloned()).flatten() else {
        return;
    };
    let entry = state.datasets.with_untracked(|d| d.iter().find(|e| e.id == dataset).cloned());
    let Some(entry) = entry else { return };
    start_job(
        state,
        &entry.summary.name,
        &entry.origin,
        entry.summary.bytes as f64,
        source,
        options,
        Some(dataset),
        None,
    );
}

/// The Blob a dataset was read from (pasted text as a new Blob), so an export can be written
/// from the original bytes in the input's own format.
pub fn source_blob(dataset: JobId) -> Option<web_sys::Blob> {
    match with_client(|c| c.sources.get(&dataset).map(|(s, _)| s.clone())).flatten()? {
        Source::Blob(blob) => Some(blob),
        Source::Hub(_) => None,
        Source::Text(text) => {
            let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&text));
            web_sys::Blob::new_with_str_sequence(&parts).ok()
        }
    }
}

/// Applies the column-mapping form: `mapping` pairs a column as currently shown with the name
/// the kind expects. Earlier renames are composed, since the file still has its own names.
pub fn apply_mapping(
    state: AppState,
    dataset: JobId,
    kind: DatasetKind,
    mapping: Vec<(String, String)>,
) {
    let previous = with_client(|c| c.sources.get(&dataset).map(|(_, o)| o.rename.clone()))
        .flatten()
        .unwrap_or_default();
    let original_of = |shown: &str| {
        previous
            .iter()
            .find(|(_, to)| to == shown)
            .map_or(shown.to_owned(), |(from, _)| from.clone())
    };
    let rename = mapping
        .into_iter()
        .filter(|(shown, target)| {
            !target.is_empty() && shown != target || previous.iter().any(|(_, to)| to == shown)
        })
        .map(|(shown, target)| (original_of(&shown), target))
        .collect();
    reparse_with(
        state,
        dataset,
        LoadOptions { kind: Some(kind), rename, ..LoadOptions::default() },
    );
}

/// Asks the worker to stop a parse.
pub fn cancel(state: AppState, job: JobId) {
    // Still downloading: nothing in the worker yet; the bytes will be ignored on arrival.
    let downloading = with_client(|c| !c.sources.contains_key(&job)).unwrap_or(false);
    if downloading {
        with_client(|c| c.provenance.remove(&job));
        state.jobs.update(|jobs| {
            if let Some(j) = jobs.iter_mut().find(|j| j.id == job) {
                j.status = JobStatus::Cancelled;
            }
        });
        return;
    }
    with_client(|c| c.bridge.send(Request::Cancel { job }));
    state.jobs.update(|jobs| {
        if let Some(j) = jobs.iter_mut().find(|j| j.id == job) {
            j.status = JobStatus::Cancelling;
        }
    });
}

/// Forgets a dataset here and in the worker.
pub fn remove(state: AppState, dataset: JobId) {
    with_client(|c| {
        c.sources.remove(&dataset);
        c.provenance.remove(&dataset);
        c.bridge.send(Request::Remove { dataset });
    });
    state.datasets.update(|d| d.retain(|e| e.id != dataset));
}

/// Hides a finished job's row.
pub fn dismiss(state: AppState, job: JobId) {
    state.jobs.update(|jobs| jobs.retain(|j| j.id != job));
    // A dismissed failure that never became a dataset leaves the share link too.
    if !state.datasets.with_untracked(|d| d.iter().any(|e| e.id == job)) {
        with_client(|c| c.provenance.remove(&job));
    }
}

pub(super) fn handle(state: AppState, response: Response) {
    if super::worker_life::reload_answered(state, &response) {
        return;
    }
    match response {
        Response::Analysed { job, result } => {
            if let Some(p) = with_client(|c| c.pending.remove(&job)).flatten() {
                (p.done)(AnalysisEnd::Finished(result));
            }
        }
        Response::AnalysisProgress { job, stage, done, total } => {
            let progress =
                with_client(|c| c.pending.get(&job).and_then(|p| p.progress.clone())).flatten();
            if let Some(progress) = progress {
                progress(AnalysisProgress { stage, done, total });
            }
        }
        Response::Cancelled { job }
            if with_client(|c| c.pending.contains_key(&job)) == Some(true) =>
        {
            if let Some(p) = with_client(|c| c.pending.remove(&job)).flatten() {
                (p.done)(AnalysisEnd::Cancelled);
            }
        }
        Response::Progress { job, bytes_done, bytes_total, rows } => {
            let now = now_ms();
            state.jobs.update(|jobs| {
                if let Some(j) = jobs.iter_mut().find(|j| j.id == job) {
                    j.bytes_done = bytes_done;
                    j.bytes_total = bytes_total;
                    j.rows = rows;
                    j.updated_ms = now;
                }
            });
        }
        Response::Loaded { job, summary } => {
            let origin = state
                .jobs
                .with_untracked(|jobs| jobs.iter().find(|j| j.id == job).map(|j| j.origin.clone()))
                .unwrap_or_default();
            state.jobs.update(|jobs| jobs.retain(|j| j.id != job));
            state.datasets.update(|d| {
                let entry = DatasetEntry { id: job, summary: *summary, origin };
                match d.iter_mut().find(|e| e.id == job) {
                    Some(existing) => *existing = entry,
                    None => {
                        // Load order, not finish order: analyses read datasets in this order,
                        // and a shared link must give the receiver the same order.
                        d.push(entry);
                        d.sort_by_key(|e| e.id);
                    }
                }
            });
        }
        Response::Cancelled { job } => {
            with_client(|c| {
                c.sources.remove(&job);
                c.provenance.remove(&job);
            });
            state.jobs.update(|jobs| {
                if let Some(j) = jobs.iter_mut().find(|j| j.id == job) {
                    j.status = JobStatus::Cancelled;
                }
            });
        }
        Response::Failed { job, message } => {
            state.jobs.update(|jobs| {
                if let Some(j) = jobs.iter_mut().find(|j| j.id == job) {
                    j.status = JobStatus::Failed(message);
                }
            });
        }
    }
}
