//! Synthetic recovery: runs drawn from a known law plus noise are fitted back within tolerance,
//! for several parameter sets, with both start strategies; bootstrap intervals cover the truth.

mod scaling_support;

use benchlens_engine::scaling::synthetic::{generate, SyntheticSpec};
use benchlens_engine::scaling::{
    extract, fit_law, ColumnChoice, FitSettings, LawParams, StartMode,
};
use scaling_support::runs_table;

fn laws() -> Vec<LawParams> {
    vec![
        // Epoch AI's replication.
        LawParams { E: 1.8169, A: 482.01, B: 2085.43, alpha: 0.3478, beta: 0.3659 },
        // Hoffmann et al. 2022 (rounded).
        LawParams { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 },
        // Unequal exponents, data-heavy law.
        LawParams { E: 2.2, A: 1500.0, B: 300.0, alpha: 0.45, beta: 0.22 },
    ]
}

fn fit(
    law: LawParams,
    noise: f64,
    seed: u64,
    settings: &FitSettings,
) -> benchlens_engine::scaling::LawFit {
    let runs = generate(&SyntheticSpec { law, n: 250, noise, seed, ..SyntheticSpec::default() });
    let data = extract(&runs_table(&runs), &ColumnChoice::default()).expect("columns");
    fit_law(&data, settings).expect("fit")
}

#[test]
fn noiseless_runs_are_recovered_exactly() {
    let settings = FitSettings { bootstrap: 0, ..FitSettings::default() };
    for law in laws() {
        let f = fit(law, 0.0, 1, &settings);
        let p = f.params;
        for (got, want) in
            [(p.E, law.E), (p.A, law.A), (p.B, law.B), (p.alpha, law.alpha), (p.beta, law.beta)]
        {
            assert!((got / want - 1.0).abs() < 1e-4, "{p:?} vs {law:?}");
        }
        assert!(f.objective < 1e-12, "{}", f.objective);
        assert!(f.flags.is_empty(), "{:?}", f.flags);
    }
}

#[test]
fn noisy_runs_are_recovered_within_tolerance() {
    let settings = FitSettings { bootstrap: 0, ..FitSettings::default() };
    for (i, law) in laws().into_iter().enumerate() {
        for seed in [3u64, 4] {
            let f = fit(law, 0.01, seed + 10 * i as u64, &settings);
            let p = f.params;
            assert!((p.E / law.E - 1.0).abs() < 0.03, "E {p:?} vs {law:?}");
            assert!((p.alpha - law.alpha).abs() < 0.06, "alpha {p:?} vs {law:?}");
            assert!((p.beta - law.beta).abs() < 0.06, "beta {p:?} vs {law:?}");
            // A and B trade off against the exponents; the allocation exponent is what matters.
            let a_true = law.beta / (law.alpha + law.beta);
            let a_fit = p.beta / (p.alpha + p.beta);
            assert!((a_fit - a_true).abs() < 0.05, "a {a_fit} vs {a_true}");
        }
    }
}

#[test]
fn full_grid_and_varpro_reach_the_same_optimum() {
    let law = laws()[0];
    let v = fit(law, 0.01, 7, &FitSettings { bootstrap: 0, ..FitSettings::default() });
    let g = fit(
        law,
        0.01,
        7,
        &FitSettings { bootstrap: 0, starts: StartMode::FullGrid, ..FitSettings::default() },
    );
    assert_eq!(g.starts, 4500);
    assert!(
        v.objective <= g.objective * (1.0 + 1e-9),
        "varpro {} vs grid {}",
        v.objective,
        g.objective
    );
    assert!(
        (v.objective / g.objective - 1.0).abs() < 1e-6,
        "varpro {} vs grid {}",
        v.objective,
        g.objective
    );
    assert!((v.params.alpha - g.params.alpha).abs() < 1e-4);
}

