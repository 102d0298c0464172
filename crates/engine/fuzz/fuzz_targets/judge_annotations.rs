//! libFuzzer entry for the `judge_annotations` body in benchlens-fuzz (the smoke test runs the same body).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| benchlens_fuzz::judge_annotations(data));
