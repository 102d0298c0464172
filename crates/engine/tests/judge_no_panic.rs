//! The judge analyses must never panic on user data (a panic kills the browser page): random
//! tables with the right columns and hostile cells must give a result or an error, and edge
//! cases must give defined numbers.

use benchlens_engine::judge::{judge, JudgeKind, JudgeReport, JudgeSettings};
use benchlens_engine::Table;
use proptest::prelude::*;

fn cell_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("NaN".to_owned()),
        Just("null".to_owned()),
        Just("0".to_owned()),
        Just("-1".to_owned()),
        Just("1.5".to_owned()),
        Just("2".to_owned()),
        Just("1e308".to_owned()),
        Just("inf".to_owned()),
        Just("[{\"score\": \"A>>B\"}, {\"score\": \"B=A\"}]".to_owned()),
        Just("[{\"score\": null}, 3]".to_owned()),
        Just("{\"score\": \"A>B\"}".to_owned()),
        (1.0f64..2.0).prop_map(|v| v.to_string()),
        (0u32..4).prop_map(|v| format!("m{v}")),
        "[a-zé日 ]{0,12}",
    ]
}

fn table_strategy(columns: &'static [&'static str]) -> impl Strategy<Value = Table> {
    prop::collection::vec(prop::collection::vec(cell_strategy(), columns.len()), 0..30).prop_map(
        move |rows| {
            let mut t = Table::new(columns.iter().map(|c| (*c).to_owned()).collect());
            for (i, r) in rows.iter().enumerate() {
                t.push_row(r.iter().map(String::as_str), i as u64 + 2);
            }
            t
        },
    )
}

const ALPACA: &[&str] =
    &["instruction", "output_1", "generator_1", "output_2", "generator_2", "preference"];
const ARENA: &[&str] = &["question_id", "model", "games", "baseline"];
const MT: &[&str] = &["question_id", "model", "turn", "score"];

fn run_all_kinds(t: &Table) {
    for kind in [JudgeKind::AlpacaEval, JudgeKind::ArenaHard, JudgeKind::MtBench] {
        let s = JudgeSettings { kind: Some(kind), ..JudgeSettings::default() };
        let _ = judge(&[("random", t)], &s);
        let s = JudgeSettings { kind: Some(kind), baseline: Some("m0".into()), ..s };
        let _ = judge(&[("random", t), ("again", t)], &s);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn alpaca_layout_never_panics(t in table_strategy(ALPACA)) {
        run_all_kinds(&t);
    }

    #[test]
    fn arena_layout_never_panics(t in table_strategy(ARENA)) {
        run_all_kinds(&t);
    }

    #[test]
    fn mt_bench_layout_never_panics(t in table_strategy(MT)) {
        run_all_kinds(&t);
    }
}

fn alpaca_table(rows: &[(&str, &str, &str)]) -> Table {
    let mut t = Table::new(ALPACA.iter().map(|c| (*c).to_owned()).collect());
    for (i, (instruction, model, pref)) in rows.iter().enumerate() {
        t.push_row(
            [*instruction, "baseline answer", "base", "answer", *model, *pref],
            i as u64 + 2,
        );
    }
    t
}

#[test]
fn a_model_without_usable_preferences_has_no_lc_rather_than_fifty() {
    let t =
        alpaca_table(&[("a", "m1", "1.2"), ("b", "m1", "1.9"), ("a", "m2", ""), ("b", "m2", "x")]);
    let report = judge(&[("t", &t)], &JudgeSettings::default()).expect("judge");
    let JudgeReport::AlpacaEval { rows, length_controlled, warnings, .. } = report else {
        panic!("wrong kind")
    };
    let m2 = rows.iter().find(|r| r.model == "m2").expect("m2");
    assert_eq!(m2.n, 0);
    assert!(m2.win_rate.is_nan());
    let lc2 = length_controlled.models.iter().find(|m| m.model == "m2").expect("m2");
    assert!(lc2.lc_win_rate.is_nan(), "{}", lc2.lc_win_rate);
    assert_eq!(length_controlled.models.last().map(|m| m.model.as_str()), Some("m2"));
    assert_eq!(rows.last().map(|r| r.model.as_str()), Some("m2"));
    let lc1 = length_controlled.models.iter().find(|m| m.model == "m1").expect("m1");
    assert!(lc1.lc_win_rate.is_finite());
    assert_eq!(warnings.len(), 2, "{warnings:?}");
}

#[test]
fn equal_lengths_and_one_row_stay_finite() {
    // sd of the length difference is 0 (all answers equally long): tanh term is 0, no NaN.
    let t = alpaca_table(&[("a", "m1", "2"), ("b", "m1", "1"), ("c", "m1", "1.5")]);
    let report = judge(&[("t", &t)], &JudgeSettings::default()).expect("judge");
    let JudgeReport::AlpacaEval { length_controlled, .. } = report else { panic!("wrong kind") };
    let m = &length_controlled.models[0];
    assert!(m.lc_win_rate.is_finite() && m.length_coef.is_finite(), "{m:?}");
    assert!((m.lc_win_rate - 50.0).abs() < 0.5, "{}", m.lc_win_rate);
}

#[test]
fn errors_are_sentences_naming_the_file_and_column() {
    let t = Table::new(vec!["model".into(), "turn".into()]);
    let s = JudgeSettings { kind: Some(JudgeKind::MtBench), ..JudgeSettings::default() };
    let e = judge(&[("grades.jsonl", &t)], &s).expect_err("no score column");
    assert_eq!(
        e.to_string(),
        "grades.jsonl: column `score` is missing, and the MT-Bench analysis needs it"
    );
    let e = judge(&[("x.csv", &t)], &JudgeSettings::default()).expect_err("unknown kind");
    assert!(e.to_string().starts_with("x.csv: cannot tell which judge benchmark"), "{e}");
}
