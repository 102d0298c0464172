//! `benchlens ratings` and `benchlens synth battles` as scripts see them: exact CSV header,
//! reference numbers, errors on stderr with a failing exit code.

use std::path::PathBuf;
use std::process::{Command, Output};

const BATTLES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../samples/battles/genai-arena-clean-battle-20240220.json"
);

fn benchlens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_benchlens")).args(args).output().expect("binary runs")
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).expect("utf-8")
}

fn temp_file(name: &str, contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("benchlens-ratings-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write temp file");
    path
}

/// (rating, lower, upper, rank_ub, battles) of one model in CSV output.
fn row<'a>(csv: &'a str, model: &str) -> Vec<&'a str> {
    let line = csv.lines().find(|l| l.starts_with(&format!("{model},"))).expect("model row");
    line.split(',').skip(1).collect()
}

#[test]
fn legacy_csv_reproduces_published_leaderboard() {
    let out = stdout(&benchlens(&[
        "ratings",
        BATTLES,
        "--filter",
        "anony=true",
        "--legacy-l2",
        "--ci",
        "none",
    ]));
    assert_eq!(out.lines().next(), Some("model,rating,lower,upper,rank_ub,battles"));
    // Published "Arena Elo rating (anony)": PlayGroundV2 1151.1834096302248, SDEdit 637.2551038681513.
    assert_eq!(
        row(&out, "imagenhub_PlayGroundV2_generation"),
        vec!["1151.1834", "", "", "1", "440"]
    );
    assert_eq!(row(&out, "imagenhub_SDEdit_edition"), vec!["637.2551", "", "", "7", "11"]);
}

#[test]
fn bootstrap_csv_is_seeded_and_has_bounds() {
    let args = ["ratings", BATTLES, "--filter", "anony=true", "--bootstrap", "200", "--seed", "3"];
    let first = stdout(&benchlens(&args));
    assert_eq!(first, stdout(&benchlens(&args)));
    let fields = row(&first, "imagenhub_PlayGroundV2_generation");
    let (rating, lower, upper): (f64, f64, f64) = (
        fields[0].parse().expect("rating"),
        fields[1].parse().expect("lower"),
        fields[2].parse().expect("upper"),
    );
    assert!(lower < rating && rating < upper, "{fields:?}");
    assert_eq!(first.lines().count(), 1 + 13);
}

