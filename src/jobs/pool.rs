//! The worker pool: a dropped battle log is parsed in segments by several workers at once.
//!
//! The intake worker (the page's only bridge) is the coordinator. It reads the file's first bytes
//! to decide format and kind, places the cuts with the engine's rule
//! ([`benchlens_engine::formats::cut_targets`], the CLI's threads use it too), and starts helper
//! workers (the same `worker.js`, started under a [`HELPER_NAME`] name so `main` serves segments
//! instead of the page) for every segment but the last, which it parses itself. A helper sends
//! its segment back as a [`SegmentPart`] in transferred typed arrays (`super::part_wire`), and
//! the segments are merged in file order, so the dataset is the one a single worker makes. Anything that does
//! not fit (not a JSON battle log, a guessed cut inside a string, a helper that failed) answers
//! `None` and the coordinator reads the file alone, as before.
//!
//! Helpers live for one parse: Cancel terminates them at once.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use benchlens_engine::formats::{
    cut_targets, LoadOptions, Parallelism, SegmentPart, StreamLoader, CHUNK_BYTES, WINDOW_BYTES,
};
use gloo_worker::{HandlerId, WorkerScope};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::blob_read::{read_range, SliceStream};
use super::protocol::{JobId, Response};
use super::{IntakeWorker, WorkerMsg};

/// The name a helper worker is started under; `main` checks it.
pub const HELPER_NAME: &str = "benchlens-pool-helper";

/// Segments smaller than this are not worth a worker (start-up, merging).
const MIN_SEGMENT_BYTES: u64 = 16 << 20;

#[wasm_bindgen]
extern "C" {
    /// A helper's `Worker`.
    #[derive(Clone)]
    pub(super) type HelperWorker;
    #[wasm_bindgen(method, catch, js_name = postMessage)]
    pub(super) fn post(this: &HelperWorker, message: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(method)]
    pub(super) fn terminate(this: &HelperWorker);
}

/// Where helpers come from and how many workers parse at once (the coordinator included).
#[derive(Default)]
struct PoolConfig {
    script_url: Option<String>,
    size: usize,
    /// Helpers of each running parse, with the function that ends their wait.
    running: BTreeMap<JobId, Vec<(HelperWorker, js_sys::Function)>>,
}

thread_local! {
    static POOL: RefCell<PoolConfig> = RefCell::new(PoolConfig::default());
}

/// Sets the helper script (an absolute URL of `worker.js`) and the pool size (1 = no helpers).
pub fn configure(script_url: String, size: u32) {
    POOL.with(|p| {
        let mut p = p.borrow_mut();
        p.script_url = Some(script_url);
        p.size = size.clamp(1, 8) as usize;
    });
}

/// Stops the helpers of `job` (Cancel): their segments are abandoned.
pub fn cancel(job: JobId) {
    let helpers = POOL.with(|p| p.borrow_mut().running.remove(&job)).unwrap_or_default();
    for (worker, resolve) in helpers {
        worker.terminate();
        let _ = resolve.call1(&JsValue::NULL, &JsValue::NULL);
    }
}

fn end_helpers(job: JobId) {
    let helpers = POOL.with(|p| p.borrow_mut().running.remove(&job)).unwrap_or_default();
    for (worker, _) in helpers {
        worker.terminate();
    }
}

/// One helper at work: its answer, and how many bytes of its segment it has read.
struct Helper {
    answer: JsFuture,
    done_bytes: Rc<std::cell::Cell<f64>>,
    rows: Rc<std::cell::Cell<f64>>,
}

/// Starts a helper worker: `worker.js` under [`HELPER_NAME`], through a module script that
/// imports it (a worker script must be same-origin, and the page may be served from elsewhere
/// than its wasm). Returns the worker and that script's object URL, to revoke once the helper
/// said it is ready. None when the browser refuses.
pub(super) fn spawn_helper(script_url: &str) -> Option<(HelperWorker, String)> {
    let source = format!("import init from {script_url:?};\nawait init();\n");
    let parts = js_sys::Array::of1(&JsValue::from_str(&source));
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type("text/javascript");
    let loader = web_sys::Blob::new_with_str_sequence_and_options(&parts, &bag).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&loader).ok()?;
    let worker_options = js_sys::Object::new();
    js_sys::Reflect::set(&worker_options, &"type".into(), &"module".into()).ok()?;
    js_sys::Reflect::set(&worker_options, &"name".into(), &HELPER_NAME.into()).ok()?;
    let ctor: js_sys::Function =
        js_sys::Reflect::get(&js_sys::global(), &"Worker".into()).ok()?.dyn_into().ok()?;
    let args = js_sys::Array::of2(&JsValue::from_str(&url), &worker_options);
    let worker: HelperWorker = js_sys::Reflect::construct(&ctor, &args).ok()?.unchecked_into();
    Some((worker, url))
}

