//! The fused battle scan (records read in place as the splitter meets them) must load exactly
//! what splitting first and reading each record afterwards loads: same battles, same warnings on
//! the same lines, same errors. Fed one byte at a time, no record is ever whole in the buffer, so
//! every record takes the split-then-read path; larger chunks take the fused path for most.

use benchlens_engine::dataset::ParsedFile;
use benchlens_engine::formats::{LoadOptions, StreamLoader};

fn as_json(parsed: &ParsedFile) -> serde_json::Value {
    serde_json::json!({ "summary": parsed.summary, "data": parsed.data })
}

fn load_in_chunks(name: &str, text: &str, chunk: usize) -> ParsedFile {
    let mut loader = StreamLoader::new(name, LoadOptions::default());
    for piece in text.as_bytes().chunks(chunk) {
        loader.feed(piece);
    }
    loader.finish()
}

/// A clean record, or one of the odd shapes the fast scanner must hand over (`i % 13`).
fn record(i: usize) -> String {
    let models = ["alpha", "beta", "gamma", "delta"];
    let (a, b) = (models[i % 4], models[(i / 4 + i + 1) % 4]);
    let winner = ["model_a", "model_b", "tie", "tie (bothbad)"][i % 4];
    let common = format!(
        r#""model_a": "{a}", "model_b": "{b}", "winner": "{winner}", "judge": "user_{i}", "turn": {}, "tstamp": 1682899232.{:04}"#,
        1 + i % 3,
        i % 10_000
    );
    let meta = r#""conv_metadata": {"sum_assistant_a_tokens": 12, "sum_assistant_b_tokens": 7.5, "header_count_a": {"h1": 1, "h2": null}, "bold_count_b": {"**": 2}}"#;
    let tag = format!(
        r#""category_tag": {{"math_v0.1": {{"math": {}}}, "if_v0.1": {{"if": true, "score": 3}}}}"#,
        i.is_multiple_of(3)
    );
    match i % 13 {
        // Wrong types and missing fields: row errors whose messages carry the line.
        1 => format!(r#"{{{common}, "anony": "yes"}}"#),
        2 => format!(r#"{{"model_a": "{a}", "winner": "tie"}}"#),
        // Escapes in names and in skipped text, brackets inside strings.
        3 => format!(r#"{{{common}, "note": "say \"}}]\" \\", "language": "Fran\u00e7ais"}}"#),
        // Brackets that balance by count but not by kind.
        4 => format!(r#"{{{common}, "x": [1, {{"y": 2]}}, "z": 3}}"#),
        // A model against itself; an unknown winner.
        5 => format!(r#"{{"model_a": "{a}", "model_b": "{a}", "winner": "tie"}}"#),
        6 => format!(r#"{{"model_a": "{a}", "model_b": "{b}", "winner": "draw"}}"#),
        // Duplicate key, trailing nested arrays, numbers the short path leaves to the parser.
        7 => format!(r#"{{{common}, "turn": 2}}"#),
        8 => {
            format!(r#"{{{common}, "anony": true, "extra": [[[[]]], {{}}], "v": -1.5e3, {meta}}}"#)
        }
        _ => format!(
            r#"{{"question_id": "q{i}", {common}, "anony": {}, "language": "English", {meta}, "dedup_tag": {{"high_freq": false, "sampled": true}}, {tag}}}"#,
            i.is_multiple_of(2)
        ),
    }
}

fn assert_same_in_every_chunking(name: &str, text: &str) {
    let reference = as_json(&load_in_chunks(name, text, 1));
    for chunk in [7, 300, 4096, 1 << 20] {
        assert_eq!(
            as_json(&load_in_chunks(name, text, chunk)),
            reference,
            "{name}, chunks of {chunk}"
        );
    }
}

#[test]
fn fused_and_split_reads_agree_on_arrays_and_lines() {
    let records: Vec<String> = (0..400).map(record).collect();
    let array = format!("[\n{}\n]\n", records.join(",\n"));
    assert_same_in_every_chunking("battles.json", &array);
    let lines = records.join("\n") + "\n";
    assert_same_in_every_chunking("battles.jsonl", &lines);
}

#[test]
fn fused_and_split_reads_agree_on_broken_files() {
    let records: Vec<String> = (0..60).map(|i| record(i * 13)).collect();
    let good = records.join(",\n");
    let deep = format!(
        r#"{{"model_a": "a", "model_b": "b", "winner": "tie", "x": {}{}}}"#,
        "[".repeat(130),
        "]".repeat(130)
    );
    for (name, text) in [
        ("truncated.json", format!("[\n{good},\n{}", &records[0][..20])),
        ("unclosed.json", format!("[\n{good}\n")),
        ("no-comma.json", format!("[\n{good}\n{}\n]", records[1])),
        ("too-deep.json", format!("[\n{good},\n{deep}\n]")),
    ] {
        assert_same_in_every_chunking(name, &text);
    }
}
