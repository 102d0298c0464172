//! Worker entry point: registers the intake worker, which parses and analyses off the main thread.

use gloo_worker::Registrable;

fn main() {
    console_error_panic_hook::set_once();
    benchlens::expose_wasm_memory();
    // A pool helper (started by the intake worker, see `jobs::pool`) parses segments only.
    #[cfg(target_arch = "wasm32")]
    {
        let name = js_sys::Reflect::get(&js_sys::global(), &"name".into())
            .ok()
            .and_then(|n| n.as_string());
        if name.as_deref() == Some(benchlens::jobs::HELPER_NAME) {
            benchlens::jobs::serve_helper();
            return;
        }
    }
    benchlens::jobs::IntakeWorker::registrar().encoding::<benchlens::jobs::JsCodec>().register();
}
