//! AlpacaEval on the bundled real files (samples/alpaca-eval) plus alpaca_eval's adversarial
//! NullModel: degenerate answers are flagged with their evidence, a placeholder generator name
//! gives way to the file or folder name so the model meets its published row, and every number
//! in the notes follows the inputs (changing the published table changes the sentences).

use std::path::Path;
use std::sync::OnceLock;

use benchlens_engine::formats::{load_path, LoadOptions};
use benchlens_engine::judge::alpaca_notes::{alpaca_notes, JudgeNote, NoteInputs, NoteKind};
use benchlens_engine::judge::published::{published_rows, Published};
use benchlens_engine::judge::{
    alpaca_eval_leaderboard, length_controlled, AlpacaAnnotations, AlpacaEvalRow, LcResult,
    LcSettings,
};
use benchlens_engine::Table;

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples/alpaca-eval");
const EIGHT: [&str; 8] = [
    "Mixtral-8x7B-Instruct-v0.1_concise",
    "alpaca-7b",
    "claude-2.1",
    "claude-2.1_concise",
    "gpt-3.5-turbo-1106",
    "gpt-3.5-turbo-1106_concise",
    "gpt-3.5-turbo-1106_verbose",
    "gpt4_gamed",
];

fn table(path: &str) -> Table {
    let parsed = load_path(Path::new(path), &LoadOptions::default()).expect("read file");
    parsed.table().cloned().unwrap_or_else(|| panic!("{path}: not a table"))
}

/// The eight sample files, then NullModel (loaded once: they are 4 MB each).
fn tables() -> &'static Vec<(String, Table)> {
    static T: OnceLock<Vec<(String, Table)>> = OnceLock::new();
    T.get_or_init(|| {
        EIGHT
            .iter()
            .chain(["NullModel"].iter())
            .map(|m| {
                let dir = if *m == "NullModel" { "adversarial" } else { "annotations" };
                (format!("{m}.json"), table(&format!("{SAMPLES}/{dir}/{m}.json")))
            })
            .collect()
    })
}

fn leaderboard() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| table(&format!("{SAMPLES}/weighted_alpaca_eval_gpt4_turbo_leaderboard.csv")))
}

struct Run {
    a: AlpacaAnnotations,
    rows: Vec<AlpacaEvalRow>,
    lc: LcResult,
}

fn run(named: &[(&str, &Table)]) -> Run {
    let a = AlpacaAnnotations::from_tables(named, None).expect("annotations");
    let rows = alpaca_eval_leaderboard(&a);
    let lc = length_controlled(&a, &LcSettings::default()).expect("lc");
    Run { a, rows, lc }
}

fn notes(r: &Run, published: Option<&Published>) -> Vec<JudgeNote> {
    alpaca_notes(&NoteInputs {
        baseline: &r.a.baseline,
        judgments: r.a.judgments.len(),
        instructions: r.a.instructions.len(),
        files: r.a.files.len(),
        rows: &r.rows,
        lc: &r.lc,
        published,
    })
}

fn eight() -> Vec<(&'static str, &'static Table)> {
    tables().iter().take(8).map(|(n, t)| (n.as_str(), t)).collect()
}

fn note_with<'a>(notes: &'a [JudgeNote], start: &str) -> &'a JudgeNote {
    notes
        .iter()
        .find(|n| n.text.starts_with(start))
        .unwrap_or_else(|| panic!("no note starting {start:?} in {notes:#?}"))
}

