//! AlpacaEval metrics on the 8 real annotation files against the published leaderboard.

mod judge_common;

use benchlens_engine::judge::{
    alpaca_eval_leaderboard, length_controlled, AlpacaAnnotations, LcSettings,
};
use benchlens_engine::judge::{judge, JudgeReport, JudgeSettings};
use judge_common::{alpaca_tables, fixture, published};

fn load() -> AlpacaAnnotations {
    let tables = alpaca_tables();
    let named: Vec<(&str, &benchlens_engine::Table)> =
        tables.iter().map(|(n, t)| (n.as_str(), t)).collect();
    AlpacaAnnotations::from_tables(&named, None).expect("annotations")
}

fn num(row: &std::collections::HashMap<String, String>, col: &str) -> f64 {
    row[col].parse().expect("number")
}

#[test]
fn raw_discrete_and_length_match_published_to_a_hundredth() {
    let a = load();
    assert_eq!(a.baseline, "gpt4_1106_preview");
    assert_eq!(a.models.len(), 8);
    assert_eq!(a.instructions.len(), 805);
    // One warning, on purpose: gpt4_gamed's answers are cut to ten characters, so most share no
    // word with their instruction, and the leaderboard flags them (judge/answer_checks.rs).
    assert_eq!(a.warnings.len(), 1, "{:?}", a.warnings);
    assert!(
        a.warnings[0].starts_with("gpt4_gamed: degenerate answers (506 of 778"),
        "{:?}",
        a.warnings
    );
    let pubd = published();
    let rows = alpaca_eval_leaderboard(&a);
    assert_eq!(rows.len(), 8);
    for r in &rows {
        let p = &pubd[&r.model];
        assert!((r.win_rate - num(p, "win_rate")).abs() < 0.01, "{} win {}", r.model, r.win_rate);
        assert!(
            (r.standard_error - num(p, "standard_error")).abs() < 0.01,
            "{} se {}",
            r.model,
            r.standard_error
        );
        assert!(
            (r.discrete_win_rate - num(p, "discrete_win_rate")).abs() < 0.01,
            "{} discrete {}",
            r.model,
            r.discrete_win_rate
        );
        assert_eq!(r.avg_length as f64, num(p, "avg_length"), "{} avg_length", r.model);
        assert_eq!(r.n_wins as f64, num(p, "n_wins"), "{}", r.model);
        assert_eq!(r.n_wins_base as f64, num(p, "n_wins_base"), "{}", r.model);
        assert_eq!(r.n_draws as f64, num(p, "n_draws"), "{}", r.model);
        assert_eq!(r.n as f64, num(p, "n_total"), "{}", r.model);
    }
}

fn spearman(a: &[f64], b: &[f64]) -> f64 {
    let rank = |v: &[f64]| {
        let mut idx: Vec<usize> = (0..v.len()).collect();
        idx.sort_by(|&i, &j| v[i].total_cmp(&v[j]));
        let mut r = vec![0.0; v.len()];
        for (pos, &i) in idx.iter().enumerate() {
            r[i] = pos as f64;
        }
        r
    };
    let (ra, rb) = (rank(a), rank(b));
    let n = a.len() as f64;
    let d2: f64 = ra.iter().zip(&rb).map(|(x, y)| (x - y) * (x - y)).sum();
    1.0 - 6.0 * d2 / (n * (n * n - 1.0))
}

#[test]
fn length_controlled_matches_independent_python_fit() {
    let a = load();
    let lc = length_controlled(&a, &LcSettings::default()).expect("lc");
    let text = std::fs::read_to_string(format!("{}/alpaca_eval_lc.json", judge_common::FIXTURES))
        .expect("fixture");
    let fixture: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(lc.models.len(), 8);
    assert!(lc.difficulty_used);
    // The drill-down's per-instruction predictions average to the LC win rate.
    for m in &lc.models {
        let own: Vec<usize> = a
            .judgments
            .iter()
            .filter(|j| a.models[j.model as usize] == m.model)
            .map(|j| j.instruction as usize)
            .collect();
        let mean = own
            .iter()
            .map(|&i| lc.predicted_preference(&m.model, i).expect("prediction"))
            .sum::<f64>()
            / own.len() as f64;
        assert!((mean * 100.0 - m.lc_win_rate).abs() < 1e-9, "{}", m.model);
    }
    assert_eq!(lc.predicted_preference("no such model", 0), None);
    assert_eq!(lc.predicted_preference("gpt4_gamed", 10_000), None);
    for m in &lc.models {
        let f = &fixture["models"][&m.model];
        let close = |ours: f64, key: &str, tol: f64| {
            let theirs = f[key].as_f64().expect("fixture number");
            assert!((ours - theirs).abs() < tol, "{} {key}: ours {ours} python {theirs}", m.model);
        };
        close(m.lc_win_rate, "lc_win_rate", 0.01);
        close(m.lc_standard_error, "lc_standard_error", 0.001);
        close(m.length_coef, "length_coef", 0.01);
        close(m.difficulty_coef, "difficulty_coef", 0.01);
        close(m.bias, "bias", 0.01);
    }
}