#[test]
fn bootstrap_intervals_cover_the_truth_and_are_reproducible() {
    let law = laws()[0];
    let settings = FitSettings { bootstrap: 200, seed: 5, ..FitSettings::default() };
    let f = fit(law, 0.01, 11, &settings);
    assert_eq!(f.bootstrap_rounds, 200);
    for (k, truth) in [("E", law.E), ("alpha", law.alpha), ("beta", law.beta)] {
        let [lo, hi] = f.ci[k];
        assert!(lo <= f.params_value(k) && f.params_value(k) <= hi, "{k}: {lo}..{hi}");
        // A 95 % interval misses the truth 5 % of the time; an interval that misses it by more
        // than its own width would be a real miscalibration.
        let width = hi - lo;
        assert!(width > 0.0, "{k}: empty interval");
        assert!(
            lo - width <= truth && truth <= hi + width,
            "{k}: truth {truth} far outside {lo}..{hi}"
        );
    }
    for row in &f.allocation {
        let [lo, hi] = row.tokens_per_param_ci.expect("band");
        assert!(
            lo <= row.tokens_per_param * (1.0 + 1e-9) && row.tokens_per_param <= hi * (1.0 + 1e-9)
        );
    }
    let again = fit(law, 0.01, 11, &settings);
    assert_eq!(f.ci, again.ci, "same seed, same intervals");
}

#[test]
fn bootstrap_reports_progress_and_can_be_cancelled() {
    let runs = generate(&SyntheticSpec { n: 80, seed: 12, ..SyntheticSpec::default() });
    let data = extract(&runs_table(&runs), &ColumnChoice::default()).expect("columns");
    let settings = FitSettings { bootstrap: 50, ..FitSettings::default() };
    let mut seen = Vec::new();
    let fit =
        benchlens_engine::scaling::law::fit_law_with_progress(&data, &settings, &mut |d, t| {
            seen.push((d, t));
            d < 10
        })
        .expect("fit");
    assert_eq!(seen.len(), 10);
    assert_eq!(seen[0], (1, 50));
    assert_eq!(fit.bootstrap_rounds, 10);
    assert_eq!(fit.bootstrap_thetas.len() + fit.bootstrap_failed, 10);
    // The first 10 rounds of a full run are the same draws: cancelling loses nothing done.
    let full = fit_law(&data, &settings).expect("fit");
    assert_eq!(&full.bootstrap_thetas[..10], &fit.bootstrap_thetas[..]);
}

#[test]
fn l1_and_l2_losses_also_recover_the_law() {
    let law = laws()[1];
    for loss in [benchlens_engine::scaling::LossKind::L1, benchlens_engine::scaling::LossKind::L2] {
        let f = fit(law, 0.005, 21, &FitSettings { loss, bootstrap: 0, ..FitSettings::default() });
        let p = f.params;
        assert!((p.E / law.E - 1.0).abs() < 0.03, "{loss:?} {p:?}");
        assert!((p.alpha - law.alpha).abs() < 0.05, "{loss:?} {p:?}");
        assert!((p.beta - law.beta).abs() < 0.05, "{loss:?} {p:?}");
    }
}

#[test]
fn score_trend_on_a_unit_scale_without_chance_floor() {
    use benchlens_engine::scaling::score_trend::{curve, fit_score_trend, ScoreTrendSettings};
    // Accuracy on a 0–1 scale following a known sigmoid in log10 compute, one planted outlier.
    let (k, x0) = (1.2, 22.0);
    let mut rows = Vec::new();
    for i in 0..30 {
        let n = 1e8 * 1.35f64.powi(i);
        let d = 20.0 * n;
        let x = (6.0 * n * d).log10();
        let wiggle = 0.01 * ((i * 7 % 5) as f64 - 2.0);
        let mut s = curve(0.0, 1.0, k, x0, x) + wiggle;
        if i == 15 {
            s += 0.3;
        }
        rows.push(vec![format!("m{i}"), format!("{n:e}"), format!("{d:e}"), format!("{s}")]);
    }
    let t = scaling_support::table(&["model", "params", "tokens", "accuracy"], &rows);
    let data = extract(&t, &ColumnChoice::default()).expect("columns");
    let trend = fit_score_trend(&data, &ScoreTrendSettings::default()).expect("trend");
    assert_eq!((trend.floor, trend.ceiling), (0.0, 1.0));
    assert!((trend.k / k - 1.0).abs() < 0.1, "{}", trend.k);
    assert!((trend.x0 - x0).abs() < 0.1, "{}", trend.x0);
    assert_eq!(trend.outliers, vec!["m15".to_string()]);
}
