//! Parallel intake must give exactly what the one-thread intake gives: the same battles with the
//! same ids, the same warnings on the same lines, and the same errors, whether its guessed cuts
//! hold or not.

use std::io::Write;
use std::path::{Path, PathBuf};

use benchlens_engine::dataset::ParsedFile;
use benchlens_engine::formats::{load_path, load_path_parallel, LoadOptions, Parallelism};

/// Small segments, so a few hundred KB of test data is split four ways.
const SPLIT: Parallelism = Parallelism { threads: 4, min_segment_bytes: 64 << 10 };

fn write_temp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("benchlens-parallel-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    let mut f = std::fs::File::create(&path).expect("temp file");
    f.write_all(text.as_bytes()).expect("write");
    path
}

fn as_json(parsed: &ParsedFile) -> serde_json::Value {
    serde_json::json!({ "summary": parsed.summary, "data": parsed.data })
}

/// Loads `path` both ways and checks the results are identical; returns the sequential one.
fn assert_same(path: &Path) -> ParsedFile {
    let options = LoadOptions::default();
    let sequential = load_path(path, &options).expect("sequential load");
    let parallel = load_path_parallel(path, &options, SPLIT).expect("parallel load");
    assert_eq!(as_json(&parallel), as_json(&sequential), "{}", path.display());
    sequential
}

/// One FastChat-style record; `i` varies every field so merging has ids and bits to remap.
fn record(i: usize, note: &str) -> serde_json::Value {
    let models = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"];
    // Later segments meet names the first one never saw.
    let late = format!("late-model-{}", i / 1500);
    let model_a = if i.is_multiple_of(7) { late.as_str() } else { models[i % 6] };
    let winners = ["model_a", "model_b", "tie", "tie (bothbad)"];
    let languages = ["English", "German", "Chinese", "French"];
    let mut tag = serde_json::Map::new();
    tag.insert(
        format!("group{}", (i / 900) % 5),
        serde_json::json!({ "hard": i.is_multiple_of(3) }),
    );
    serde_json::json!({
        "question_id": format!("q{i}"),
        "model_a": model_a,
        "model_b": models[(i + 1 + i / 6) % 6],
        "winner": winners[i % 4],
        "judge": format!("judge{}", i % 9),
        "turn": 1 + i % 3,
        "anony": i.is_multiple_of(2),
        "language": languages[(i / 2000 + i) % 4],
        "tstamp": 1.7e9 + i as f64,
        "note": note,
        "conv_metadata": {
            "sum_assistant_a_tokens": 100 + i % 50,
            "sum_assistant_b_tokens": 120 + i % 40,
            "header_count_a": { "h1": i % 2, "h2": 0 },
            "header_count_b": { "h1": 0, "h2": i % 3 },
            "list_count_a": { "ordered": 1, "unordered": 0 },
            "list_count_b": { "ordered": 0, "unordered": 2 },
            "bold_count_a": { "**": i % 4, "__": 0 },
            "bold_count_b": { "**": 1, "__": 0 }
        },
        "dedup_tag": { "high_freq": false, "sampled": !i.is_multiple_of(5) },
        "category_tag": tag
    })
}

fn records(n: usize, note: impl Fn(usize) -> String) -> Vec<serde_json::Value> {
    (0..n).map(|i| record(i, &note(i))).collect()
}

#[test]
fn pretty_printed_array_splits_and_merges_exactly() {
    let text = serde_json::to_string_pretty(&records(6000, |_| String::new())).expect("json");
    let path = write_temp("pretty.json", &text);
    let parsed = assert_same(&path);
    assert_eq!(parsed.summary.rows, 6000);
}

#[test]
fn jsonl_splits_and_merges_exactly() {
    let text: String = records(6000, |_| String::new()).iter().map(|r| format!("{r}\n")).collect();
    let path = write_temp("lines.jsonl", &text);
    assert_same(&path);
}

#[test]
fn cuts_guessed_inside_strings_and_nested_arrays_fall_back() {
    // Minified, with `},{` inside strings and arrays of objects inside records: the guessed
    // cuts land inside records and must be rejected.
    let mut rows = records(6000, |i| format!("x}},{{\"model_a\":\"fake{i}\"}},{{y"));
    for (i, r) in rows.iter_mut().enumerate() {
        r["conversation_a"] =
            serde_json::json!([{ "role": "user", "n": i }, { "role": "assistant" }]);
    }
    let text = serde_json::to_string(&rows).expect("json");
    let path = write_temp("minified.json", &text);
    let parsed = assert_same(&path);
    assert_eq!(parsed.summary.rows, 6000);
}

