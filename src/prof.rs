//! TEMPORARY profiling marks (h-render): console lines with performance.now().
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = log)]
    fn console_log(message: &str);
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn perf_now() -> f64;
}

pub fn now() -> f64 {
    perf_now()
}

pub fn mark(what: &str) {
    console_log(&format!("PROF {:.0} {what}", perf_now()));
}

pub fn since(t0: f64, what: &str) {
    let dt = perf_now() - t0;
    if dt > 5.0 {
        console_log(&format!("PROF {:.0} {what} took {dt:.0} ms", perf_now()));
    }
}
