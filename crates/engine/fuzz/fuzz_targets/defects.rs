//! libFuzzer entry for the `defects` body in benchlens-fuzz (the smoke test runs the same body).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| benchlens_fuzz::defects(data));
