//! Parser targets: raw bytes in, the way a user's dropped file reaches the engine.
//!
//! Besides "no panic", each target checks what the parser promises and a fuzzer can decide
//! cheaply: the splitters give the same records whatever the chunk boundaries (the browser feeds
//! 4 MB Blob slices, so every record boundary eventually straddles one), the JSON splitter agrees
//! with serde_json on valid arrays, and the battle fast path agrees with the JSON value on the
//! fields it reads.

use benchlens_engine::battles::{BattleBuilder, Outcome};
use benchlens_engine::dataset::{DatasetKind, ParsedFile};
use benchlens_engine::defects::disagreement::PredictionTable;
use benchlens_engine::defects::items::parse_list;
use benchlens_engine::defects::ItemSet;
use benchlens_engine::formats::split::{CsvSplitter, JsonSplitter, SplitError};
use benchlens_engine::formats::{kind, load_bytes, sniff, LoadOptions};
use benchlens_engine::judge::annotations::parse_preference;
use benchlens_engine::judge::{AlpacaAnnotations, JudgeKind};
use benchlens_engine::ratings::pair_counts;
use benchlens_engine::scaling::table::{detect_columns, header_multiplier, parse_quantity};
use benchlens_engine::scaling::{extract, ColumnChoice};
use benchlens_engine::{Dataset, Table};

/// Splits off `n` control bytes (zeros when the input is shorter).
fn control<const N: usize>(data: &[u8]) -> ([u8; N], &[u8]) {
    let mut c = [0u8; N];
    let n = data.len().min(N);
    c[..n].copy_from_slice(&data[..n]);
    (c, &data[n..])
}

const DELIMITERS: [u8; 5] = [b',', b';', b'\t', b'|', b' '];

/// File names that exercise the subject/split detection from names (MMLU layout).
const NAMES: [&str; 4] = ["data.csv", "abstract_algebra_test.csv", "battles.jsonl", "x_dev.json"];

/// Load options from one control byte: kind override, delimiter override, header override, and
/// whether judges are skipped.
fn options(c: u8) -> LoadOptions {
    let kind = match c & 0x0f {
        k if (k as usize) < DatasetKind::ALL.len() => Some(DatasetKind::ALL[k as usize]),
        _ => None,
    };
    let delimiter = match (c >> 4) & 0x07 {
        d if (d as usize) < DELIMITERS.len() => Some(DELIMITERS[d as usize]),
        _ => None,
    };
    let header = match c >> 7 {
        0 => None,
        _ => Some(c & 0x10 == 0),
    };
    // The kind's spare values (past the last kind) also leave the judges out.
    let skip_judges = (c & 0x0f) as usize > DatasetKind::ALL.len();
    LoadOptions { kind, delimiter, header, rename: Vec::new(), skip_judges }
}

/// The number of rows a parsed file holds.
fn data_rows(f: &ParsedFile) -> u64 {
    match &f.data {
        Dataset::Battles(b) => b.len() as u64,
        Dataset::Table(t) => t.n_rows() as u64,
        Dataset::Empty => 0,
    }
}

/// Format sniffing and the whole streaming loader ([`load_bytes`] drives `StreamLoader` the way
/// the worker does) on arbitrary bytes with arbitrary overrides.
pub fn load(data: &[u8]) {
    let ([c, n], body) = control::<2>(data);
    // The sniffing steps on their own, as the loader calls them on a file's prefix.
    if sniff::check_text(body).is_ok() {
        let _ = sniff::detect_format(body);
        let delimiter = sniff::detect_delimiter(body, true);
        let rows = sniff::sample_rows(body, delimiter, 50, true);
        let header = sniff::detect_header(&rows);
        if let Some((first, rest)) = rows.split_first() {
            let _ = kind::detect(first, rest, !header);
        }
    }
    let name = NAMES[n as usize % NAMES.len()];
    let parsed = load_bytes(name, body, &options(c));
    let s = &parsed.summary;
    assert_eq!(s.bytes, body.len() as u64, "every byte is counted");
    if let Dataset::Table(t) = &parsed.data {
        assert_eq!(t.n_cols(), s.columns.len(), "table columns are the summary's");
    }
    assert!(data_rows(&parsed) <= s.rows, "more rows held than reported");
    for w in &s.warnings {
        let _ = w.render(name);
    }
}

/// Records as (bytes, line) pairs, or the error that stopped splitting.
type JsonRecords = Result<Vec<(Vec<u8>, u64)>, SplitError>;

fn split_json_chunks(chunks: &[&[u8]], lines: bool) -> JsonRecords {
    let mut s = JsonSplitter::new(lines);
    let mut out = Vec::new();
    let mut emit = |r: benchlens_engine::formats::split::RawJson<'_>| {
        out.push((r.bytes.to_vec(), r.line));
    };
    for c in chunks {
        s.feed(c, &mut emit)?;
    }
    s.finish(&mut emit)?;
    Ok(out)
}

