//! `benchlens ratings --weights COLUMN` against the numpy / scipy reference
//! (scripts/reference/ratings_weights_reference.py wrote the fixture and its expected values):
//! the same weighted battles as JSONL, CSV and Parquet give the reference's weighted
//! Bradley–Terry and online Elo within 1e-6 Elo, sandwich bounds within a tenth (as the
//! unweighted sandwich test), and unusable weights are named on stderr, never a panic.

use std::process::{Command, Output};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../engine/tests/fixtures/ratings/weighted");
const FORMATS: [&str; 3] = ["battles.jsonl", "battles.csv", "battles.parquet"];

fn benchlens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_benchlens")).args(args).output().expect("binary runs")
}

fn json_of(args: &[&str]) -> (serde_json::Value, String) {
    let out = benchlens(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "failed: {stderr}");
    (serde_json::from_slice(&out.stdout).expect("JSON output"), stderr)
}

fn expected() -> serde_json::Value {
    let text = std::fs::read_to_string(format!("{DIR}/expected.json")).expect("expected.json");
    serde_json::from_str(&text).expect("expected.json is JSON")
}

/// (model, rating, lower, upper) of each leaderboard row.
fn rows(out: &serde_json::Value) -> Vec<(String, f64, Option<f64>, Option<f64>)> {
    let list = out["ratings"].as_array().expect("ratings list");
    list.iter()
        .map(|r| {
            let model = r["model"].as_str().expect("model").to_owned();
            (model, r["rating"].as_f64().expect("rating"), r["lower"].as_f64(), r["upper"].as_f64())
        })
        .collect()
}

fn assert_ratings(label: &str, out: &serde_json::Value, want: &serde_json::Value, tol: f64) {
    let rows = rows(out);
    let want = want.as_object().expect("model → rating");
    assert_eq!(rows.len(), want.len(), "{label}: models");
    for (model, rating, _, _) in rows {
        let w = want[&model].as_f64().expect("expected rating");
        assert!((rating - w).abs() < tol, "{label} {model}: {rating} vs reference {w}");
    }
}

#[test]
fn weighted_bt_and_elo_equal_the_reference_in_every_format() {
    let fx = expected();
    for file in FORMATS {
        let path = format!("{DIR}/{file}");
        let bt = ["ratings", &path, "--weights", "weight", "--ci", "none", "--format", "json"];
        let (out, stderr) = json_of(&bt);
        assert_ratings(&format!("{file} bt"), &out, &fx["bt"], 1e-6);
        assert_eq!(out["weights"], "weight", "{file}: the JSON says the weighting");
        assert!(stderr.contains("2 rows skipped: weight column `weight`"), "{file}: {stderr}");
        assert!(stderr.contains("1 battle of weight 0 left out"), "{file}: {stderr}");
        let elo = [&bt[..], &["--method", "elo"]].concat();
        assert_ratings(&format!("{file} elo"), &json_of(&elo).0, &fx["elo"], 1e-6);
    }
}

#[test]
fn weighted_sandwich_bounds_match_the_reference_within_a_tenth() {
    let fx = expected();
    let path = format!("{DIR}/battles.jsonl");
    let (out, _) =
        json_of(&["ratings", &path, "--weights", "weight", "--ci", "sandwich", "--format", "json"]);
    for (model, _, lower, upper) in rows(&out) {
        let want = &fx["sandwich"][&model];
        let (lo, hi) = (want[0].as_f64().expect("lower"), want[1].as_f64().expect("upper"));
        assert!((lower.expect("lower") - lo).abs() < 0.1, "{model} lower");
        assert!((upper.expect("upper") - hi).abs() < 0.1, "{model} upper");
    }
}

#[test]
fn unweighted_run_ignores_the_column_and_says_nothing_of_weights() {
    let fx = expected();
    let path = format!("{DIR}/battles.jsonl");
    let (out, stderr) = json_of(&["ratings", &path, "--ci", "none", "--format", "json"]);
    assert_ratings("unweighted", &out, &fx["bt_unweighted"], 1e-6);
    assert!(out.get("weights").is_none());
    assert!(!stderr.contains("weight"), "{stderr}");
    let csv = benchlens(&["ratings", &path, "--ci", "none"]);
    assert!(!String::from_utf8_lossy(&csv.stdout).contains("weights"));
}

#[test]
fn csv_output_ends_with_the_weights_table_and_keeps_its_columns() {
    let path = format!("{DIR}/battles.csv");
    let out = benchlens(&["ratings", &path, "--weights", "weight", "--bootstrap", "40"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(text.lines().next(), Some("model,rating,lower,upper,rank_ub,battles"));
    assert!(text.ends_with("\nweights\nweight\n"), "{text}");
    // The first unusable weight is named by line: line 9 of the CSV (header + 8th battle).
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("first at battles.csv, line 9: missing"), "{stderr}");
}

#[test]
fn an_unknown_weight_column_fails_naming_the_numeric_columns() {
    let path = format!("{DIR}/battles.jsonl");
    let out = benchlens(&["ratings", &path, "--weights", "w8", "--ci", "none"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no numeric column `w8`") && stderr.contains("weight"), "{stderr}");
}
