//! Test helpers: load files through the same intake the app and CLI use, and read the published
//! AlpacaEval leaderboard.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::Path;

use benchlens_engine::formats::{load_path, LoadOptions};
use benchlens_engine::Table;

/// The repo's bundled copies of the team's data (tests never read outside the repo).
pub const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples");
pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/judge");

/// Loads one file with the intake and returns its table.
pub fn table(path: &str) -> Table {
    let parsed = load_path(Path::new(path), &LoadOptions::default()).expect("read file");
    parsed.table().cloned().unwrap_or_else(|| panic!("{path}: not a table"))
}

/// A fixture of this folder, loaded.
pub fn fixture(name: &str) -> Table {
    table(&format!("{FIXTURES}/{name}"))
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
    names.into_iter().map(|n| (n.clone(), table(&format!("{dir}/{n}")))).collect()
}

/// Published leaderboard rows by model name: column name -> value text.
pub fn published() -> HashMap<String, HashMap<String, String>> {
    let path = format!("{SHARED}/alpaca-eval/weighted_alpaca_eval_gpt4_turbo_leaderboard.csv");
    let mut rdr = csv::Reader::from_path(path).expect("leaderboard csv");
    let header: Vec<String> = rdr.headers().expect("header").iter().map(str::to_owned).collect();
    let mut out = HashMap::new();
    for rec in rdr.records() {
        let rec = rec.expect("record");
        let row: HashMap<String, String> =
            header.iter().cloned().zip(rec.iter().map(str::to_owned)).collect();
        out.insert(rec.get(0).unwrap_or_default().to_owned(), row);
    }
    out
}
