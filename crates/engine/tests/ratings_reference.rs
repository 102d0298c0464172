//! The ratings engine against the independent Python reference
//! (`scripts/reference/ratings_reference.py` → `tests/fixtures/ratings/`) and against the
//! leaderboards GenAI-Arena published from the same battles.

use std::collections::HashMap;
use std::path::Path;

use benchlens_engine::formats::{load_path, LoadOptions};
use benchlens_engine::ratings::synthetic::{to_battles, SynthConfig};
use benchlens_engine::ratings::{
    rate, rate_with_draws, Aggregate, CiMethod, Method, RatingsInput, RatingsResult,
    RatingsSettings, RowOutcome, TieRule,
};
use benchlens_engine::Battles;
use serde_json::Value;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples/battles");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ratings");

fn genai_battles() -> Battles {
    let path = Path::new(SHARED).join("genai-arena-clean-battle-20240220.json");
    let parsed = load_path(&path, &LoadOptions::default()).expect("shared battles readable");
    parsed.battles().expect("detected as a battle log").clone()
}

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(Path::new(FIXTURES).join(name)).expect("fixture present");
    serde_json::from_str(&text).expect("fixture is JSON")
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().expect("array").iter().map(|x| x.as_f64().expect("number")).collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().expect("array").iter().map(|x| x.as_str().expect("string").to_owned()).collect()
}

fn settings(anony: bool) -> RatingsSettings {
    let mut s = RatingsSettings { ci: CiMethod::None, ..RatingsSettings::default() };
    if anony {
        s.filters.anony = Some(true);
    }
    s
}

fn run(battles: &Battles, s: &RatingsSettings) -> RatingsResult {
    rate(RatingsInput { battles: Some(battles), pair_counts: None }, s).expect("rates")
}

fn assert_close(what: &str, got: f64, want: f64, tol: f64) {
    assert!((got - want).abs() <= tol, "{what}: got {got}, reference {want} (tolerance {tol})");
}

fn subsets() -> [(&'static str, bool); 4] {
    [
        ("anony_generation", true),
        ("anony_edition", true),
        ("full_generation", false),
        ("full_edition", false),
    ]
}

#[test]
fn bradley_terry_matches_reference_within_a_hundredth() {
    let battles = genai_battles();
    let fx = fixture("genai_arena.json");
    for (key, anony) in subsets() {
        let result = run(&battles, &settings(anony));
        assert_eq!(result.components.len(), 2, "two tasks, two graphs");
        let entry = &fx[key];
        for (m, want) in strings(&entry["models"]).iter().zip(floats(&entry["bt"])) {
            let got = result.rating_of(m).expect("model rated").rating;
            assert_close(&format!("{key} {m}"), got, want, 0.01);
        }
    }
}

#[test]
fn sandwich_bounds_match_reference_within_a_tenth() {
    let battles = genai_battles();
    let fx = fixture("genai_arena.json");
    for (key, anony) in subsets() {
        let s = RatingsSettings { ci: CiMethod::Sandwich, ..settings(anony) };
        let result = run(&battles, &s);
        let entry = &fx[key];
        let models = strings(&entry["models"]);
        for (i, m) in models.iter().enumerate() {
            let row = result.rating_of(m).expect("model rated");
            assert_close(
                &format!("{key} {m} lower"),
                row.lower.expect("bound"),
                floats(&entry["sandwich_lower"])[i],
                0.1,
            );
            assert_close(
                &format!("{key} {m} upper"),
                row.upper.expect("bound"),
                floats(&entry["sandwich_upper"])[i],
                0.1,
            );
        }
    }
}

#[test]
fn bootstrap_quantiles_identical_given_the_same_resamples() {
    let fx = fixture("genai_arena.json");
    for key in ["anony_generation", "anony_edition"] {
        let entry = &fx[key];
        let rows: Vec<(String, String, RowOutcome, u64)> = entry["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .map(|r| {
                let outcome = match r[2].as_str().expect("outcome") {
                    "a_wins" => RowOutcome::AWins,
                    "b_wins" => RowOutcome::BWins,
                    _ => RowOutcome::Tie,
                };
                (
                    r[0].as_str().expect("a").to_owned(),
                    r[1].as_str().expect("b").to_owned(),
                    outcome,
                    r[3].as_u64().expect("n"),
                )
            })
            .collect();
        let agg =
            Aggregate::from_named(rows.iter().map(|(a, b, o, n)| (a.as_str(), b.as_str(), *o, *n)));
        assert_eq!(agg.rows.len(), rows.len());
        // Map the fixture's row order onto the engine's.
        let position: HashMap<(String, String, RowOutcome), usize> = rows
            .iter()
            .enumerate()
            .map(|(i, (a, b, o, _))| ((a.clone(), b.clone(), *o), i))
            .collect();
        let order: Vec<usize> = agg
            .rows
            .iter()
            .map(|r| {
                position[&(
                    agg.models[r.a as usize].clone(),
                    agg.models[r.b as usize].clone(),
                    r.outcome,
                )]
            })
            .collect();
        let draws: Vec<Vec<u64>> = entry["bootstrap_draws"]
            .as_array()
            .expect("draws")
            .iter()
            .map(|d| order.iter().map(|&i| d[i].as_u64().expect("count")).collect())
            .collect();
        let s = RatingsSettings { ci: CiMethod::Bootstrap, ..RatingsSettings::default() };
        let result = rate_with_draws(&agg, &s, &draws).expect("rates");
        assert_eq!(result.bootstrap_rounds as usize, draws.len());
        assert_eq!(
            result.components[0].failed_replicates as u64,
            entry["bootstrap_failed"].as_u64().expect("failed count"),
            "{key}: replicates without a finite MLE"
        );
        for (i, m) in strings(&entry["models"]).iter().enumerate() {
            let row = result.rating_of(m).expect("rated");
            // Identical up to the two solvers' convergence (1e-5 Elo).
            assert_close(&format!("{key} {m} rating"), row.rating, floats(&entry["bt"])[i], 1e-5);
            assert_close(
                &format!("{key} {m} lower"),
                row.lower.expect("lower"),
                floats(&entry["bootstrap_lower"])[i],
                1e-5,
            );
            assert_close(
                &format!("{key} {m} upper"),
                row.upper.expect("upper"),
                floats(&entry["bootstrap_upper"])[i],
                1e-5,
            );
        }
    }
}