#[test]
fn length_controlled_against_published() {
    // The published LC uses a downloaded instruction-difficulty table and the baseline's own
    // verbose/concise annotations (not in shared/); benchlens estimates difficulty from the
    // loaded files and regularises towards the other loaded models. BENCHMARKS.md
    // records every deviation and why. What must hold regardless: LC reorders the models as
    // the published LC does (Spearman ≥ 0.95), the verbose/default/concise variants keep their
    // published order, length control helps every model here (all are shorter than the
    // baseline), and the truncated `gpt4_gamed` gains the most relative to its raw rate.
    let a = load();
    let lc = length_controlled(&a, &LcSettings::default()).expect("lc");
    let pubd = published();
    let ours: Vec<f64> = lc.models.iter().map(|m| m.lc_win_rate).collect();
    let theirs: Vec<f64> =
        lc.models.iter().map(|m| num(&pubd[&m.model], "length_controlled_winrate")).collect();
    let rho = spearman(&ours, &theirs);
    assert!(rho >= 0.95, "spearman {rho}");
    let get = |name: &str| lc.models.iter().find(|m| m.model == name).expect("model");
    let v = get("gpt-3.5-turbo-1106_verbose").lc_win_rate;
    let d = get("gpt-3.5-turbo-1106").lc_win_rate;
    let c = get("gpt-3.5-turbo-1106_concise").lc_win_rate;
    assert!(v > d && d > c, "{v} {d} {c}");
    assert!(get("claude-2.1").lc_win_rate > get("claude-2.1_concise").lc_win_rate);
    assert_eq!(get("gpt-3.5-turbo-1106_concise").variant_of.as_deref(), Some("gpt-3.5-turbo-1106"));
    for m in &lc.models {
        assert!(m.lc_win_rate > m.win_rate, "{}", m.model);
        assert!(m.length_coef < 0.0, "{}", m.model);
        assert!(m.lc_standard_error > 0.0 && m.lc_standard_error < 2.0, "{}", m.model);
    }
    let ratio = |m: &benchlens_engine::judge::LcModel| m.lc_win_rate / m.win_rate;
    let gamed = ratio(get("gpt4_gamed"));
    assert!(lc.models.iter().all(|m| m.model == "gpt4_gamed" || ratio(m) < gamed));
    for m in &lc.models {
        let p = num(&pubd[&m.model], "length_controlled_winrate");
        eprintln!(
            "| {} | {:.2} | {:.2} | {:.2} | {:+.2} | {:.2} | {:.2} |",
            m.model,
            m.win_rate,
            p,
            m.lc_win_rate,
            m.lc_win_rate - p,
            m.lc_standard_error,
            m.length_coef
        );
    }
}

#[test]
fn small_file_through_the_entry_point() {
    // Preferences 1, 2, 1.5, 1.75, null: win rate mean(0, 1, .5, .75) = 56.25 %; discrete
    // (2 wins + ½ draw) / 4 = 62.5 %; answer lengths 2, 11, 13, 4 ("café" is 4 code points,
    // 5 bytes), 3 → mean 6.6, printed 6. One model only: LC is fitted unregularised.
    let t = fixture("alpaca_eval_small.json");
    match judge(&[("small.json", &t)], &JudgeSettings::default()).expect("judge") {
        JudgeReport::AlpacaEval { baseline, rows, length_controlled, warnings } => {
            assert_eq!(baseline, "base");
            let r = &rows[0];
            assert!((r.win_rate - 56.25).abs() < 1e-12);
            assert!((r.discrete_win_rate - 62.5).abs() < 1e-12);
            assert_eq!((r.avg_length, r.n, r.n_judgments), (6, 4, 5));
            assert!((r.mean_length - 6.6).abs() < 1e-12);
            assert_eq!(warnings.len(), 1, "{warnings:?}");
            assert!(warnings[0].contains("1 rows no preference"), "{}", warnings[0]);
            assert_eq!(
                length_controlled.regularization,
                benchlens_engine::judge::length_controlled::LcRegularization::None
            );
            assert!(!length_controlled.difficulty_used, "one model: no difficulty term");
            assert!(length_controlled.instruction_difficulty.iter().all(|&g| g == 0.0));
            // Independent reference: `python3 scripts/reference/judge_lc.py --one
            // crates/engine/tests/fixtures/judge/alpaca_eval_small.json` (scipy L-BFGS on the
            // minimal GLM) gives 56.91615983, length_coef -1.62782157; a plain Newton solve in
            // numpy agrees to 1e-10.
            let lc = &length_controlled.models[0];
            assert!((lc.lc_win_rate - 56.916_159_83).abs() < 1e-6, "LC {}", lc.lc_win_rate);
            assert!((lc.length_coef - -1.627_821_57).abs() < 1e-6, "slope {}", lc.length_coef);
        }
        other => panic!("wrong report {other:?}"),
    }
}
