//! Ratings against a loaded published leaderboard (`ratings::published::compare`): GenAI-Arena's
//! two published CSVs next to the battles they were computed from (both in `samples/battles/`),
//! and an MTEB-Arena leaderboard fixture in the exact shape of
//! embeddings-benchmark/arena `results/<date>/retrieval_leaderboard.csv` (written by its
//! `arena_elo/generate_leaderboard.py`: key, Model, Arena Elo rating (anony), Arena Elo rating
//! (full), MTEB … Avg, License, Organization, Link; `0` for a model absent from a subset).
//! Also: the FastChat anchor says when it does nothing, and messages count in the singular.

use std::path::Path;

use benchlens_engine::formats::{load_path, LoadOptions};
use benchlens_engine::ratings::published::{compare, PublishedComparison, PublishedTable};
use benchlens_engine::ratings::{rate, CiMethod, RatingsInput, RatingsSettings};
use benchlens_engine::{Battles, ParsedFile};

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples/battles");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ratings");
const T2I: &str = "genai_arena_t2i_generation_leaderboard_20240220.csv";
const EDITING: &str = "genai_arena_image_editing_leaderboard_20240220.csv";

fn load(dir: &str, name: &str) -> ParsedFile {
    load_path(&Path::new(dir).join(name), &LoadOptions::default()).expect("file readable")
}

fn genai_battles() -> Battles {
    load(SAMPLES, "genai-arena-clean-battle-20240220.json").battles().expect("a battle log").clone()
}

fn quick(anony: bool) -> RatingsSettings {
    let mut s = RatingsSettings { ci: CiMethod::None, ..RatingsSettings::default() };
    if anony {
        s.filters.anony = Some(true);
    }
    s
}

/// Rates `battles` under `s` and lines the result up with the `boards`.
fn against(
    battles: &Battles,
    s: &RatingsSettings,
    boards: &[(&str, &ParsedFile)],
) -> Option<PublishedComparison> {
    let input = RatingsInput { battles: Some(battles), pair_counts: None };
    let result = rate(input, s).expect("rates");
    let tables: Vec<PublishedTable<'_>> = boards
        .iter()
        .map(|(name, p)| PublishedTable { name, table: p.table().expect("a table") })
        .collect();
    compare(input, s, &result, &tables)
}

#[test]
fn genai_arena_default_is_off_and_the_l2_method_is_offered() {
    let battles = genai_battles();
    let (t2i, editing) = (load(SAMPLES, T2I), load(SAMPLES, EDITING));
    let c = against(&battles, &quick(false), &[(T2I, &t2i), (EDITING, &editing)])
        .expect("published models found");
    // All 13 models, every one only after dropping `imagenhub_` and the task suffix.
    assert_eq!((c.rows.len(), c.published_models, c.matched_renamed), (13, 13, 13));
    assert!(c.unmatched_ours.is_empty() && c.unmatched_published.is_empty());
    assert_eq!(c.column, "Arena Elo rating (full)");
    assert_eq!(c.sources, [EDITING.to_owned(), T2I.to_owned()]);
    let sdxl = c.rows.iter().find(|r| r.model == "imagenhub_SDXL_generation").expect("SDXL");
    assert_eq!((sdxl.published_name.as_str(), sdxl.source.as_str()), ("SDXL", T2I));
    assert!((sdxl.published - 1035.47732509915).abs() < 1e-9);
    // The finding: the default Bradley–Terry MLE is about 22 points off.
    assert!(c.max_abs_delta > 15.0 && c.max_abs_delta < 30.0, "{}", c.max_abs_delta);
    assert!(!c.reproduces);
    let alt = c.alternative.as_ref().expect("the L2 method was tried");
    assert!(alt.legacy_l2 && alt.reproduces && alt.max_abs_delta < 0.05, "{alt:?}");
    assert!(c.offers_legacy_l2());
    assert!(c.summary().contains("13 of 13 published models matched"), "{}", c.summary());
    assert!(c.summary().contains("use --legacy-l2"), "{}", c.summary());
}

#[test]
fn genai_arena_l2_method_reproduces_the_anonymous_column() {
    let battles = genai_battles();
    let (t2i, editing) = (load(SAMPLES, T2I), load(SAMPLES, EDITING));
    let s = RatingsSettings { legacy_l2: true, ..quick(true) };
    let c = against(&battles, &s, &[(T2I, &t2i), (EDITING, &editing)]).expect("found");
    assert_eq!(c.column, "Arena Elo rating (anony)");
    assert!(c.column_reason.contains("anonymous"));
    assert!(c.reproduces && c.max_abs_delta < 0.05, "{}", c.max_abs_delta);
    for r in &c.rows {
        assert!((r.delta - (battles_rating(&battles, &s, &r.model) - r.published)).abs() < 1e-9);
    }
    // The MLE is the alternative now, and it does not reproduce them: nothing to offer.
    let alt = c.alternative.as_ref().expect("the MLE was tried");
    assert!(!alt.legacy_l2 && !alt.reproduces);
    assert!(!c.offers_legacy_l2());
}