/// The published CSVs name models without the `imagenhub_` prefix and task suffix.
fn published(file: &str, column: &str) -> Vec<(String, f64)> {
    let mut reader = csv::Reader::from_path(Path::new(SHARED).join(file)).expect("published CSV");
    let headers = reader.headers().expect("header").clone();
    let key = headers.iter().position(|h| h == "key").expect("key column");
    let col = headers.iter().position(|h| h == column).expect("rating column");
    reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            (r[key].to_owned(), r[col].parse().expect("number"))
        })
        .collect()
}

#[test]
fn legacy_l2_reproduces_published_genai_arena_leaderboards() {
    let battles = genai_battles();
    for (column, anony) in [("Arena Elo rating (anony)", true), ("Arena Elo rating (full)", false)]
    {
        let s = RatingsSettings { legacy_l2: true, ..settings(anony) };
        let result = run(&battles, &s);
        for (file, task) in [
            ("genai_arena_t2i_generation_leaderboard_20240220.csv", "generation"),
            ("genai_arena_image_editing_leaderboard_20240220.csv", "edition"),
        ] {
            let rows = published(file, column);
            assert!(rows.len() >= 6);
            for (name, want) in rows {
                let model = format!("imagenhub_{name}_{task}");
                let got = result.rating_of(&model).expect("published model rated").rating;
                assert_close(&format!("{column} {model}"), got, want, 0.01);
            }
        }
    }
}

#[test]
fn legacy_l2_matches_scikit_learn_reference() {
    let battles = genai_battles();
    let fx = fixture("genai_arena.json");
    for (key, anony) in subsets() {
        let result = run(&battles, &RatingsSettings { legacy_l2: true, ..settings(anony) });
        for (m, want) in strings(&fx[key]["models"]).iter().zip(floats(&fx[key]["legacy_sklearn"]))
        {
            assert_close(
                &format!("{key} {m}"),
                result.rating_of(m).expect("rated").rating,
                want,
                0.01,
            );
        }
    }
}

#[test]
fn davidson_matches_reference() {
    let battles = genai_battles();
    let fx = fixture("genai_arena.json");
    for (key, anony) in subsets() {
        let s = RatingsSettings { ties: TieRule::Davidson, ..settings(anony) };
        let result = run(&battles, &s);
        let entry = &fx[key];
        let models = strings(&entry["models"]);
        for (m, want) in models.iter().zip(floats(&entry["davidson"])) {
            assert_close(
                &format!("{key} {m}"),
                result.rating_of(m).expect("rated").rating,
                want,
                0.01,
            );
        }
        let comp = result.rating_of(&models[0]).expect("rated").component as usize;
        let nu = result.components[comp].davidson_nu.expect("nu fitted");
        assert_close(&format!("{key} nu"), nu, entry["davidson_nu"].as_f64().expect("nu"), 1e-4);
    }
}

