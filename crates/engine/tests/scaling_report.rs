//! `scaling::analyse`, the one call behind the scaling view and `benchlens scaling fit`: which
//! parts appear for which tables, and that they agree with the separate analyses.

mod scaling_support;

use benchlens_engine::scaling::synthetic::{generate, SyntheticSpec};
use benchlens_engine::scaling::{
    analyse, extract, fit_law, ColumnChoice, FitSettings, ScalingSettings,
};
use scaling_support::{runs_table, shared, table_from_csv};

#[test]
fn runs_table_gets_law_approach2_models_and_inference() {
    let runs = generate(&SyntheticSpec { n: 120, seed: 8, ..SyntheticSpec::default() });
    let table = runs_table(&runs);
    let settings = ScalingSettings {
        fit: FitSettings { bootstrap: 25, seed: 2, ..FitSettings::default() },
        target_loss: Some(2.3),
        ..ScalingSettings::default()
    };
    let r = analyse(&table, &settings, &mut |_, _| true).expect("report");
    let law = r.law.as_ref().expect("law fitted");
    let direct =
        fit_law(&extract(&table, &ColumnChoice::default()).expect("columns"), &settings.fit)
            .expect("fit");
    assert_eq!(law, &direct, "same settings, same fit");
    assert!(r.score_trend.is_none() && r.score_error.is_none());
    let a2 = r.approach2.as_ref().expect("isoFLOP groups");
    assert_eq!(a2.groups.len(), 9);
    assert_eq!(r.models.fits[0].id, "fit");
    assert_eq!(r.models.fits.len(), 4);
    assert!(r.models.models[0].fits[0].over_training_ci.is_some(), "intervals from the bootstrap");
    let inf = r.inference.as_ref().expect("inference curve");
    assert_eq!(inf.len(), 8);
    assert!(inf[7].params < inf[0].params);
    // A target below the fitted E is unreachable: the report says why instead of failing.
    let low = ScalingSettings { target_loss: Some(0.5), ..settings };
    let r = analyse(&table, &low, &mut |_, _| true).expect("report");
    assert!(r.inference.is_none());
    assert!(r.inference_error.as_deref().is_some_and(|e| e.contains("irreducible")));
}

#[test]
fn models_table_gets_trend_and_published_laws_only() {
    let table = table_from_csv(&shared("models/models.csv"));
    let r = analyse(&table, &ScalingSettings::default(), &mut |_, _| true).expect("report");
    assert!(r.law.is_none() && r.law_error.is_none());
    assert!(r.approach2.is_none());
    assert_eq!(r.models.fits.len(), 3);
    assert_eq!(r.off_compute.len(), 5);
    let trend = r.score_trend.as_ref().expect("trend");
    assert!(trend.outliers.contains(&"Phi-3-mini".to_string()));
}

#[test]
fn a_table_with_neither_loss_nor_score_is_an_error() {
    let t = scaling_support::table(&["model", "params", "tokens"], &[]);
    let err =
        analyse(&t, &ScalingSettings::default(), &mut |_, _| true).expect_err("nothing to do");
    assert!(err.to_string().contains("model, params, tokens"), "{err}");
}
