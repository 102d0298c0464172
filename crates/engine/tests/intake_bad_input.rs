//! Hostile and broken input: each gets a clear message with file, line and field where there is
//! one, the rest of the file still loads, and nothing panics.

use benchlens_engine::dataset::{DatasetKind, Severity};
use benchlens_engine::formats::{load_bytes, LoadOptions, StreamLoader};

fn load(name: &str, bytes: &[u8]) -> benchlens_engine::ParsedFile {
    load_bytes(name, bytes, &LoadOptions::default())
}

fn messages(p: &benchlens_engine::ParsedFile) -> Vec<String> {
    p.summary.warnings.iter().map(|w| w.render(&p.summary.name)).collect()
}

#[test]
fn empty_blank_and_binary_files_fail_clearly() {
    let empty = load("empty.csv", b"");
    assert!(empty.summary.failed());
    assert_eq!(messages(&empty), ["empty.csv: the file is empty"]);
    assert!(load("blank.csv", b" \n\n ").summary.failed());
    let zip = load("sheet.xlsx", b"PK\x03\x04\x14\x00\x06\x00");
    assert!(zip.summary.failed());
    assert!(messages(&zip)[0].contains("ZIP archive"), "{:?}", messages(&zip));
    let binary = load("blob.bin", &[0u8, 1, 2, 3, 200, 255, 0, 7]);
    assert!(messages(&binary)[0].contains("binary"));
}

#[test]
fn malformed_battle_rows_are_reported_with_line_and_field() {
    let text = b"model_a,model_b,winner,tstamp\nx,y,model_a,1\nx,y,model_b,yesterday\n,y,tie,3\nx,y,model_a,4\n";
    let p = load("battles.csv", text);
    assert_eq!(p.summary.kind, DatasetKind::BattleLog);
    assert_eq!(p.summary.rows, 2);
    assert_eq!(p.summary.skipped_rows, 2);
    let all = messages(&p).join("\n");
    assert!(
        all.contains("battles.csv:3: field `tstamp`: expected a number, found \"yesterday\""),
        "{all}"
    );
    assert!(all.contains("battles.csv:4: field `model_a`: empty"), "{all}");
}

#[test]
fn malformed_json_record_names_its_line() {
    let text = b"[\n{\"model_a\":\"x\",\"model_b\":\"y\",\"winner\":\"model_a\"},\n{\"model_a\":\"x\",\"winner\":\"tie\"},\n{\"model_a\":\"x\",\"model_b\":\"y\",\"winner\":\"tie\"}\n]";
    let p = load("b.json", text);
    assert_eq!(p.summary.rows, 2);
    let all = messages(&p).join("\n");
    assert!(all.contains("b.json:3:") && all.contains("model_b"), "{all}");
}

#[test]
fn truncated_json_array_keeps_what_loaded() {
    let text =
        b"[{\"model_a\":\"x\",\"model_b\":\"y\",\"winner\":\"model_a\"},{\"model_a\":\"x\",\"mo";
    let p = load("cut.json", text);
    assert_eq!(p.summary.rows, 1);
    assert!(messages(&p).join("\n").contains("truncated"), "{:?}", messages(&p));
}

#[test]
fn unbalanced_quotes_and_ragged_rows_are_counted() {
    let p = load("ragged.csv", b"question,answer\nq1,A\nq2,B,extra\nq3\n");
    assert_eq!(p.summary.rows, 3);
    let all = messages(&p).join("\n");
    assert!(all.contains("ragged.csv:3: row has 3 fields, expected 2"), "{all}");
    assert!(all.contains("ragged.csv:4: row has 1 fields, expected 2"), "{all}");
}

#[test]
fn duplicate_headers_are_renamed() {
    let p = load("dup.csv", b"question,answer,answer\nq,A,B\n");
    assert_eq!(p.summary.columns, ["question", "answer", "answer.1"]);
    assert!(messages(&p).join("\n").contains("renamed `answer.1`"));
}

#[test]
fn legacy_encodings_decode_with_a_note() {
    // MacRoman: curly apostrophe 0xD5, é 0x8E.
    let mac = b"question,answer\ndon\xD5t caf\x8E,A\n";
    let p = load("mac.csv", mac);
    assert_eq!(p.summary.encoding, "macintosh");
    assert_eq!(p.table().expect("table").cell(0, 0), "don\u{2019}t caf\u{e9}");
    assert!(p
        .summary
        .warnings
        .iter()
        .any(|w| w.severity == Severity::Info && w.message.contains("line 2")));
    let win = b"question,answer\ndon\x92t caf\xE9,A\n";
    let p = load("win.csv", win);
    assert_eq!(p.summary.encoding, "windows-1252");
    assert_eq!(p.table().expect("table").cell(0, 0), "don\u{2019}t caf\u{e9}");
    let bom = load("bom.csv", b"\xEF\xBB\xBFquestion,answer\nq,A\n");
    assert_eq!(bom.summary.encoding, "utf-8 (BOM)");
    assert_eq!(bom.summary.columns, ["question", "answer"]);
}

#[test]
fn unknown_winner_values_are_listed() {
    let p = load("w.jsonl", b"{\"model_a\":\"x\",\"model_b\":\"y\",\"winner\":\"draw\"}\n{\"model_a\":\"x\",\"model_b\":\"y\",\"winner\":\"model_a\"}\n");
    let b = p.battles().expect("battles");
    assert_eq!(b.unknown_winners, vec![("draw".to_string(), 1)]);
    assert!(messages(&p).join("\n").contains("unknown winner values"));
}

