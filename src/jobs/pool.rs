//! The worker pool: a dropped battle log is parsed in segments by several workers at once.
//!
//! The intake worker (the page's only bridge) is the coordinator. It reads the file's first bytes
//! to decide format and kind, places the cuts with the engine's rule
//! ([`benchlens_engine::formats::cut_targets`], the CLI's threads use it too), and gives a helper
//! worker (a spare from [`super::helpers`], its wasm already running) every segment but the
//! first, which it parses itself with the loader that sniffed the file, its
//! columns sized for the whole file at once. A helper sends its segment back as a
//! [`SegmentPart`] in transferred typed arrays (`super::part_wire`), and the segments are merged
//! in file order, so the dataset is the one a single worker makes. Anything that does not fit
//! (not a JSON battle log, a guessed cut inside a string, a helper that failed) answers `None`
//! and the coordinator reads the file alone, as before.
//!
//! Helpers live for one parse (a segment's memory stays with its worker): each is ended once its
//! part is in, and Cancel ends them at once; fresh spares replace them.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use benchlens_engine::formats::{
    cut_targets, LoadOptions, Parallelism, SegmentPart, StreamLoader, WINDOW_BYTES,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::blob_read::{feed_in_pieces, read_range, SliceStream, READ_SLICE_BYTES};
use super::helpers::{self, HelperWorker};
use super::protocol::JobId;
use super::{ParseJob, WorkerMsg};

/// Segments smaller than this are not worth a worker (start-up, merging).
const MIN_SEGMENT_BYTES: u64 = 16 << 20;

thread_local! {
    /// Helpers of each running parse, with the function that ends their wait.
    static RUNNING: RefCell<BTreeMap<JobId, Vec<(HelperWorker, js_sys::Function)>>> =
        RefCell::default();
}

/// Stops the helpers of `job` (Cancel): their segments are abandoned.
pub fn cancel(job: JobId) {
    let helpers = RUNNING.with(|r| r.borrow_mut().remove(&job)).unwrap_or_default();
    for (worker, resolve) in helpers {
        worker.terminate();
        let _ = resolve.call1(&JsValue::NULL, &JsValue::NULL);
    }
    helpers::refill();
}

/// Ends the helpers of `job` (each kept its segment's memory) and starts fresh spares.
fn end_helpers(job: JobId) {
    let helpers = RUNNING.with(|r| r.borrow_mut().remove(&job)).unwrap_or_default();
    for (worker, _) in helpers {
        worker.terminate();
    }
    helpers::refill();
}

/// One helper at work: its answer, and how many bytes of its segment it has read.
struct Helper {
    answer: JsFuture,
    done_bytes: Rc<Cell<f64>>,
    rows: Rc<Cell<f64>>,
    /// Its segment request, until the helper says it listens.
    slot: Rc<RefCell<Slot>>,
}

/// A helper's segment request and whether the helper listens yet: the helper is started before
/// the cuts are placed (its wasm starts while the coordinator sniffs), so either can come first.
struct Slot {
    worker: HelperWorker,
    listening: bool,
    request: Option<JsValue>,
    resolve: js_sys::Function,
}

impl Slot {
    /// Posts the request if both it and the helper are ready; a post that fails answers null.
    fn post_when_ready(&mut self) {
        if !self.listening {
            return;
        }
        if let Some(request) = self.request.take() {
            if self.worker.post(&request).is_err() {
                let _ = self.resolve.call1(&JsValue::NULL, &JsValue::NULL);
            }
        }
    }
}

impl Helper {
    /// Gives the helper bytes `from..to` of `blob` to parse.
    fn assign(
        &self,
        blob: &web_sys::Blob,
        name: &str,
        options: &LoadOptions,
        (from, to): (u64, u64),
    ) -> Option<()> {
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
        let mut slot = self.slot.borrow_mut();
        slot.request = Some(request.into());
        slot.post_when_ready();
        Some(())
    }
}

/// Starts a helper for `job`; [`Helper::assign`] gives it its segment.
fn start_helper(job: JobId) -> Option<Helper> {
    let helpers::Started { worker, ready } = helpers::take()?;
    let done_bytes = Rc::new(Cell::new(0.0));
    let rows = Rc::new(Cell::new(0.0));
    let mut resolve_fn = None;
    let promise = js_sys::Promise::new(&mut |resolve, _reject| resolve_fn = Some(resolve));
    let resolve = resolve_fn?;
    let slot = Rc::new(RefCell::new(Slot {
        worker: worker.clone(),
        listening: ready,
        request: None,
        resolve: resolve.clone(),
    }));
    let (bytes_sink, rows_sink, answer_sink) = (done_bytes.clone(), rows.clone(), resolve.clone());
    let ready_slot = slot.clone();
    let on_message = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
        let data = js_sys::Reflect::get(&event, &"data".into()).unwrap_or(JsValue::NULL);
        let field = |key: &str| js_sys::Reflect::get(&data, &key.into()).ok();
        if field("ready").is_some_and(|v| v.is_truthy()) {
            // The helper listens now (a message sent before it did could be lost).
            let mut slot = ready_slot.borrow_mut();
            slot.listening = true;
            slot.post_when_ready();
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
            helpers::prevent_default(&event);
            let _ = resolve.call1(&JsValue::NULL, &JsValue::NULL);
        }
    })
    .into_js_value();
    js_sys::Reflect::set(&worker, &"onerror".into(), &on_error).ok()?;
    RUNNING.with(|r| r.borrow_mut().entry(job).or_default().push((worker, resolve)));
    Some(Helper { answer: JsFuture::from(promise), done_bytes, rows, slot })
}

