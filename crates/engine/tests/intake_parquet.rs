//! Parquet intake against the same data as JSON or CSV: LMArena's 140k shards and
//! chatbot_arena_conversations give the very ratings their clean_battle JSON gives (bounds, counts
//! and style control included), the 55k Kaggle CSV maps its one-hot winners, the hub's MMLU,
//! MMLU-Redux and TruthfulQA Parquet become benchmark items, every hub codec reads, and each kind
//! of broken file is named precisely.
//!
//! Fixtures: `tests/fixtures/parquet/`, written by `scripts/fixtures/write_parquet_fixtures.py`
//! (pyarrow) in the hub's exact shapes; the JSONL next to each holds the same battles.

use std::path::{Path, PathBuf};

use benchlens_engine::dataset::{DatasetKind, Format, ParsedFile, Severity};
use benchlens_engine::defects::items::ItemSet;
use benchlens_engine::formats::{expand_paths, load_bytes, load_path, LoadOptions};
use benchlens_engine::ratings::merge::concat;
use benchlens_engine::ratings::pair_counts;
use benchlens_engine::ratings::{rate, CiMethod, RatingsInput, RatingsResult, RatingsSettings};
use benchlens_engine::Battles;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/parquet").join(rel)
}

fn load(rel: &str) -> ParsedFile {
    load_path(&fixture(rel), &LoadOptions::default()).expect("readable")
}

/// Every file below a folder, loaded and merged as `benchlens ratings <folder>` does.
fn battles_of(rel: &str) -> Battles {
    let paths = expand_paths(&[fixture(rel)]).expect("lists");
    let parsed: Vec<ParsedFile> =
        paths.iter().map(|p| load_path(p, &LoadOptions::default()).expect("readable")).collect();
    for p in &parsed {
        assert!(!p.summary.failed(), "{:?}", p.summary.warnings);
    }
    let logs: Vec<&Battles> = parsed.iter().filter_map(ParsedFile::battles).collect();
    assert_eq!(logs.len(), parsed.len(), "every file is a battle log");
    if logs.len() == 1 {
        return logs[0].clone();
    }
    concat(&logs).0
}

fn rate_all(b: &Battles, style_control: bool, ci: CiMethod) -> RatingsResult {
    let s = RatingsSettings { style_control, ci, bootstrap_rounds: 200, ..Default::default() };
    rate(RatingsInput { battles: Some(b), pair_counts: None }, &s).expect("rates")
}

/// Ratings, bounds, pair counts and style coefficients as JSON, for exact comparison.
fn numbers(r: &RatingsResult) -> String {
    serde_json::to_string(&(&r.ratings, &r.pairs, &r.style, r.battles_used, r.ties_dropped))
        .expect("serialises")
}

fn assert_same_ratings(parquet: &Battles, json: &Battles) {
    assert_eq!(parquet.len(), json.len(), "battle counts");
    assert_eq!(parquet.n_with_style, json.n_with_style, "battles with style metadata");
    for ci in [CiMethod::Bootstrap, CiMethod::Sandwich] {
        for style in [false, true] {
            if style && json.n_with_style == 0 {
                continue;
            }
            assert_eq!(
                numbers(&rate_all(parquet, style, ci)),
                numbers(&rate_all(json, style, ci)),
                "ci {ci:?}, style control {style}"
            );
        }
    }
}

#[test]
fn arena_140k_shards_rate_exactly_as_their_clean_battle_json() {
    let parquet = battles_of("arena-140k/data");
    let json = load("arena-140k/clean_battle.jsonl");
    let json = json.battles().expect("battle log");
    assert_eq!(parquet.len(), 90);
    assert_same_ratings(&parquet, json);
    // Style rows, outcomes, timestamps and languages match battle for battle.
    assert_eq!(parquet.style.len(), json.style.len());
    for (p, j) in parquet.style.iter().zip(&json.style) {
        assert_eq!(p, j);
    }
    assert_eq!(parquet.outcome, json.outcome);
    assert_eq!(parquet.tstamp, json.tstamp);
    let lang = |b: &Battles| -> Vec<String> {
        b.language.iter().map(|&l| b.languages[l as usize].clone()).collect()
    };
    assert_eq!(lang(&parquet), lang(json));
    // category_tag's categories as JSON names them, plus is_code.
    for c in &json.categories {
        assert!(parquet.categories.contains(c), "{c} missing from {:?}", parquet.categories);
    }
    assert!(parquet.categories.iter().any(|c| c == "is_code"));
    let bits = |b: &Battles, name: &str| -> Vec<bool> {
        let i = b.categories.iter().position(|c| c == name).expect("category");
        b.category_bits.iter().map(|x| x & (1 << i) != 0).collect()
    };
    assert_eq!(bits(&parquet, "math_v0.1.math"), bits(json, "math_v0.1.math"));
    // Turns come from conversation_a's user messages; there is no anony column.
    assert_eq!(parquet.turn, json.turn);
    assert!(parquet.anony.iter().all(Option::is_none));
}

