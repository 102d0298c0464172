//! Right by default on Epoch AI's Chinchilla points (issue #17, items 2 and 3), on a fixture in the
//! exact shape of `svg_extracted_data.csv` (epoch-research/analyzing-chinchilla; see
//! `tests/fixtures/scaling/README.md`): the hex `color` column is not the name, the default fit
//! is flagged (B not identified, five high-loss points pulling the law), the flagged refit is the
//! Drop-top-5 fit and lands near Epoch AI's law, and Approach 2 is not run on scattered budgets.
//! Clean synthetic runs on an isoFLOP grid keep "no flags" and Approach 2.

mod scaling_support;

use benchlens_engine::scaling::report::analyse;
use benchlens_engine::scaling::{
    extract, fit_law, ColumnChoice, FitSettings, ReferenceFit, ScalingData, ScalingSettings,
};
use scaling_support::{fixture, table_from_csv};

fn chinchilla_points() -> ScalingData {
    extract(&table_from_csv(&fixture("chinchilla_svg_shape.csv")), &ColumnChoice::default())
        .expect("columns")
}

/// The page's and the CLI's defaults, with fewer bootstrap rounds to keep the test quick.
fn defaults() -> FitSettings {
    FitSettings { bootstrap: 200, ..FitSettings::default() }
}

fn codes(f: &benchlens_engine::scaling::LawFit) -> Vec<&str> {
    f.flags.iter().map(|f| f.code.as_str()).collect()
}

#[test]
fn colour_column_is_never_the_name() {
    let data = chinchilla_points();
    assert_eq!(data.columns.name, None, "`color` holds #rrggbb marker colours, not names");
    assert_eq!(data.columns.params.as_deref(), Some("Model Size"));
    assert_eq!(data.columns.compute.as_deref(), Some("Training FLOP"));
    assert_eq!(data.rows.len(), 245);
    assert_eq!(data.rows[0].name, "row 1");
    // A real name column still wins, and a column the user names is used as asked.
    let t = table_from_csv(&fixture("chinchilla_svg_shape.csv"));
    let chosen = ColumnChoice { name: Some("color".into()), ..ColumnChoice::default() };
    let data = extract(&t, &chosen).expect("columns");
    assert_eq!(data.rows[0].name, "#322347");
}

#[test]
fn default_fit_is_flagged_and_the_flagged_refit_is_drop_top_5() {
    let data = chinchilla_points();
    let fit = fit_law(&data, &defaults()).expect("fit");
    // The distorted default: β far above the 0.37 the law was drawn from, B's interval > 10×.
    assert!(fit.params.beta > 0.39, "β = {}", fit.params.beta);
    let b = fit.ci["B"];
    assert!(b[1] / b[0] > 10.0, "B interval {b:?}");
    let flags = codes(&fit);
    assert!(flags.contains(&"not_identified"), "{flags:?}");
    assert!(flags.contains(&"influential_outliers"), "{flags:?}");
    let message = &fit.flags.iter().find(|f| f.code == "not_identified").expect("flag").message;
    assert!(message.starts_with("B's 95% bootstrap interval"), "{message}");

    let out = fit.outliers.as_ref().expect("outliers");
    assert!(out.influential);
    assert_eq!(out.drop_top, 5);
    let lines: Vec<u64> = out.points.iter().map(|p| p.line).collect();
    assert_eq!(lines, vec![2, 3, 4, 5, 6], "the five undertrained runs, highest loss first");
    assert!(out.points.iter().all(|p| p.z > 3.5 && p.loss > p.predicted));
    assert!(out.cook_distance > 1.0, "{}", out.cook_distance);

    // One click: Drop top K = 5. Same points, same starts: exactly the refit the flag announced.
    let refit = fit_law(&data, &FitSettings { drop_top: 5, ..defaults() }).expect("refit");
    assert_eq!(refit.params, out.refit);
    assert_eq!(refit.points.iter().filter(|p| p.dropped).count(), 5);
    // Near the law the points were drawn from (Epoch AI's replication).
    let epoch = ReferenceFit::Epoch.params();
    let p = refit.params;
    assert!((p.E - epoch.E).abs() < 0.02, "E = {}", p.E);
    assert!((p.alpha - epoch.alpha).abs() < 0.01, "α = {}", p.alpha);
    assert!((p.beta - epoch.beta).abs() < 0.01, "β = {}", p.beta);
    assert!((p.A / epoch.A - 1.0).abs() < 0.1, "A = {}", p.A);
    assert!((p.B / epoch.B - 1.0).abs() < 0.05, "B = {}", p.B);
    // …and the refit is trusted: nothing left pulling it, every interval within 10×.
    assert!(refit.flags.is_empty(), "{:?}", refit.flags);
    assert!(refit.outliers.as_ref().is_none_or(|o| !o.influential));
}

#[test]
fn approach2_is_not_run_on_scattered_budgets() {
    let t = table_from_csv(&fixture("chinchilla_svg_shape.csv"));
    let settings = ScalingSettings {
        fit: FitSettings { bootstrap: 0, ..FitSettings::default() },
        ..ScalingSettings::default()
    };
    let r = analyse(&t, &settings, &mut |_, _| true).expect("report");
    assert!(r.approach2.is_none());
    let why = r.approach2_note.expect("a reason");
    assert!(why.contains("isoFLOP groups"), "{why}");
    assert!(why.contains("of 245 runs"), "{why}");
    // The same engine call on a real isoFLOP grid (9 budgets × ~28 sizes) runs Approach 2.
    let grid = table_from_csv(&fixture("runs_epoch250.csv"));
    let r = analyse(&grid, &settings, &mut |_, _| true).expect("report");
    let a2 = r.approach2.expect("isoFLOP grid");
    assert!(a2.not_a_grid.is_none());
    assert!(a2.groups.iter().all(|g| g.size_span >= 3.0));
    assert!(r.approach2_note.is_none());
}

#[test]
fn clean_grid_has_no_flags() {
    let grid = extract(&table_from_csv(&fixture("runs_epoch250.csv")), &ColumnChoice::default())
        .expect("columns");
    let fit = fit_law(&grid, &defaults()).expect("fit");
    assert!(fit.flags.is_empty(), "{:?}", fit.flags);
    assert!(fit.outliers.as_ref().is_none_or(|o| !o.influential));
}
