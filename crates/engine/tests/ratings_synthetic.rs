//! The synthetic arena has the effects it is there to show, and the analyses built for them
//! (subset comparison, per-language ranks, style control, monthly ratings) find them.

use benchlens_engine::ratings::compare::{compare, ranks_by_language};
use benchlens_engine::ratings::history::monthly;
use benchlens_engine::ratings::synthetic::{to_battles, SynthConfig};
use benchlens_engine::ratings::{rate, CiMethod, RatingsInput, RatingsSettings};

fn arena() -> (benchlens_engine::Battles, Vec<benchlens_engine::ratings::synthetic::SynthModel>) {
    to_battles(SynthConfig { n: 60_000, seed: 4 })
}

fn quick() -> RatingsSettings {
    RatingsSettings { ci: CiMethod::Sandwich, ..RatingsSettings::default() }
}

#[test]
fn keeping_only_english_visibly_changes_ranks() {
    let (battles, _) = arena();
    let mut english = quick();
    english.filters.languages = vec!["English".into()];
    let input = RatingsInput { battles: Some(&battles), pair_counts: None };
    let cmp = compare(input, &quick(), &english).expect("both rate");
    let moved = cmp.rows.iter().filter(|r| r.delta_rank.is_some_and(|d| d.abs() >= 3)).count();
    assert!(moved >= 5, "only {moved} models moved 3+ ranks");
    assert!(cmp.b.battles_used < cmp.a.battles_used);
    let overview =
        ranks_by_language(&battles, &RatingsSettings { ci: CiMethod::None, ..quick() }, &[], 2_000)
            .expect("per-language ranks");
    assert_eq!(overview.languages[0], "English");
    assert!(overview.languages.len() >= 5, "{:?}", overview.languages);
    assert_eq!(overview.ranks.len(), overview.models.len());
}

#[test]
fn verbose_models_gain_on_raw_bt_and_style_control_takes_it_back() {
    let (battles, models) = arena();
    let s =
        RatingsSettings { style_control: true, bootstrap_rounds: 20, ..RatingsSettings::default() };
    let result =
        rate(RatingsInput { battles: Some(&battles), pair_counts: None }, &s).expect("rates");
    let style = result.style.expect("style report");
    let tokens = &style.coefficients[0];
    assert_eq!(tokens.feature, "sum_assistant_tokens");
    assert!(tokens.lower.expect("interval") > 0.0, "length effect not found: {tokens:?}");
    // The rating that style control removes grows with a model's verbosity.
    let pairs: Vec<(f64, f64)> = style
        .rank_changes
        .iter()
        .map(|r| {
            let v = models.iter().find(|m| m.name == r.model).expect("known model").verbosity;
            (v, r.raw_rating - r.style_rating)
        })
        .collect();
    let n = pairs.len() as f64;
    let (mx, my) =
        (pairs.iter().map(|p| p.0).sum::<f64>() / n, pairs.iter().map(|p| p.1).sum::<f64>() / n);
    let cov: f64 = pairs.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let vx: f64 = pairs.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let vy: f64 = pairs.iter().map(|p| (p.1 - my).powi(2)).sum();
    let corr = cov / (vx * vy).sqrt();
    assert!(corr > 0.7, "verbosity vs style penalty correlation {corr}");
    assert!(style.rank_changes.iter().any(|r| r.rank_change != 0));
}

#[test]
fn bradley_terry_recovers_the_hidden_strengths() {
    let (battles, models) = arena();
    // English only and style-controlled: what remains is strength + the English offset.
    let mut s =
        RatingsSettings { style_control: true, ci: CiMethod::None, ..RatingsSettings::default() };
    s.filters.languages = vec!["English".into()];
    let result =
        rate(RatingsInput { battles: Some(&battles), pair_counts: None }, &s).expect("rates");
    let mut truth = Vec::new();
    let mut fitted = Vec::new();
    for m in &models {
        if let Some(r) = result.rating_of(&m.name) {
            truth.push(m.strength + m.language_offset[0]);
            fitted.push(r.rating);
        }
    }
    let n = truth.len() as f64;
    let (mt, mf) = (truth.iter().sum::<f64>() / n, fitted.iter().sum::<f64>() / n);
    let cov: f64 = truth.iter().zip(&fitted).map(|(t, f)| (t - mt) * (f - mf)).sum();
    let corr = cov
        / (truth.iter().map(|t| (t - mt).powi(2)).sum::<f64>()
            * fitted.iter().map(|f| (f - mf).powi(2)).sum::<f64>())
        .sqrt();
    assert!(corr > 0.97, "correlation with the truth {corr}");
}

#[test]
fn monthly_ratings_cover_the_timeline() {
    let (battles, _) = arena();
    let (months, warnings) = monthly(&battles, &RatingsSettings::default()).expect("monthly fits");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(months.first().map(|m| m.month.as_str()), Some("2023-05"));
    assert_eq!(months.last().map(|m| m.month.as_str()), Some("2024-05"));
    assert!(months.windows(2).all(|w| w[0].battles < w[1].battles));
    assert_eq!(months.last().map(|m| m.battles), Some(battles.len() as u64));
    // Models enter over time.
    assert!(months[0].ratings.len() < months.last().map_or(0, |m| m.ratings.len()));
}

#[test]
fn every_method_is_bit_identical_for_the_same_seed() {
    use benchlens_engine::ratings::{Method, TieRule};
    let (battles, _) = to_battles(SynthConfig { n: 3_000, seed: 8 });
    let input = RatingsInput { battles: Some(&battles), pair_counts: None };
    let base = RatingsSettings { bootstrap_rounds: 30, ..RatingsSettings::default() };
    for s in [
        RatingsSettings { style_control: true, ..base.clone() },
        RatingsSettings { method: Method::Elo, ..base.clone() },
        RatingsSettings { ties: TieRule::Davidson, ..base.clone() },
        RatingsSettings { legacy_l2: true, ..base.clone() },
    ] {
        let first = rate(input, &s).expect("rates");
        // Compared as JSON: the Elo trajectory holds NaN before a model's first battle.
        let json = |r: &benchlens_engine::ratings::RatingsResult| {
            serde_json::to_string(r).expect("serialises")
        };
        assert_eq!(json(&first), json(&rate(input, &s).expect("rates")));
        assert!(first.ratings.iter().all(|r| r.lower.is_some() && r.upper.is_some()));
    }
}