#[test]
fn arena_140k_summary_names_the_schema_and_every_vote_is_anonymous() {
    let p = load("arena-140k/data/train-00000-of-00002.parquet");
    let s = &p.summary;
    assert_eq!(s.format, Some(Format::Parquet));
    assert_eq!(s.kind, DatasetKind::BattleLog);
    assert!(s.kind_reason.contains("arena-human-preference-140k"), "{}", s.kind_reason);
    assert_eq!(s.encoding, "parquet (snappy)");
    assert_eq!(s.split.as_deref(), Some("train"));
    assert_eq!(s.rows, 45);
    assert!(s.columns.iter().any(|c| c == "conv_metadata.header_count_a.h1"), "{:?}", s.columns);
    assert!(s.columns.iter().any(|c| c == "category_tag.criteria_v0.1.complexity"));
    assert!(s.columns.iter().any(|c| c == "conversation_a.turns"));
    let note = s.warnings.iter().find(|w| w.message.contains("anony")).expect("anony note");
    assert_eq!(note.severity, Severity::Info);
    assert!(s.preview.first().is_some_and(|r| r.len() == s.columns.len()));
}

#[test]
fn chatbot_arena_conversations_reads_fastchat_columns_as_json_does() {
    let parquet = battles_of("chatbot-arena-conversations/data");
    let json = load("chatbot-arena-conversations/clean_battle.jsonl");
    let json = json.battles().expect("battle log");
    assert_same_ratings(&parquet, json);
    assert_eq!(parquet.anony, json.anony);
    assert_eq!(parquet.turn, json.turn);
    assert_eq!(parquet.judges, json.judges);
}

#[test]
fn arena_55k_csv_one_hot_winners_become_winner() {
    let csv = load("arena-55k/train.csv");
    assert!(!csv.summary.failed(), "{:?}", csv.summary.warnings);
    let json = load("arena-55k/clean_battle.jsonl");
    let (csv, json) = (csv.battles().expect("battles"), json.battles().expect("battles"));
    assert_eq!(csv.outcome, json.outcome);
    // `turn` is the length of the JSON-encoded `prompt` list.
    assert_eq!(csv.turn, json.turn);
    assert_same_ratings(csv, json);
}

#[test]
fn arena_55k_lines_with_no_or_two_winner_flags_are_named() {
    let text = "id,model_a,model_b,prompt,response_a,response_b,winner_model_a,winner_model_b,winner_tie\n\
                1,x,y,\"[\"\"hi\"\"]\",\"[\"\"a\"\"]\",\"[\"\"b\"\"]\",1,0,0\n\
                2,x,y,\"[\"\"hi\"\"]\",\"[\"\"a\"\"]\",\"[\"\"b\"\"]\",0,0,0\n\
                3,x,y,\"[\"\"hi\"\"]\",\"[\"\"a\"\"]\",\"[\"\"b\"\"]\",1,1,0\n\
                4,y,x,\"[\"\"hi\"\"]\",\"[\"\"a\"\"]\",\"[\"\"b\"\"]\",0,0,1\n";
    let p = load_bytes("train.csv", text.as_bytes(), &LoadOptions::default());
    assert_eq!(p.summary.rows, 2);
    assert_eq!(p.summary.skipped_rows, 2);
    let none =
        p.summary.warnings.iter().find(|w| w.message.contains("no winner flag")).expect("none");
    assert_eq!(none.line, Some(3));
    assert_eq!(none.field.as_deref(), Some("winner_model_a/winner_model_b/winner_tie"));
    let two =
        p.summary.warnings.iter().find(|w| w.message.contains("2 winner flags")).expect("two");
    assert_eq!(two.line, Some(4));
}

