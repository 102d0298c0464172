//! Pausable analysis tasks in the worker.
//!
//! A worker handles one message at a time, and a bootstrap is one long synchronous loop: while it
//! runs, a Cancel message would wait until the end. So analyses are futures built on the engine's
//! pausable computations (`benchlens_engine::progress`): about every [`SLICE_MS`] of work the
//! [`ticker`] answers `Yield`, the future returns `Pending`, and the scheduler here polls it again
//! from a new event-loop task (a `MessageChannel` message, which unlike `setTimeout(0)` is never
//! clamped to 4 ms). Messages that arrived meanwhile (Cancel, a new analysis) run first; a Cancel
//! marks the job, and the ticker answers `Stop` when the task resumes.
//!
//! Pausing does not touch the computation, so the numbers are the same as in one go (and as the
//! CLI's). Several tasks take turns, one slice each.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use benchlens_engine::progress::{poll_once, Tick, Ticker};
use gloo_worker::{HandlerId, WorkerScope};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::protocol::{JobId, Response};
use super::IntakeWorker;

/// Work between two pauses, in ms: the longest a Cancel (or a new analysis) waits, plus at most
/// one bootstrap round.
pub const SLICE_MS: f64 = 40.0;

/// Progress reports at most this often, in ms.
const REPORT_MS: f64 = 100.0;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = warn)]
    fn console_warn(message: &str);
}

type Task = Pin<Box<dyn Future<Output = ()>>>;

#[derive(Default)]
struct Scheduler {
    tasks: BTreeMap<u32, Task>,
    ready: VecDeque<u32>,
    next: u32,
    /// A wake message is on its way.
    scheduled: bool,
    /// Posts one message to wake the scheduler (None when MessageChannel is missing: then
    /// `setTimeout`).
    wake: Option<(JsValue, js_sys::Function)>,
}

thread_local! {
    static SCHEDULER: RefCell<Scheduler> = RefCell::new(Scheduler::default());
}

/// Runs `task` to its end, one slice per event-loop turn.
pub fn spawn(task: impl Future<Output = ()> + 'static) {
    SCHEDULER.with(|s| {
        let mut s = s.borrow_mut();
        let id = s.next;
        s.next = s.next.wrapping_add(1);
        s.tasks.insert(id, Box::pin(task));
        s.ready.push_back(id);
    });
    wake();
}

/// Asks for one `run_one` in a later event-loop task. When neither a MessageChannel message nor
/// a `setTimeout` can be scheduled, nothing would ever poll the tasks again and the page would
/// wait forever; then the ready tasks run here, to their end, without pauses (a Cancel is not
/// heard until they finish, but every job answers).
fn wake() {
    let posted = SCHEDULER.with(|s| {
        let mut s = s.borrow_mut();
        if s.scheduled {
            return true;
        }
        s.scheduled = true;
        if s.wake.is_none() {
            s.wake = message_channel();
        }
        s.wake.as_ref().is_some_and(|(port, post)| post.call1(port, &JsValue::NULL).is_ok())
    });
    if posted || set_timeout_zero() {
        return;
    }
    console_warn(
        "benchlens worker: cannot schedule a pause (no MessageChannel or setTimeout); running \
         analyses without pauses",
    );
    SCHEDULER.with(|s| s.borrow_mut().scheduled = false);
    while poll_next() {}
}

/// A MessageChannel whose port1 runs `run_one` on each message; returns (port2, its postMessage).
fn message_channel() -> Option<(JsValue, js_sys::Function)> {
    let global = js_sys::global();
    let ctor: js_sys::Function =
        js_sys::Reflect::get(&global, &"MessageChannel".into()).ok()?.dyn_into().ok()?;
    let channel = js_sys::Reflect::construct(&ctor, &js_sys::Array::new()).ok()?;
    let port1 = js_sys::Reflect::get(&channel, &"port1".into()).ok()?;
    let port2 = js_sys::Reflect::get(&channel, &"port2".into()).ok()?;
    let post: js_sys::Function =
        js_sys::Reflect::get(&port2, &"postMessage".into()).ok()?.dyn_into().ok()?;
    // Lives as long as the worker: one closure for every task.
    let on_message = Closure::<dyn FnMut()>::new(run_one).into_js_value();
    js_sys::Reflect::set(&port1, &"onmessage".into(), &on_message).ok()?;
    Some((port2, post))
}

