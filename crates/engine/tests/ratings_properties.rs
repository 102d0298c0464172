//! Invariances every rating method here must have, checked on random battle logs.

use benchlens_engine::battles::BattleBuilder;
use benchlens_engine::ratings::{
    rate, Anchor, CiMethod, RatingsInput, RatingsResult, RatingsSettings,
};
use benchlens_engine::Battles;
use proptest::prelude::*;

const WINNERS: [&str; 4] = ["model_a", "model_b", "tie", "tie (bothbad)"];

/// (model a, model b, winner) triples over `k` models; a win cycle 0 → 1 → … → 0 guarantees a
/// finite MLE whatever the random part adds.
fn log_strategy() -> impl Strategy<Value = (usize, Vec<(usize, usize, usize)>)> {
    (3usize..7).prop_flat_map(|k| {
        let random = prop::collection::vec((0..k, 0..k, 0..4usize), 10..150)
            .prop_map(|v| v.into_iter().filter(|(a, b, _)| a != b).collect::<Vec<_>>());
        (Just(k), random)
    })
}

fn with_cycle(k: usize, random: &[(usize, usize, usize)]) -> Vec<(usize, usize, usize)> {
    let mut out: Vec<(usize, usize, usize)> = (0..k).map(|i| (i, (i + 1) % k, 0)).collect();
    out.extend_from_slice(random);
    out
}

fn build(triples: &[(usize, usize, usize)]) -> Battles {
    let mut b = BattleBuilder::new();
    for (i, &(a, bb, w)) in triples.iter().enumerate() {
        let rec = format!(
            r#"{{"model_a":"m{a}","model_b":"m{bb}","winner":"{}","tstamp":{}}}"#,
            WINNERS[w],
            1_700_000_000 + i
        );
        b.push_json(rec.as_bytes()).expect("valid record");
    }
    b.finish().0
}

fn mirrored(triples: &[(usize, usize, usize)]) -> Vec<(usize, usize, usize)> {
    triples.iter().map(|&(a, b, w)| (b, a, [1, 0, 2, 3][w])).collect()
}

fn run(battles: &Battles, s: &RatingsSettings) -> RatingsResult {
    rate(RatingsInput { battles: Some(battles), pair_counts: None }, s).expect("rates")
}

fn width(r: &RatingsResult, model: &str) -> f64 {
    let row = r.rating_of(model).expect("rated");
    row.upper.expect("upper") - row.lower.expect("lower")
}

