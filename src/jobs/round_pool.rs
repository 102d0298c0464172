//! Bootstrap rounds on the worker pool (issue #15).
//!
//! A likelihood bootstrap refits the whole model once per round; the intake worker (the
//! coordinator) runs it, and [`RoundPool`] is its [`RoundExecutor`]: when the pool has more than
//! one worker and the bootstrap is long enough to pay for starting helpers, it starts helpers
//! (spares kept by [`super::helpers`], the same `worker.js` as the parse pool's), sends each the
//! round work once (the aggregate, fit plan and full-data fits, as bincode), then hands them
//! chunks of rounds; each chunk comes back as a bincode [`RoundsPart`] in a transferred
//! ArrayBuffer. The engine merges chunks in round order and computes the rest itself, so the
//! intervals are byte-identical to one worker's and the CLI's. It never waits for a helper: a
//! helper that fails or is slow to start only costs time.
//!
//! Helpers stay with the analysis (a comparison's second bootstrap reuses them); dropping the
//! pool, which the analysis task does when it ends or is cancelled, gives them back as spares
//! (they hold only the round work), or ends them if a chunk was still out (Cancel).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::{Rc, Weak};

use benchlens_engine::ratings::{RoundExecutor, RoundWork, RoundWorker, RoundsPart};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::helpers::{self, HelperWorker};

/// Chunks a helper holds at once: one it computes, one waiting, so it never idles while the
/// coordinator, busy with its own rounds, has not yet read the last answer.
const DEPTH: usize = 2;

/// Below this [`RoundWork::round_cost`] × rounds (about a second of rounds on one worker), a
/// bootstrap runs alone: starting a helper (fetching and compiling the worker) costs more.
const MIN_POOL_COST: f64 = 2e7;

/// Message kinds from the coordinator; a helper answers "rounds" with `{gen, part}`.
const KIND_WORK: &str = "rounds-work";
const KIND_ROUNDS: &str = "rounds";

/// One helper as the coordinator sees it.
struct Helper {
    worker: HelperWorker,
    ready: bool,
    alive: bool,
    /// Messages for when it is ready (one sent before it listens could be lost).
    waiting: Vec<JsValue>,
    /// Chunks it holds.
    out: usize,
}

#[derive(Default)]
struct Shared {
    /// Bumped for every bootstrap: answers to an earlier one are dropped.
    generation: u32,
    helpers: Vec<Helper>,
    finished: VecDeque<RoundsPart>,
    /// Rounds of the current bootstrap, and those helpers answered (for the debug line).
    rounds: u32,
    from_helpers: u32,
}

impl Shared {
    fn send(&mut self, i: usize, message: JsValue) {
        let Some(h) = self.helpers.get_mut(i) else { return };
        if !h.ready {
            h.waiting.push(message);
        } else if h.worker.post(&message).is_err() {
            h.retire();
        }
    }
}

impl Helper {
    /// Stops the helper; the chunks it held are computed by the coordinator.
    fn retire(&mut self) {
        self.alive = false;
        self.out = 0;
        self.waiting.clear();
        self.worker.terminate();
    }
}

/// The coordinator's [`RoundExecutor`] over the page's worker pool.
#[derive(Default)]
pub struct RoundPool {
    shared: Rc<RefCell<Shared>>,
}

impl RoundPool {
    pub fn new() -> Self {
        Self::default()
    }

    fn start_helpers(&self, count: usize) {
        for i in 0..count {
            let Some(helpers::Started { worker, ready }) = helpers::take() else { break };
            let weak = Rc::downgrade(&self.shared);
            let on_message = Closure::<dyn FnMut(JsValue)>::new({
                let weak = weak.clone();
                move |event: JsValue| on_message(&weak, i, &event)
            })
            .into_js_value();
            let on_error = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
                helpers::prevent_default(&event);
                if let Some(shared) = weak.upgrade() {
                    if let Some(h) = shared.borrow_mut().helpers.get_mut(i) {
                        h.retire();
                    }
                }
            })
            .into_js_value();
            let hooked = js_sys::Reflect::set(&worker, &"onmessage".into(), &on_message)
                .and_then(|_| js_sys::Reflect::set(&worker, &"onerror".into(), &on_error));
            if hooked.is_err() {
                worker.terminate();
                break;
            }
            let helper = Helper { worker, ready, alive: true, waiting: Vec::new(), out: 0 };
            self.shared.borrow_mut().helpers.push(helper);
        }
    }
}

/// A helper's message to the coordinator: it is ready, or a chunk (or `null`: it failed).
fn on_message(weak: &Weak<RefCell<Shared>>, i: usize, event: &JsValue) {
    let Some(shared) = weak.upgrade() else { return };
    let mut s = shared.borrow_mut();
    let data = js_sys::Reflect::get(event, &"data".into()).unwrap_or(JsValue::NULL);
    let field = |key: &str| js_sys::Reflect::get(&data, &key.into()).ok();
    if field("ready").is_some_and(|v| v.is_truthy()) {
        let Some(h) = s.helpers.get_mut(i) else { return };
        h.ready = true;
        for message in std::mem::take(&mut h.waiting) {
            if h.worker.post(&message).is_err() {
                h.retire();
                break;
            }
        }
        return;
    }
    if field("gen").and_then(|g| g.as_f64()) != Some(f64::from(s.generation)) {
        return;
    }
    let part = field("part")
        .and_then(|p| p.dyn_into::<js_sys::Uint8Array>().ok())
        .and_then(|bytes| bincode::deserialize::<RoundsPart>(&bytes.to_vec()).ok());
    match part {
        Some(part) => {
            s.from_helpers += part.len();
            s.finished.push_back(part);
            if let Some(h) = s.helpers.get_mut(i) {
                h.out = h.out.saturating_sub(1);
            }
        }
        None => {
            if let Some(h) = s.helpers.get_mut(i) {
                h.retire();
            }
        }
    }
}

