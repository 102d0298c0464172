//! Per-battle weights (`RatingsSettings::weights`): weights of 1 change nothing, to the bit, in
//! every method; an integer weight is the battle repeated for the likelihood fits; the weighted
//! bootstrap does not depend on the thread count; and the weight column reads the same through
//! the fast JSON scanner, serde, and a file cut into segments.

use benchlens_engine::battles::BattleBuilder;
use benchlens_engine::ratings::{
    rate, CiMethod, Method, RatingsInput, RatingsResult, RatingsSettings, TieRule,
};
use benchlens_engine::Battles;

const WINNERS: [&str; 4] = ["model_a", "model_b", "tie", "tie (bothbad)"];

/// A seeded log over five models with style metadata and a weight field `w(i)`.
fn log(w: impl Fn(usize) -> Option<f64>, repeat: impl Fn(usize) -> usize) -> Battles {
    let mut b = BattleBuilder::new();
    let mut state = 7u64;
    let mut next = || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    for i in 0..240 {
        let (a, mut bb) = (next() % 5, next() % 5);
        if a == bb {
            bb = (a + 1) % 5;
        }
        let winner = WINNERS[if i < 5 { 0 } else { next() % 4 }];
        let (a, bb) = if i < 5 { (i, (i + 1) % 5) } else { (a, bb) };
        let weight = w(i).map(|x| format!(r#","w":{x}"#)).unwrap_or_default();
        let rec = format!(
            r#"{{"model_a":"m{a}","model_b":"m{bb}","winner":"{winner}","tstamp":{}{weight},"conv_metadata":{{"sum_assistant_a_tokens":{},"sum_assistant_b_tokens":{},"header_count_a":{{"h1":{}}},"header_count_b":{{"h1":0}},"list_count_a":{{"ordered":1}},"list_count_b":{{"ordered":{}}},"bold_count_a":{{"**":0}},"bold_count_b":{{"**":{}}}}}}}"#,
            1_700_000_000 + i,
            next() % 500,
            next() % 500,
            next() % 3,
            next() % 2,
            next() % 4
        );
        for _ in 0..repeat(i) {
            b.push_json(rec.as_bytes()).expect("valid record");
        }
    }
    b.finish().0
}

fn run(battles: &Battles, s: &RatingsSettings) -> RatingsResult {
    rate(RatingsInput { battles: Some(battles), pair_counts: None }, s).expect("rates")
}

fn methods() -> Vec<RatingsSettings> {
    let base = RatingsSettings { bootstrap_rounds: 30, ..RatingsSettings::default() };
    vec![
        base.clone(),
        RatingsSettings { ci: CiMethod::Sandwich, ..base.clone() },
        RatingsSettings { ties: TieRule::Davidson, ..base.clone() },
        RatingsSettings { ties: TieRule::Drop, ci: CiMethod::Sandwich, ..base.clone() },
        RatingsSettings { method: Method::Elo, ..base.clone() },
        RatingsSettings { style_control: true, ..base.clone() },
        RatingsSettings { style_control: true, ci: CiMethod::Sandwich, ..base.clone() },
        RatingsSettings { legacy_l2: true, ci: CiMethod::None, ..base },
    ]
}

#[test]
fn weights_of_one_change_nothing_to_the_bit() {
    let battles = log(|_| Some(1.0), |_| 1);
    for s in methods() {
        let plain = run(&battles, &s);
        let weighted_settings = RatingsSettings { weights: Some("w".into()), ..s.clone() };
        let mut weighted = run(&battles, &weighted_settings);
        assert_eq!(weighted.weights.take().as_deref(), Some("w"));
        assert_eq!(
            serde_json::to_string(&weighted).expect("serialises"),
            serde_json::to_string(&plain).expect("serialises"),
            "{s:?}"
        );
    }
}

#[test]
fn an_integer_weight_is_the_battle_repeated_for_the_fits() {
    let weight = |i: usize| if i.is_multiple_of(3) { 3 } else { 1 };
    let weighted = log(|i| Some(weight(i) as f64), |_| 1);
    let repeated = log(|_| None, weight);
    for ties in [TieRule::Half, TieRule::Davidson] {
        let s = RatingsSettings { ci: CiMethod::None, ties, ..RatingsSettings::default() };
        let a = run(&weighted, &RatingsSettings { weights: Some("w".into()), ..s.clone() });
        let b = run(&repeated, &s);
        for (x, y) in a.ratings.iter().zip(&b.ratings) {
            assert_eq!(x.model, y.model);
            assert!((x.rating - y.rating).abs() < 1e-6, "{ties:?} {}: {x:?} vs {y:?}", x.model);
        }
        for (x, y) in a.pairs.iter().zip(&b.pairs) {
            let w = x.weighted.expect("weighted tallies");
            assert_eq!(w, [y.wins_a as f64, y.wins_b as f64, y.ties as f64]);
        }
    }
}

#[test]
fn weighted_bootstrap_is_the_same_on_any_number_of_threads() {
    let battles = log(|i| Some(0.25 + (i % 7) as f64 * 0.5), |_| 1);
    for method in [Method::Bt, Method::Elo] {
        let s = RatingsSettings {
            method,
            bootstrap_rounds: 40,
            weights: Some("w".into()),
            ..RatingsSettings::default()
        };
        let one = run(&battles, &RatingsSettings { threads: 1, ..s.clone() });
        let three = run(&battles, &RatingsSettings { threads: 3, ..s.clone() });
        // Debug text: NaN history entries are unequal to themselves under `==`.
        assert!(format!("{one:?}") == format!("{three:?}"), "{method:?}: threads changed it");
        let plain = run(&battles, &RatingsSettings { weights: None, ..s });
        assert_ne!(one.ratings, plain.ratings, "{method:?}: the weights must matter");
    }
}

#[test]
fn unusable_weights_are_skipped_and_counted() {
    let battles = log(
        |i| {
            if i == 10 {
                None
            } else if i == 11 {
                Some(-2.0)
            } else {
                Some(1.5)
            }
        },
        |_| 1,
    );
    let s = RatingsSettings {
        ci: CiMethod::None,
        weights: Some("w".into()),
        ..RatingsSettings::default()
    };
    let r = run(&battles, &s);
    assert_eq!(r.battles_used, 238);
    let note = r.warnings.iter().find(|w| w.contains("2 rows skipped")).expect("skip warning");
    assert!(note.contains("record 11: missing"), "{note}");
}

#[test]
fn fast_scanner_serde_and_segments_read_the_same_weights() {
    let records = [
        r#"{"model_a":"x","model_b":"y","winner":"tie","w":2.5,"score":-1}"#,
        r#"{"model_a":"y","model_b":"x","winner":"model_a","w":"heavy"}"#,
        r#"{"model_a":"x","model_b":"z","winner":"model_b","w":1e0,"w2":7}"#,
        // An escaped key sends the record to serde.
        r#"{"model_\u0061":"z","model_b":"y","winner":"model_a","w":0.5}"#,
    ];
    let mut one = BattleBuilder::new();
    for (i, r) in records.iter().enumerate() {
        one.at_line(i as u64 + 1).push_json(r.as_bytes()).expect("valid");
    }
    let mut first = BattleBuilder::new();
    let mut second = BattleBuilder::new();
    for (i, r) in records.iter().enumerate() {
        let (b, line) = if i < 2 { (&mut first, i + 1) } else { (&mut second, i - 1) };
        b.at_line(line as u64).push_json(r.as_bytes()).expect("valid");
    }
    second.shift_positions(2);
    first.absorb(second);
    let (whole, _) = one.finish();
    let (joined, _) = first.finish();
    assert!(format!("{:?}", whole.numeric) == format!("{:?}", joined.numeric));
    let names: Vec<&str> = whole.numeric.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["score", "w", "w2"]);
    let w = &whole.numeric[1];
    assert_eq!(w.values[0], 2.5);
    assert!(w.values[1].is_nan());
    assert_eq!(&w.values[2..], &[1.0, 0.5]);
    assert_eq!(
        w.first_invalid.as_ref().map(ToString::to_string).as_deref(),
        Some("line 2: missing")
    );
    let w2 = &whole.numeric[2];
    assert_eq!(
        w2.first_invalid.as_ref().map(ToString::to_string).as_deref(),
        Some("line 1: missing")
    );
    let score = &whole.numeric[0];
    assert_eq!(
        score.first_invalid.as_ref().map(ToString::to_string).as_deref(),
        Some("line 1: -1")
    );
}
