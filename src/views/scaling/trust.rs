//! What the scaling view says about trusting the fit: the high-loss outliers that drag the law,
//! with the one-click refit without them, and the residual plot (each run's loss against the
//! fitted law, with the running median under Hoffmann et al.'s and Epoch AI's published laws), so
//! a misfit is seen, not just read as a flag code.

use benchlens_engine::scaling::objective::LawParams;
use benchlens_engine::scaling::ReferenceFit;
use benchlens_engine::sorting::stable_sort_by;
use leptos::prelude::*;

use super::ScalingViewState;
use crate::charts::xy::{si, LegendAt, XyAxis, XyPlot, XySeries};
use crate::charts::ChartSpec;
use crate::jobs::scaling::ScalingOutcome;

/// Log-spaced bins of the running median of a published law's residuals.
const MEDIAN_BINS: usize = 12;

/// Bins with fewer runs than this are left out of the running median (too noisy to draw).
const MIN_BIN_RUNS: usize = 3;

/// Published laws drawn for comparison: (reference, colour index).
pub const OVERLAID: [(ReferenceFit, usize); 2] =
    [(ReferenceFit::Hoffmann, 4), (ReferenceFit::Epoch, 2)];

/// ln L − ln L̂ in percent (≈ how far above the law a run's loss is).
fn excess_percent(loss: f64, predicted: f64) -> f64 {
    ((loss / predicted).ln()) * 100.0
}

/// Running median of `values` over log-spaced bins of `xs`, as (geometric bin centre, median).
fn running_median(pairs: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let (lo, hi) = pairs
        .iter()
        .filter(|p| p.0 > 0.0 && p.0.is_finite() && p.1.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p.0.ln()), b.max(p.0.ln())));
    if !(lo.is_finite() && hi > lo) {
        return Vec::new();
    }
    let width = (hi - lo) / MEDIAN_BINS as f64;
    let mut bins: Vec<Vec<f64>> = vec![Vec::new(); MEDIAN_BINS];
    for &(x, y) in pairs.iter().filter(|p| p.0 > 0.0 && p.1.is_finite()) {
        let k = (((x.ln() - lo) / width).floor().max(0.0) as usize).min(MEDIAN_BINS - 1);
        if let Some(b) = bins.get_mut(k) {
            b.push(y);
        }
    }
    bins.into_iter()
        .enumerate()
        .filter(|(_, b)| b.len() >= MIN_BIN_RUNS)
        .map(|(k, mut b)| {
            stable_sort_by(&mut b, f64::total_cmp);
            let m = b.len() / 2;
            let median = if b.len() % 2 == 1 {
                b.get(m).copied().unwrap_or(f64::NAN)
            } else {
                (b.get(m - 1).copied().unwrap_or(f64::NAN) + b.get(m).copied().unwrap_or(f64::NAN))
                    / 2.0
            };
            ((lo + width * (k as f64 + 0.5)).exp(), median)
        })
        .collect()
}

/// Residual plot: every run's loss above or below the fitted law against compute; flagged
/// outliers named; left-out runs hollow; running medians under the published laws.
pub fn residuals_chart(o: &ScalingOutcome) -> Option<ChartSpec> {
    let f = o.fit.as_ref()?;
    // Only outliers that moved the law are named (the same ones the flag and the callout show).
    let flagged: Vec<u64> = f
        .outliers
        .as_ref()
        .filter(|x| x.influential)
        .map(|x| x.points.iter().map(|p| p.line).collect())
        .unwrap_or_default();
    let res = |p: &benchlens_engine::scaling::law::FitPoint| (p.compute, -p.log_residual * 100.0);
    let typical: Vec<(f64, f64)> =
        f.points.iter().filter(|p| !p.dropped && !flagged.contains(&p.line)).map(res).collect();
    let out: Vec<&benchlens_engine::scaling::law::FitPoint> =
        f.points.iter().filter(|p| flagged.contains(&p.line)).collect();
    let dropped: Vec<(f64, f64)> = f.points.iter().filter(|p| p.dropped).map(res).collect();
    let (cmin, cmax) = f
        .points
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(a, b), p| (a.min(p.compute), b.max(p.compute)));
    if !(cmin.is_finite() && cmax > 0.0) {
        return None;
    }
    let mut series = vec![XySeries::Line {
        legend: None,
        colour: 5,
        width: 1.0,
        opacity: 0.8,
        points: vec![(cmin / 1.3, 0.0), (cmax * 1.3, 0.0)],
        end_label: None,
        label_start: false,
    }];
    for (reference, colour) in OVERLAID {
        let p: LawParams = reference.params();
        let pairs: Vec<(f64, f64)> = f
            .points
            .iter()
            .filter(|q| !q.dropped)
            .map(|q| (q.compute, excess_percent(q.loss, p.loss(q.params, q.tokens))))
            .collect();
        series.push(XySeries::Line {
            legend: Some(format!("median residual under {}", reference.label())),
            colour,
            width: 2.0,
            opacity: 0.9,
            points: running_median(&pairs),
            end_label: None,
            label_start: false,
        });
    }
    series.push(XySeries::Points {
        legend: Some(format!("runs, fitted law ({})", typical.len())),
        colour: 0,
        radius: 2.5,
        hollow: false,
        points: typical,
        labels: vec![],
    });
    if !dropped.is_empty() {
        series.push(XySeries::Points {
            legend: Some(format!("left out of the fit ({})", dropped.len())),
            colour: 3,
            radius: 3.5,
            hollow: true,
            points: dropped,
            labels: vec![],
        });
    }
    if !out.is_empty() {
        series.push(XySeries::Points {
            legend: Some(format!("high-loss outliers ({})", out.len())),
            colour: 3,
            radius: 4.5,
            hollow: false,
            points: out.iter().copied().map(res).collect(),
            labels: out.iter().map(|p| format!("line {}", p.line)).collect(),
        });
    }
    Some(ChartSpec::Xy(XyPlot {
        x: XyAxis::new("training compute C = 6ND (FLOPs)", true),
        y: XyAxis::new("loss above the law, ln(L / L̂) × 100 (%)", false),
        series,
        legend: LegendAt::UpperRight,
        width: 920,
        height: 380,
    }))
}

