//! MT-Bench scoring on a hand-made grade file (tests/fixtures/judge/mt_bench_small.jsonl).
//!
//! Hand check: m1 turn 1 = [8, 9, 7] → mean 8, se 1/√3; turn 2 = [6, 5] (a −1 grade dropped)
//! → 5.5, se 0.5; overall [8, 9, 7, 6, 5] → 7, se √(2.5/5) = 0.70711, 95 % interval
//! 7 ± 1.959964·0.70711 = [5.614096, 8.385904]. m2 turn 1 = [10, 10], turn 2 = [9] (a row with
//! score "abc" skipped) → overall 9.6667 first.

mod judge_common;

use benchlens_engine::judge::{mt_bench_scores, JudgeKind};
use judge_common::fixture;

#[test]
fn means_and_intervals_match_the_hand_check() {
    let t = fixture("mt_bench_small.jsonl");
    assert_eq!(JudgeKind::detect(&t), Some(JudgeKind::MtBench));
    let r = mt_bench_scores(&[("small", &t)], 0.95).expect("mt-bench");
    let keys: Vec<(&str, Option<u32>)> =
        r.rows.iter().map(|x| (x.model.as_str(), x.turn)).collect();
    assert_eq!(
        keys,
        [
            ("m2", None),
            ("m2", Some(1)),
            ("m2", Some(2)),
            ("m1", None),
            ("m1", Some(1)),
            ("m1", Some(2))
        ]
    );
    let m1 = &r.rows[3];
    assert!((m1.mean - 7.0).abs() < 1e-12 && m1.n == 5);
    assert!((m1.standard_error - 0.5f64.sqrt()).abs() < 1e-12);
    assert!((m1.lower - 5.614096175650322).abs() < 1e-7, "{}", m1.lower);
    assert!((m1.upper - 8.385903824349677).abs() < 1e-7, "{}", m1.upper);
    assert!((r.rows[4].mean - 8.0).abs() < 1e-12);
    assert!((r.rows[4].standard_error - 0.5773502691896258).abs() < 1e-12);
    assert!((r.rows[5].mean - 5.5).abs() < 1e-12 && r.rows[5].n == 2);
    assert!((r.rows[0].mean - 29.0 / 3.0).abs() < 1e-12);
    assert!(r.rows[2].standard_error.is_nan(), "one grade has no standard error");
    assert_eq!(r.warnings.len(), 2, "{:?}", r.warnings);
}

#[test]
fn rejects_a_level_outside_zero_one() {
    let t = fixture("mt_bench_small.jsonl");
    assert!(mt_bench_scores(&[("small", &t)], 1.0).is_err());
}