#[test]
fn warnings_keep_their_file_lines() {
    // Bad rows in every segment: the warnings (and the first line of each) must match.
    let mut rows = records(6000, |_| String::new());
    for i in [10, 2500, 4100, 5999] {
        rows[i]["winner"] = serde_json::json!(format!("draw{}", i % 2));
        let self_battle = i - 1;
        rows[self_battle]["model_b"] = rows[self_battle]["model_a"].clone();
    }
    for i in [700, 3300, 5200] {
        rows[i]["model_a"] = serde_json::json!(17);
    }
    // A problem first seen in the last segment: its line is counted across the earlier ones.
    rows[5500]["turn"] = serde_json::json!("third");
    let text = serde_json::to_string_pretty(&rows).expect("json");
    let path = write_temp("warnings.json", &text);
    let parsed = assert_same(&path);
    assert_eq!(parsed.summary.skipped_rows, 4, "{:?}", parsed.summary.warnings);
    let turn = parsed.summary.warnings.iter().find(|w| w.field.as_deref() == Some("turn"));
    let expected_line = text[..text.find("\"q5500\"").expect("row 5500")].matches('\n').count();
    assert_eq!(
        turn.and_then(|w| w.line),
        Some(expected_line as u64),
        "{:?}",
        parsed.summary.warnings
    );
}

#[test]
fn syntax_errors_and_truncation_are_reported_alike() {
    let text = serde_json::to_string_pretty(&records(6000, |_| String::new())).expect("json");
    // A missing comma deep in the file, then a truncated end.
    let broken = text.replacen(
        "},\n  {\n    \"question_id\": \"q4000\"",
        "}\n  {\n    \"question_id\": \"q4000\"",
        1,
    );
    assert_ne!(broken, text);
    assert_same(&write_temp("broken.json", &broken));
    let truncated = &text[..text.len() * 3 / 4];
    assert_same(&write_temp("truncated.json", truncated));
}

#[test]
fn other_files_load_in_one_thread_unchanged() {
    let mut csv = String::from("question,A,B,C,D,answer\n");
    for i in 0..20_000 {
        csv.push_str(&format!("\"Question {i}, with a comma?\",a{i},b,c,d,A\n"));
    }
    assert_same(&write_temp("items.csv", &csv));
    let mut battles = String::from("model_a,model_b,winner\n");
    for i in 0..20_000 {
        battles.push_str(&format!("m{},m{},model_a\n", i % 5, (i + 1) % 5));
    }
    assert_same(&write_temp("battles.csv", &battles));
}

mod arbitrary_damage {
    //! Whatever the bytes, parallel and one-thread intake agree: records are laid out three ways,
    //! then bytes that matter to the splitter (brackets, commas, quotes, line breaks) are spliced
    //! in at random places, and the file may be cut short.
    use super::*;
    use proptest::prelude::*;

    fn layout(rows: &[serde_json::Value], style: u8) -> String {
        match style {
            0 => serde_json::to_string_pretty(rows).expect("json"),
            1 => rows.iter().map(|r| format!("{r}\n")).collect(),
            _ => serde_json::to_string(rows).expect("json"),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]
        #[test]
        fn parallel_equals_sequential(
            n in 400usize..900,
            style in 0u8..3,
            threads in 2usize..6,
            damage in prop::collection::vec((0.0f64..1.0, prop::sample::select(vec![b'}', b'{', b',', b'"', b'\n', b']', b'[', b'\\', b'x'])), 0..4),
            keep in prop_oneof![Just(1.0f64), 0.5f64..1.0],
        ) {
            let rows = records(n, |i| if i % 3 == 0 { "}, {\"a\": [1]}, {".to_owned() } else { String::new() });
            let mut bytes = layout(&rows, style).into_bytes();
            for (at, byte) in damage {
                let pos = ((bytes.len() as f64) * at) as usize;
                bytes.insert(pos.min(bytes.len()), byte);
            }
            bytes.truncate(((bytes.len() as f64) * keep) as usize);
            let dir = std::env::temp_dir().join(format!("benchlens-parallel-prop-{}", std::process::id()));
            std::fs::create_dir_all(&dir).expect("temp dir");
            let path = dir.join("case.json");
            std::fs::write(&path, &bytes).expect("write");
            let options = LoadOptions::default();
            let sequential = load_path(&path, &options).expect("sequential");
            let split = Parallelism { threads, min_segment_bytes: 4 << 10 };
            let parallel = load_path_parallel(&path, &options, split).expect("parallel");
            prop_assert_eq!(as_json(&parallel), as_json(&sequential));
        }
    }
}
