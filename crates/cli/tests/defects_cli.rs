//! `benchlens defects` as scripts see it: the CSV contract of issue #5 with the default
//! disagreement rule and with `--min-agree` / `--min-miss-share`, the evaluation table's
//! cross-validated rows, and a bad option rejected on stderr with a failing exit code.

use std::path::PathBuf;
use std::process::{Command, Output};

fn benchlens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_benchlens")).args(args).output().expect("binary runs")
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).expect("utf-8")
}

/// A three-item benchmark with a label column, and five models' answers to it.
fn fixtures() -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("benchlens-defects-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let items = dir.join("items.csv");
    std::fs::write(
        &items,
        "question,A,B,C,D,answer,error_type\n\
         What is 2+2?,3,4,5,6,B,ok\n\
         Capital of France?,Paris,Rome,Nice,Lyon,C,wrong_groundtruth\n\
         Largest planet?,Mars,Jupiter,Venus,Earth,A,ok\n",
    )
    .expect("write items");
    let preds = dir.join("predictions.csv");
    // Item 2: all five miss the key C (four say A). Item 3: four agree on B, one keeps the key.
    std::fs::write(
        &preds,
        "question,m1,m2,m3,m4,m5\n\
         What is 2+2?,B,B,B,B,B\n\
         Capital of France?,A,A,A,A,B\n\
         Largest planet?,B,B,B,B,A\n",
    )
    .expect("write predictions");
    (items, preds)
}

fn suspects(csv: &str) -> Vec<(String, String)> {
    csv.lines()
        .skip(1)
        .filter(|l| l.contains(",model_disagreement,"))
        .map(|l| {
            let f: Vec<&str> = l.splitn(7, ',').collect();
            (f[1].to_owned(), f[5].to_owned())
        })
        .collect()
}

#[test]
fn disagreement_rule_and_its_options() {
    let (items, preds) = fixtures();
    let (i, p) = (items.to_str().expect("utf-8"), preds.to_str().expect("utf-8"));
    let csv = stdout(&benchlens(&["defects", i, "--predictions", p]));
    assert!(csv.starts_with("file,row,subject,check,severity,reason,score\n"));
    // Default: only the item no model answered with its key.
    assert_eq!(
        suspects(&csv),
        [("2".to_owned(), "5 of 5 models miss the key C; 4 answer A".to_owned())]
    );
    // --min-agree alone is the k-of-m rule: row 3 (4 of 5 on B) joins.
    let csv = stdout(&benchlens(&["defects", i, "--predictions", p, "--min-agree", "4"]));
    let rows: Vec<String> = suspects(&csv).into_iter().map(|(r, _)| r).collect();
    assert_eq!(rows, ["2", "3"]);
    // A share: 4 of 5 missing is enough for 0.8; with --min-agree 5 as well, nothing holds both.
    let csv = stdout(&benchlens(&["defects", i, "--predictions", p, "--min-miss-share", "0.8"]));
    assert_eq!(suspects(&csv).len(), 2);
    let out = benchlens(&[
        "defects",
        i,
        "--predictions",
        p,
        "--min-miss-share",
        "0.8",
        "--min-agree",
        "5",
    ]);
    assert!(suspects(&stdout(&out)).is_empty());

    let bad = benchlens(&["defects", i, "--predictions", p, "--min-miss-share", "1.5"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("between 0 and 1"));
}

#[test]
fn evaluation_prints_cross_validated_rows() {
    let (items, preds) = fixtures();
    let (i, p) = (items.to_str().expect("utf-8"), preds.to_str().expect("utf-8"));
    let csv = stdout(&benchlens(&["defects", i, "--predictions", p, "--evaluate", "error_type"]));
    let header = csv.lines().next().expect("header");
    assert!(header.starts_with("predictor,flagged,true_positives,precision,recall,f1,"));
    assert!(header.ends_with(",flagged_ok,note"));
    let combo = csv
        .lines()
        .find(|l| l.starts_with("combination: error or suspect,"))
        .expect("combination row");
    assert!(combo.starts_with("combination: error or suspect,1,1,1.000,1.000,1.000,"), "{combo}");
    for name in ["miss share", "k-of-m agree"] {
        let row = format!("cross-validated: error or {name} (threshold fit on the other subjects)");
        assert!(csv.lines().any(|l| l.starts_with(&row)), "{row}");
    }
}