/// Battles a file (or segment) of `total` bytes probably holds, from the `rows` its first `head` bytes held,
/// with 3 % to spare: the merged columns are made this large at once. Grown by doubling instead,
/// a column at 1.5M battles held room for 2.1M, and each doubling left its old block behind in
/// the wasm memory, which never shrinks (the 3M-battle file peaked at 501 MB in this worker).
/// 0 (no reserve) when the head held no row.
fn expected_rows(rows: u64, head: u64, total: u64) -> usize {
    if rows == 0 || head == 0 {
        return 0;
    }
    (rows as f64 * total as f64 / head as f64 * 1.03).min(total as f64 / 16.0) as usize
}

/// Parses a dropped file with the pool; `None` when it must be read by one worker instead (pool
/// of one, small file, not a JSON battle log, a cut that did not hold, a helper that failed).
pub(super) async fn read_pooled(parse: &ParseJob) -> Option<WorkerMsg> {
    let size = helpers::pool_size()?;
    if size < 2 || (parse.blob.size() as u64) < 2 * MIN_SEGMENT_BYTES {
        return None;
    }
    // Helpers are taken now (spares, whose wasm is ready), so they listen by the time this
    // worker has sniffed and cut; any that find no segment (or a file that cannot be split) are
    // ended unused.
    let helpers: Vec<Helper> = (1..size).map_while(|_| start_helper(parse.job)).collect();
    let pooled = read_with(parse, helpers).await;
    if pooled.is_none() {
        end_helpers(parse.job);
    }
    pooled
}

/// [`read_pooled`] with its helpers started.
async fn read_with(parse: &ParseJob, mut helpers: Vec<Helper>) -> Option<WorkerMsg> {
    let ParseJob { job, who, ref name, ref blob, ref options, .. } = *parse;
    let total = blob.size();
    let size = helpers.len() + 1;
    if size < 2 {
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
    let first_cut = *cuts.first()?;
    let ends: Vec<u64> =
        cuts.iter().skip(1).copied().chain(std::iter::once(total as u64)).collect();
    if cuts.len() > helpers.len() {
        return None;
    }
    // One helper per segment after the first; the rest end now.
    for helper in helpers.iter().skip(cuts.len()) {
        helper.slot.borrow().worker.terminate();
    }
    helpers.truncate(cuts.len());
    let segments = helpers.len() + 1;
    for (helper, (&from, &to)) in helpers.iter().zip(cuts.iter().zip(&ends)) {
        helper.assign(blob, name, options, (from, to))?;
    }
    // The first segment is this worker's own: the loader that sniffed the file reads on to the
    // first cut, with room for its segment's battles made at once (see `expected_rows`).
    let mut own = sniffer;
    own.reserve_battles(expected_rows(own.rows(), pos, first_cut));
    let mut slices = SliceStream::new(blob, pos as f64, first_cut as f64, READ_SLICE_BYTES);
    let mut buf = Vec::new();
    while let Some(slice) = slices.next_slice().await {
        if parse.is_cancelled() {
            cancel(job);
            return Some(WorkerMsg::Cancelled { job, who });
        }
        let Ok((chunk, offset)) = slice else {
            end_helpers(job);
            return None;
        };
        feed_in_pieces(&chunk, &mut buf, |piece| {
            own.feed(piece);
            true
        });
        let helper_bytes: f64 = helpers.iter().map(|h| h.done_bytes.get()).sum();
        let helper_rows: f64 = helpers.iter().map(|h| h.rows.get()).sum();
        parse.progress(offset + helper_bytes, own.rows() as f64 + helper_rows);
    }
    // The helpers' segments follow in file order.
    let mut merged = own;
    for helper in helpers {
        let answer = helper.answer.await.ok();
        // Done with: it holds its segment's memory for life, so a fresh spare replaces it.
        helper.slot.borrow().worker.terminate();
        helpers::refill();
        if parse.is_cancelled() {
            cancel(job);
            return Some(WorkerMsg::Cancelled { job, who });
        }
        let part = answer.as_ref().and_then(super::part_wire::decode);
        // The coordinator's own columns were sized for its segment only, so that they and the
        // helper's, alive at once at the end of the parse, take a file's worth of memory, not one
        // and a half; the merge grows them to the file's exactly.
        let ok =
            part.is_some_and(|(part, mut columns)| merged.absorb_part_from(part, &mut columns));
        if !ok {
            end_helpers(job);
            return None;
        }
    }
    end_helpers(job);
    helpers::console_debug(&format!("benchlens: {name} was parsed in {segments} segments"));
    let parsed = merged.finish();
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
            let (value, transfer) = part
                .and_then(super::part_wire::encode)
                .unwrap_or_else(|| (JsValue::NULL, js_sys::Array::new()));
            let _ = js_sys::Reflect::set(&message, &"part".into(), &value);
            let _ = scope.post_message_with_transfer(&message, &transfer);
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
    let mut slices = SliceStream::new(&blob, from, to, READ_SLICE_BYTES);
    let mut buf = Vec::new();
    let mut reserved = false;
    while let Some(slice) = slices.next_slice().await {
        let (chunk, offset) = slice.ok()?;
        feed_in_pieces(&chunk, &mut buf, |piece| {
            loader.feed(piece);
            true
        });
        // Room for the segment's battles at once, estimated from its first slice, as the
        // coordinator does for the file: grown by doubling, a helper's columns at 1.5M battles
        // left 259 MB of wasm memory behind them.
        if !reserved {
            reserved = true;
            loader.reserve_battles(expected_rows(
                loader.rows(),
                (offset - from) as u64,
                (to - from) as u64,
            ));
        }
        let progress = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&progress, &"done".into(), &(offset - from).into());
        let _ = js_sys::Reflect::set(&progress, &"rows".into(), &(loader.rows() as f64).into());
        let _ = scope.post_message(&progress);
    }
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
