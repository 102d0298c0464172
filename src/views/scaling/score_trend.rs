//! The scaling view's downstream-score part: the fitted sigmoid of score against compute in
//! one sentence, and the models whose score is far off that trend.

use super::tables::sig;
use crate::jobs::scaling::ScalingOutcome;
use crate::views::table::{DataTable, NumCell};
use benchlens_engine::sorting::stable_sort_by;
use leptos::prelude::*;

/// The fitted sigmoid in one sentence.
#[component]
pub fn TrendSummary(
    /// The analysis.
    outcome: Signal<Option<ScalingOutcome>>,
) -> impl IntoView {
    move || {
        let o = outcome.get()?;
        Some(match o.trend? {
            Ok(t) => view! {
                <p class="meta" data-testid="scaling-trend-summary">
                    {format!(
                        "“{}” = {} + ({} − {})·σ({:.3}·(log10 6ND − {:.3})), a Huber M-estimate; robust σ = {:.2}. {} of {} models have |z| > {}{}.",
                        t.column,
                        t.floor,
                        t.ceiling,
                        t.floor,
                        t.k,
                        t.x0,
                        t.sigma,
                        t.outliers.len(),
                        t.points.len(),
                        t.z_threshold,
                        if t.off_compute.is_empty() {
                            String::new()
                        } else {
                            format!("; not placed (no compute): {}", t.off_compute.join(", "))
                        },
                    )}
                </p>
            }.into_any(),
            Err(e) => view! {
                <p class="error" data-testid="scaling-trend-error">
                    {e}
                </p>
            }.into_any(),
        })
    }
}

/// Models whose score is far off the trend for their compute.
#[component]
pub fn OutlierTable(
    /// The analysis.
    outcome: Signal<Option<ScalingOutcome>>,
) -> impl IntoView {
    move || {
        let t = outcome.get()?.trend?.ok()?;
        let mut pts: Vec<_> = t.points.iter().filter(|p| p.outlier.is_some()).cloned().collect();
        stable_sort_by(&mut pts, |a, b| b.z.abs().total_cmp(&a.z.abs()));
        if pts.is_empty() {
            return Some(view! { <p class="ok">"No outliers."</p> }.into_any());
        }
        let body = pts
            .into_iter()
            .map(|p| {
                let bound = if p.compute_lower_bound { "+" } else { "" };
                let compute = format!("{:.3e}{bound}", p.compute);
                view! {
                    <tr data-testid="scaling-outlier-row">
                        <td class="model">{p.name.clone()}</td>
                        <NumCell value=p.compute text=compute />
                        <NumCell value=p.score text=sig(p.score, 3) />
                        <NumCell value=p.predicted text=sig(p.predicted, 3) />
                        <NumCell value=p.residual text=format!("{:+.1}", p.residual) />
                        <NumCell value=p.z text=format!("{:+.2}", p.z) testid="z" />
                        <td>
                            {if p.outlier.as_deref() == Some("high") {
                                "above trend"
                            } else {
                                "below trend"
                            }}
                        </td>
                    </tr>
                }
            })
            .collect_view();
        Some(
            view! {
                <DataTable
                    testid="scaling-outliers"
                    headers="outlier|#6ND|#score|#trend|#residual|#robust z|~direction"
                >
                    {body}
                </DataTable>
            }
            .into_any(),
        )
    }
}
