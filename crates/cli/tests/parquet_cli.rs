//! `benchlens ratings` over Parquet as a user types it: the shards of a split by glob or by
//! folder give the very same CSV as the same battles in clean_battle JSON (every rating, bound
//! and count, with and without style control); the 55k Kaggle CSV too; broken Parquet fails with
//! a message naming the file; the hub's MMLU-Redux shards with an lm-evaluation-harness folder
//! flag as the same items in CSV do.
//!
//! Fixtures: `crates/engine/tests/fixtures/parquet/` (see scripts/fixtures/write_parquet_fixtures.py).

use std::process::{Command, Output};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../engine/tests/fixtures/parquet");

fn benchlens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_benchlens")).args(args).output().expect("binary runs")
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).expect("utf-8")
}

fn path(rel: &str) -> String {
    format!("{FIXTURES}/{rel}")
}

fn ratings(inputs: &[String], extra: &[&str]) -> String {
    let mut args: Vec<&str> = vec!["ratings", "--bootstrap", "200"];
    args.extend(inputs.iter().map(String::as_str));
    args.extend(extra);
    stdout(&benchlens(&args))
}

#[test]
fn shards_by_name_and_by_folder_equal_clean_battle_json() {
    let shards = vec![
        path("arena-140k/data/train-00000-of-00002.parquet"),
        path("arena-140k/data/train-00001-of-00002.parquet"),
    ];
    let folder = vec![path("arena-140k/data")];
    let json = vec![path("arena-140k/clean_battle.jsonl")];
    for extra in [&[][..], &["--style-control"][..], &["--ci", "sandwich", "--style-control"][..]] {
        let want = ratings(&json, extra);
        assert!(want.lines().count() > 5, "{want}");
        assert_eq!(ratings(&shards, extra), want, "shards, {extra:?}");
        assert_eq!(ratings(&folder, extra), want, "folder, {extra:?}");
    }
    // A category filter from category_tag works the same on both.
    // The math subset is small: a weak prior keeps every model rated.
    let math = ["--filter", "category=math_v0.1.math", "--ci", "none", "--prior", "1"];
    assert_eq!(ratings(&folder, &math), ratings(&json, &math));
}

#[test]
fn the_55k_csv_rates_as_its_clean_battle_twin() {
    let csv = vec![path("arena-55k/train.csv")];
    let json = vec![path("arena-55k/clean_battle.jsonl")];
    assert_eq!(ratings(&csv, &[]), ratings(&json, &[]));
}

#[test]
fn inspect_names_the_schema_of_a_hub_shard() {
    let out = stdout(&benchlens(&["inspect", &path("mmlu/anatomy/test-00000-of-00001.parquet")]));
    assert!(out.contains("cais/mmlu"), "{out}");
    assert!(out.contains("\"subject\": \"anatomy\""), "{out}");
}

#[test]
fn truncated_parquet_fails_naming_the_file() {
    let good = std::fs::read(path("codecs/battles-zstd.parquet")).expect("fixture");
    let dir = std::env::temp_dir().join(format!("benchlens-parquet-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let cut = dir.join("train-00000-of-00001.parquet");
    std::fs::write(&cut, &good[..good.len() - 100]).expect("write");
    let out = benchlens(&["ratings", cut.to_str().expect("utf-8 path")]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("train-00000-of-00001.parquet"), "{err}");
    assert!(err.contains("truncated Parquet file"), "{err}");
}

/// `benchlens defects test-*.parquet --predictions <folder of lm-eval runs>`: the hub's MMLU-Redux
/// shards of two subjects (the same items as the repo's label CSVs) flag exactly as the CSVs do,
/// model disagreement from the three harness runs included. Only the file names differ.
#[test]
fn redux_parquet_with_lm_eval_runs_flags_as_the_same_items_in_csv() {
    let runs = format!("{FIXTURES}/../defects/lm-eval-runs");
    let subjects = ["abstract_algebra", "college_chemistry"];
    let flags = |inputs: Vec<String>| -> Vec<String> {
        let mut args: Vec<&str> = vec!["defects"];
        args.extend(inputs.iter().map(String::as_str));
        args.extend(["--predictions", runs.as_str()]);
        let out = benchlens(&args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(stderr.contains("model disagreement from 3 models"), "{stderr}");
        assert!(!stderr.contains("matched no item"), "{stderr}");
        // Drop the file column, and the file name a near-duplicate's reason points at.
        stdout(&out)
            .lines()
            .skip(1)
            .map(|l| l.split_once(',').map_or(l, |(_, rest)| rest))
            .map(|l| {
                l.replace("abstract_algebra/test-00000-of-00001.parquet", "FILE")
                    .replace("mmlu_abstract_algebra.csv", "FILE")
            })
            .collect()
    };
    let parquet = flags(
        subjects
            .iter()
            .map(|s| path(&format!("mmlu-redux-2.0/{s}/test-00000-of-00001.parquet")))
            .collect(),
    );
    let csv = flags(
        subjects
            .iter()
            .map(|s| {
                format!(
                    "{}/../../samples/mmlu-redux-dev/labels/mmlu_{s}.csv",
                    env!("CARGO_MANIFEST_DIR")
                )
            })
            .collect(),
    );
    let disagreements = parquet.iter().filter(|l| l.contains(",model_disagreement,")).count();
    assert!(disagreements >= 20, "{parquet:?}");
    assert_eq!(parquet, csv);
}