#[test]
fn json_output_carries_components_and_pairs() {
    let out = stdout(&benchlens(&["ratings", BATTLES, "--ci", "sandwich", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["components"].as_array().map(Vec::len), Some(2));
    assert!(v["pairs"].as_array().is_some_and(|p| !p.is_empty()));
    assert_eq!(v["ci"], "sandwich");
}

#[test]
fn pair_counts_give_the_same_ratings_as_the_battles() {
    let csv = "model_a,model_b,wins_a,wins_b,ties\nx,y,30,10,5\ny,z,12,20,1\nx,z,8,9,0\n";
    let path = temp_file("pairs.csv", csv);
    let out = stdout(&benchlens(&["ratings", path.to_str().expect("path"), "--ci", "none"]));
    assert_eq!(out.lines().count(), 4);
    let mut log = String::from("model_a,model_b,winner\n");
    for (a, b, w, n) in [
        ("x", "y", "model_a", 30),
        ("x", "y", "model_b", 10),
        ("x", "y", "tie", 5),
        ("y", "z", "model_a", 12),
        ("y", "z", "model_b", 20),
        ("y", "z", "tie", 1),
        ("x", "z", "model_a", 8),
        ("x", "z", "model_b", 9),
    ] {
        for _ in 0..n {
            log.push_str(&format!("{a},{b},{w}\n"));
        }
    }
    let battles = temp_file("battles.csv", &log);
    let from_log =
        stdout(&benchlens(&["ratings", battles.to_str().expect("path"), "--ci", "none"]));
    assert_eq!(out, from_log);
}

#[test]
fn unknown_winner_values_fail_with_their_counts() {
    let path = temp_file("weird.csv", "model_a,model_b,winner\nx,y,model_a\nx,y,draw\ny,x,draw\n");
    let out = benchlens(&["ratings", path.to_str().expect("path")]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("\"draw\" ×2"), "{err}");
}

#[test]
fn bad_filter_key_is_rejected() {
    let out = benchlens(&["ratings", BATTLES, "--filter", "colour=blue"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("colour=blue"));
}

#[test]
fn synthetic_arena_streams_and_rates_with_style_control() {
    let json = stdout(&benchlens(&["synth", "battles", "--n", "3000", "--seed", "5"]));
    let v: serde_json::Value = serde_json::from_str(&json).expect("a JSON array");
    assert_eq!(v.as_array().map(Vec::len), Some(3000));
    assert!(v[0]["conv_metadata"]["header_count_a"]["h1"].is_u64());
    let path = temp_file("synth.json", &json);
    let out = stdout(&benchlens(&[
        "ratings",
        path.to_str().expect("path"),
        "--style-control",
        "--bootstrap",
        "20",
    ]));
    let (ratings, coefficients) = out.split_once("\n\n").expect("two tables");
    assert!(ratings.starts_with("model,rating,lower,upper,rank_ub,battles"));
    assert!(coefficients.starts_with("feature,coefficient,lower,upper\nsum_assistant_tokens,"));
    let jsonl =
        stdout(&benchlens(&["synth", "battles", "--n", "4", "--seed", "5", "--format", "jsonl"]));
    assert_eq!(jsonl.lines().count(), 4);
}

#[test]
fn several_files_are_concatenated() {
    let once = stdout(&benchlens(&["ratings", BATTLES, "--ci", "none"]));
    let twice = stdout(&benchlens(&["ratings", BATTLES, BATTLES, "--ci", "none"]));
    let a = row(&once, "imagenhub_SDXL_generation");
    let b = row(&twice, "imagenhub_SDXL_generation");
    // Same Bradley–Terry fit, twice the battles.
    assert_eq!(a[0], b[0]);
    assert_eq!(2 * a[4].parse::<u64>().expect("battles"), b[4].parse::<u64>().expect("battles"));
}

#[test]
fn elo_and_davidson_run_and_incompatible_options_are_explained() {
    let elo = stdout(&benchlens(&["ratings", BATTLES, "--method", "elo", "--bootstrap", "50"]));
    assert_eq!(elo.lines().count(), 14);
    let davidson = stdout(&benchlens(&["ratings", BATTLES, "--ties", "davidson", "--ci", "none"]));
    assert_eq!(davidson.lines().count(), 14);
    let out = benchlens(&["ratings", BATTLES, "--method", "elo", "--ci", "sandwich"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("sandwich intervals need a likelihood"));
}

#[test]
fn several_files_load_together_and_the_first_bad_one_is_named() {
    // Files load several at a time; the output and the error must not depend on which finishes
    // first: battles concatenate in the given order, and the first unusable file is the error.
    let a =
        temp_file("part-a.csv", "model_a,model_b,winner\nx,y,model_a\ny,z,model_a\nz,x,model_a\n");
    let b = temp_file("part-b.csv", "model_a,model_b,winner\nx,y,model_b\ny,z,tie\nx,z,model_a\n");
    let empty = temp_file("part-empty.csv", "");
    let missing = a.with_file_name("part-missing.csv");
    let together = stdout(&benchlens(&[
        "ratings",
        a.to_str().expect("path"),
        b.to_str().expect("path"),
        "--ci",
        "none",
    ]));
    let whole = temp_file(
        "whole.csv",
        "model_a,model_b,winner\nx,y,model_a\ny,z,model_a\nz,x,model_a\nx,y,model_b\ny,z,tie\nx,z,model_a\n",
    );
    assert_eq!(
        together,
        stdout(&benchlens(&["ratings", whole.to_str().expect("path"), "--ci", "none"]))
    );
    let out = benchlens(&[
        "ratings",
        a.to_str().expect("path"),
        empty.to_str().expect("path"),
        missing.to_str().expect("path"),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("part-empty.csv"), "{err}");
    assert!(!err.contains("part-missing.csv"), "{err}");
}

/// A seeded synthetic arena with `conv_metadata` (the GenAI-Arena file has none).
fn synthetic_log(name: &str) -> PathBuf {
    let args = ["synth", "battles", "--n", "3000", "--seed", "3", "--format", "jsonl"];
    temp_file(name, &stdout(&benchlens(&args)))
}

/// `benchlens ratings … | head -1`: the reader leaves before the output is written. That ends
/// the command quietly with success, never with a panic trace (Rust ignores SIGPIPE, so every
/// write to a closed pipe is an error the CLI must handle).
#[test]
fn closed_stdout_pipe_is_not_a_failure() {
    use std::process::Stdio;
    let log = synthetic_log("pipe.jsonl");
    let mut child = Command::new(env!("CARGO_BIN_EXE_benchlens"))
        .arg("ratings")
        .arg(&log)
        .args(["--style-control", "--ci", "sandwich"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    drop(child.stdout.take()); // closes the read end before anything is written
    let out = child.wait_with_output().expect("binary ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "panicked: {stderr}");
    assert!(out.status.success(), "exit {:?}: {stderr}", out.status);
}

#[test]
fn style_control_with_sandwich_intervals() {
    let log = synthetic_log("sandwich.jsonl");
    let log = log.to_str().expect("utf-8 path");
    let out = stdout(&benchlens(&["ratings", log, "--style-control", "--ci", "sandwich"]));
    let (ratings, coefficients) = out.split_once("\n\n").expect("two tables");
    assert!(coefficients.starts_with("feature,coefficient,lower,upper\n"));
    for line in ratings.lines().skip(1) {
        let f: Vec<f64> =
            line.split(',').skip(1).take(3).map(|v| v.parse().expect("number")).collect();
        let (rating, lower, upper) = (f[0], f[1], f[2]);
        assert!(lower < rating && rating < upper, "{line}");
        // Symmetric, as a closed-form interval is.
        assert!(((rating - lower) - (upper - rating)).abs() < 1e-3, "{line}");
    }
}

/// `--compare KEY=VALUE` rates the subset too: its ranks are exactly those of a separate run with
/// the subset's filters, and the Δ is the difference.
#[test]
fn compare_prints_the_delta_rank_table_of_the_subset() {
    let log = synthetic_log("compare.jsonl");
    let log = log.to_str().expect("utf-8 path");
    let both =
        stdout(&benchlens(&["ratings", log, "--ci", "none", "--compare", "language=English"]));
    let (all, delta) = both.split_once("\n\n").expect("two tables");
    assert_eq!(all, stdout(&benchlens(&["ratings", log, "--ci", "none"])).trim_end());
    assert!(delta.starts_with("model,rank_all,rank_subset,delta_rank,rating_all,rating_subset\n"));
    let english =
        stdout(&benchlens(&["ratings", log, "--ci", "none", "--filter", "language=English"]));
    let mut moved = 0;
    for line in delta.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let rank_ub = row(&english, f[0])[3];
        assert_eq!(f[2], rank_ub, "{line}");
        let d: i64 = f[3].parse().expect("delta");
        assert_eq!(d, f[1].parse::<i64>().expect("rank") - f[2].parse::<i64>().expect("rank"));
        moved += i64::from(d != 0);
    }
    assert!(moved > 0, "English-only moves some ranks");
    let bad = benchlens(&["ratings", log, "--compare", "colour=red"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--compare"));
}

/// The sample copies in the repo (`samples/battles/`): battles and both published leaderboards.
const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples/battles");

fn sample(name: &str) -> String {
    format!("{SAMPLES}/{name}")
}

#[test]
fn published_adds_two_columns_and_says_how_well_we_match() {
    let battles = sample("genai-arena-clean-battle-20240220.json");
    let t2i = sample("genai_arena_t2i_generation_leaderboard_20240220.csv");
    let editing = sample("genai_arena_image_editing_leaderboard_20240220.csv");
    let run = |legacy: bool| {
        let mut args =
            vec!["ratings", &battles, "--ci", "none", "--published", &t2i, "--published", &editing];
        if legacy {
            args.push("--legacy-l2");
        }
        benchlens(&args)
    };
    let out = run(false);
    let csv = stdout(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        csv.lines().next(),
        Some("model,rating,lower,upper,rank_ub,battles,published,delta_published")
    );
    assert!(stderr.contains("13 of 13 published models matched"), "{stderr}");
    assert!(stderr.contains("after dropping the imagenhub_ prefix"), "{stderr}");
    assert!(stderr.contains("2023–24 L2 method reproduces them"), "{stderr}");
    // Published "Arena Elo rating (full)" of PlayGroundV2: 1150.901721636401.
    let fields = row(&csv, "imagenhub_PlayGroundV2_generation");
    assert_eq!(fields[5], "1150.9017");
    let (rating, delta): (f64, f64) =
        (fields[0].parse().expect("rating"), fields[6].parse().expect("delta"));
    assert!((rating - 1150.9017 - delta).abs() < 1e-3);
    // With the L2 method every Δ is below a hundredth of a point.
    let csv = stdout(&run(true));
    for line in csv.lines().skip(1) {
        let delta: f64 = line.rsplit(',').next().expect("delta").parse().expect("number");
        assert!(delta.abs() < 0.01, "{line}");
    }
}

#[test]
fn published_file_that_is_not_a_leaderboard_is_refused_before_rating() {
    let battles = sample("genai-arena-clean-battle-20240220.json");
    let out = benchlens(&["ratings", &battles, "--ci", "none", "--published", &battles]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("genai-arena-clean-battle-20240220.json"), "{stderr}");
    assert!(stderr.contains("--published expects a leaderboard table"), "{stderr}");
}