#[test]
fn null_model_is_flagged_named_after_its_file_and_meets_its_published_row() {
    let named: Vec<(&str, &Table)> = tables().iter().map(|(n, t)| (n.as_str(), t)).collect();
    let r = run(&named);
    assert!(r.a.models.iter().any(|m| m == "NullModel"), "{:?}", r.a.models);
    assert!(!r.a.models.iter().any(|m| m == "example"));
    assert!(
        r.a.warnings.iter().any(|w| w
            == "NullModel.json: generator_2 is `example`, a placeholder rather than a model name, so the model is named `NullModel` after the file"),
        "{:#?}",
        r.a.warnings
    );
    let null = r.rows.iter().find(|x| x.model == "NullModel").expect("row");
    // Upstream: one fixed string for all 805 instructions; 583 of the 778 instructions with at
    // least three words of four letters share none of them with it (Python agrees:
    // `re.findall(r"[^\W_]+", text.lower())` words).
    assert_eq!(
        null.answer_flag.as_deref(),
        Some("805 of 805 answers are identical; 583 of 778 answers share no word with their instruction")
    );
    // gpt4_gamed's answers are cut to ten characters: off topic, so flagged too.
    let gamed = r.rows.iter().find(|x| x.model == "gpt4_gamed").expect("row");
    assert_eq!(
        gamed.answer_flag.as_deref(),
        Some("506 of 778 answers share no word with their instruction")
    );
    for m in EIGHT.iter().filter(|m| **m != "gpt4_gamed") {
        let row = r.rows.iter().find(|x| x.model == *m).expect("row");
        assert_eq!(row.answer_flag, None, "{m} is an ordinary model");
    }
    assert!(r
        .a
        .warnings
        .iter()
        .any(|w| w.starts_with("NullModel: degenerate answers (805 of 805")));

    // It tops the raw leaderboard, and its published row is found under its own name.
    assert_eq!(r.rows[0].model, "NullModel");
    let p = published_rows("lb.csv", leaderboard(), &r.a.models, &r.a.aliases).expect("rows");
    let row = p.rows.iter().find(|x| x.model == "NullModel").expect("published NullModel");
    assert!((row.win_rate.expect("wr") - null.win_rate).abs() < 1e-9);
    assert_eq!(row.avg_length, Some(null.avg_length as f64));
    assert_eq!(p.rows.len(), 9);
}

#[test]
fn a_folder_names_the_model_when_the_file_is_just_annotations_json() {
    let t = &tables()[8].1;
    let name = "results/NullModel/weighted_alpaca_eval_gpt4_turbo/annotations.json";
    let r = run(&[(name, t)]);
    assert_eq!(r.a.models, ["NullModel"]);
    // Without a telling name, the placeholder stays; nothing is invented.
    let r = run(&[("annotations.json", t)]);
    assert_eq!(r.a.models, ["example"]);
}

#[test]
fn a_real_generator_name_is_kept_and_the_file_name_only_matches_the_published_row() {
    // A renamed copy: generator_2 says `my-model`, the file is named after the published row.
    let src = &tables()[2].1; // claude-2.1
    let g2 = src.column_index("generator_2").expect("generator_2");
    let mut t = Table::new(src.columns.clone());
    for r in 0..src.n_rows() {
        let cells: Vec<&str> =
            (0..src.n_cols()).map(|c| if c == g2 { "my-model" } else { src.cell(r, c) }).collect();
        t.push_row(cells, src.line_of(r));
    }
    let r = run(&[("claude-2.1.json", &t)]);
    assert_eq!(r.a.models, ["my-model"]);
    assert_eq!(r.a.aliases, [vec!["claude-2.1".to_owned()]]);
    let p = published_rows("lb.csv", leaderboard(), &r.a.models, &r.a.aliases).expect("rows");
    assert_eq!(p.rows[0].published_name.as_deref(), Some("claude-2.1"));
    let n = notes(&r, Some(&p));
    note_with(
        &n,
        "Matched by file or folder name because generator_2 differs: my-model as `claude-2.1`.",
    );
}

/// The published table with some LC values replaced.
fn with_lc(changes: &[(&str, &str)]) -> Table {
    let src = leaderboard();
    let lc = src.column_index("length_controlled_winrate").expect("lc column");
    let mut t = Table::new(src.columns.clone());
    for r in 0..src.n_rows() {
        let name = src.cell(r, 0);
        let cells: Vec<&str> = (0..src.n_cols())
            .map(|c| match changes.iter().find(|(m, _)| *m == name) {
                Some((_, v)) if c == lc => v,
                _ => src.cell(r, c),
            })
            .collect();
        t.push_row(cells, src.line_of(r));
    }
    t
}

