//! Entry point of the Parquet-capable worker: the same intake worker as `worker.rs`, built with
//! the `page-parquet` feature into its own wasm module. The page starts the small worker and
//! switches to this one when the first Parquet file arrives (`intake::parquet_worker`), so nobody
//! who only reads CSV or JSON downloads a Parquet decoder.

fn main() {
    benchlens::run_worker();
}
