//! Entry point of the Parquet-capable worker: the intake worker of `worker.rs`, built with the
//! `page-parquet` feature into its own wasm module. The page starts the small worker and switches
//! to this one when the first Parquet file arrives (`intake::parquet_worker`), so nobody who only
//! reads CSV or JSON downloads a Parquet decoder.

use gloo_worker::Registrable;

fn main() {
    console_error_panic_hook::set_once();
    benchlens::expose_wasm_memory();
    benchlens::jobs::IntakeWorker::registrar().encoding::<benchlens::jobs::JsCodec>().register();
}
