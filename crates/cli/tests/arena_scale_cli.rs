//! Large synthetic arenas from the command line: `synth battles --models K --pairing realistic`
//! writes a log the ratings command reads, and `ratings --threads N` prints the same CSV for any
//! N (bootstrap rounds are seeded per (seed, round)).

use std::path::PathBuf;
use std::process::{Command, Output};

fn benchlens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_benchlens")).args(args).output().expect("binary runs")
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).expect("utf-8")
}

/// A realistic 60-model arena written by the CLI itself.
fn realistic_log() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("benchlens-arena-scale-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("realistic.jsonl");
    let args = ["synth", "battles", "--n", "8000", "--seed", "2", "--models", "60"];
    let text =
        stdout(&benchlens(&[&args[..], &["--pairing", "realistic", "--format", "jsonl"]].concat()));
    assert_eq!(text.lines().count(), 8000);
    std::fs::write(&path, text).expect("write log");
    path
}

#[test]
fn bootstrap_csv_is_identical_for_any_thread_count() {
    let log = realistic_log();
    let log = log.to_str().expect("utf-8 path");
    for method in ["bt", "elo"] {
        let run = |threads: &str| {
            let args = ["ratings", log, "--method", method, "--bootstrap", "60", "--seed", "9"];
            stdout(&benchlens(&[&args[..], &["--threads", threads]].concat()))
        };
        let one = run("1");
        assert_eq!(one.lines().next(), Some("model,rating,lower,upper,rank_ub,battles"));
        // Every model of the arena is on the board, with an interval.
        assert_eq!(one.lines().count(), 61, "{method}");
        assert!(one.lines().skip(1).all(|l| l.split(',').nth(2).is_some_and(|x| !x.is_empty())));
        for threads in ["2", "4", "0"] {
            assert!(run(threads) == one, "{method}: --threads {threads} differs from --threads 1");
        }
    }
}

#[test]
fn bad_model_counts_are_rejected() {
    for k in ["1", "100001"] {
        let out = benchlens(&["synth", "battles", "--n", "10", "--models", k]);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("--models"), "{k}");
    }
}
