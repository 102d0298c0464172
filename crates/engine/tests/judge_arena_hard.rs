//! Arena-Hard scoring on a hand-made judgment file (tests/fixtures/judge/arena_hard_small.jsonl).
//!
//! Hand check, weight 3 (model-side scores; game 1 has the baseline as A, game 2 the model as A):
//! m1: q1 A>B → 0, A>B → 1; q2 B>>A → 1×3, A>>B → 1×3; q3 A=B → ½, B>A → 0; q4 has a null
//!     verdict and is dropped. Losses 2, ties 1, wins 7: p = 7.5 / 10 = 75 %,
//!     rating 1000 + 400·log10(3) = 1190.8485.
//! m2: q1 A>>B → 0×3, B>>A → 0×3; q2 A>B → 0, A=B → ½; q3 B>A → 1, B=A → ½; q4 has the label
//!     A>C and is dropped. Losses 7, ties 2, wins 1: p = 2 / 10 = 20 %, rating 759.1760.
//! With weight 1, m1: losses 2, ties 1, wins 3: p = 3.5 / 6 = 58.33 %.

mod judge_common;

use benchlens_engine::judge::{
    arena_hard_leaderboard, judge, ArenaHardSettings, JudgeKind, JudgeReport, JudgeSettings,
};
use judge_common::fixture;

#[test]
fn scores_ratings_and_counts_match_the_hand_check() {
    let t = fixture("arena_hard_small.jsonl");
    assert_eq!(JudgeKind::detect(&t), Some(JudgeKind::ArenaHard));
    let r = arena_hard_leaderboard(&[("small", &t)], &[], &ArenaHardSettings::default(), 1)
        .expect("arena-hard");
    assert_eq!(r.baseline, "gpt-4-0314");
    let names: Vec<&str> = r.rows.iter().map(|x| x.model.as_str()).collect();
    assert_eq!(names, ["m1", "gpt-4-0314", "m2"]);
    let m1 = &r.rows[0];
    assert!((m1.score - 75.0).abs() < 1e-12);
    assert_eq!((m1.losses, m1.ties, m1.wins, m1.questions), (2, 1, 7, 3));
    assert!((m1.rating.expect("finite") - 1190.848501887865).abs() < 1e-9);
    let m2 = &r.rows[2];
    assert!((m2.score - 20.0).abs() < 1e-12);
    assert_eq!((m2.losses, m2.ties, m2.wins, m2.questions), (7, 2, 1, 3));
    assert!((m2.rating.expect("finite") - 759.176003468815).abs() < 1e-9);
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert!(r.warnings[0].contains("2 records skipped"), "{}", r.warnings[0]);
    assert!((r.ci_level - 0.90).abs() < 1e-12);
    for row in [m1, m2] {
        assert!(row.lower <= row.score && row.score <= row.upper, "{row:?}");
        assert!(row.lower < row.upper);
    }
}

#[test]
fn strong_verdict_weight_is_a_setting() {
    let t = fixture("arena_hard_small.jsonl");
    let s = ArenaHardSettings { strong_verdict_weight: 1, ..ArenaHardSettings::default() };
    let r = arena_hard_leaderboard(&[("small", &t)], &[], &s, 1).expect("arena-hard");
    let m1 = r.rows.iter().find(|x| x.model == "m1").expect("m1");
    assert!((m1.score - 350.0 / 6.0).abs() < 1e-9, "{}", m1.score);
}

