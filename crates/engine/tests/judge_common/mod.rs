//! Test helpers: build `Table`s from JSON records the way the intake documents it (top-level
//! keys as columns; strings as-is, numbers as their text, null as empty, arrays and objects as
//! JSON text), so the judge tests do not depend on the loader, and read the shared data.

#![allow(dead_code)]

use benchlens_engine::Table;

pub const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data");
pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/judge");

fn cell(v: Option<&serde_json::Value>) -> String {
    match v {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

pub fn table_from_records(records: &[serde_json::Value]) -> Table {
    let mut columns: Vec<String> = Vec::new();
    for r in records {
        if let Some(obj) = r.as_object() {
            for k in obj.keys() {
                if !columns.contains(k) {
                    columns.push(k.clone());
                }
            }
        }
    }
    let mut t = Table::new(columns.clone());
    for (i, r) in records.iter().enumerate() {
        let cells: Vec<String> = columns.iter().map(|c| cell(r.get(c))).collect();
        assert!(t.push_row(cells.iter().map(String::as_str), i as u64 + 1));
    }
    t
}

pub fn json_array_table(path: &str) -> Table {
    let text = std::fs::read_to_string(path).expect("read json");
    let v: Vec<serde_json::Value> = serde_json::from_str(&text).expect("parse json");
    table_from_records(&v)
}

pub fn jsonl_table(path: &str) -> Table {
    let text = std::fs::read_to_string(path).expect("read jsonl");
    let v: Vec<serde_json::Value> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("parse jsonl line"))
        .collect();
    table_from_records(&v)
}

/// The 8 AlpacaEval annotation files, as (file name, table), sorted by name.
pub fn alpaca_tables() -> Vec<(String, Table)> {
    let dir = format!("{SHARED}/alpaca-eval/annotations");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("annotations dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names.into_iter().map(|n| (n.clone(), json_array_table(&format!("{dir}/{n}")))).collect()
}

/// Published leaderboard rows by model name: column name -> value text.
pub fn published() -> std::collections::HashMap<String, std::collections::HashMap<String, String>> {
    let path = format!("{SHARED}/alpaca-eval/weighted_alpaca_eval_gpt4_turbo_leaderboard.csv");
    let mut rdr = csv::Reader::from_path(path).expect("leaderboard csv");
    let header: Vec<String> = rdr.headers().expect("header").iter().map(str::to_owned).collect();
    let mut out = std::collections::HashMap::new();
    for rec in rdr.records() {
        let rec = rec.expect("record");
        let row: std::collections::HashMap<String, String> =
            header.iter().cloned().zip(rec.iter().map(str::to_owned)).collect();
        out.insert(rec.get(0).unwrap_or_default().to_owned(), row);
    }
    out
}
