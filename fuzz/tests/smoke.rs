//! The fuzz smoke pass of `scripts/test.sh`: every fuzz target's body over its whole committed
//! corpus (`crates/engine/fuzz/corpus/<target>/`, which holds the minimised libFuzzer corpus and
//! every crash input ever fixed), then over seeded random and mutated inputs for a bounded time.
//!
//! It runs on stable Rust with no cargo-fuzz, so CI exercises the same code the libFuzzer harness
//! does without nightly. Inputs are seeded, so a failure reproduces; the failing input is written
//! to `target/fuzz-smoke-failures/` and its path printed, ready to copy into the corpus.
//!
//! `FUZZ_SMOKE_SECONDS` (default 2) caps the random phase per target; `FUZZ_SMOKE_SEED` changes
//! the seed.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

/// Most random inputs per target; the time cap usually stops earlier on slow targets.
const MAX_RANDOM_INPUTS: usize = 4000;

fn corpus_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/engine/fuzz/corpus").join(target)
}

fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    if let Ok(entries) = std::fs::read_dir(corpus_dir(target)) {
        for entry in entries.flatten() {
            let path = entry.path();
            if let Ok(bytes) = std::fs::read(&path) {
                files.push((path, bytes));
            }
        }
    }
    files.sort();
    files
}

/// One libFuzzer-style mutation: flip, insert, delete, overwrite with an interesting byte, copy
/// a slice of another corpus input, or truncate.
fn mutate(rng: &mut Pcg64, input: &[u8], pool: &[Vec<u8>]) -> Vec<u8> {
    const INTERESTING: &[u8] = b"\x00\xff{}[]\",:\n\r\t\\;|0123456789eE.-+ ";
    let mut out = input.to_vec();
    for _ in 0..rng.gen_range(1..=4) {
        let len = out.len();
        match rng.gen_range(0..6) {
            0 if len > 0 => {
                let i = rng.gen_range(0..len);
                out[i] ^= 1 << rng.gen_range(0..8);
            }
            1 => {
                let i = rng.gen_range(0..=len);
                out.insert(i, INTERESTING[rng.gen_range(0..INTERESTING.len())]);
            }
            2 if len > 0 => {
                let i = rng.gen_range(0..len);
                let j = rng.gen_range(i..=len.min(i + 16));
                out.drain(i..j);
            }
            3 if len > 0 => {
                let i = rng.gen_range(0..len);
                out[i] = INTERESTING[rng.gen_range(0..INTERESTING.len())];
            }
            4 if !pool.is_empty() => {
                let other = &pool[rng.gen_range(0..pool.len())];
                if !other.is_empty() {
                    let s = rng.gen_range(0..other.len());
                    let e = rng.gen_range(s..=other.len().min(s + 64));
                    let at = rng.gen_range(0..=len);
                    out.splice(at..at, other[s..e].iter().copied());
                }
            }
            _ => out.truncate(rng.gen_range(0..=len)),
        }
    }
    out
}

fn report_failure(target: &str, input: &[u8], payload: &(dyn std::any::Any + Send)) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/fuzz-smoke-failures");
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("{target}-{:016x}", fnv(input)));
    let _ = std::fs::write(&path, input);
    let message = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default();
    format!("{target}: {message}\n  input ({} bytes) saved to {}", input.len(), path.display())
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100000001b3))
}

fn run_one(target: &str, body: fn(&[u8]), input: &[u8]) -> Result<(), String> {
    std::panic::catch_unwind(|| body(input)).map_err(|p| report_failure(target, input, &*p))
}

#[test]
fn every_target_survives_its_corpus_and_random_inputs() {
    let seconds: f64 =
        std::env::var("FUZZ_SMOKE_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(2.0);
    let seed: u64 = std::env::var("FUZZ_SMOKE_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(7);
    let mut failures = Vec::new();
    for &(target, body) in benchlens_fuzz::TARGETS {
        let start = Instant::now();
        let files = corpus(target);
        for (path, input) in &files {
            if let Err(e) = run_one(target, body, input) {
                failures.push(format!("{e}\n  (corpus file {})", path.display()));
            }
        }
        let pool: Vec<Vec<u8>> = files.into_iter().map(|(_, b)| b).collect();
        let n_corpus = pool.len();
        let mut rng = Pcg64::seed_from_u64(seed ^ fnv(target.as_bytes()));
        let deadline = Instant::now() + Duration::from_secs_f64(seconds);
        let mut n_random = 0;
        while n_random < MAX_RANDOM_INPUTS && Instant::now() < deadline {
            let input = if !pool.is_empty() && rng.gen_bool(0.75) {
                let pick = rng.gen_range(0..pool.len());
                mutate(&mut rng, &pool[pick], &pool)
            } else {
                let len = rng.gen_range(0..512);
                (0..len).map(|_| rng.gen()).collect()
            };
            if let Err(e) = run_one(target, body, &input) {
                failures.push(e);
            }
            n_random += 1;
        }
        println!(
            "{target:>18}: {n_corpus:>5} corpus inputs + {n_random:>5} random/mutated in {:.1} s",
            start.elapsed().as_secs_f64()
        );
    }
    assert!(failures.is_empty(), "{} failing inputs:\n{}", failures.len(), failures.join("\n"));
}