/// Two cut points from control bytes, scaled to the body.
fn cuts(a: u8, b: u8, len: usize) -> (usize, usize) {
    let x = len * a as usize / 255;
    let y = len * b as usize / 255;
    (x.min(y), x.max(y))
}

/// JSON array / JSONL splitter: chunking must not change the records, and on a valid JSON array
/// the records must be exactly serde_json's elements.
pub fn json_split(data: &[u8]) {
    let ([mode, a, b], body) = control::<3>(data);
    let lines = mode & 1 == 1;
    let whole = split_json_chunks(&[body], lines);
    let (x, y) = cuts(a, b, body.len());
    let chunked = split_json_chunks(&[&body[..x], &body[x..y], &body[y..]], lines);
    assert_eq!(whole, chunked, "chunk boundaries at {x} and {y} changed the records");
    if !lines {
        if let Ok(elements) = serde_json::from_slice::<Vec<&serde_json::value::RawValue>>(body) {
            let records = whole.unwrap_or_else(|e| panic!("valid JSON array rejected: {e}"));
            let got: Vec<&[u8]> = records.iter().map(|r| r.0.as_slice()).collect();
            let want: Vec<&[u8]> = elements.iter().map(|e| e.get().as_bytes()).collect();
            assert_eq!(got, want, "records differ from serde_json's elements");
        }
    }
}

/// Records as (fields, line) pairs, or the error that stopped splitting.
type CsvRecords = Result<Vec<(Vec<Vec<u8>>, u64)>, SplitError>;

fn split_csv_chunks(chunks: &[&[u8]], delimiter: u8) -> CsvRecords {
    let mut s = CsvSplitter::new(delimiter);
    let mut out = Vec::new();
    let mut emit = |r: benchlens_engine::formats::split::RawRow<'_>| {
        out.push((r.fields.iter().map(|f| f.to_vec()).collect(), r.line));
    };
    for c in chunks {
        if !c.is_empty() {
            s.feed(c, &mut emit)?;
        }
    }
    s.feed(&[], &mut emit)?;
    Ok(out)
}

/// CSV splitter: chunking must not change the records or their lines, and lines only grow.
pub fn csv_split(data: &[u8]) {
    let ([d, a, b], body) = control::<3>(data);
    let delimiter = DELIMITERS.get(d as usize % 8).copied().unwrap_or(d);
    let whole = split_csv_chunks(&[body], delimiter);
    let (x, y) = cuts(a, b, body.len());
    let chunked = split_csv_chunks(&[&body[..x], &body[x..y], &body[y..]], delimiter);
    assert_eq!(whole, chunked, "chunk boundaries at {x} and {y} changed the records");
    if let Ok(rows) = whole {
        let newlines = body.iter().filter(|&&c| c == b'\n').count() as u64;
        // A lone `\r` ends a record (old Mac files) without starting a counted line.
        let cr = body.contains(&b'\r');
        let mut last = 0;
        for (_, line) in &rows {
            assert!(*line > last || (cr && *line == last), "record lines must increase");
            assert!(*line <= newlines + 1, "record line beyond the file");
            last = *line;
        }
    }
}