fn bootstrap(rounds: u32) -> RatingsSettings {
    RatingsSettings { bootstrap_rounds: rounds, ..RatingsSettings::default() }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn mirroring_every_battle_changes_nothing((k, random) in log_strategy()) {
        let log = with_cycle(k, &random);
        let s = bootstrap(50);
        let plain = run(&build(&log), &s);
        let mirror = run(&build(&mirrored(&log)), &s);
        prop_assert_eq!(&plain.ratings, &mirror.ratings);
        let sandwich = RatingsSettings { ci: CiMethod::Sandwich, ..s };
        prop_assert_eq!(run(&build(&log), &sandwich).ratings, run(&build(&mirrored(&log)), &sandwich).ratings);
    }

    #[test]
    fn row_order_does_not_matter((k, random) in log_strategy(), seed in any::<u64>()) {
        let log = with_cycle(k, &random);
        let mut shuffled = log.clone();
        // A seeded Fisher–Yates shuffle.
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let s = bootstrap(50);
        prop_assert_eq!(run(&build(&log), &s).ratings, run(&build(&shuffled), &s).ratings);
    }

    #[test]
    fn duplicating_every_battle_keeps_bt_and_narrows_intervals((k, random) in log_strategy()) {
        let log = with_cycle(k, &random);
        let twice: Vec<_> = log.iter().chain(&log).copied().collect();
        let s = RatingsSettings { ci: CiMethod::Sandwich, ..RatingsSettings::default() };
        let once = run(&build(&log), &s);
        let doubled = run(&build(&twice), &s);
        for row in &once.ratings {
            let other = doubled.rating_of(&row.model).expect("rated");
            prop_assert!((row.rating - other.rating).abs() < 1e-6, "{} vs {}", row.rating, other.rating);
            prop_assert!(width(&doubled, &row.model) < width(&once, &row.model));
            prop_assert_eq!(other.battles, 2 * row.battles);
        }
        // The bootstrap narrows on average (each interval is itself random). On a handful of
        // battles most replicates separate (no finite MLE) and the few left say nothing, so the
        // comparison is only made where every replicate was fitted.
        let b = bootstrap(200);
        let (once, doubled) = (run(&build(&log), &b), run(&build(&twice), &b));
        let clean = |r: &RatingsResult| r.components.iter().all(|c| c.failed_replicates == 0);
        if log.len() >= 12 && clean(&once) && clean(&doubled) {
            let mean = |r: &RatingsResult| r.ratings.iter().map(|x| width(r, &x.model)).sum::<f64>() / r.ratings.len() as f64;
            prop_assert!(mean(&doubled) < mean(&once), "{} vs {}", mean(&doubled), mean(&once));
        }
    }

    #[test]
    fn the_anchor_only_shifts((k, random) in log_strategy(), value in 500.0f64..1500.0) {
        let log = with_cycle(k, &random);
        let battles = build(&log);
        let s = RatingsSettings { ci: CiMethod::None, ..RatingsSettings::default() };
        let plain = run(&battles, &s);
        let anchored = run(&battles, &RatingsSettings {
            anchor: Some(Anchor { model: "m0".into(), rating: value, required: true }),
            ..s
        });
        let shift = anchored.rating_of("m0").expect("rated").rating - plain.rating_of("m0").expect("rated").rating;
        prop_assert!((anchored.rating_of("m0").expect("rated").rating - value).abs() < 1e-9);
        for row in &plain.ratings {
            let moved = anchored.rating_of(&row.model).expect("rated").rating - row.rating;
            prop_assert!((moved - shift).abs() < 1e-9);
            prop_assert_eq!(anchored.rating_of(&row.model).expect("rated").rank_ub, row.rank_ub);
        }
    }
}

#[test]
fn same_seed_is_bit_identical_and_another_seed_is_not() {
    let log: Vec<(usize, usize, usize)> = with_cycle(
        4,
        &(0..120)
            .map(|i| (i % 4, (i * 7 + 1) % 4, i % 3))
            .filter(|(a, b, _)| a != b)
            .collect::<Vec<_>>(),
    );
    let battles = build(&log);
    let s = bootstrap(100);
    let again = run(&battles, &s);
    assert_eq!(run(&battles, &s), again);
    let other = run(&battles, &RatingsSettings { seed: 7, ..s });
    assert_ne!(other.ratings, again.ratings);
}

#[test]
fn never_losing_model_is_reported_and_rated_with_a_prior() {
    let log = vec![(0, 1, 0), (0, 2, 0), (1, 2, 0), (2, 1, 0)];
    let battles = build(&log);
    let s = RatingsSettings { ci: CiMethod::None, ..RatingsSettings::default() };
    let err = rate(RatingsInput { battles: Some(&battles), pair_counts: None }, &s)
        .expect_err("no finite MLE");
    assert!(err.to_string().contains("never lost to the rest: m0"), "{err}");
    let with_prior = run(&battles, &RatingsSettings { prior_games: 1.0, ..s });
    let top = &with_prior.ratings[0];
    assert_eq!(top.model, "m0");
    assert!(top.rating.is_finite());
}