/// The pool's helper script and size, once the page configured it.
pub(super) fn config() -> Option<(String, usize)> {
    POOL.with(|p| {
        let p = p.borrow();
        p.script_url.clone().map(|u| (u, p.size))
    })
}

/// Starts a helper on bytes `from..to` of `blob`.
fn start_helper(
    job: JobId,
    script_url: &str,
    blob: &web_sys::Blob,
    name: &str,
    options: &LoadOptions,
    (from, to): (u64, u64),
) -> Option<Helper> {
    let (worker, url) = spawn_helper(script_url)?;
    let done_bytes = Rc::new(std::cell::Cell::new(0.0));
    let rows = Rc::new(std::cell::Cell::new(0.0));
    let mut resolve_fn = None;
    let promise = js_sys::Promise::new(&mut |resolve, _reject| resolve_fn = Some(resolve));
    let resolve = resolve_fn?;
    let request = js_sys::Object::new();
    let options = serde_wasm_bindgen::to_value(options).ok()?;
    for (key, value) in [
        ("blob", JsValue::from(blob.clone())),
        ("name", JsValue::from_str(name)),
        ("options", options),
        ("from", JsValue::from_f64(from as f64)),
        ("to", JsValue::from_f64(to as f64)),
    ] {
        js_sys::Reflect::set(&request, &key.into(), &value).ok()?;
    }
    let (bytes_sink, rows_sink, answer_sink) = (done_bytes.clone(), rows.clone(), resolve.clone());
    let (sender, loader_url) = (worker.clone(), url.clone());
    let on_message = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
        let data = js_sys::Reflect::get(&event, &"data".into()).unwrap_or(JsValue::NULL);
        let field = |key: &str| js_sys::Reflect::get(&data, &key.into()).ok();
        if field("ready").is_some_and(|v| v.is_truthy()) {
            // The helper listens now (a message sent before it did could be lost).
            let _ = web_sys::Url::revoke_object_url(&loader_url);
            if sender.post(&request).is_err() {
                let _ = answer_sink.call1(&JsValue::NULL, &JsValue::NULL);
            }
        } else if let Some(done) = field("done").and_then(|v| v.as_f64()) {
            bytes_sink.set(done);
            rows_sink.set(field("rows").and_then(|v| v.as_f64()).unwrap_or(0.0));
        } else {
            let _ = answer_sink.call1(&JsValue::NULL, &field("part").unwrap_or(JsValue::NULL));
        }
    })
    .into_js_value();
    js_sys::Reflect::set(&worker, &"onmessage".into(), &on_message).ok()?;
    // A helper that dies (out of memory, a trap) answers nothing: its segment is read again.
    let on_error = Closure::<dyn FnMut(JsValue)>::new({
        let resolve = resolve.clone();
        move |event: JsValue| {
            if let Ok(prevent) = js_sys::Reflect::get(&event, &"preventDefault".into())
                .and_then(|f| f.dyn_into::<js_sys::Function>())
            {
                let _ = prevent.call0(&event);
            }
            let _ = resolve.call1(&JsValue::NULL, &JsValue::NULL);
        }
    })
    .into_js_value();
    js_sys::Reflect::set(&worker, &"onerror".into(), &on_error).ok()?;
    POOL.with(|p| p.borrow_mut().running.entry(job).or_default().push((worker, resolve)));
    Some(Helper { answer: JsFuture::from(promise), done_bytes, rows })
}

