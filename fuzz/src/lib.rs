//! Fuzz target bodies for benchlens-engine.
//!
//! Every target is a plain `fn(&[u8])` so that two drivers run exactly the same code: the
//! libFuzzer harness in `crates/engine/fuzz` (needs cargo-fuzz and nightly flags, run by hand)
//! and the stable smoke test in `tests/smoke.rs` (part of `scripts/test.sh`), which replays the
//! committed corpus plus seeded random and mutated inputs. A body panics only when the engine
//! panics or when one of the invariants it checks breaks; the engine promises never to panic on
//! user data (a panic kills the browser page), so any panic here is a bug.
//!
//! Parser targets take raw bytes (the first byte or two pick options, the rest is the file).
//! Analysis targets read structured values out of the bytes with [`arbitrary::Unstructured`], with
//! small caps on sizes, so that the fuzzer spends its time in the statistics rather than in the
//! parsers and each run stays in the millisecond range.

mod analyses;
mod parsers;

pub use analyses::{defects, judge, ratings, scaling_fit};
pub use parsers::{
    battle_record, benchmark_items, csv_split, json_split, judge_annotations, load, tables,
};

/// A target body: bytes in, panics only on a bug.
pub type Target = fn(&[u8]);

/// Every target by name: the names are the libFuzzer binaries' and the corpus folders'.
pub const TARGETS: &[(&str, Target)] = &[
    ("load", load),
    ("json_split", json_split),
    ("csv_split", csv_split),
    ("battle_record", battle_record),
    ("tables", tables),
    ("benchmark_items", benchmark_items),
    ("judge_annotations", judge_annotations),
    ("ratings", ratings),
    ("scaling_fit", scaling_fit),
    ("defects", defects),
    ("judge", judge),
];