#[test]
fn unknown_winners_are_an_error_listing_each_value() {
    let mut b = BattleBuilder::new();
    for w in ["model_a", "draw", "draw", "model_b", "¯\\\\_(ツ)_/¯"] {
        b.push_json(format!(r#"{{"model_a":"x","model_b":"y","winner":"{w}"}}"#).as_bytes())
            .expect("json");
    }
    let battles = b.finish().0;
    let err = rate(
        RatingsInput { battles: Some(&battles), pair_counts: None },
        &RatingsSettings::default(),
    )
    .expect_err("unknown winners");
    let text = err.to_string();
    assert!(text.contains("\"draw\" ×2") && text.contains("×1"), "{text}");
}

#[test]
fn progress_is_reported_and_cancel_stops_the_bootstrap() {
    use benchlens_engine::ratings::{rate_with_progress, Method, RatingsError};
    let log = with_cycle(4, &[(0, 2, 0), (1, 3, 1), (2, 0, 2)]);
    let battles = build(&log);
    let input = RatingsInput { battles: Some(&battles), pair_counts: None };
    for method in [Method::Bt, Method::Elo] {
        let s = RatingsSettings { method, bootstrap_rounds: 40, ..RatingsSettings::default() };
        let mut seen = Vec::new();
        let done = rate_with_progress(input, &s, &mut |d, total| {
            seen.push((d, total));
            true
        });
        assert!(done.is_ok());
        assert_eq!(seen.len(), 40);
        assert_eq!(seen.last(), Some(&(39, 40)));
        let cancelled = rate_with_progress(input, &s, &mut |d, _| d < 10);
        assert_eq!(cancelled, Err(RatingsError::Cancelled));
    }
}

#[test]
fn presets_anchor_their_baselines_when_present() {
    let mut b = BattleBuilder::new();
    let names = ["llama-13b", "mixtral-8x7b-instruct-v0.1", "other"];
    for (i, (a, bb, w)) in
        [(0, 1, "model_b"), (1, 2, "model_a"), (2, 0, "model_a"), (0, 2, "tie"), (1, 0, "model_b")]
            .into_iter()
            .enumerate()
    {
        let rec = format!(
            r#"{{"model_a":"{}","model_b":"{}","winner":"{w}","tstamp":{i}}}"#,
            names[a], names[bb]
        );
        b.push_json(rec.as_bytes()).expect("valid");
    }
    let battles = b.finish().0;
    let none = RatingsSettings { ci: CiMethod::None, ..RatingsSettings::default() };
    let legacy = run(&battles, &RatingsSettings { legacy_l2: true, ..none.clone() });
    assert!((legacy.rating_of("llama-13b").expect("rated").rating - 800.0).abs() < 1e-9);
    let fastchat = run(&battles, &none.clone().with_fastchat_preset());
    assert!(
        (fastchat.rating_of("mixtral-8x7b-instruct-v0.1").expect("rated").rating - 1114.0).abs()
            < 1e-9
    );
    // Absent baseline: the preset changes nothing.
    let plain = run(&build(&with_cycle(3, &[])), &none);
    let preset = run(&build(&with_cycle(3, &[])), &none.with_fastchat_preset());
    assert_eq!(plain.ratings, preset.ratings);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Degenerate logs (one pair, only ties, models that never lose, tiny graphs) under every
    /// combination of settings: an answer or an error, never a panic.
    #[test]
    fn never_panics_on_degenerate_logs(
        triples in prop::collection::vec((0usize..4, 0usize..4, 0usize..4), 0..25),
        method in 0usize..2,
        ties in 0usize..3,
        ci in 0usize..3,
        legacy in any::<bool>(),
        style in any::<bool>(),
        prior in prop::sample::select(vec![0.0, 0.5]),
    ) {
        use benchlens_engine::ratings::{Method, TieRule};
        let battles = build(&triples);
        let s = RatingsSettings {
            method: [Method::Bt, Method::Elo][method],
            ties: [TieRule::Half, TieRule::Drop, TieRule::Davidson][ties],
            ci: [CiMethod::Bootstrap, CiMethod::Sandwich, CiMethod::None][ci],
            legacy_l2: legacy,
            style_control: style,
            prior_games: prior,
            bootstrap_rounds: 20,
            ..RatingsSettings::default()
        };
        if let Ok(result) = rate(RatingsInput { battles: Some(&battles), pair_counts: None }, &s) {
            for row in &result.ratings {
                prop_assert!(row.rating.is_finite());
            }
        }
    }
}