/// Schedules `run_one` with `setTimeout(0)`; false when that is impossible.
fn set_timeout_zero() -> bool {
    let global = js_sys::global();
    let Some(set_timeout) = js_sys::Reflect::get(&global, &"setTimeout".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return false;
    };
    let callback = Closure::once_into_js(run_one);
    set_timeout.call2(&global, &callback, &JsValue::from(0)).is_ok()
}

/// Polls the next ready task once (one slice), then asks to be called again while any is left.
fn run_one() {
    SCHEDULER.with(|s| s.borrow_mut().scheduled = false);
    if poll_next() {
        wake();
    }
}

/// Polls the next ready task once; true while tasks are left to poll.
fn poll_next() -> bool {
    let next = SCHEDULER.with(|s| {
        let mut s = s.borrow_mut();
        let id = s.ready.pop_front()?;
        s.tasks.remove(&id).map(|t| (id, t))
    });
    // Polled with no borrow held: the task may spawn or respond.
    if let Some((id, mut task)) = next {
        if poll_once(task.as_mut()).is_pending() {
            SCHEDULER.with(|s| {
                let mut s = s.borrow_mut();
                s.tasks.insert(id, task);
                s.ready.push_back(id);
            });
        }
    }
    SCHEDULER.with(|s| !s.borrow().ready.is_empty())
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The ticker of one analysis job: reports progress to the page, pauses every [`SLICE_MS`], and
/// stops once the page cancelled the job.
pub fn ticker(
    job: JobId,
    who: HandlerId,
    cancelled: Rc<RefCell<BTreeSet<JobId>>>,
    scope: WorkerScope<IntakeWorker>,
) -> Ticker<'static> {
    let progress = move |stage: &str, done: u64, total: u64| Response::AnalysisProgress {
        job,
        stage: stage.to_owned(),
        done: done as f64,
        total: total as f64,
    };
    pausing_ticker(job, (who, scope), cancelled, progress)
}

/// The ticker of one Parquet file of a load: rows done of the file's rows, reported to the page as
/// the share of its bytes (row groups are of similar size). `(bytes before it, its bytes, all
/// files' bytes)` puts the files of a hub load on one progress bar; a dropped file is
/// `(0, size, size)`. Same pauses and Cancel as an analysis.
#[cfg(feature = "page-parquet")]
pub fn shard_ticker(
    job: JobId,
    who: HandlerId,
    (before, size, bytes_total): (f64, f64, f64),
    cancelled: Rc<RefCell<BTreeSet<JobId>>>,
    scope: WorkerScope<IntakeWorker>,
) -> Ticker<'static> {
    let progress = move |_: &str, done: u64, total: u64| Response::Progress {
        job,
        bytes_done: before + size * done as f64 / total.max(1) as f64,
        bytes_total,
        rows: done as f64,
    };
    pausing_ticker(job, (who, scope), cancelled, progress)
}

/// Pauses every [`SLICE_MS`], answers `Stop` once `job` is cancelled, and sends `progress`'s
/// message to the page at most every [`REPORT_MS`].
fn pausing_ticker(
    job: JobId,
    (who, scope): (HandlerId, WorkerScope<IntakeWorker>),
    cancelled: Rc<RefCell<BTreeSet<JobId>>>,
    progress: impl Fn(&'static str, u64, u64) -> Response + 'static,
) -> Ticker<'static> {
    let mut slice_start = now_ms();
    let mut last_report = f64::NEG_INFINITY;
    let mut paused = false;
    Ticker::new(move |stage, done, total| {
        let now = now_ms();
        if paused {
            // Back from a pause: the time spent elsewhere is not this task's slice.
            paused = false;
            slice_start = now;
        }
        if cancelled.borrow().contains(&job) {
            return Tick::Stop;
        }
        // Single-step checks ("tables" 0/1) are not progress worth showing.
        if total > 1 && (now - last_report >= REPORT_MS || done == 0) {
            last_report = now;
            scope.respond(who, progress(stage, done, total));
        }
        if now - slice_start >= SLICE_MS {
            paused = true;
            return Tick::Yield;
        }
        Tick::Continue
    })
}
