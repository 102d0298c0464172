//! Shared helpers of the scaling integration tests: build a `Table` from a CSV file or from
//! synthetic runs without going through `formats` (which has its own tests).

#![allow(dead_code)]

use benchlens_engine::scaling::synthetic::SyntheticRun;
use benchlens_engine::Table;

/// Path under the shared test data folder.
pub fn shared(rel: &str) -> String {
    format!("{}/../../samples/{rel}", env!("CARGO_MANIFEST_DIR"))
}

/// Path under this crate's scaling fixtures.
pub fn fixture(rel: &str) -> String {
    format!("{}/tests/fixtures/scaling/{rel}", env!("CARGO_MANIFEST_DIR"))
}

/// Reads a CSV with a header into a `Table`, recording physical line numbers.
pub fn table_from_csv(path: &str) -> Table {
    let mut rdr = csv::Reader::from_path(path).expect("readable CSV");
    let header: Vec<String> = rdr.headers().expect("header").iter().map(|s| s.to_owned()).collect();
    let mut t = Table::new(header);
    for rec in rdr.records() {
        let rec = rec.expect("record");
        let line = rec.position().map_or(0, |p| p.line());
        t.push_row(rec.iter(), line);
    }
    t
}

/// A table from literal rows (line numbers start at 2, after the header).
pub fn table(cols: &[&str], rows: &[Vec<String>]) -> Table {
    let mut t = Table::new(cols.iter().map(|s| s.to_string()).collect());
    for (i, r) in rows.iter().enumerate() {
        t.push_row(r.iter().map(|s| s.as_str()), i as u64 + 2);
    }
    t
}

/// Synthetic runs as a `params,tokens,loss` table, values written with full precision.
pub fn runs_table(runs: &[SyntheticRun]) -> Table {
    let rows: Vec<Vec<String>> = runs
        .iter()
        .map(|r| {
            vec![
                r.name.clone(),
                format!("{:e}", r.params),
                format!("{:e}", r.tokens),
                format!("{:e}", r.loss),
            ]
        })
        .collect();
    table(&["run", "params", "tokens", "loss"], &rows)
}