#[test]
fn every_hub_codec_reads_the_same_battles() {
    let reference = load("codecs/battles-none.parquet");
    let reference = reference.battles().expect("battles");
    assert_eq!(reference.len(), 12);
    for codec in ["snappy", "zstd", "gzip", "lz4", "brotli"] {
        let p = load(&format!("codecs/battles-{codec}.parquet"));
        assert!(p.summary.encoding.contains(codec), "{}", p.summary.encoding);
        let b = p.battles().expect("battles");
        assert_eq!(b.outcome, reference.outcome, "{codec}");
        assert_eq!(b.model_a, reference.model_a, "{codec}");
        assert_eq!(b.tstamp, reference.tstamp, "{codec}");
    }
}

#[test]
fn mmlu_configs_become_items_with_subject_split_and_integer_keys() {
    let p = load("mmlu/abstract_algebra/test-00000-of-00001.parquet");
    let s = &p.summary;
    assert_eq!(s.kind, DatasetKind::BenchmarkItems);
    assert!(s.kind_reason.contains("cais/mmlu"), "{}", s.kind_reason);
    assert_eq!(s.name, "abstract_algebra/test-00000-of-00001.parquet");
    assert_eq!(s.subject.as_deref(), Some("abstract_algebra"));
    assert_eq!(s.split.as_deref(), Some("test"));
    let t = p.table().expect("table");
    let choices = t.column_index("choices").expect("choices column");
    assert!(t.cell(0, choices).starts_with("[\"option A of 0\","), "{}", t.cell(0, choices));
    let items = ItemSet::from_parsed(std::slice::from_ref(&p), None);
    assert_eq!(items.items.len(), 6);
    assert!(items.items.iter().all(|i| i.options.len() == 4 && i.key.is_some()));
    let all = load("mmlu/all/test-00000-of-00001.parquet");
    assert_eq!(all.summary.subject, None, "the `all` config has a subject column instead");
    assert_eq!(all.summary.rows, 12);
}

#[test]
fn mmlu_redux_labels_and_truthfulqa_targets_load() {
    let redux = load("mmlu-redux-2.0/virology/test-00000-of-00001.parquet");
    assert_eq!(redux.summary.kind, DatasetKind::BenchmarkItems);
    assert!(redux.summary.kind_reason.contains("MMLU-Redux 2.0"), "{}", redux.summary.kind_reason);
    let t = redux.table().expect("table");
    let err = t.column_index("error_type").expect("error_type");
    assert_eq!(t.cell(3, err), "wrong_groundtruth");
    // A null string is an empty cell, as a JSON null is.
    let correct = t.column_index("correct_answer").expect("correct_answer");
    assert_eq!(t.cell(0, correct), "");
    assert_eq!(t.cell(3, correct), "B");

    let tqa = load("truthful_qa/multiple_choice/validation-00000-of-00001.parquet");
    assert_eq!(tqa.summary.kind, DatasetKind::BenchmarkItems, "{}", tqa.summary.kind_reason);
    let t = tqa.table().expect("table");
    let labels = t.column_index("mc1_targets.labels").expect("labels");
    assert_eq!(t.cell(0, labels), "[1,0,0]");
    let choices = t.column_index("mc2_targets.choices").expect("choices");
    assert_eq!(t.cell(2, choices), "[\"nothing 2\",\"nothing much 2\",\"bad luck 2\"]");
    // Items: mc1's choices, keyed by the position of its single 1.
    let items = ItemSet::from_parsed(std::slice::from_ref(&tqa), None);
    assert_eq!(items.items.len(), 5, "{:?}", items.warnings);
    assert!(items.items.iter().all(|i| i.options.len() == 3 && i.key == Some(0)));
    assert_eq!(items.items[1].options[1], "bad luck 1");
}

fn error_of(p: &ParsedFile) -> String {
    p.summary
        .warnings
        .iter()
        .find(|w| w.severity == Severity::Error)
        .map(|w| w.message.clone())
        .unwrap_or_else(|| panic!("no error in {:?}", p.summary.warnings))
}