#[test]
fn online_elo_matches_reference() {
    let battles = genai_battles();
    let fx = fixture("elo_anony.json");
    let s = RatingsSettings { method: Method::Elo, ..settings(true) };
    let result = run(&battles, &s);
    let want = fx["ratings"].as_object().expect("ratings");
    assert_eq!(result.ratings.len(), want.len());
    for (m, v) in want {
        assert_close(
            m,
            result.rating_of(m).expect("rated").rating,
            v.as_f64().expect("number"),
            1e-9,
        );
    }
    let history = result.elo_history.expect("trajectory");
    let last = history.snapshots.last().expect("snapshots");
    assert_eq!(last.battles, result.battles_used);
}

/// The style-control fixture and the engine's result on the same synthetic battles.
fn style_control_run(ci: CiMethod) -> (Value, RatingsResult) {
    let fx = fixture("style_control.json");
    let config =
        SynthConfig { n: fx["n"].as_u64().expect("n"), seed: fx["seed"].as_u64().expect("seed") };
    let (battles, _) = to_battles(config);
    let s = RatingsSettings { style_control: true, ci, ..settings(false) };
    let result = run(&battles, &s);
    (fx, result)
}

#[test]
fn style_control_matches_reference() {
    let (fx, result) = style_control_run(CiMethod::None);
    for (m, want) in strings(&fx["models"]).iter().zip(floats(&fx["ratings"])) {
        assert_close(m, result.rating_of(m).expect("rated").rating, want, 0.01);
    }
    let style = result.style.expect("style report");
    for (c, want) in style.coefficients.iter().zip(floats(&fx["coefficients"])) {
        assert_close(&c.feature, c.coefficient, want, 1e-5);
    }
}

#[test]
fn style_control_sandwich_matches_reference_within_a_tenth() {
    let (fx, result) = style_control_run(CiMethod::Sandwich);
    let models = strings(&fx["models"]);
    let bounds = floats(&fx["sandwich_lower"]).into_iter().zip(floats(&fx["sandwich_upper"]));
    for (m, (lower, upper)) in models.iter().zip(bounds) {
        let r = result.rating_of(m).expect("rated");
        assert_close(&format!("{m} lower"), r.lower.expect("lower"), lower, 0.1);
        assert_close(&format!("{m} upper"), r.upper.expect("upper"), upper, 0.1);
    }
    let style = result.style.expect("style report");
    let coef_bounds = floats(&fx["coefficient_sandwich_lower"])
        .into_iter()
        .zip(floats(&fx["coefficient_sandwich_upper"]));
    for (c, (lower, upper)) in style.coefficients.iter().zip(coef_bounds) {
        assert_close(&c.feature, c.lower.expect("lower"), lower, 1e-4);
        assert_close(&c.feature, c.upper.expect("upper"), upper, 1e-4);
    }
}

/// Two routes to the same uncertainty: on a well-connected synthetic arena the closed-form
/// intervals and the 300-round bootstrap agree on every width to within a third, and on
/// average to within a tenth.
#[test]
fn style_control_sandwich_agrees_with_the_bootstrap() {
    let (battles, _) = to_battles(SynthConfig { n: 20_000, seed: 5 });
    let base = RatingsSettings { style_control: true, ..settings(false) };
    let sandwich = run(&battles, &RatingsSettings { ci: CiMethod::Sandwich, ..base.clone() });
    let boot = run(
        &battles,
        &RatingsSettings { ci: CiMethod::Bootstrap, bootstrap_rounds: 300, seed: 1, ..base },
    );
    let width = |r: &benchlens_engine::ratings::ModelRating| {
        r.upper.expect("upper") - r.lower.expect("lower")
    };
    let mut ratios = Vec::new();
    for r in &sandwich.ratings {
        let b = boot.rating_of(&r.model).expect("same models");
        assert_eq!(r.rating, b.rating, "{}: same point estimate", r.model);
        let ratio = width(r) / width(b);
        assert!((0.67..1.5).contains(&ratio), "{}: sandwich/bootstrap width {ratio}", r.model);
        ratios.push(ratio);
    }
    let mean = ratios.iter().sum::<f64>() / ratios.len() as f64;
    assert!((0.9..1.1).contains(&mean), "mean width ratio {mean}");
}
