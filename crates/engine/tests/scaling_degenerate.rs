//! Degenerate and hostile input: tiny tables, non-numbers, NaN/inf/zero/negative values, laws the
//! data cannot support. Nothing may panic; errors and warnings name the row and column; flags fire.

mod scaling_support;

use benchlens_engine::scaling::approach2::approach2;
use benchlens_engine::scaling::models::{models_table, FitChoice};
use benchlens_engine::scaling::score_trend::{fit_score_trend, ScoreTrendSettings};
use benchlens_engine::scaling::synthetic::{generate, SyntheticSpec};
use benchlens_engine::scaling::{
    extract, fit_law, ColumnChoice, FitSettings, LawParams, LossKind, ReferenceFit, ScalingError,
};
use proptest::prelude::*;
use scaling_support::{runs_table, table};

fn rows(cells: &[[&str; 4]]) -> Vec<Vec<String>> {
    cells.iter().map(|r| r.iter().map(|s| s.to_string()).collect()).collect()
}

fn quick() -> FitSettings {
    FitSettings { bootstrap: 0, ..FitSettings::default() }
}

#[test]
fn two_rows_is_an_error_not_a_panic() {
    let t = table(
        &["model", "params", "tokens", "loss"],
        &rows(&[["a", "1B", "20B", "2.5"], ["b", "2B", "40B", "2.4"]]),
    );
    let data = extract(&t, &ColumnChoice::default()).expect("columns");
    let err = fit_law(&data, &quick()).expect_err("too few");
    assert!(matches!(err, ScalingError::TooFewPoints { usable: 2, .. }), "{err}");
    assert!(err.to_string().contains("rows with parameters, tokens and a loss: 2;"), "{err}");
    // The other analyses also refuse politely.
    assert!(fit_score_trend(&data, &ScoreTrendSettings::default()).is_err());
    assert!(approach2(&data).groups.is_empty());
    let m = models_table(&data, &[FitChoice::reference(ReferenceFit::Epoch)]);
    assert_eq!(m.models.len(), 2);
}

#[test]
fn bad_values_are_skipped_with_line_and_column() {
    let t = table(
        &["model", "params", "tokens", "loss"],
        &rows(&[
            ["ok1", "1B", "20B", "2.5"],
            ["nan", "NaN", "20B", "2.5"],
            ["inf", "1B", "inf", "2.5"],
            ["zero", "0", "20B", "2.5"],
            ["neg", "1B", "20B", "-2.5"],
            ["text", "big", "20B", "2.5"],
            ["ok2", "2B", "40B", "2.4"],
        ]),
    );
    let data = extract(&t, &ColumnChoice::default()).expect("columns");
    assert_eq!(data.rows.len(), 2);
    let find = |line: u64| {
        data.warnings
            .iter()
            .find(|w| w.line == Some(line))
            .unwrap_or_else(|| panic!("no warning for line {line}: {:?}", data.warnings))
    };
    assert_eq!(find(3).field.as_deref(), Some("params"));
    assert!(find(3).message.contains("not finite"));
    assert_eq!(find(4).field.as_deref(), Some("tokens"));
    assert_eq!(find(5).field.as_deref(), Some("params"));
    assert!(find(5).message.contains("positive"));
    assert_eq!(find(6).field.as_deref(), Some("loss"));
    assert_eq!(find(7).field.as_deref(), Some("params"));
    assert!(find(7).message.contains("not a number"));
    // The too-few-points error repeats where the rows went.
    let err = fit_law(&data, &quick()).expect_err("too few");
    assert!(err.to_string().contains("line 3, column `params`"), "{err}");
}

#[test]
fn settings_and_columns_are_checked() {
    let runs = generate(&SyntheticSpec { n: 40, seed: 2, ..SyntheticSpec::default() });
    let data = extract(&runs_table(&runs), &ColumnChoice::default()).expect("columns");
    let bad = FitSettings { loss: LossKind::Huber { delta: -1.0 }, ..quick() };
    assert!(matches!(fit_law(&data, &bad), Err(ScalingError::BadDelta(_))));
    let nan = FitSettings { loss: LossKind::Huber { delta: f64::NAN }, ..quick() };
    assert!(fit_law(&data, &nan).is_err());
    let too_many = FitSettings { drop_top: 38, ..quick() };
    assert!(matches!(fit_law(&data, &too_many), Err(ScalingError::DropTooMany { .. })));
    let choice = ColumnChoice { loss: Some("val_loss".into()), ..Default::default() };
    let err = extract(&runs_table(&runs), &choice).expect_err("no such column");
    assert!(err.to_string().contains("`val_loss`"), "{err}");
    let t = table(&["model", "params", "tokens"], &[]);
    let data = extract(&t, &ColumnChoice::default()).expect("columns");
    assert!(matches!(fit_law(&data, &quick()), Err(ScalingError::NoLossColumn { .. })));
}

