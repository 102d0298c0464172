//! Parquet from the Hugging Face hub, in the worker: list a dataset's files through the hub's API,
//! then read each chosen file with HTTP range requests, never whole.
//!
//! The engine reads any `parquet::file::reader::ChunkReader`, and its reads are synchronous; a
//! worker may make synchronous `XMLHttpRequest`s (a page may not), so each range is one blocking
//! request. The first read of a file goes to the hub's `resolve` address, which redirects to a CDN
//! (the browser follows it, Range header and all); later reads go straight to the address it
//! ended at. The footer is fetched once and small reads are served from a block
//! ([`RangeReader`]'s cache, shared with dropped Blobs); the engine asks for each row group's
//! projected column chunks in a few ranges, so a row group costs a few requests.
//!
//! Cancel is heard before each row group (the engine's ticker) and each file: a request in flight
//! is never cut, so a slow server delays a Cancel by the requests of one row group, and the page,
//! on its own thread, stays usable meanwhile.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;
use std::sync::{Arc, Mutex};

use benchlens_engine::formats::parquet::{load_reader_async, STAGE};
use benchlens_engine::formats::LoadOptions;
use bytes::Bytes;
use gloo_worker::{HandlerId, WorkerScope};

use super::hub_merge::ShardMerger;
use super::hub_ref::{choose, next_page, parse_listing, HubFile, HubSource};
use super::protocol::JobId;
use super::range_reader::{RangeReader, RangeSource};
use super::{tasks, IntakeWorker, WorkerMsg};

/// A request that takes longer fails: a server that hangs does not hold the worker forever.
const TIMEOUT_MS: u32 = 120_000;

/// Listing pages followed at most (the hub sends 1000 entries a page).
const MAX_PAGES: usize = 200;

/// One finished request.
struct Answer {
    status: u16,
    xhr: web_sys::XmlHttpRequest,
}

/// Why a request failed, in words a user can act on; `what` names the file or the listing.
fn http_problem(source: &HubSource, what: &str, status: u16) -> String {
    let spec = source.hub_ref.spec();
    let page = source.hub_ref.page_url(&source.hub);
    match status {
        0 => format!(
            "{spec}: {what}: the request could not be made or timed out (offline, the hub \
             unreachable, or a network filter in the way); try again, or download the Parquet \
             files from {page} and drop them here"
        ),
        401 | 403 => format!(
            "{spec}: {what}: HTTP {status}: the dataset is gated or private (or does not \
             exist). benchlens sends no token and no login, so it reads public datasets only: \
             accept the dataset's terms at {page}, download its Parquet files and drop them here"
        ),
        404 => format!(
            "{spec}: {what}: HTTP 404: no such dataset, revision “{}” or file on the hub; check \
             the owner, name and revision at {page}",
            source.hub_ref.revision
        ),
        429 => format!("{spec}: {what}: HTTP 429: the hub is rate-limiting; try again later"),
        s => format!("{spec}: {what}: HTTP {s}: the hub refused the request; try again later"),
    }
}

/// A blocking GET; `range` asks for bytes `start..start + length`. `Err` carries the status
/// (0 when the request could not be made at all).
fn get(url: &str, range: Option<(u64, u64)>, binary: bool) -> Result<Answer, u16> {
    let xhr = web_sys::XmlHttpRequest::new().map_err(|_| 0u16)?;
    xhr.open_with_async("GET", url, false).map_err(|_| 0u16)?;
    xhr.set_timeout(TIMEOUT_MS);
    if binary {
        xhr.set_response_type(web_sys::XmlHttpRequestResponseType::Arraybuffer);
    }
    if let Some((start, length)) = range {
        let last = start + length.max(1) - 1;
        xhr.set_request_header("Range", &format!("bytes={start}-{last}")).map_err(|_| 0u16)?;
    }
    xhr.send().map_err(|_| 0u16)?;
    let status = xhr.status().unwrap_or(0);
    if (200..300).contains(&status) {
        Ok(Answer { status, xhr })
    } else {
        Err(status)
    }
}

/// Every Parquet file of the revision, following the listing's `Link: rel="next"` pages.
fn list(source: &HubSource) -> Result<Vec<HubFile>, String> {
    let mut url = source.hub_ref.tree_url(&source.hub);
    let mut files = Vec::new();
    for _ in 0..MAX_PAGES {
        let answer = get(&url, None, false)
            .map_err(|status| http_problem(source, "listing its files", status))?;
        let body = answer.xhr.response_text().ok().flatten().unwrap_or_default();
        files.extend(parse_listing(&url, &body)?);
        let link = answer.xhr.get_response_header("Link").ok().flatten().unwrap_or_default();
        match next_page(&link) {
            Some(next) => url = next,
            None => return Ok(files),
        }
    }
    Err(format!(
        "{}: the file list goes on past {MAX_PAGES} pages; name the files with a path, e.g. …/data/train-*.parquet",
        source.hub_ref.spec()
    ))
}

