//! The defect checks on the input shapes other than MMLU's headerless CSVs, loaded through the
//! real intake: the choices-list export, `;`-separated files with letter keys, 1-based integer
//! keys, TruthfulQA, long-format predictions, and the cleaned export read back in.

use std::collections::BTreeSet;
use std::path::PathBuf;

use benchlens_engine::dataset::ParsedFile;
use benchlens_engine::defects::disagreement::PredictionTable;
use benchlens_engine::defects::export::{export, ExportMode, Flagged};
use benchlens_engine::defects::items::KeyStyle;
use benchlens_engine::defects::{analyze, CheckId, Field, ItemSet, Layout, Report, Settings};
use benchlens_engine::formats::{load_bytes, load_path, LoadOptions};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/defects/")).join(name)
}

fn load(name: &str) -> ParsedFile {
    load_path(&fixture(name), &LoadOptions::default()).expect("load fixture")
}

fn run(files: &[ParsedFile], predictions: &[PredictionTable]) -> Report {
    let set = ItemSet::from_parsed(files, None);
    assert!(set.warnings.is_empty(), "{:?}", set.warnings);
    analyze(set, predictions, &Settings::default())
}

/// (1-based row, check) pairs.
fn flags(r: &Report) -> BTreeSet<(usize, CheckId)> {
    r.flags.iter().map(|f| (r.items.items[f.item].row + 1, f.check)).collect()
}

#[test]
fn choices_list_export() {
    let r = run(&[load("export_style.jsonl")], &[]);
    let file = &r.items.files[0];
    assert_eq!(file.layout, Layout::ChoicesList);
    assert_eq!(file.key_style, KeyStyle::ZeroBased);
    assert_eq!(r.items.items[0].options, ["3", "4", "5", "6"]);
    assert_eq!(r.items.items[0].key, Some(1));
    let want: BTreeSet<(usize, CheckId)> = [
        (2, CheckId::DuplicateOptions),
        (3, CheckId::LostContext),
        (3, CheckId::Fragment),
        (4, CheckId::KeyInvalid),
        (4, CheckId::OptionCount),
    ]
    .into_iter()
    .collect();
    assert_eq!(flags(&r), want);
    // Evidence points at the two equal options.
    let dup = r.flags.iter().find(|f| f.check == CheckId::DuplicateOptions).expect("dup");
    let fields: Vec<Field> = dup.evidence.iter().map(|s| s.field).collect();
    assert_eq!(fields, [Field::Option(1), Field::Option(2)]);
}

#[test]
fn semicolon_letters_and_predictions() {
    let items = load("letters_semicolon.csv");
    assert_eq!(items.summary.delimiter, Some(';'));
    let preds = load("predictions_long.jsonl");
    let p = PredictionTable::from_table("predictions_long.jsonl", preds.table().expect("table"))
        .expect("answers");
    let r = run(&[items], &[p]);
    assert_eq!(r.items.items.len(), 5);
    assert_eq!(r.items.items[0].question, "Which of these is a prime number?\nPick one.");
    assert_eq!(r.items.items[0].key, Some(2));
    let want: BTreeSet<(usize, CheckId)> = [
        (1, CheckId::ModelDisagreement),
        (3, CheckId::OptionCount),
        (4, CheckId::DanglingReference),
        (5, CheckId::Encoding),
    ]
    .into_iter()
    .collect();
    // Row 2's triangle sides "2,2,3" are not numbered statements.
    assert_eq!(flags(&r), want);
    let d = r.disagreement.as_ref().expect("predictions");
    assert_eq!((d.matched_items, d.unmatched), (2, 1));
    let suspect = r.flags.iter().find(|f| f.check == CheckId::ModelDisagreement).expect("flag");
    assert_eq!(suspect.reason, "3 of 3 models miss the key C; 3 answer A");
    assert_eq!(r.ranking[0].item, 0);
}

#[test]
fn one_based_integer_keys() {
    let r = run(&[load("one_based.csv")], &[]);
    assert_eq!(r.items.files[0].key_style, KeyStyle::OneBased);
    let keys: Vec<Option<usize>> = r.items.items.iter().map(|i| i.key).collect();
    assert_eq!(keys, [Some(1), Some(1), Some(2), Some(0)]);
    assert!(r.flags.is_empty(), "{:?}", r.flags);
}

#[test]
fn truthfulqa_lists() {
    let r = run(&[load("truthfulqa_sample.csv")], &[]);
    assert_eq!(r.items.files[0].layout, Layout::TruthfulQa);
    let want: BTreeSet<(usize, CheckId)> = [
        (2, CheckId::TqaContradiction),
        (3, CheckId::TqaDuplicateAnswer),
        (3, CheckId::TqaBestMissing),
        (4, CheckId::TqaBestMissing),
    ]
    .into_iter()
    .collect();
    assert_eq!(flags(&r), want);
}

#[test]
fn cleaned_export_reloads_without_flagged_rows() {
    let path = fixture("letters_semicolon.csv");
    let bytes = std::fs::read(&path).expect("read");
    let parsed = load("letters_semicolon.csv");
    let table = parsed.table().expect("table").clone();
    let r = run(std::slice::from_ref(&parsed), &[]);
    let mut flagged = Flagged::default();
    for f in r.flags.iter().filter(|f| f.severity == benchlens_engine::defects::Severity::Error) {
        let row = r.items.items[f.item].row;
        flagged.by_line.insert(table.line_of(row), f.check.id().to_owned());
    }
    assert_eq!(flagged.by_line.len(), 3);
    let summary = &parsed.summary;
    let out = export(
        &summary.name,
        &bytes,
        summary.format.expect("format"),
        b';',
        summary.header,
        &flagged,
        ExportMode::Remove,
    )
    .expect("export");
    let back = load_bytes("letters_semicolon.csv", &out, &LoadOptions::default());
    let t = back.table().expect("table");
    assert_eq!(t.columns, table.columns);
    let ids: Vec<&str> = (0..t.n_rows()).map(|r| t.cell(r, 0)).collect();
    assert_eq!(ids, ["q1", "q2"]);
    assert_eq!(t.cell(0, 1), "Which of these is a prime number?\nPick one.");
    // Untouched records are byte-identical, CRLF included.
    assert!(out.starts_with(&bytes[..bytes.iter().position(|&b| b == b'q').expect("q1")]));

    let with_column = export(
        &summary.name,
        &bytes,
        summary.format.expect("format"),
        b';',
        summary.header,
        &flagged,
        ExportMode::FlagColumn,
    )
    .expect("export");
    let back = load_bytes("letters_semicolon.csv", &with_column, &LoadOptions::default());
    let t = back.table().expect("table");
    assert_eq!(t.n_rows(), 5);
    let col = t.column_index("benchlens_flags").expect("flag column");
    let marks: Vec<&str> = (0..5).map(|r| t.cell(r, col)).collect();
    assert_eq!(marks, ["", "", "option_count", "dangling_reference", "encoding"]);
}

#[test]
fn truthfulqa_shared_file() {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../samples/truthfulqa/TruthfulQA.csv"
    ));
    let parsed = load_path(&path, &LoadOptions::default()).expect("load");
    let r = run(&[parsed], &[]);
    assert_eq!(r.items.items.len(), 817);
    let want: BTreeSet<(usize, CheckId)> = [
        (133, CheckId::TqaDuplicateAnswer),
        (193, CheckId::TqaDuplicateAnswer),
        (348, CheckId::TqaContradiction),
        (355, CheckId::TqaContradiction),
        (811, CheckId::TqaDuplicateAnswer),
    ]
    .into_iter()
    .collect();
    assert_eq!(flags(&r), want);
}
