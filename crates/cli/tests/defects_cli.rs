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

fn repo(rel: &str) -> String {
    format!("{}/../../{rel}", env!("CARGO_MANIFEST_DIR"))
}

fn fixture(rel: &str) -> String {
    repo(&format!("crates/engine/tests/fixtures/defects/{rel}"))
}

/// (row, reason) of every disagreement flag, with the file reduced to its subject.
fn suspects_by_subject(csv: &str) -> Vec<(String, String, String)> {
    csv.lines()
        .skip(1)
        .filter(|l| l.contains(",model_disagreement,"))
        .map(|l| {
            let f: Vec<&str> = l.splitn(7, ',').collect();
            (f[2].to_owned(), f[1].to_owned(), f[5].to_owned())
        })
        .collect()
}

#[test]
fn upstream_helm_files_count_only_the_fourteen_models() {
    let subjects = ["abstract_algebra", "college_chemistry", "college_physics"];
    let labels: Vec<String> = subjects
        .iter()
        .map(|s| repo(&format!("samples/mmlu-redux-dev/labels/mmlu_{s}.csv")))
        .collect();
    let cleaned: Vec<String> = subjects
        .iter()
        .map(|s| repo(&format!("samples/mmlu-redux-dev/predictions/{s}.csv")))
        .collect();
    let helm = fixture("helm-upstream");
    let mut args: Vec<&str> = vec!["defects"];
    args.extend(labels.iter().map(String::as_str));
    args.extend(["--predictions", helm.as_str()]);
    let out = benchlens(&args);
    let upstream_csv = stdout(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("model disagreement from 14 models:"), "{stderr}");
    assert!(!stderr.contains("groundtruth_answer,"), "{stderr}");
    assert!(
        stderr.contains("22 columns were not counted as models: groundtruth_answer (copies the answer key); majority_llm_pred_top_3"),
        "{stderr}"
    );
    assert!(stderr.contains("binary_error_type (holds no answer letters)"), "{stderr}");

    let mut args: Vec<&str> = vec!["defects"];
    args.extend(labels.iter().map(String::as_str));
    args.push("--predictions");
    args.extend(cleaned.iter().map(String::as_str));
    let cleaned_csv = stdout(&benchlens(&args));
    let flags = suspects_by_subject(&upstream_csv);
    assert_eq!(flags.len(), 27);
    assert_eq!(flags, suspects_by_subject(&cleaned_csv));
}

#[test]
fn lm_eval_output_folder_flags_like_the_same_answers_as_csv() {
    let subjects = ["abstract_algebra", "college_chemistry"];
    let labels: Vec<String> = subjects
        .iter()
        .map(|s| repo(&format!("samples/mmlu-redux-dev/labels/mmlu_{s}.csv")))
        .collect();
    let runs = fixture("lm-eval-runs");
    let mut args: Vec<&str> = vec!["defects"];
    args.extend(labels.iter().map(String::as_str));
    args.extend(["--predictions", runs.as_str()]);
    let out = benchlens(&args);
    let harness_csv = stdout(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "model disagreement from 3 models: Qwen/Qwen2-72B-Instruct, \
             meta-llama/Meta-Llama-3.1-70B-Instruct, mistralai/Mistral-Large-Instruct-2407"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("matched no item"), "{stderr}");

    // The same answers as a wide CSV per subject (three of the sample's HELM columns).
    let dir = std::env::temp_dir().join(format!("benchlens-lm-eval-csv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let keep = [
        "question",
        "choices",
        "answer",
        "qwen_qwen2-72b-instruct",
        "meta_llama-3.1-70b-instruct-turbo",
        "mistralai_mistral-large-2407",
    ];
    for s in subjects {
        let path = repo(&format!("samples/mmlu-redux-dev/predictions/{s}.csv"));
        let mut reader = csv::Reader::from_path(&path).expect("sample csv");
        let header = reader.headers().expect("header").clone();
        let cols: Vec<usize> =
            keep.iter().map(|k| header.iter().position(|h| h == *k).expect(k)).collect();
        let mut writer = csv::Writer::from_path(dir.join(format!("{s}.csv"))).expect("write");
        writer.write_record(keep).expect("header");
        for record in reader.records() {
            let record = record.expect("row");
            writer.write_record(cols.iter().map(|&c| &record[c])).expect("row");
        }
        writer.flush().expect("flush");
    }
    let mut args: Vec<&str> = vec!["defects"];
    args.extend(labels.iter().map(String::as_str));
    let dir_text = dir.display().to_string();
    args.extend(["--predictions", dir_text.as_str()]);
    let csv_flags = suspects_by_subject(&stdout(&benchlens(&args)));
    let harness_flags = suspects_by_subject(&harness_csv);
    assert!(harness_flags.len() >= 20, "{harness_flags:?}");
    assert_eq!(harness_flags, csv_flags);
}