/// Parses a dropped file with the pool; `None` when it must be read by one worker instead (pool
/// of one, small file, not a JSON battle log, a cut that did not hold, a helper that failed).
pub(super) async fn read_pooled(
    job: JobId,
    who: HandlerId,
    name: &str,
    blob: &web_sys::Blob,
    options: &LoadOptions,
    cancelled: &Rc<RefCell<BTreeSet<JobId>>>,
    scope: &WorkerScope<IntakeWorker>,
) -> Option<WorkerMsg> {
    let (script_url, size) = config()?;
    let total = blob.size();
    if size < 2 || (total as u64) < 2 * MIN_SEGMENT_BYTES {
        return None;
    }
    let mut sniffer = StreamLoader::new(name, options.clone());
    let mut pos = 0u64;
    let mut head =
        SliceStream::new(blob, 0.0, total, benchlens_engine::formats::loader::SNIFF_BYTES);
    while !sniffer.is_running() && !sniffer.has_failed() {
        let (slice, end) = head.next_slice().await?.ok()?;
        sniffer.feed(&slice.to_vec());
        pos = end as u64;
    }
    if !sniffer.can_split() {
        return None;
    }
    let parallelism = Parallelism { threads: size, min_segment_bytes: MIN_SEGMENT_BYTES };
    let mut cuts: Vec<u64> = Vec::new();
    for target in cut_targets(pos, total as u64, parallelism) {
        if target <= cuts.last().copied().unwrap_or(pos) {
            continue;
        }
        let end = (target + WINDOW_BYTES as u64).min(total as u64);
        let window = read_range(blob, target as f64, end as f64).await.ok()?;
        if let Some(off) = sniffer.guess_element_start(&window) {
            cuts.push(target + off as u64);
        }
    }
    let last = *cuts.last()?;
    super::prof::mark(&format!("coord: cuts placed {:?}", cuts));
    let starts: Vec<u64> = std::iter::once(0).chain(cuts.iter().copied()).collect();
    let mut helpers = Vec::new();
    for pair in starts.windows(2) {
        if let [from, to] = *pair {
            match start_helper(job, &script_url, blob, name, options, (from, to)) {
                Some(helper) => helpers.push(helper),
                None => {
                    end_helpers(job);
                    return None;
                }
            }
        }
    }
    // The last segment is this worker's own.
    let mut tail = sniffer.fork()?;
    let mut slices = SliceStream::new(blob, last as f64, total, CHUNK_BYTES);
    let mut buf = Vec::new();
    let (mut t_wait, mut t_copy, mut t_feed) = (0.0, 0.0, 0.0);
    let mut t = super::prof::now();
    while let Some(slice) = slices.next_slice().await {
        t_wait += super::prof::now() - t;
        if cancelled.borrow().contains(&job) {
            cancel(job);
            return Some(WorkerMsg::Cancelled { job, who });
        }
        let Ok((chunk, offset)) = slice else {
            end_helpers(job);
            return None;
        };
        let t1 = super::prof::now();
        buf.resize(chunk.length() as usize, 0);
        chunk.copy_to(&mut buf);
        let t2 = super::prof::now();
        tail.feed(&buf);
        t_copy += t2 - t1;
        t_feed += super::prof::now() - t2;
        let helper_bytes: f64 = helpers.iter().map(|h| h.done_bytes.get()).sum();
        let helper_rows: f64 = helpers.iter().map(|h| h.rows.get()).sum();
        scope.respond(
            who,
            Response::Progress {
                job,
                bytes_done: offset - last as f64 + helper_bytes,
                bytes_total: total,
                rows: tail.rows() as f64 + helper_rows,
            },
        );
        t = super::prof::now();
    }
    super::prof::mark(&format!(
        "coord: own segment fed: wait {t_wait:.0} ms, copy {t_copy:.0} ms, feed {t_feed:.0} ms"
    ));
    let mut merged = sniffer.fork()?;
    for helper in helpers {
        let answer = helper.answer.await.ok();
        super::prof::mark("coord: helper answer arrived");
        let t0 = super::prof::now();
        if cancelled.borrow().contains(&job) {
            cancel(job);
            return Some(WorkerMsg::Cancelled { job, who });
        }
        let part = answer.as_ref().and_then(super::part_wire::decode);
        let t1 = super::prof::now();
        let ok = part.is_some_and(|part| merged.absorb_part(part));
        super::prof::mark(&format!(
            "coord: decode {:.0} ms, absorb_part {:.0} ms",
            t1 - t0,
            super::prof::now() - t1
        ));
        if !ok {
            end_helpers(job);
            return None;
        }
    }
    end_helpers(job);
    let t0 = super::prof::now();
    if !merged.absorb(tail) {
        return None;
    }
    let t1 = super::prof::now();
    let parsed = merged.finish();
    super::prof::mark(&format!(
        "coord: absorb tail {:.0} ms, finish {:.0} ms",
        t1 - t0,
        super::prof::now() - t1
    ));
    Some(WorkerMsg::Loaded { job, who, parsed: Box::new(parsed) })
}

