//! The pool's helper workers, started before they are needed.
//!
//! A helper is the page's `worker.js` again; starting one (fetching its script, compiling and
//! instantiating its wasm) took 0.35 s on the 2-core machine, so a helper started when a file
//! was dropped began its segment that late, and the bootstrap's helper, started after the parse,
//! competed with the first leaderboard's drawing for the CPU. Here the intake worker keeps
//! spares: started once the page configures the pool, handed to a parse or a bootstrap
//! ([`take`]), and replaced ([`refill`]) when a parse helper is ended, because a helper that held
//! a segment keeps that much wasm memory for life. A bootstrap's helpers hold little, so they
//! come back as spares ([`give_back`]).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The name a helper worker is started under; `main` checks it.
pub const HELPER_NAME: &str = "benchlens-pool-helper";

#[wasm_bindgen]
extern "C" {
    /// A helper's `Worker`.
    #[derive(Clone)]
    pub type HelperWorker;
    #[wasm_bindgen(method, catch, js_name = postMessage)]
    pub fn post(this: &HelperWorker, message: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(method)]
    pub fn terminate(this: &HelperWorker);
    /// The pool's reports, at the console's verbose level (the e2e tests read them).
    #[wasm_bindgen(js_namespace = console, js_name = debug)]
    pub fn console_debug(message: &str);
}

/// A started helper handed to its user, who sets its `onmessage` and `onerror` at once (no
/// message can arrive in between: this thread runs on until it yields).
pub struct Started {
    pub worker: HelperWorker,
    /// It has said it listens; until then a message sent to it could be lost.
    pub ready: bool,
}

/// A helper waiting for work.
struct Spare {
    worker: HelperWorker,
    ready: Rc<Cell<bool>>,
    /// It died while waiting (out of memory, a failed start).
    dead: Rc<Cell<bool>>,
}

/// Where helpers come from and how many workers compute at once (the coordinator included).
#[derive(Default)]
struct Config {
    script_url: Option<String>,
    size: usize,
    spares: Vec<Spare>,
}

thread_local! {
    static CONFIG: RefCell<Config> = RefCell::new(Config::default());
}

/// Sets the helper script (an absolute URL of `worker.js`) and the pool size (1 = no helpers),
/// and starts the spares.
pub fn configure(script_url: String, size: u32) {
    CONFIG.with(|c| {
        let mut c = c.borrow_mut();
        c.script_url = Some(script_url);
        c.size = size.clamp(1, 8) as usize;
    });
    refill();
}

/// The pool's size, once the page configured it.
pub fn pool_size() -> Option<usize> {
    CONFIG.with(|c| c.borrow().script_url.as_ref().map(|_| c.borrow().size))
}

/// A helper: a spare if one is alive, else a new one. None when the pool is not configured or
/// the browser refuses a worker.
pub fn take() -> Option<Started> {
    loop {
        let spare = CONFIG.with(|c| c.borrow_mut().spares.pop());
        match spare {
            Some(spare) if spare.dead.get() => spare.worker.terminate(),
            Some(spare) => return Some(Started { worker: spare.worker, ready: spare.ready.get() }),
            None => break,
        }
    }
    let script_url = CONFIG.with(|c| c.borrow().script_url.clone())?;
    Some(Started { worker: spawn(&script_url)?, ready: false })
}

/// Starts spares until there is one per helper the pool may use.
pub fn refill() {
    let Some((script_url, missing)) = CONFIG.with(|c| {
        let mut c = c.borrow_mut();
        c.spares.retain(|s| {
            if s.dead.get() {
                s.worker.terminate();
            }
            !s.dead.get()
        });
        let missing = c.size.saturating_sub(1).saturating_sub(c.spares.len());
        c.script_url.clone().map(|u| (u, missing))
    }) else {
        return;
    };
    for _ in 0..missing {
        let Some(worker) = spawn(&script_url) else { return };
        let spare = watch(worker, false);
        CONFIG.with(|c| c.borrow_mut().spares.push(spare));
    }
}

/// Takes back a helper that holds nothing worth its memory and has no answer on its way; ended
/// instead when the spares are complete.
pub fn give_back(worker: HelperWorker, ready: bool) {
    let room = CONFIG.with(|c| {
        let c = c.borrow();
        c.spares.len() < c.size.saturating_sub(1)
    });
    if room {
        let spare = watch(worker, ready);
        CONFIG.with(|c| c.borrow_mut().spares.push(spare));
    } else {
        worker.terminate();
    }
}

/// A spare's own handlers: they note that it listens, or that it died.
fn watch(worker: HelperWorker, ready: bool) -> Spare {
    let ready = Rc::new(Cell::new(ready));
    let dead = Rc::new(Cell::new(false));
    let on_message = Closure::<dyn FnMut(JsValue)>::new({
        let ready = ready.clone();
        move |event: JsValue| {
            let data = js_sys::Reflect::get(&event, &"data".into()).unwrap_or(JsValue::NULL);
            if js_sys::Reflect::get(&data, &"ready".into()).is_ok_and(|v| v.is_truthy()) {
                ready.set(true);
            }
        }
    })
    .into_js_value();
    let on_error = Closure::<dyn FnMut(JsValue)>::new({
        let dead = dead.clone();
        move |event: JsValue| {
            prevent_default(&event);
            dead.set(true);
        }
    })
    .into_js_value();
    let hooked = js_sys::Reflect::set(&worker, &"onmessage".into(), &on_message)
        .and_then(|_| js_sys::Reflect::set(&worker, &"onerror".into(), &on_error));
    dead.set(hooked.is_err());
    Spare { worker, ready, dead }
}

/// Keeps an error event from reaching the console as uncaught: its owner handles it.
pub fn prevent_default(event: &JsValue) {
    if let Ok(prevent) = js_sys::Reflect::get(event, &"preventDefault".into())
        .and_then(|f| f.dyn_into::<js_sys::Function>())
    {
        let _ = prevent.call0(event);
    }
}

/// Starts a helper worker: `worker.js` under [`HELPER_NAME`], through a module script that
/// imports it (a worker script must be same-origin, and the page may be served from elsewhere
/// than its wasm). The script's object URL is revoked when the helper first speaks (it says it
/// is ready). None when the browser refuses.
fn spawn(script_url: &str) -> Option<HelperWorker> {
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
    // A listener of its own, so whoever holds the helper may set `onmessage` freely.
    let revoke = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    let once = web_sys::AddEventListenerOptions::new();
    once.set_once(true);
    let target: &web_sys::EventTarget = worker.unchecked_ref();
    let _ = target.add_event_listener_with_callback_and_add_event_listener_options(
        "message",
        revoke.unchecked_ref(),
        &once,
    );
    Some(worker)
}
