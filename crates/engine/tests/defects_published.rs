//! Model disagreement on prediction files as their authors publish them, right by default:
//! - MMLU-Redux's HELM outputs (`outputs/multi_expert_helm/<subject>.csv`), whose extra columns
//!   (the key, an expert flag, majority votes) must not count as models;
//! - lm-evaluation-harness 0.4 output folders (`results_*.json` beside `samples_<task>_*.jsonl`),
//!   whose samples take their model from the results file of their run.
//!
//! Both must give the same flags as the same answers in the plain prediction CSVs of `samples/`.
//! Fixtures: `tests/fixtures/defects/helm-upstream` and `lm-eval-runs` (see the generator scripts
//! beside them for the shapes' sources).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use benchlens_engine::defects::disagreement::LeftOutReason;
use benchlens_engine::defects::lm_eval::read_predictions;
use benchlens_engine::defects::{analyze, CheckId, ItemSet, Report, Settings};
use benchlens_engine::formats::{expand_paths, load_path, LoadOptions};
use benchlens_engine::table::Table;
use benchlens_engine::{Dataset, ParsedFile};

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(rel)
}

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/defects").join(rel)
}

fn load(paths: &[PathBuf]) -> Vec<(String, ParsedFile)> {
    expand_paths(paths)
        .expect("list")
        .iter()
        .map(|p| (p.display().to_string(), load_path(p, &LoadOptions::default()).expect("load")))
        .collect()
}

const HELM_SUBJECTS: [&str; 3] = ["abstract_algebra", "college_chemistry", "college_physics"];

fn labels(subjects: &[&str]) -> ItemSet {
    let files: Vec<PathBuf> = subjects
        .iter()
        .map(|s| repo(&format!("samples/mmlu-redux-dev/labels/mmlu_{s}.csv")))
        .collect();
    let parsed: Vec<ParsedFile> = load(&files).into_iter().map(|(_, f)| f).collect();
    ItemSet::from_parsed(&parsed, Some("error_type"))
}

fn run(subjects: &[&str], predictions: &[(String, ParsedFile)]) -> (Report, Vec<String>) {
    let named: Vec<(String, &Table)> =
        predictions.iter().map(|(n, f)| (n.clone(), f.table().expect("a table"))).collect();
    let read = read_predictions(&named);
    (analyze(labels(subjects), &read.tables, &Settings::default()), read.warnings)
}

/// (file, row) of every model-disagreement flag.
fn disagreement_flags(r: &Report) -> BTreeSet<(usize, usize, String)> {
    r.flags
        .iter()
        .filter(|f| f.check == CheckId::ModelDisagreement)
        .map(|f| {
            let it = &r.items.items[f.item];
            (it.file, it.row, f.reason.clone())
        })
        .collect()
}

#[test]
fn upstream_helm_files_flag_like_the_cleaned_sample() {
    let upstream: Vec<PathBuf> =
        HELM_SUBJECTS.iter().map(|s| fixture(&format!("helm-upstream/{s}.csv"))).collect();
    let cleaned: Vec<PathBuf> = HELM_SUBJECTS
        .iter()
        .map(|s| repo(&format!("samples/mmlu-redux-dev/predictions/{s}.csv")))
        .collect();
    let (helm, _) = run(&HELM_SUBJECTS, &load(&upstream));
    let (sample, _) = run(&HELM_SUBJECTS, &load(&cleaned));
    let d = helm.disagreement.as_ref().expect("predictions used");
    // The 14 HELM models, and nothing else.
    assert_eq!(d.models.len(), 14, "{:?}", d.models);
    assert_eq!(d.models, sample.disagreement.as_ref().expect("sample").models);
    for column in ["groundtruth_answer", "binary_error_type", "majority_llm_pred_top_3"] {
        assert!(!d.models.iter().any(|m| m == column), "{column} counted as a model");
    }
    let reason_of = |column: &str| {
        d.left_out.iter().find(|l| l.column == column).map(|l| l.reason).expect(column)
    };
    assert_eq!(reason_of("groundtruth_answer"), LeftOutReason::CopiesKey);
    assert_eq!(reason_of("binary_error_type"), LeftOutReason::NotLetters);
    for k in [3, 5, 7, 9, 10] {
        assert_eq!(reason_of(&format!("majority_llm_pred_top_{k}")), LeftOutReason::Aggregate);
    }
    let note = d.left_out_note().expect("a note");
    assert!(note.contains("groundtruth_answer (copies the answer key)"), "{note}");
    assert!(note.contains("binary_error_type (holds no answer letters)"), "{note}");
    // Same flags, same reasons: 6 + 12 + 9 items where no model chose the key.
    let flags = disagreement_flags(&helm);
    assert_eq!(flags.len(), 27);
    assert_eq!(flags, disagreement_flags(&sample));
}