#[test]
fn broken_files_are_named_precisely() {
    let good = std::fs::read(fixture("codecs/battles-snappy.parquet")).expect("fixture");
    // Truncated: the download stopped half way.
    let cut = load_bytes(
        "train-00000-of-00002.parquet",
        &good[..good.len() / 2],
        &LoadOptions::default(),
    );
    assert!(cut.summary.failed());
    let e = error_of(&cut);
    assert!(e.contains("truncated Parquet file") && e.contains("footer"), "{e}");
    // Wrong magic number, named by its extension.
    let mut bad = good.clone();
    bad[..4].copy_from_slice(b"PAR0");
    let e = error_of(&load_bytes("x.parquet", &bad, &LoadOptions::default()));
    assert!(e.contains("wrong magic number") && e.contains("50 41 52 30"), "{e}");
    // A damaged footer.
    let mut bad = good.clone();
    let n = bad.len();
    bad[n - 8..n - 4].copy_from_slice(&u32::MAX.to_le_bytes());
    let e = error_of(&load_bytes("x.parquet", &bad, &LoadOptions::default()));
    assert!(e.contains("footer cannot be read"), "{e}");
    // Too short to be anything.
    let e = error_of(&load_bytes("x.parquet", b"PAR1", &LoadOptions::default()));
    assert!(e.contains("too short"), "{e}");
}

#[test]
fn a_damaged_page_names_row_group_and_column() {
    let good = std::fs::read(fixture("codecs/battles-snappy.parquet")).expect("fixture");
    // Overwrite the first data page's payload (just after the page header) with junk.
    let mut bad = good.clone();
    for b in bad.iter_mut().skip(30).take(40) {
        *b = 0xFF;
    }
    let p = load_bytes("x.parquet", &bad, &LoadOptions::default());
    let e = error_of(&p);
    assert!(e.contains("row group 1 of 3") && e.contains("column `model_a`"), "{e}");
}

#[test]
fn unknown_schema_names_columns_and_nearest_schema() {
    let redux = std::fs::read(fixture("mmlu-redux-2.0/virology/test-00000-of-00001.parquet"))
        .expect("fixture");
    let renamed = LoadOptions {
        rename: vec![("question".into(), "stem_text".into()), ("answer".into(), "gold_idx".into())],
        ..Default::default()
    };
    let p = load_bytes("odd.parquet", &redux, &renamed);
    assert_eq!(p.summary.kind, DatasetKind::Unknown);
    let w = p
        .summary
        .warnings
        .iter()
        .find(|w| w.message.contains("no known dataset schema"))
        .expect("schema message");
    assert!(w.message.contains("stem_text, choices, gold_idx, error_type"), "{}", w.message);
    assert!(w.message.contains("Nearest known schema: MMLU-Redux 2.0"), "{}", w.message);
}

#[test]
fn duckdb_pair_counts_rate_as_the_raw_shards() {
    // Written by scripts/fixtures/duckdb_pair_counts.py (the README's GROUP BY, in DuckDB, over
    // arena-140k/data/*.parquet); scripts/test.sh checks that DuckDB still returns exactly this.
    let counts = load("arena-140k/pair_counts.duckdb.csv");
    let table = counts.table().expect("a table");
    assert!(pair_counts::looks_like_pair_counts(table));
    let (aggregate, warnings) = pair_counts::from_table(table).expect("pair counts");
    assert!(warnings.is_empty(), "{warnings:?}");
    let raw = battles_of("arena-140k/data");
    for ci in [CiMethod::Bootstrap, CiMethod::Sandwich] {
        let s = RatingsSettings { ci, bootstrap_rounds: 200, ..Default::default() };
        let from_counts =
            rate(RatingsInput { battles: None, pair_counts: Some(&aggregate) }, &s).expect("rates");
        let from_raw =
            rate(RatingsInput { battles: Some(&raw), pair_counts: None }, &s).expect("rates");
        assert_eq!(
            serde_json::to_string(&(&from_counts.ratings, from_counts.battles_used)).expect("json"),
            serde_json::to_string(&(&from_raw.ratings, from_raw.battles_used)).expect("json"),
            "{ci:?}"
        );
    }
}

#[test]
fn an_unsupported_column_type_names_row_group_column_and_type() {
    // pyarrow's decimal128 (FIXED_LEN_BYTE_ARRAY + DECIMAL) in the `tstamp` a battle log reads.
    let p = load("odd/battles-decimal-tstamp.parquet");
    let e = error_of(&p);
    assert!(
        e.contains("row group 1 of 3") && e.contains("column `tstamp`") && e.contains("DECIMAL"),
        "{e}"
    );
}