/// One hub file, read by range requests.
struct HttpFile {
    source: Arc<HubSource>,
    path: Arc<str>,
    len: u64,
    /// The resolve address until the first read, then where its redirect ended.
    url: Mutex<String>,
}

impl HttpFile {
    fn new(source: Arc<HubSource>, file: &HubFile) -> Self {
        let url = source.hub_ref.resolve_url(&source.hub, &file.path);
        Self { source, path: file.path.as_str().into(), len: file.size, url: Mutex::new(url) }
    }

    /// Bytes `start..start + length`, from the network.
    fn fetch(&self, start: u64, length: u64) -> Result<Bytes, String> {
        let url = self.url.lock().map(|u| u.clone()).unwrap_or_default();
        let answer = get(&url, Some((start, length)), true)
            .map_err(|status| http_problem(&self.source, &self.path, status))?;
        let landed = answer.xhr.response_url();
        if !landed.is_empty() {
            if let Ok(mut u) = self.url.lock() {
                *u = landed;
            }
        }
        let body = answer.xhr.response().ok().map(|b| js_sys::Uint8Array::new(&b).to_vec());
        let mut body = body.unwrap_or_default();
        let end = start + length;
        if answer.status == 200 && body.len() as u64 == self.len && end <= self.len {
            // A server that ignores Range sends the whole file: take the part asked for.
            body = body.get(start as usize..end as usize).map(<[u8]>::to_vec).unwrap_or_default();
        }
        if body.len() as u64 != length {
            return Err(format!(
                "{}: {}: asked for bytes {start}–{end} of {}, got {} bytes (HTTP {}); the file \
                 changed on the hub or the server does not answer range requests",
                self.source.hub_ref.spec(),
                self.path,
                self.len,
                body.len(),
                answer.status
            ));
        }
        Ok(Bytes::from(body))
    }
}

impl RangeSource for HttpFile {
    fn size(&self) -> u64 {
        self.len
    }

    fn read_range(&self, start: u64, length: u64) -> Result<Bytes, String> {
        self.fetch(start, length)
    }
}

/// Lists, chooses and reads the files a hub link names, as one dataset; tells the worker how it
/// ended.
pub async fn load(
    job: JobId,
    who: HandlerId,
    source: HubSource,
    options: LoadOptions,
    cancelled: Rc<RefCell<BTreeSet<JobId>>>,
    scope: WorkerScope<IntakeWorker>,
) {
    let end = |msg: WorkerMsg| scope.send_message(msg);
    let failed = |message: String| WorkerMsg::Failed { job, who, message };
    let files = match list(&source).and_then(|all| choose(&source.hub_ref, all)) {
        Ok(files) => files,
        Err(message) => return end(failed(message)),
    };
    let total: u64 = files.iter().map(|f| f.size).sum();
    let mut merger = ShardMerger::new(&source.hub_ref.label());
    let source = Arc::new(source);
    let mut before = 0u64;
    for file in &files {
        let span = (before as f64, file.size as f64, total as f64);
        let mut ticker = tasks::shard_ticker(job, who, span, cancelled.clone(), scope.clone());
        // The listing and the last file's requests blocked this task: pause, so a Cancel sent
        // meanwhile is heard before more is fetched.
        if !ticker.tick(STAGE, 0, 1).await {
            return end(WorkerMsg::Cancelled { job, who });
        }
        let reader = RangeReader::new(HttpFile::new(source.clone(), file));
        // The engine reads the magic number leniently (a failed read looks like a wrong one), so
        // a 401, 404 or network failure is caught here, and said as such.
        if let Err(message) = reader.read(0, 4.min(file.size)) {
            return end(failed(message));
        }
        let parsed = load_reader_async(&file.path, reader, &options, &mut ticker).await;
        merger.add(&file.path, parsed);
        before += file.size;
        if merger.has_failed() {
            break;
        }
    }
    if cancelled.borrow().contains(&job) {
        return end(WorkerMsg::Cancelled { job, who });
    }
    end(WorkerMsg::Loaded { job, who, parsed: Box::new(merger.finish()) });
}