#[test]
fn drop_top_drops_the_highest_losses() {
    let runs = generate(&SyntheticSpec { n: 60, seed: 3, ..SyntheticSpec::default() });
    let data = extract(&runs_table(&runs), &ColumnChoice::default()).expect("columns");
    let fit = fit_law(&data, &FitSettings { drop_top: 5, ..quick() }).expect("fit");
    assert_eq!(fit.n_points, 55);
    let dropped_min =
        fit.points.iter().filter(|p| p.dropped).map(|p| p.loss).fold(f64::INFINITY, f64::min);
    let kept_max = fit.points.iter().filter(|p| !p.dropped).map(|p| p.loss).fold(0.0, f64::max);
    assert!(dropped_min >= kept_max);
}

fn fit_law_of(law: LawParams, n: usize, noise: f64) -> benchlens_engine::scaling::LawFit {
    let runs = generate(&SyntheticSpec { law, n, noise, seed: 9, ..SyntheticSpec::default() });
    let data = extract(&runs_table(&runs), &ColumnChoice::default()).expect("columns");
    fit_law(&data, &quick()).expect("fit")
}

fn codes(f: &benchlens_engine::scaling::LawFit) -> Vec<String> {
    f.flags.iter().map(|f| f.code.clone()).collect()
}

#[test]
fn flags_fire_on_degenerate_fits() {
    // Too few points for five parameters.
    let f = fit_law_of(ReferenceFit::Epoch.params(), 9, 0.01);
    assert!(codes(&f).contains(&"too_few_points".to_string()), "{:?}", codes(&f));
    // A steep parameter exponent.
    let steep = LawParams { E: 1.8, A: 3e14, B: 2085.43, alpha: 1.8, beta: 0.3659 };
    let f = fit_law_of(steep, 250, 0.002);
    assert!(
        codes(&f).contains(&"exponent_above_1_5".to_string()),
        "{:?} {:?}",
        codes(&f),
        f.params
    );
    // No data dependence at all: the B/D^beta term must vanish or sit at a bound.
    let no_data_term = LawParams { E: 1.8, A: 482.01, B: 1e-30, alpha: 0.3478, beta: 0.3659 };
    let f = fit_law_of(no_data_term, 250, 0.001);
    let c = codes(&f);
    assert!(
        c.contains(&"term_vanishes".to_string()) || c.contains(&"at_bound".to_string()),
        "{c:?} {:?}",
        f.params
    );
    // No irreducible loss: E goes to its bound.
    let no_e = LawParams { E: 1e-9, A: 482.01, B: 2085.43, alpha: 0.3478, beta: 0.3659 };
    let f = fit_law_of(no_e, 250, 0.0);
    assert!(codes(&f).contains(&"at_bound".to_string()), "{:?} {:?}", codes(&f), f.params);
    // A healthy fit raises none.
    let f = fit_law_of(ReferenceFit::Epoch.params(), 250, 0.01);
    assert!(f.flags.is_empty(), "{:?}", f.flags);
}

#[test]
fn lower_bound_tokens_are_marked_and_flagged() {
    let mut cells: Vec<Vec<String>> = Vec::new();
    let law = ReferenceFit::Epoch.params();
    for i in 0..20 {
        let n = 1e8 * 1.5f64.powi(i);
        let d = 20.0 * n;
        let tokens = if i == 0 { format!("{}B+", d / 1e9) } else { format!("{d:e}") };
        cells.push(vec![format!("m{i}"), format!("{n:e}"), tokens, format!("{}", law.loss(n, d))]);
    }
    let data =
        extract(&table(&["model", "params", "tokens", "loss"], &cells), &ColumnChoice::default())
            .expect("columns");
    assert!(data.rows[0].tokens_lower_bound);
    assert!(!data.rows[1].tokens_lower_bound);
    let fit = fit_law(&data, &quick()).expect("fit");
    assert!(codes(&fit).contains(&"lower_bound_tokens".to_string()));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn arbitrary_cells_never_panic(
        cells in prop::collection::vec(
            prop::collection::vec(
                prop_oneof![
                    Just(String::new()),
                    Just("NaN".to_string()),
                    Just("-inf".to_string()),
                    Just("0".to_string()),
                    Just("1e308".to_string()),
                    Just("1e-308".to_string()),
                    Just("15T+".to_string()),
                    "[0-9]{1,3}(\\.[0-9])?[kMBT]?",
                    "\\PC{0,6}",
                ],
                5,
            ),
            0..14,
        )
    ) {
        let t = table(&["model", "params", "tokens", "loss", "mmlu"], &cells);
        if let Ok(data) = extract(&t, &ColumnChoice::default()) {
            let settings = FitSettings { bootstrap: 3, ..FitSettings::default() };
            if let Ok(fit) = fit_law(&data, &settings) {
                prop_assert!(fit.objective.is_finite());
            }
            let _ = fit_score_trend(&data, &ScoreTrendSettings::default());
            let _ = approach2(&data);
            let _ = models_table(&data, &[FitChoice::reference(ReferenceFit::Hoffmann)]);
        }
    }
}
