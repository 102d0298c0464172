//! Every file in `samples/` (copies of the team's shared data) is sniffed to its right kind and loaded without error, with the
//! row counts given in `shared/README.md`.

use std::path::{Path, PathBuf};

use benchlens_engine::dataset::{DatasetKind, Format, ParsedFile, Severity};
use benchlens_engine::formats::{expand_paths, load_path, LoadOptions};
use benchlens_engine::Outcome;

fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples").join(rel)
}

fn load_all(rel: &str) -> Vec<ParsedFile> {
    let files = expand_paths(&[shared(rel)]).expect("shared data folder is readable");
    assert!(!files.is_empty(), "{rel} is empty");
    files.iter().map(|p| load_path(p, &LoadOptions::default()).expect("readable")).collect()
}

fn assert_clean(p: &ParsedFile) {
    let bad: Vec<_> =
        p.summary.warnings.iter().filter(|w| w.severity >= Severity::Warning).collect();
    assert!(bad.is_empty(), "{}: {bad:?}", p.summary.name);
    assert_eq!(p.summary.skipped_rows, 0, "{}", p.summary.name);
}

#[test]
fn mmlu_test_split_is_14079_headerless_items_in_57_files() {
    let files = load_all("mmlu/test");
    assert_eq!(files.len(), 57);
    let mut rows = 0;
    for f in &files {
        assert_eq!(f.summary.kind, DatasetKind::BenchmarkItems, "{}", f.summary.name);
        assert!(!f.summary.header, "{}", f.summary.name);
        assert_eq!(f.summary.columns, ["question", "A", "B", "C", "D", "answer"]);
        assert_eq!(f.summary.split.as_deref(), Some("test"));
        assert!(f.summary.subject.is_some());
        assert_clean(f);
        rows += f.summary.rows;
    }
    assert_eq!(rows, 14_079);
    let algebra =
        files.iter().find(|f| f.summary.name == "abstract_algebra_test.csv").expect("present");
    assert_eq!(algebra.summary.subject.as_deref(), Some("abstract_algebra"));
    let table = algebra.table().expect("a table");
    assert_eq!(
        table.cell(0, 0),
        "Find the degree for the given field extension Q(sqrt(2), sqrt(3), sqrt(18)) over Q."
    );
    assert_eq!(table.cell(0, 5), "B");
}

#[test]
fn mmlu_dev_split_is_285_items() {
    let files = load_all("mmlu/dev");
    let rows: u64 = files.iter().map(|f| f.summary.rows).sum();
    assert_eq!(rows, 285);
    assert!(files.iter().all(|f| f.summary.kind == DatasetKind::BenchmarkItems));
}

#[test]
fn redux_labels_load_whatever_their_delimiter() {
    let files = load_all("mmlu-redux-dev/labels");
    assert_eq!(files.len(), 29);
    let mut semicolon = 0;
    for f in &files {
        assert_eq!(f.summary.kind, DatasetKind::BenchmarkItems, "{}", f.summary.name);
        assert_eq!(f.summary.rows, 100, "{}", f.summary.name);
        assert!(f.summary.header);
        let table = f.table().expect("table");
        assert!(
            table.column_index("error_type").is_some(),
            "{}: {:?}",
            f.summary.name,
            table.columns
        );
        assert_clean(f);
        semicolon += usize::from(f.summary.delimiter == Some(';'));
    }
    assert!(semicolon > 0, "some label files use `;`");
}

#[test]
fn redux_predictions_are_model_predictions() {
    let files = load_all("mmlu-redux-dev/predictions");
    let rows: u64 = files.iter().map(|f| f.summary.rows).sum();
    assert_eq!(rows, 2_900);
    for f in &files {
        assert_eq!(f.summary.kind, DatasetKind::ModelPredictions, "{}", f.summary.name);
        assert_eq!(f.summary.columns.len(), 17);
        assert_clean(f);
    }
}

#[test]
fn truthfulqa_is_817_items() {
    let f = &load_all("truthfulqa/TruthfulQA.csv")[0];
    assert_eq!(f.summary.kind, DatasetKind::BenchmarkItems);
    assert_eq!(f.summary.rows, 817);
    assert_clean(f);
}

#[test]
fn genai_arena_battles() {
    let f = &load_all("battles/genai-arena-clean-battle-20240220.json")[0];
    assert_eq!(f.summary.kind, DatasetKind::BattleLog);
    assert_eq!(f.summary.format, Some(Format::JsonArray));
    assert_eq!(f.summary.rows, 2_061);
    let b = f.battles().expect("battles");
    // One record pits a model against itself and is dropped, as FastChat's cleaning does.
    assert_eq!(b.len() as u64 + b.self_battles, 2_061);
    assert_eq!(b.models.len(), 13);
    let anony = b.anony.iter().filter(|a| **a == Some(true)).count() as u64;
    let self_anony = if b.self_battles > 0 { 2_061 - 1_515 } else { 0 };
    assert!(anony == 1_515 || (self_anony > 0 && anony == 1_514), "anony {anony}");
    let count = |o: Outcome| b.outcome.iter().filter(|x| **x == o).count();
    let total = count(Outcome::ModelA)
        + count(Outcome::ModelB)
        + count(Outcome::Tie)
        + count(Outcome::TieBothBad);
    assert_eq!(total, b.len());
    assert!(count(Outcome::ModelA) >= 758 && count(Outcome::ModelB) >= 743);
    assert!(count(Outcome::Tie) >= 129 && count(Outcome::TieBothBad) >= 427);
    assert_eq!(
        count(Outcome::ModelA)
            + count(Outcome::ModelB)
            + count(Outcome::Tie)
            + count(Outcome::TieBothBad),
        759 + 744 + 130 + 428 - b.self_battles as usize
    );
}

#[test]
fn leaderboards_models_and_annotations() {
    for f in load_all("battles").iter().filter(|f| f.summary.name.ends_with(".csv")) {
        assert_eq!(f.summary.kind, DatasetKind::Leaderboard, "{}", f.summary.name);
    }
    let models = &load_all("models/models.csv")[0];
    assert_eq!(models.summary.kind, DatasetKind::ScalingTable);
    assert_eq!(models.summary.rows, 30);
    let board = &load_all("alpaca-eval/weighted_alpaca_eval_gpt4_turbo_leaderboard.csv")[0];
    assert_eq!(board.summary.kind, DatasetKind::Leaderboard);
    let annotations = load_all("alpaca-eval/annotations");
    assert_eq!(annotations.len(), 8);
    for f in &annotations {
        assert_eq!(f.summary.kind, DatasetKind::JudgeAnnotations, "{}", f.summary.name);
        assert_eq!(f.summary.rows, 805);
        let t = f.table().expect("table");
        for col in
            ["instruction", "output_1", "generator_1", "output_2", "generator_2", "preference"]
        {
            assert!(t.column_index(col).is_some(), "{}: {col}", f.summary.name);
        }
    }
}