#[test]
fn notes_state_what_the_table_shows_and_follow_the_inputs() {
    let r = run(&eight());
    let models = &r.a.models;
    let p = published_rows("lb.csv", leaderboard(), models, &r.a.aliases).expect("rows");
    let n = notes(&r, Some(&p));
    note_with(&n, "Baseline gpt4_1106_preview · 6,440 judgments of 8 models on 805 instructions from 8 files.");
    assert_eq!(
        note_with(&n, "Compared with lb.csv (8 of our models found): raw win rates match").kind,
        NoteKind::Match
    );
    // LC: ours minus published, from the same rows the table shows.
    let lc = note_with(&n, "Our LC win rates differ");
    assert!(
        lc.text.starts_with("Our LC win rates differ from the published ones by +4.3 to +11.4 points (8 of 8 models above, 0 below)."),
        "{}",
        lc.text
    );
    assert!(lc.text.contains("on these models, higher LC win rates"));
    // The sample's order differs in one pair: Mixtral concise 32.73 over claude-2.1 31.94 here,
    // 22.96 under 25.25 published.
    let order = note_with(&n, "Our LC order");
    assert_eq!(order.kind, NoteKind::Warning);
    assert_eq!(
        order.text,
        "Our LC order differs from the published order in 1 of 28 pairs of models: \
         Mixtral-8x7B-Instruct-v0.1_concise is above claude-2.1 here (32.73 vs 31.94) but below \
         it in the published table (22.96 vs 25.25)."
    );

    // Change the inputs: claude-2.1 published below Mixtral concise, gpt4_gamed far above ours.
    let changed = with_lc(&[("claude-2.1", "20.0"), ("gpt4_gamed", "40.0")]);
    let p = published_rows("lb2.csv", &changed, models, &r.a.aliases).expect("rows");
    let n = notes(&r, Some(&p));
    let gamed = r.lc.models.iter().find(|m| m.model == "gpt4_gamed").expect("gamed").lc_win_rate;
    let claude = r.lc.models.iter().find(|m| m.model == "claude-2.1").expect("claude").lc_win_rate;
    let lc = note_with(&n, "Our LC win rates differ");
    let hi =
        r.lc.models
            .iter()
            .filter_map(|m| {
                Some(m.lc_win_rate - p.rows.iter().find(|x| x.model == m.model)?.lc_win_rate?)
            })
            .fold(f64::NEG_INFINITY, f64::max);
    assert!(
        lc.text.starts_with(&format!(
            "Our LC win rates differ from the published ones by {:+.1} to {hi:+.1} points (7 of 8 models above, 1 below).",
            gamed - 40.0
        )),
        "{}",
        lc.text
    );
    assert!(!lc.text.contains("higher LC win rates"), "{}", lc.text);
    assert!(claude - 20.0 > 0.0);
    let order = note_with(&n, "Our LC order");
    assert!(!order.text.contains("above claude-2.1"), "{}", order.text);
    // gpt4_gamed (23.07 here, 7th of 8) is now published at 40, above the six models above it
    // here: six swaps; and claude-2.1 (31.94) now sits under gpt-3.5-turbo-1106_verbose (31.93
    // here, 22.00 published): a seventh. Three are spelled out.
    assert!(order.text.contains("in 7 of 28 pairs"), "{}", order.text);
    assert!(
        order.text.contains("claude-2.1 is above gpt-3.5-turbo-1106_verbose here (31.94 vs 31.93) but below it in the published table (20.00 vs 22.00)"),
        "{}",
        order.text
    );
    assert!(order.text.ends_with("; and 4 more."), "{}", order.text);

    // Only the published values of the first three: the counts and ranges follow.
    let three =
        Published { source: "lb3.csv".into(), rows: p.rows.iter().take(3).cloned().collect() };
    let n = notes(&r, Some(&three));
    note_with(&n, "Compared with lb3.csv (3 of our models found)");
    note_with(&n, "Not in the published leaderboard: ");
    // Without a published table there is nothing to compare and no claim about it.
    let n = notes(&r, None);
    assert!(n.iter().all(|x| !x.text.contains("published ones") && !x.text.contains("order")));
}
