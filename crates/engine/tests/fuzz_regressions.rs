//! Regression tests for crashes the fuzz targets found (see README "Fuzzing"). Each test is the
//! user-level version of a minimised crash input; the input itself also stays in
//! `crates/engine/fuzz/corpus/<target>/`, which the smoke pass replays.

use benchlens_engine::battles::BattleBuilder;
use benchlens_engine::formats::{load_bytes, LoadOptions};

/// battle_record: a battle record cut right after a backslash inside a string (a truncated
/// JSONL download) made the fast path slice past the end and panic, killing the worker.
#[test]
fn battle_jsonl_cut_after_a_backslash_keeps_the_complete_rows() {
    let file = b"{\"model_a\":\"a\",\"model_b\":\"b\",\"winner\":\"model_a\"}\n{\"model_a\":\"a\\";
    let parsed = load_bytes("battles.jsonl", file, &LoadOptions::default());
    assert_eq!(parsed.battles().map(|b| b.len()), Some(1), "{:?}", parsed.summary.warnings);
    assert!(
        parsed.summary.warnings.iter().any(|w| w.line == Some(2)),
        "the cut record is reported: {:?}",
        parsed.summary.warnings
    );
    let mut builder = BattleBuilder::new();
    assert!(builder.push_json(br#"{"model_a": "x", "winner": "tie", "model_b": "\"#).is_err());
}