fn message(entries: &[(&str, JsValue)]) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in entries {
        let _ = js_sys::Reflect::set(&object, &(*key).into(), value);
    }
    object.into()
}

impl RoundExecutor for RoundPool {
    fn begin(&self, work: &RoundWork<'_>, rounds: u32) -> usize {
        let Some(size) = helpers::pool_size() else { return 0 };
        if size < 2 || work.round_cost() * f64::from(rounds) < MIN_POOL_COST {
            return 0;
        }
        let Ok(bytes) = bincode::serialize(work) else { return 0 };
        if self.shared.borrow().helpers.is_empty() {
            self.start_helpers(size - 1);
        }
        let mut s = self.shared.borrow_mut();
        s.generation = s.generation.wrapping_add(1);
        s.finished.clear();
        s.rounds = rounds;
        s.from_helpers = 0;
        let work = JsValue::from(js_sys::Uint8Array::from(bytes.as_slice()));
        let gen = JsValue::from(s.generation);
        let mut alive = 0;
        for i in 0..s.helpers.len() {
            if !s.helpers[i].alive {
                continue;
            }
            s.helpers[i].out = 0;
            let m = message(&[
                ("kind", KIND_WORK.into()),
                ("gen", gen.clone()),
                ("work", work.clone()),
            ]);
            s.send(i, m);
            alive += usize::from(s.helpers[i].alive);
        }
        alive * DEPTH
    }

    fn submit(&self, first: u32, len: u32) -> bool {
        let mut s = self.shared.borrow_mut();
        let pick = s
            .helpers
            .iter()
            .enumerate()
            .filter(|(_, h)| h.alive && h.out < DEPTH)
            .min_by_key(|(_, h)| h.out)
            .map(|(i, _)| i);
        let Some(i) = pick else { return false };
        s.helpers[i].out += 1;
        let m = message(&[
            ("kind", KIND_ROUNDS.into()),
            ("gen", s.generation.into()),
            ("first", first.into()),
            ("len", len.into()),
        ]);
        s.send(i, m);
        true
    }

    fn take_finished(&self) -> Option<RoundsPart> {
        self.shared.borrow_mut().finished.pop_front()
    }

    fn end(&self) {
        let mut s = self.shared.borrow_mut();
        let helpers = s.helpers.iter().filter(|h| h.alive).count();
        // Seen in the browser's console at the "verbose" level, and by the e2e test.
        helpers::console_debug(&format!(
            "benchlens: {} of {} bootstrap rounds came from {helpers} pool helpers",
            s.from_helpers, s.rounds
        ));
        s.generation = s.generation.wrapping_add(1);
        s.finished.clear();
    }
}

impl Drop for RoundPool {
    fn drop(&mut self) {
        for h in std::mem::take(&mut self.shared.borrow_mut().helpers) {
            // A helper still computing a chunk (Cancel) would answer into its next owner.
            if h.alive && h.out == 0 && h.waiting.is_empty() {
                helpers::give_back(h.worker, h.ready);
            } else if h.alive {
                h.worker.terminate();
            }
        }
    }
}

thread_local! {
    /// A helper's round work: its bootstrap's generation and the prepared worker.
    static WORK: RefCell<Option<(f64, RoundWorker<'static>)>> = const { RefCell::new(None) };
}

/// A helper's side: takes round work and answers chunk requests with their [`RoundsPart`]
/// (`null` when it holds no work of that bootstrap). False when `data` is not about rounds.
pub fn serve(data: &JsValue) -> bool {
    let field = |key: &str| js_sys::Reflect::get(data, &key.into()).ok();
    let kind = field("kind").and_then(|k| k.as_string());
    let gen = field("gen").and_then(|g| g.as_f64()).unwrap_or(-1.0);
    match kind.as_deref() {
        Some(KIND_WORK) => {
            let worker = field("work")
                .and_then(|w| w.dyn_into::<js_sys::Uint8Array>().ok())
                .and_then(|bytes| bincode::deserialize::<RoundWork<'static>>(&bytes.to_vec()).ok())
                .map(RoundWorker::new);
            WORK.with(|w| *w.borrow_mut() = worker.map(|worker| (gen, worker)));
            true
        }
        Some(KIND_ROUNDS) => {
            let first = field("first").and_then(|f| f.as_f64()).unwrap_or(0.0) as u32;
            let len = field("len").and_then(|f| f.as_f64()).unwrap_or(0.0) as u32;
            let part = WORK.with(|w| {
                let w = w.borrow();
                let (work_gen, worker) = w.as_ref()?;
                (*work_gen == gen).then(|| worker.rounds(first, len))
            });
            let bytes = part.and_then(|p| bincode::serialize(&p).ok());
            let (value, transfer) = super::pool::transferable(bytes.as_deref());
            let reply = message(&[("gen", gen.into()), ("part", value)]);
            let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
            let _ = scope.post_message_with_transfer(&reply, &transfer);
            true
        }
        _ => false,
    }
}