/// Far past the preview rows, in every text format: the warning names the line to fix.
#[test]
fn unknown_winner_values_name_their_first_line() {
    let winner = |i: usize| match i {
        2500 | 2900 => "draw",
        2600 => "??",
        _ => ["model_a", "model_b", "tie"][i % 3],
    };
    let mut jsonl = String::new();
    let mut csv = String::from("model_a,model_b,winner\n");
    for i in 0..3000 {
        let w = winner(i);
        jsonl.push_str(&format!("{{\"model_a\":\"x\",\"model_b\":\"y\",\"winner\":\"{w}\"}}\n"));
        csv.push_str(&format!("x,y,{w}\n"));
    }
    for (name, text, draw, odd) in
        [("w.jsonl", &jsonl, "line 2501", "line 2601"), ("w.csv", &csv, "line 2502", "line 2602")]
    {
        let p = load(name, text.as_bytes());
        let all = messages(&p).join("\n");
        assert!(all.contains(&format!("\"draw\" ×2 (first at {draw})")), "{name}: {all}");
        assert!(all.contains(&format!("\"??\" ×1 (first at {odd})")), "{name}: {all}");
    }
}

#[test]
fn chunk_size_does_not_change_the_result() {
    let mut text = String::from("question,A,B,C,D,answer\n");
    for i in 0..500 {
        text.push_str(&format!("\"Question {i}, with a comma\nand a newline\",a{i},b,c,d,A\n"));
    }
    let whole = load("items.csv", text.as_bytes());
    for chunk in [1usize, 7, 64, 4096] {
        let mut loader = StreamLoader::new("items.csv", LoadOptions::default());
        for piece in text.as_bytes().chunks(chunk) {
            loader.feed(piece);
        }
        let parsed = loader.finish();
        assert_eq!(parsed.summary, whole.summary, "chunk {chunk}");
        assert_eq!(parsed.table(), whole.table());
    }
    assert_eq!(whole.summary.rows, 500);
    assert_eq!(whole.table().expect("t").line_of(1), 4);
}

#[test]
fn deeply_nested_and_huge_single_line_json() {
    let deep = format!("[{}{}]", "[".repeat(1000), "]".repeat(1000));
    let p = load("deep.json", deep.as_bytes());
    assert!(messages(&p).join("\n").contains("nested deeper"), "{:?}", messages(&p));
    let mut line = String::from("[");
    for i in 0..20_000 {
        line.push_str(&format!(
            "{{\"model_a\":\"m{}\",\"model_b\":\"m{}\",\"winner\":\"model_a\"}},",
            i % 7,
            (i + 1) % 7
        ));
    }
    line.pop();
    line.push(']');
    let p = load("one_line.json", line.as_bytes());
    assert_eq!(p.summary.rows, 20_000);
}

#[test]
fn forced_kind_that_does_not_fit_says_what_is_missing() {
    let options = LoadOptions { kind: Some(DatasetKind::BattleLog), ..LoadOptions::default() };
    let p = load_bytes("x.csv", b"a,b\n1,2\n", &options);
    assert!(p.summary.failed());
    assert!(messages(&p)[0].contains("`model_a` is missing"), "{:?}", messages(&p));
}

#[test]
fn an_unclosed_quote_is_named_as_the_cause() {
    let p = load("quotes.csv", b"a,b,c\n1,\"2,3\n4,5,6\n7,8,9\n");
    let all = messages(&p).join("\n");
    assert!(all.contains("quotes.csv:2:"), "{all}");
    assert!(all.contains("never closed"), "{all}");
    // A short row without a quote keeps the plain message.
    let short = messages(&load("short.csv", b"a,b,c\n1,2\n")).join("\n");
    assert!(short.contains("missing ones left empty") && !short.contains("quote"), "{short}");
}

#[test]
fn a_file_without_line_breaks_is_called_out_and_its_preview_stays_small() {
    let bytes = vec![b'x'; 20 << 20];
    let p = load("one-line.csv", &bytes);
    let all = messages(&p).join("\n");
    assert!(all.contains("one-line.csv:1: one row of 21 MB"), "{all}");
    let longest = p.summary.preview.iter().flatten().map(|c| c.chars().count()).max();
    assert_eq!(longest, Some(benchlens_engine::formats::loader::PREVIEW_CELL_CHARS + 1));
}

#[test]
fn a_field_only_later_records_carry_is_explained_not_just_ignored() {
    // AlpacaEval annotation records (tatsu-lab/alpaca_eval results/*/annotations.json shape):
    // the columns come from the first records, and here only record 250 carries the judge's
    // raw reply, as happens when early records were annotated without it.
    let mut text = String::from("[\n");
    for i in 0..260 {
        let extra = if i == 249 { r#", "raw_completion": "reply""# } else { "" };
        text.push_str(&format!(
            r#"{{"instruction": "q{i}", "output_1": "a", "generator_1": "base", "output_2": "b", "generator_2": "m", "preference": 1.5{extra}}}"#
        ));
        text.push_str(if i < 259 { ",\n" } else { "\n]\n" });
    }
    let p = load("annotations.json", text.as_bytes());
    let table = p.table().expect("table");
    assert_eq!(table.n_rows(), 260, "no row is lost");
    assert!(table.column_index("raw_completion").is_none());
    let m = messages(&p);
    let note = m.iter().find(|w| w.contains("raw_completion")).expect("a note on the field");
    assert_eq!(
        note,
        "annotations.json:251: field `raw_completion`: optional field (the judge's raw API reply, \
         which no AlpacaEval metric reads), absent from the first records that set the columns, so \
         its values are not loaded; no row was skipped and the other fields were read in full"
    );
    let info = p.summary.warnings.iter().find(|w| w.field.as_deref() == Some("raw_completion"));
    assert_eq!(info.map(|w| w.severity), Some(Severity::Info));
}
