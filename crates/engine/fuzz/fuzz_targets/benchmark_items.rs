//! libFuzzer entry for the `benchmark_items` body in benchlens-fuzz (the smoke test runs the same body).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| benchlens_fuzz::benchmark_items(data));
