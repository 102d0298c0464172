//! Chinchilla Approach 2 in the scaling view: when the table holds isoFLOP groups (several model
//! sizes trained at one compute budget), a parabola of loss in log10 N per group, its minimum, and
//! the power laws N_opt ∝ C^a and D_opt ∝ C^b through the minima, next to Approach 3's a and b.
//! On a table with losses that is not an isoFLOP grid, the panel says why there is no Approach 2.

use benchlens_engine::scaling::allocation::AllocationLaw;
use benchlens_engine::scaling::approach2::Approach2;
use leptos::prelude::*;

use crate::charts::xy::{si, LegendAt, XyAxis, XyPlot, XySeries};
use crate::charts::ChartCanvas;
use crate::charts::ChartSpec;
use crate::jobs::scaling::ScalingOutcome;

fn fixed(v: Option<f64>, decimals: usize) -> String {
    v.filter(|x| x.is_finite()).map_or_else(|| "—".to_owned(), |x| format!("{x:.decimals$}"))
}

fn big(v: Option<f64>) -> String {
    v.filter(|x| x.is_finite()).map_or_else(|| "—".to_owned(), si)
}

/// Loss against model size per isoFLOP group: the runs, each group's parabola, and its minimum.
pub fn isoflop_chart(o: &ScalingOutcome) -> Option<ChartSpec> {
    let a2 = o.approach2.as_ref()?;
    let fit = o.fit.as_ref();
    let mut series = Vec::new();
    for (g, group) in a2.groups.iter().enumerate() {
        let colour = g % 8;
        // The runs of this group: those whose 6ND lies within the grouping tolerance.
        let runs: Vec<(f64, f64)> = fit
            .map(|f| {
                f.points
                    .iter()
                    .filter(|p| {
                        let c = 6.0 * p.params * p.tokens;
                        (c / group.compute - 1.0).abs() < 0.05
                    })
                    .map(|p| (p.params, p.loss))
                    .collect()
            })
            .unwrap_or_default();
        let (lo, hi) = runs
            .iter()
            .map(|r| r.0.log10())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(x), b.max(x)));
        if lo.is_finite() && hi > lo {
            let [c0, c1, c2] = group.coefficients;
            let curve: Vec<(f64, f64)> = (0..=40)
                .map(|i| lo + (hi - lo) * f64::from(i) / 40.0)
                .map(|x| (10f64.powf(x), c0 + c1 * x + c2 * x * x))
                .collect();
            series.push(XySeries::Line {
                legend: None,
                colour,
                width: 1.5,
                opacity: 0.8,
                points: curve,
                end_label: Some(format!("C = {}", si(group.compute))),
                label_start: false,
            });
        }
        series.push(XySeries::Points {
            legend: None,
            colour,
            radius: 2.5,
            hollow: false,
            points: runs,
            labels: vec![],
        });
    }
    let minima: Vec<(f64, f64)> = a2
        .groups
        .iter()
        .filter(|g| g.within_range)
        .filter_map(|g| Some((g.n_opt?, g.loss_at_opt?)))
        .collect();
    if !minima.is_empty() {
        series.push(XySeries::Points {
            legend: Some("minimum of each parabola".into()),
            colour: 0,
            radius: 5.0,
            hollow: true,
            points: minima,
            labels: vec![],
        });
    }
    Some(ChartSpec::Xy(XyPlot {
        x: XyAxis::new("parameters N", true),
        y: XyAxis::new("loss", false),
        series,
        legend: LegendAt::UpperRight,
        width: 920,
        height: 440,
    }))
}