/// A helper's side: answers each segment request with its [`SegmentPart`] (or `null` when the
/// segment did not end between two elements, or could not be read), and bootstrap round requests
/// through [`super::round_pool::serve`].
pub fn serve_helper() {
    let on_message = Closure::<dyn FnMut(JsValue)>::new(|event: JsValue| {
        let data = js_sys::Reflect::get(&event, &"data".into()).unwrap_or(JsValue::NULL);
        // Bootstrap rounds (see `super::round_pool`) are answered there.
        if super::round_pool::serve(&data) {
            return;
        }
        wasm_bindgen_futures::spawn_local(async move {
            let part = parse_segment(&data).await;
            let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
            let message = js_sys::Object::new();
            let t0 = super::prof::now();
            let (value, transfer) = part
                .and_then(super::part_wire::encode)
                .unwrap_or_else(|| (JsValue::NULL, js_sys::Array::new()));
            let _ = js_sys::Reflect::set(&message, &"part".into(), &value);
            let _ = scope.post_message_with_transfer(&message, &transfer);
            super::prof::mark(&format!("helper: post {:.0} ms", super::prof::now() - t0));
        });
    })
    .into_js_value();
    let _ = js_sys::Reflect::set(&js_sys::global(), &"onmessage".into(), &on_message);
    let ready = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&ready, &"ready".into(), &JsValue::TRUE);
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let _ = scope.post_message(&ready);
}

/// Loads one segment: from byte 0 with a fresh loader, or from a cut with a fork of a loader
/// that read the file's first bytes (so both decide format and kind as the coordinator did).
async fn parse_segment(data: &JsValue) -> Option<SegmentPart> {
    let field = |key: &str| js_sys::Reflect::get(data, &key.into()).ok();
    let blob: web_sys::Blob = field("blob")?.dyn_into().ok()?;
    let name = field("name")?.as_string()?;
    let options: LoadOptions = serde_wasm_bindgen::from_value(field("options")?).ok()?;
    let from = field("from")?.as_f64()?;
    let to = field("to")?.as_f64()?;
    let mut loader = StreamLoader::new(&name, options);
    if from > 0.0 {
        let mut head =
            SliceStream::new(&blob, 0.0, from, benchlens_engine::formats::loader::SNIFF_BYTES);
        while !loader.is_running() && !loader.has_failed() {
            loader.feed(&head.next_slice().await?.ok()?.0.to_vec());
        }
        loader = loader.fork()?;
    }
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let mut slices = SliceStream::new(&blob, from, to, CHUNK_BYTES);
    let mut buf = Vec::new();
    let (mut t_wait, mut t_copy, mut t_feed) = (0.0, 0.0, 0.0);
    let mut t = super::prof::now();
    while let Some(slice) = slices.next_slice().await {
        t_wait += super::prof::now() - t;
        let (chunk, offset) = slice.ok()?;
        let t1 = super::prof::now();
        buf.resize(chunk.length() as usize, 0);
        chunk.copy_to(&mut buf);
        let t2 = super::prof::now();
        loader.feed(&buf);
        t_copy += t2 - t1;
        t_feed += super::prof::now() - t2;
        t = super::prof::now();
        let progress = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&progress, &"done".into(), &(offset - from).into());
        let _ = js_sys::Reflect::set(&progress, &"rows".into(), &(loader.rows() as f64).into());
        let _ = scope.post_message(&progress);
    }
    super::prof::mark(&format!(
        "helper {from}..{to}: wait {t_wait:.0} ms, copy {t_copy:.0} ms, feed {t_feed:.0} ms"
    ));
    loader.into_segment_part()
}

/// `bytes` as a Uint8Array to post with its buffer transferred (no copy), and the transfer list;
/// null and an empty list for none. Bootstrap rounds go back this way.
pub(super) fn transferable(bytes: Option<&[u8]>) -> (JsValue, js_sys::Array) {
    let transfer = js_sys::Array::new();
    let value = match bytes {
        Some(bytes) => {
            let array = js_sys::Uint8Array::from(bytes);
            transfer.push(&array.buffer());
            JsValue::from(array)
        }
        None => JsValue::NULL,
    };
    (value, transfer)
}
