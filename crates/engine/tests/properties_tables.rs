//! Round trips through the loader: a table written as CSV (quoted as any CSV writer quotes),
//! as a JSON array or as JSON Lines loads back cell for cell, with its column order, whatever
//! the cells hold (delimiters, quotes, newlines, padding spaces, non-ASCII text).

use benchlens_engine::dataset::DatasetKind;
use benchlens_engine::formats::{load_bytes, LoadOptions};
use benchlens_engine::Table;
use proptest::prelude::*;

type Grid = (Vec<String>, Vec<Vec<String>>);

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,12}",
        Just(String::new()),
        Just("a,b".to_owned()),
        Just("say \"hi\"".to_owned()),
        Just("two\nlines".to_owned()),
        Just("  padded  ".to_owned()),
        Just("tab\there".to_owned()),
        Just("ünïcödé 日本".to_owned()),
        Just("1e308".to_owned()),
    ]
}

/// Distinct column names and rectangular rows.
fn grid() -> impl Strategy<Value = Grid> {
    prop::collection::btree_set("[a-z][a-z0-9_]{0,8}", 2..6).prop_flat_map(|names| {
        let names: Vec<String> = names.into_iter().collect();
        let width = names.len();
        (Just(names), prop::collection::vec(prop::collection::vec(cell(), width), 1..20))
    })
}

fn cells(t: &Table) -> Vec<Vec<String>> {
    (0..t.n_rows()).map(|r| t.row(r).map(str::to_owned).collect()).collect()
}

fn load(name: &str, bytes: &[u8], delimiter: Option<u8>) -> Table {
    let options = LoadOptions {
        kind: Some(DatasetKind::Unknown),
        delimiter,
        header: delimiter.map(|_| true),
        rename: Vec::new(),
        skip_judges: false,
    };
    let parsed = load_bytes(name, bytes, &options);
    parsed.table().cloned().unwrap_or_else(|| panic!("no table: {:?}", parsed.summary.warnings))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn csv_round_trip((names, rows) in grid(), delimiter in prop::sample::select(vec![b',', b';', b'\t'])) {
        let mut w = csv::WriterBuilder::new().delimiter(delimiter).from_writer(Vec::new());
        w.write_record(&names).expect("header");
        for r in &rows {
            w.write_record(r).expect("row");
        }
        let bytes = w.into_inner().expect("flush");
        let t = load("t.csv", &bytes, Some(delimiter));
        prop_assert_eq!(&t.columns, &names);
        prop_assert_eq!(cells(&t), rows);
    }

    #[test]
    fn json_round_trip((names, rows) in grid(), lines in any::<bool>()) {
        let records: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| {
                let map: serde_json::Map<String, serde_json::Value> =
                    names.iter().cloned().zip(r.iter().cloned().map(serde_json::Value::from)).collect();
                serde_json::Value::Object(map)
            })
            .collect();
        let bytes = if lines {
            records.iter().map(|r| r.to_string()).collect::<Vec<_>>().join("\n").into_bytes()
        } else {
            serde_json::to_vec_pretty(&records).expect("json")
        };
        let t = load(if lines { "t.jsonl" } else { "t.json" }, &bytes, None);
        prop_assert_eq!(&t.columns, &names);
        prop_assert_eq!(cells(&t), rows);
    }
}
