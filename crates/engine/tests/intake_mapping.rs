//! The column-mapping form: a file whose columns have other names loads as the kind the user
//! picks once its columns are mapped.

use benchlens_engine::dataset::DatasetKind;
use benchlens_engine::formats::{load_bytes, LoadOptions};
use benchlens_engine::Outcome;

fn mapping() -> LoadOptions {
    LoadOptions {
        kind: Some(DatasetKind::BattleLog),
        rename: vec![
            ("player_1".into(), "model_a".into()),
            ("player_2".into(), "model_b".into()),
            ("result".into(), "winner".into()),
        ],
        ..LoadOptions::default()
    }
}

#[test]
fn unmapped_file_is_unknown_and_mapped_one_is_a_battle_log() {
    let csv = b"player_1,player_2,result,lang\nx,y,model_a,English\ny,z,tie,German\n";
    let plain = load_bytes("games.csv", csv, &LoadOptions::default());
    assert_eq!(plain.summary.kind, DatasetKind::Unknown);
    let mapped = load_bytes("games.csv", csv, &mapping());
    assert_eq!(mapped.summary.kind, DatasetKind::BattleLog);
    assert_eq!(mapped.summary.columns, ["model_a", "model_b", "winner", "lang"]);
    let b = mapped.battles().expect("battles");
    assert_eq!(b.len(), 2);
    assert_eq!(b.outcome, vec![Outcome::ModelA, Outcome::Tie]);
}

#[test]
fn mapped_json_records_load_through_the_row_path() {
    let json = br#"[{"player_1": "x", "player_2": "y", "result": "model_b", "tstamp": 5},
                   {"player_1": "x", "player_2": "z", "result": "bogus"},
                   {"player_1": "", "player_2": "z", "result": "tie"}]"#;
    let mapped = load_bytes("games.json", json, &mapping());
    assert_eq!(mapped.summary.kind, DatasetKind::BattleLog);
    let b = mapped.battles().expect("battles");
    assert_eq!(b.len(), 1);
    assert_eq!(b.tstamp[0], 5.0);
    assert_eq!(b.unknown_winners, vec![("bogus".to_string(), 1)]);
    assert_eq!(mapped.summary.skipped_rows, 1);
    let text: Vec<String> =
        mapped.summary.warnings.iter().map(|w| w.render("games.json")).collect();
    assert!(text.iter().any(|t| t.contains("games.json:3: field `model_a`: empty")), "{text:?}");
}

#[test]
fn renaming_table_columns_changes_the_detected_kind() {
    let csv = b"prompt_text,opts,gold\nWhat?,\"['a','b']\",0\n";
    let options = LoadOptions {
        rename: vec![
            ("prompt_text".into(), "question".into()),
            ("opts".into(), "choices".into()),
            ("gold".into(), "answer".into()),
        ],
        ..LoadOptions::default()
    };
    let mapped = load_bytes("items.csv", csv, &options);
    assert_eq!(mapped.summary.kind, DatasetKind::BenchmarkItems);
    assert_eq!(mapped.table().expect("table").column_index("question"), Some(0));
}
