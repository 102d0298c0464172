//! `LoadOptions::skip_judges` (what `benchlens ratings` sets when no filter reads judges) must
//! change nothing but the judges: every battle's judge is the unknown one, and every other
//! column, warning and count is what a full parse gives, on every intake path (the fused JSON
//! scan, JSON Lines, CSV, and the threaded parse's segments).

use benchlens_engine::dataset::ParsedFile;
use benchlens_engine::formats::{load_bytes, load_path_parallel, LoadOptions, Parallelism};

fn record(i: usize) -> serde_json::Value {
    let models = ["alpha", "beta", "gamma", "delta"];
    if i % 89 == 5 {
        // A self-battle, which keeps its judge's name in its own row.
        return serde_json::json!({ "model_a": "alpha", "model_b": "alpha", "winner": "tie",
            "judge": format!("user-{i}") });
    }
    let winner = ["model_a", "model_b", "tie", "draw"][i % 4];
    let language = ["English", "German"][i % 2];
    serde_json::json!({
        "model_a": models[i % 4],
        "model_b": models[(i + 1 + i / 4) % 4],
        "winner": winner,
        "judge": format!("user-{}", i % 37),
        "language": language,
        "tstamp": 1.7e9 + i as f64,
    })
}

/// The parse as JSON with the judges blanked, and the judge ids seen.
fn without_judges(parsed: &ParsedFile) -> (serde_json::Value, Vec<u32>) {
    let battles = parsed.battles().expect("a battle log");
    let mut ids = battles.judge.clone();
    ids.sort_unstable();
    ids.dedup();
    let mut json = serde_json::json!({ "summary": parsed.summary, "data": parsed.data });
    let data = &mut json["data"]["Battles"];
    data["judges"] = serde_json::json!([]);
    data["judge"] = serde_json::json!([]);
    if let Some(rows) = data["self_battle_rows"].as_array_mut() {
        rows.iter_mut().for_each(|r| r["judge"] = serde_json::json!(""));
    }
    (json, ids)
}

#[test]
fn skipping_judges_changes_only_the_judges() {
    let rows: Vec<serde_json::Value> = (0..4000).map(record).collect();
    let array = serde_json::to_string_pretty(&rows).expect("json");
    let lines: String = rows.iter().map(|r| format!("{r}\n")).collect();
    let mut csv = String::from("model_a,model_b,winner,judge,language,tstamp\n");
    for r in &rows {
        let s = |k: &str| r[k].as_str().map_or_else(|| r[k].to_string(), str::to_owned);
        let row = ["model_a", "model_b", "winner", "judge", "language", "tstamp"].map(s);
        csv.push_str(&(row.join(",") + "\n"));
    }
    let skip = LoadOptions { skip_judges: true, ..LoadOptions::default() };
    let dir = std::env::temp_dir().join(format!("benchlens-skip-judges-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for (name, text) in [("b.json", &array), ("b.jsonl", &lines), ("b.csv", &csv)] {
        let full = load_bytes(name, text.as_bytes(), &LoadOptions::default());
        let (full_json, full_ids) = without_judges(&full);
        assert!(full_ids.len() > 30, "{name}: the full parse keeps the judges");
        let skipped = load_bytes(name, text.as_bytes(), &skip);
        let (skipped_json, skipped_ids) = without_judges(&skipped);
        assert_eq!(skipped_ids, [0], "{name}: every judge unknown");
        assert_eq!(skipped.battles().map(|b| b.judges.clone()), Some(vec![String::new()]));
        assert_eq!(skipped_json, full_json, "{name}");
        // The threaded parse: the forks that read later segments carry the option too.
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        let split = Parallelism { threads: 3, min_segment_bytes: 16 << 10 };
        let threaded = load_path_parallel(&path, &skip, split).expect("read");
        let (threaded_json, threaded_ids) = without_judges(&threaded);
        assert_eq!(threaded_ids, [0], "{name}: threaded");
        assert_eq!(threaded_json, full_json, "{name}: threaded");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
