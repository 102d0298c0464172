//! TEMPORARY profiling marks (h-pageparse): `[prof]` console lines that
//! `e2e/bench/ratings-profile.js` timestamps. Removed before merging.

#[cfg(target_arch = "wasm32")]
mod imp {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = console, js_name = debug)]
        fn console_debug(line: &str);
        #[wasm_bindgen(js_namespace = performance, js_name = now)]
        fn performance_now() -> f64;
    }
    pub fn mark(line: &str) {
        let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
        let mb = memory.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() >> 20;
        console_debug(&format!("[prof] {line} (wasm {mb} MB)"));
    }
    pub fn now() -> f64 {
        performance_now()
    }
}
#[cfg(not(target_arch = "wasm32"))]
mod imp {
    pub fn mark(_line: &str) {}
    pub fn now() -> f64 {
        0.0
    }
}
pub use imp::{mark, now};