#[test]
fn a_key_column_under_a_model_name_is_left_out_by_content() {
    // A letters column equal to the key on all 100 items (e.g. an exported `answer_letter`).
    let path = repo("samples/mmlu-redux-dev/predictions/college_chemistry.csv");
    let mut files = load(&[path]);
    let table = files[0].1.table().expect("table").clone();
    let answer = table.column_index("answer").expect("answer");
    let mut with_key = Table::new([table.columns.clone(), vec!["answer_letter".into()]].concat());
    for r in 0..table.n_rows() {
        let key = match table.cell(r, answer) {
            "0" => "A",
            "1" => "B",
            "2" => "C",
            _ => "D",
        };
        let mut row: Vec<&str> = (0..table.n_cols()).map(|c| table.cell(r, c)).collect();
        row.push(key);
        with_key.push_row(row, r as u64 + 2);
    }
    let (plain, _) = run(&["college_chemistry"], &files);
    files[0].1.data = Dataset::Table(with_key);
    let (keyed, _) = run(&["college_chemistry"], &files);
    let d = keyed.disagreement.as_ref().expect("predictions");
    assert_eq!(d.models.len(), 14);
    assert_eq!(d.left_out.len(), 1, "{:?}", d.left_out);
    assert_eq!(d.left_out[0].column, "answer_letter");
    assert_eq!(d.left_out[0].reason, LeftOutReason::CopiesKey);
    assert_eq!(disagreement_flags(&keyed), disagreement_flags(&plain));
    assert_eq!(disagreement_flags(&plain).len(), 12);
}

#[test]
fn lm_eval_folders_flag_like_the_same_answers_as_csv() {
    let subjects = ["abstract_algebra", "college_chemistry"];
    let runs = load(&[fixture("lm-eval-runs")]);
    assert_eq!(runs.len(), 9, "3 runs × (results + 2 tasks)");
    let (harness, warnings) = run(&subjects, &runs);
    assert!(warnings.is_empty(), "{warnings:?}");
    let d = harness.disagreement.as_ref().expect("predictions");
    assert_eq!(
        d.models,
        [
            "Qwen/Qwen2-72B-Instruct",
            "meta-llama/Meta-Llama-3.1-70B-Instruct",
            "mistralai/Mistral-Large-Instruct-2407",
        ],
        "named from model_name (string-encoded runs) and config.model_args (numeric run)"
    );
    assert_eq!(d.unmatched, 0);
    assert_eq!(d.matched_items, 200);

    // The same three models' answers as a wide prediction CSV.
    let mut csv_files = Vec::new();
    for s in subjects {
        let path = repo(&format!("samples/mmlu-redux-dev/predictions/{s}.csv"));
        let (name, mut f) = load(&[path]).remove(0);
        let t = f.table().expect("table").clone();
        let keep = [
            "question",
            "choices",
            "answer",
            "qwen_qwen2-72b-instruct",
            "meta_llama-3.1-70b-instruct-turbo",
            "mistralai_mistral-large-2407",
        ];
        let cols: Vec<usize> = keep.iter().map(|k| t.column_index(k).expect(k)).collect();
        let mut narrow = Table::new(keep.iter().map(|k| k.to_string()).collect());
        for r in 0..t.n_rows() {
            narrow.push_row(cols.iter().map(|&c| t.cell(r, c)), r as u64 + 2);
        }
        f.data = Dataset::Table(narrow);
        csv_files.push((name, f));
    }
    let (csv, _) = run(&subjects, &csv_files);
    let flags = disagreement_flags(&harness);
    assert!(flags.len() >= 20, "{}", flags.len());
    assert_eq!(flags, disagreement_flags(&csv));
}

#[test]
fn lm_eval_samples_without_their_results_take_the_folder_name() {
    let dir = fixture("lm-eval-runs/mistralai__Mistral-Large-Instruct-2407");
    let samples: Vec<(String, ParsedFile)> =
        load(&[dir]).into_iter().filter(|(n, _)| n.contains("samples_")).collect();
    let (r, warnings) = run(&["abstract_algebra", "college_chemistry"], &samples);
    let d = r.disagreement.as_ref().expect("predictions");
    assert_eq!(d.models, ["mistralai/Mistral-Large-Instruct-2407"]);
    assert_eq!(d.unmatched, 0);
    assert_eq!(warnings.len(), 2, "one per samples file: {warnings:?}");
}