/// Battle records through `BattleBuilder::push_json` (the battle_scan fast path with its serde
/// fallback), one record per line. Whenever a record is accepted and is valid JSON, the battle
/// stored must carry the names, outcome, language, judge and anony that serde_json reads.
pub fn battle_record(data: &[u8]) {
    let mut builder = BattleBuilder::new();
    let mut expected = Vec::new();
    for record in data.split(|&b| b == b'\n').take(64) {
        let before = builder.len();
        let accepted = builder.push_json(record).is_ok();
        let grew = builder.len() > before;
        assert!(accepted || !grew, "a rejected record added a battle");
        if !accepted {
            continue;
        }
        let Ok(serde_json::Value::Object(map)) = serde_json::from_slice(record) else {
            // The fast path may skip over malformed fields it does not read; serde rejects those
            // records as a whole, so there is nothing to compare against.
            if grew {
                expected.push(None);
            }
            continue;
        };
        let text = |k: &str| map.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        let (Some(a), Some(b), Some(w)) = (text("model_a"), text("model_b"), text("winner")) else {
            panic!("accepted a record without string model_a, model_b and winner: {map:?}");
        };
        let should_grow = a != b && Outcome::parse(&w).is_some();
        assert_eq!(grew, should_grow, "kept/dropped disagrees with the record {map:?}");
        if grew {
            let anony = map.get("anony").and_then(|v| v.as_bool());
            expected.push(Some((a, b, w, text("language"), text("judge"), anony)));
        }
    }
    let (battles, _warnings) = builder.finish();
    assert_eq!(battles.len(), expected.len());
    let n = battles.len();
    for v in [&battles.model_b, &battles.language, &battles.judge, &battles.turn] {
        assert_eq!(v.len(), n, "battle columns differ in length");
    }
    assert_eq!(battles.tstamp.len(), n);
    assert_eq!(battles.style.len(), n);
    assert_eq!(battles.anony.len(), n);
    for (i, want) in expected.iter().enumerate() {
        let name = |id: u32| battles.models.get(id as usize).map(String::as_str);
        assert_ne!(battles.model_a[i], battles.model_b[i], "self battle kept");
        let Some((a, b, w, language, judge, anony)) = want else { continue };
        assert_eq!(name(battles.model_a[i]), Some(a.as_str()));
        assert_eq!(name(battles.model_b[i]), Some(b.as_str()));
        assert_eq!(Some(battles.outcome[i]), Outcome::parse(w));
        let interned = |names: &[String], id: u32| names.get(id as usize).cloned();
        assert_eq!(
            interned(&battles.languages, battles.language[i]),
            Some(language.clone().unwrap_or_default())
        );
        assert_eq!(
            interned(&battles.judges, battles.judge[i]),
            Some(judge.clone().unwrap_or_default())
        );
        assert_eq!(battles.anony[i], *anony);
    }
}

/// A table loaded from arbitrary bytes with the given kind forced, as the column-mapping form
/// does. `None` when the bytes hold no table.
fn forced_table(data: &[u8], kind: DatasetKind, name: &str) -> Option<Table> {
    let ([c], body) = control::<1>(data);
    let mut options = options(c);
    options.kind = Some(kind);
    load_bytes(name, body, &options).table().cloned()
}

/// Table parsing for scaling tables (quantities with units, column detection, extraction) and
/// pair-count tables.
pub fn tables(data: &[u8]) {
    let Some(t) = forced_table(data, DatasetKind::ScalingTable, "runs.csv") else { return };
    for (col, header) in t.columns.iter().enumerate() {
        let m = header_multiplier(header);
        for row in 0..t.n_rows().min(64) {
            if let Ok(q) = parse_quantity(t.cell(row, col), m) {
                assert!(
                    q.value > 0.0 && q.value.is_finite(),
                    "quantity {} is not a positive number",
                    q.value
                );
            }
        }
    }
    let _ = detect_columns(&t, &ColumnChoice::default());
    let _ = extract(&t, &ColumnChoice::default());
    // Every column in every role, as a user could pick them.
    let pick = |i: usize| t.columns.get(i % t.columns.len().max(1)).cloned();
    let choice = ColumnChoice {
        params: pick(0),
        tokens: pick(1),
        compute: pick(2),
        loss: pick(3),
        score: pick(4),
        name: pick(5),
    };
    let _ = extract(&t, &choice);
    if pair_counts::looks_like_pair_counts(&t) {
        let _ = pair_counts::from_table(&t);
    }
    let _ = pair_counts::from_table(&t);
}

/// Benchmark item tables (question/options/answer layouts, MMLU headerless, TruthfulQA lists)
/// and model-prediction tables.
pub fn benchmark_items(data: &[u8]) {
    let ([n], rest) = control::<1>(data);
    let name = NAMES[n as usize % NAMES.len()];
    let Some(t) = forced_table(rest, DatasetKind::BenchmarkItems, name) else { return };
    let mut set = ItemSet::default();
    set.add_table(name, &t, None, None, Some("label"));
    for item in &set.items {
        if let Some(k) = item.key {
            assert!(k < item.options.len(), "key {k} out of range of {:?}", item.options);
        }
    }
    for row in 0..t.n_rows().min(16) {
        for cell in t.row(row) {
            let _ = parse_list(cell);
        }
    }
    let _ = PredictionTable::from_table(name, &t);
}

/// Judge annotation tables: AlpacaEval preferences (with and without a named baseline) and the
/// kind detection every judge table goes through.
pub fn judge_annotations(data: &[u8]) {
    let Some(t) = forced_table(data, DatasetKind::JudgeAnnotations, "annotations.json") else {
        return;
    };
    let _ = JudgeKind::detect(&t);
    for row in 0..t.n_rows().min(64) {
        for cell in t.row(row) {
            if let Ok(p) = parse_preference(cell) {
                assert!(p.is_finite(), "preference {p} from {cell:?}");
            }
        }
    }
    let tables = [("annotations.json", &t)];
    let _ = AlpacaAnnotations::from_tables(&tables, None);
    let _ = AlpacaAnnotations::from_tables(&tables, Some("gpt4_turbo"));
}