/// The outliers the fit flagged, what the law is without them, and the button that refits so.
#[component]
pub fn OutlierCallout(
    /// The analysis.
    outcome: Signal<Option<ScalingOutcome>>,
) -> impl IntoView {
    let vs = expect_context::<ScalingViewState>();
    move || {
        let o = outcome.get()?;
        let f = o.fit?;
        let left_out = f.settings.drop_top > 0;
        let back = left_out.then(|| {
            let n = f.points.iter().filter(|p| p.dropped).count();
            view! {
                <p class="meta" data-testid="scaling-left-out">
                    {format!("{n} point{} left out of this fit. ", if n == 1 { "" } else { "s" })}
                    <button
                        type="button"
                        data-testid="scaling-refit-all"
                        on:click=move |_| {
                            vs.fit.update(|s| s.drop_top = 0);
                        }
                    >
                        "Fit all points again"
                    </button>
                </p>
            }
        });
        let outliers = f.outliers.clone().filter(|x| x.influential).map(|x| {
            let r = x.refit;
            let rows = x
                .points
                .iter()
                .map(|p| {
                    view! {
                        <tr data-testid="scaling-outlier-point">
                            <td class="num">{p.line}</td>
                            <td>{p.name.clone()}</td>
                            <td class="num">{si(p.params)}</td>
                            <td class="num">{si(p.tokens)}</td>
                            <td class="num">{format!("{:.3}", p.loss)}</td>
                            <td class="num">{format!("{:.3}", p.predicted)}</td>
                            <td class="num">{format!("{:+.1}", p.z)}</td>
                        </tr>
                    }
                })
                .collect_view();
            let count = x.points.len();
            let drop_top = x.drop_top;
            let refit = move |_| vs.fit.update(|s| s.drop_top = drop_top);
            let how = format!("sets Drop top K = {drop_top}");
            view! {
                <div class="callout warn" role="alert" data-testid="scaling-outliers">
                    <p>
                        <strong>
                            {format!(
                                "{count} high-loss point{} pull the fit.",
                                if count == 1 { "" } else { "s" },
                            )}
                        </strong>
                        {format!(
                            " Their losses sit far above the fitted law (robust z from the residuals), and without them the law changes: E = {:.4}, A = {:.2}, B = {:.2}, α = {:.4}, β = {:.4} (Cook's distance of the group {:.1}).",
                            r.E,
                            r.A,
                            r.B,
                            r.alpha,
                            r.beta,
                            x.cook_distance,
                        )}
                    </p>
                    <table class="data compact">
                        <thead>
                            <tr>
                                <th class="num">"line"</th>
                                <th>"run"</th>
                                <th class="num">"N"</th>
                                <th class="num">"D"</th>
                                <th class="num">"loss"</th>
                                <th class="num">"law"</th>
                                <th class="num">"z"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <button
                        type="button"
                        class="primary"
                        data-testid="scaling-refit-without-outliers"
                        on:click=refit
                    >
                        {format!("Refit without these {count} ({how})")}
                    </button>
                </div>
            }
        });
        Some(view! {
            {outliers}
            {back}
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_median_bins_by_log_x() {
        let pairs: Vec<(f64, f64)> =
            (0..120).map(|i| (10f64.powf(18.0 + f64::from(i) / 40.0), f64::from(i % 3))).collect();
        let m = running_median(&pairs);
        assert_eq!(m.len(), MEDIAN_BINS);
        assert!(m.iter().all(|&(_, v)| v == 1.0), "{m:?}");
        assert!(m.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(running_median(&[(1.0, 1.0)]).is_empty());
    }
}
