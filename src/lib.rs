//! benchlens web app: Leptos components that wire signals to engine calls made in a Web Worker.
//!
//! Statistics never live here: they are in `benchlens-engine`. This crate only moves bytes to the
//! worker, results back, and draws them.

pub mod app;
pub mod charts;
pub mod export;
pub mod format;
pub mod intake;
pub mod jobs;
#[cfg(test)]
mod module_layers;
pub mod share;
pub mod state;
pub mod views;

/// Makes this module's linear memory readable as `globalThis.__benchlensWasmMemory`, for the
/// memory benchmark (`e2e/bench/intake-browser.js`): Chromium's performance APIs report the JS
/// heap but not a worker's wasm memory.
pub fn expose_wasm_memory() {
    let _ = js_sys::Reflect::set(
        &js_sys::global(),
        &wasm_bindgen::JsValue::from_str("__benchlensWasmMemory"),
        &wasm_bindgen::memory(),
    );
}