/// The exponents of both approaches.
fn exponents(a2: &Approach2, o: &ScalingOutcome) -> impl IntoView {
    let law3 =
        o.fit.as_ref().and_then(|f| f.allocation_law.or_else(|| AllocationLaw::of(&f.params)));
    let row = |key: &'static str, what: &'static str, two: Option<f64>, three: Option<f64>| {
        view! {
            <tr data-testid=format!("approach2-exponent-{key}")>
                <td>{what}</td>
                <td class="num" data-testid="approach2">
                    {fixed(two, 3)}
                </td>
                <td class="num" data-testid="approach3">
                    {fixed(three, 3)}
                </td>
            </tr>
        }
    };
    view! {
        <table class="data compact" data-testid="approach2-exponents">
            <thead>
                <tr>
                    <th>"exponent"</th>
                    <th>"Approach 2 (isoFLOP minima)"</th>
                    <th>"Approach 3 (fit above)"</th>
                </tr>
            </thead>
            <tbody>
                {row("a", "a: N_opt ∝ C^a", a2.a.map(|p| p.exponent), law3.map(|l| l.a))}
                {row("b", "b: D_opt ∝ C^b", a2.b.map(|p| p.exponent), law3.map(|l| l.b))}
            </tbody>
        </table>
    }
}

/// The Approach-2 panel (nothing when the table has no isoFLOP groups).
#[component]
pub fn Approach2Panel(
    /// The analysis.
    outcome: Signal<Option<ScalingOutcome>>,
) -> impl IntoView {
    let chart = Signal::derive(move || outcome.get().and_then(|o| isoflop_chart(&o)));
    move || {
        let o = outcome.get()?;
        if let (None, Some(why)) = (&o.approach2, &o.approach2_note) {
            return Some(view! {
                <div class="panel" data-testid="approach2-panel">
                    <h2>"Approach 2: isoFLOP profiles"</h2>
                    <p class="hint" data-testid="approach2-not-shown">
                        {format!("Not shown. {why}")}
                    </p>
                    <p class="caption">
                        "Approach 3 above uses every run wherever it sits, so it does not need a grid."
                    </p>
                </div>
            }.into_any());
        }
        let a2 = o.approach2.clone()?;
        let usable = a2.groups.iter().filter(|g| g.within_range).count();
        let rows = a2
            .groups
            .iter()
            .map(|g| {
                let tpp = match (g.n_opt, g.d_opt) {
                    (Some(n), Some(d)) if n > 0.0 => Some(d / n),
                    _ => None,
                };
                view! {
                    <tr data-testid="approach2-row" class:muted=!g.within_range>
                        <td class="num">{si(g.compute)}</td>
                        <td class="num">{g.runs}</td>
                        <td class="num" data-testid="n-opt">
                            {big(g.n_opt)}
                        </td>
                        <td class="num">{big(g.d_opt)}</td>
                        <td class="num">{fixed(tpp, 1)}</td>
                        <td class="num">{fixed(g.loss_at_opt, 4)}</td>
                        <td>
                            {g.note.clone().unwrap_or_else(|| "within the sizes run".to_owned())}
                        </td>
                    </tr>
                }
            })
            .collect_view();
        let caveat = (usable < 2).then(|| {
            view! {
                <p class="caption">
                    "Fewer than two groups have a minimum within their sizes: no power law through the minima."
                </p>
            }
        });
        Some(view! {
            <div class="panel" data-testid="approach2-panel">
                <h2>"Approach 2: isoFLOP profiles"</h2>
                <p class="caption">
                    "Runs whose 6ND lies within 2% form an isoFLOP group; each group with three or more sizes gets a parabola of loss in log10 N. Its minimum is the compute-optimal size at that budget, and a line through the minima (log–log) gives a and b (Hoffmann et al. 2022, §3.2). Greyed rows are extrapolated and left out of the line."
                </p>
                {exponents(&a2, &o)}
                {caveat}
                <table class="data compact" data-testid="approach2-groups">
                    <thead>
                        <tr>
                            <th>"compute C"</th>
                            <th>"runs"</th>
                            <th>"N_opt"</th>
                            <th>"D_opt"</th>
                            <th>"tokens/param"</th>
                            <th>"loss at N_opt"</th>
                            <th>"note"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
                <ChartCanvas
                    spec=chart
                    testid="chart-scaling-isoflop"
                    label="Loss against parameters for each isoFLOP group, with parabolas and their minima"
                />
            </div>
        }.into_any())
    }
}
