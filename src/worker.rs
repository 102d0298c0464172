//! Worker entry point: registers the intake worker, which parses and analyses off the main thread.

use gloo_worker::Registrable;

fn main() {
    console_error_panic_hook::set_once();
    benchlens::expose_wasm_memory();
    benchlens::jobs::IntakeWorker::registrar().encoding::<benchlens::jobs::JsCodec>().register();
}