fn battles_rating(battles: &Battles, s: &RatingsSettings, model: &str) -> f64 {
    let input = RatingsInput { battles: Some(battles), pair_counts: None };
    rate(input, s).expect("rates").rating_of(model).expect("rated").rating
}

#[test]
fn only_one_leaderboard_loaded_matches_its_task_and_lists_the_rest() {
    let battles = genai_battles();
    let t2i = load(SAMPLES, T2I);
    let c = against(&battles, &quick(false), &[(T2I, &t2i)]).expect("found");
    assert_eq!((c.rows.len(), c.published_models), (6, 6));
    assert_eq!(c.unmatched_ours.len(), 7);
    assert!(c.unmatched_ours.iter().all(|m| m.ends_with("_edition")));
}

#[test]
fn mteb_arena_shape_matches_exact_names_and_skips_zero_ratings() {
    let battles = load(FIXTURES, "mteb_arena_battles.csv").battles().expect("battle log").clone();
    let board = load(FIXTURES, "mteb_arena_retrieval_leaderboard.csv");
    let name = "mteb_arena_retrieval_leaderboard.csv";
    let s = quick(false);
    let c = against(&battles, &s, &[(name, &board)]).expect("found");
    assert_eq!(c.column, "Arena Elo rating (full)");
    // Four rated models, all under their exact names; the `0` row is not a rating.
    assert_eq!((c.rows.len(), c.published_models, c.matched_renamed), (4, 5, 0));
    assert_eq!(c.unmatched_published, ["text-embedding-004"]);
    let skipped = c.warnings.join("\n");
    assert!(
        skipped.contains(name)
            && skipped.contains("1 row without a rating skipped")
            && skipped.contains("line 4")
            && skipped.contains("`Arena Elo rating (full)`"),
        "{skipped}"
    );
    let bm25 = c.rows.iter().find(|r| r.model == "BM25").expect("BM25");
    assert_eq!(bm25.published, 931.0);
    assert!((bm25.delta - (battles_rating(&battles, &s, "BM25") - 931.0)).abs() < 1e-9);
}

#[test]
fn a_table_without_a_rating_column_is_not_compared() {
    let battles = genai_battles();
    let not_a_board = temp_csv("licences.csv", "key,Model,License\nSDXL,SDXL,openrail++\n");
    assert!(not_a_board.table().is_some());
    assert!(against(&battles, &quick(false), &[("licences.csv", &not_a_board)]).is_none());
}

#[test]
fn an_absent_fastchat_anchor_says_it_does_nothing() {
    let battles = genai_battles();
    let s = quick(false).with_fastchat_preset();
    let input = RatingsInput { battles: Some(&battles), pair_counts: None };
    let result = rate(input, &s).expect("rates without the anchor model");
    let said = result.warnings.join("\n");
    assert!(
        said.contains("mixtral-8x7b-instruct-v0.1") && said.contains("anchor does nothing"),
        "{said}"
    );
    // Same numbers as without the preset: nothing was pinned.
    let plain = rate(input, &quick(false)).expect("rates");
    assert_eq!(result.ratings, plain.ratings);
}

#[test]
fn one_battle_is_counted_in_the_singular() {
    // One battle between two models, then filtered away: "1 battle in the input".
    let parsed = temp_csv("one.csv", "model_a,model_b,winner,language\nx,y,model_a,English\n");
    let battles = parsed.battles().expect("battle log");
    let mut s = quick(false);
    s.filters.languages = vec!["German".into()];
    let err = rate(RatingsInput { battles: Some(battles), pair_counts: None }, &s)
        .expect_err("nothing left")
        .to_string();
    assert!(err.contains("1 battle in the input"), "{err}");
    // Style control on a battle without metadata.
    let s = RatingsSettings { style_control: true, ..quick(false) };
    let err = rate(RatingsInput { battles: Some(battles), pair_counts: None }, &s)
        .expect_err("no style")
        .to_string();
    assert!(err.contains("the one selected battle has none"), "{err}");
}

/// A small CSV written to a temp file and loaded through the intake.
fn temp_csv(name: &str, contents: &str) -> ParsedFile {
    let dir = std::env::temp_dir().join(format!("benchlens-published-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write");
    load_path(&path, &LoadOptions::default()).expect("loads")
}
