//! `benchlens scaling fit|models` and `benchlens synth runs` as scripts see them, through the real
//! intake: the JSON contract, models.csv with no flags, errors on stderr with a failing exit code.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

const MODELS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples/models/models.csv");

fn benchlens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_benchlens")).args(args).output().expect("binary runs")
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).expect("utf-8")
}

fn temp_file(name: &str, contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("benchlens-scaling-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write temp file");
    path
}

#[test]
fn synth_runs_then_fit_gives_the_json_contract() {
    let csv = stdout(&benchlens(&["synth", "runs", "--seed", "3", "--n", "120"]));
    assert!(csv.starts_with("run,params,tokens,compute,loss,compute_level,source\n"));
    assert!(csv.lines().nth(1).expect("row").contains("synthetic: E=1.8169"));
    let again = stdout(&benchlens(&["synth", "runs", "--seed", "3", "--n", "120"]));
    assert_eq!(csv, again, "same seed, same file");
    let path = temp_file("runs.csv", &csv);
    let p = path.to_str().expect("utf-8 path");
    let out = stdout(&benchlens(&["scaling", "fit", p, "--bootstrap", "40", "--seed", "1"]));
    let v: Value = serde_json::from_str(&out).expect("JSON");
    for key in ["E", "A", "B", "alpha", "beta"] {
        assert!(v["params"][key].is_f64(), "params.{key}");
        let ci = v["ci"][key].as_array().expect("interval");
        assert_eq!(ci.len(), 2);
    }
    assert!(v["objective"].as_f64().expect("objective") > 0.0);
    let row = &v["allocation"][0];
    for key in ["compute", "n_opt", "d_opt", "tokens_per_param"] {
        assert!(row[key].is_f64(), "allocation.{key}");
    }
    assert!(v["flags"].is_array());
    assert!(v["approach2"]["a"]["exponent"].is_f64(), "isoFLOP groups found");
    let alpha = v["params"]["alpha"].as_f64().expect("alpha");
    assert!((alpha - 0.3478).abs() < 0.05, "{alpha}");
    // The fit file feeds `scaling models --fit FIT.json`.
    let fit_path = temp_file("fit.json", &out);
    let models = stdout(&benchlens(&[
        "scaling",
        "models",
        MODELS,
        "--fit",
        fit_path.to_str().expect("utf-8 path"),
    ]));
    assert!(models.lines().next().expect("header").contains("fit_over_training_lo"));
}

#[test]
fn models_csv_works_with_no_flags() {
    let csv = stdout(&benchlens(&["scaling", "models", MODELS]));
    let header = csv.lines().next().expect("header");
    assert!(header
        .starts_with("model,params,tokens,tokens_lower_bound,compute,hoffmann_optimal_tokens"));
    let cols: Vec<&str> = header.split(',').collect();
    let llama = csv.lines().find(|l| l.starts_with("Llama 3 8B,")).expect("Llama 3 8B");
    let cells: Vec<&str> = llama.split(',').collect();
    let get = |name: &str| -> f64 {
        let i = cols.iter().position(|c| *c == name).expect(name);
        cells[i].parse().expect("number")
    };
    assert!((get("hoffmann_over_training") - 27.27).abs() < 0.01);
    assert!((get("hoffmann-unrounded_over_training") - 43.30).abs() < 0.01);
    assert!((get("epoch_over_training") - 92.07).abs() < 0.01);
    assert!((get("hoffmann_optimal_tokens") / 550e9 - 1.0).abs() < 1e-3);

    let out = stdout(&benchlens(&["scaling", "fit", MODELS]));
    let v: Value = serde_json::from_str(&out).expect("JSON");
    assert!(v["params"].is_null(), "no loss column in models.csv");
    let outliers: Vec<&str> = v["score_trend"]["outliers"]
        .as_array()
        .expect("outliers")
        .iter()
        .map(|o| o.as_str().expect("name"))
        .collect();
    assert!(outliers.contains(&"Phi-3-mini") && outliers.contains(&"Falcon 7B"), "{outliers:?}");
}

#[test]
fn errors_go_to_stderr_with_failure() {
    let out = benchlens(&["scaling", "models", MODELS, "--fit", "chinchilla"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--fit \"chinchilla\""));
    let out = benchlens(&["scaling", "fit", MODELS, "--loss-col", "val_loss"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("`val_loss`"));
    let tiny = temp_file("tiny.csv", "model,params,tokens,loss\na,1B,20B,2.5\nb,2B,NaN,2.4\n");
    let out = benchlens(&["scaling", "fit", tiny.to_str().expect("utf-8 path")]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("rows with parameters, tokens and a loss: 1;") && err.contains("tokens"),
        "{err}"
    );
}

/// Points in the exact shape of Epoch AI's `svg_extracted_data.csv` (see the engine's
/// `tests/fixtures/scaling/README.md`).
const CHINCHILLA_SHAPE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../engine/tests/fixtures/scaling/chinchilla_svg_shape.csv"
);

#[test]
fn fit_prints_the_flags_outliers_and_why_approach2_is_not_run() {
    let out = benchlens(&["scaling", "fit", CHINCHILLA_SHAPE, "--bootstrap", "100"]);
    let v: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let codes: Vec<&str> =
        v["flags"].as_array().expect("flags").iter().filter_map(|f| f["code"].as_str()).collect();
    assert!(codes.contains(&"influential_outliers"), "{codes:?}");
    assert!(codes.contains(&"not_identified"), "{codes:?}");
    assert_eq!(v["outliers"]["drop_top"], 5);
    assert_eq!(v["outliers"]["points"].as_array().expect("points").len(), 5);
    assert!(v["outliers"]["refit"]["B"].is_f64());
    assert!(v["columns"]["name"].is_null(), "the hex colour column is not a name");
    assert!(v.get("approach2").is_none());
    assert!(v["approach2_note"].as_str().expect("reason").contains("isoFLOP"));
    // The same sentences on stderr, for people and for --format csv.
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("flag influential_outliers: 5 high-loss points"), "{err}");
    assert!(err.contains("--drop-top 5"), "{err}");
    assert!(err.contains("Approach 2 not run"), "{err}");
    // The refit the flag names: --drop-top 5 leaves no flag and matches the announced refit.
    let again = stdout(&benchlens(&[
        "scaling",
        "fit",
        CHINCHILLA_SHAPE,
        "--bootstrap",
        "100",
        "--drop-top",
        "5",
    ]));
    let w: Value = serde_json::from_str(&again).expect("JSON");
    assert_eq!(w["flags"].as_array().expect("flags").len(), 0, "{}", w["flags"]);
    for key in ["E", "A", "B", "alpha", "beta"] {
        assert_eq!(w["params"][key], v["outliers"]["refit"][key], "{key}");
    }
}