#[test]
fn bootstrap_is_seeded_and_the_level_widens_the_interval() {
    let t = fixture("arena_hard_small.jsonl");
    let run = |seed: u64, level: f64| {
        let s = ArenaHardSettings {
            ci_level: level,
            bootstrap_rounds: 500,
            ..ArenaHardSettings::default()
        };
        arena_hard_leaderboard(&[("small", &t)], &[], &s, seed).expect("arena-hard")
    };
    assert_eq!(run(7, 0.9), run(7, 0.9));
    // Ten score rows make the bootstrap distribution coarse, so look across a few seeds.
    let bounds: Vec<(f64, f64)> =
        (1..=5).map(|seed| run(seed, 0.5)).map(|r| (r.rows[0].lower, r.rows[0].upper)).collect();
    assert!(bounds.iter().any(|b| *b != bounds[0]), "{bounds:?}");
    let (narrow, wide) = (run(7, 0.5), run(7, 0.99));
    assert!(wide.rows[0].lower <= narrow.rows[0].lower);
    assert!(wide.rows[0].upper >= narrow.rows[0].upper);
    // With 10 score rows at p = .75 the bootstrap sd is ≈ sqrt(.1875/10) ≈ 13.7 points.
    let w = wide.rows[0].upper - wide.rows[0].lower;
    assert!(w > 40.0 && w < 90.0, "{w}");
}

#[test]
fn entry_point_detects_the_kind_and_takes_the_baseline_name() {
    let t = fixture("arena_hard_small.jsonl");
    let s = JudgeSettings { baseline: Some("my-baseline".into()), ..JudgeSettings::default() };
    match judge(&[("small", &t)], &s).expect("judge") {
        JudgeReport::ArenaHard(r) => assert_eq!(r.baseline, "my-baseline"),
        other => panic!("wrong report {other:?}"),
    }
}

/// Style control on tests/fixtures/judge/arena_hard_style_{judgments,answers}.jsonl against the
/// independent scipy fit (scripts/reference/judge_arena_style.py → arena_hard_style.json).
#[test]
fn style_control_matches_independent_python_fit() {
    use benchlens_engine::judge::StyleControl;
    let judgments = fixture("arena_hard_style_judgments.jsonl");
    let answers = fixture("arena_hard_style_answers.jsonl");
    let text = std::fs::read_to_string(format!("{}/arena_hard_style.json", judge_common::FIXTURES))
        .expect("fixture");
    let expected: serde_json::Value = serde_json::from_str(&text).expect("json");
    for (control, key) in [
        (StyleControl::Length, "length"),
        (StyleControl::Markdown, "markdown"),
        (StyleControl::LengthAndMarkdown, "length-and-markdown"),
    ] {
        let settings = ArenaHardSettings {
            baseline: Some("base".into()),
            style_control: Some(control),
            ..ArenaHardSettings::default()
        };
        // Through the entry point, answers and judgments mixed: it must tell them apart.
        let s = JudgeSettings {
            baseline: Some("base".into()),
            arena_hard: settings,
            seed: 3,
            ..JudgeSettings::default()
        };
        let r = match judge(&[("answers", &answers), ("judgments", &judgments)], &s).expect("judge")
        {
            JudgeReport::ArenaHard(r) => r,
            other => panic!("wrong report {other:?}"),
        };
        let fit = &expected["fits"][key];
        let style = r.style.as_ref().expect("style coefficients");
        assert_eq!(style.rows, fit["rows"].as_u64().expect("rows"));
        for (ours, theirs) in
            style.coefficients.iter().zip(fit["coefficients"].as_array().expect("a"))
        {
            let theirs = theirs.as_f64().expect("f64");
            assert!((ours - theirs).abs() < 1e-3, "{key}: coef {ours} vs {theirs}");
        }
        for m in ["m1", "m2"] {
            let row = r.rows.iter().find(|x| x.model == m).expect("model row");
            let theirs = fit["win"][m].as_f64().expect("win") * 100.0;
            assert!((row.score - theirs).abs() < 1e-3, "{key} {m}: {} vs {theirs}", row.score);
            assert!(row.lower <= row.upper, "{row:?}");
        }
    }
}

#[test]
fn style_control_without_answers_is_an_error_that_says_what_to_pass() {
    use benchlens_engine::judge::StyleControl;
    let judgments = fixture("arena_hard_style_judgments.jsonl");
    let s = ArenaHardSettings {
        baseline: Some("base".into()),
        style_control: Some(StyleControl::Length),
        ..ArenaHardSettings::default()
    };
    let e = arena_hard_leaderboard(&[("j", &judgments)], &[], &s, 0).expect_err("no answers");
    assert!(e.to_string().contains("answer files"), "{e}");
}
