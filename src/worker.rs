//! Worker entry point: registers the intake worker, which parses and analyses off the main thread.
//! (`worker_parquet.rs` is the same worker with Parquet, a separate module fetched on demand.)

fn main() {
    benchlens::run_worker();
}
