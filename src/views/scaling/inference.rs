//! The scaling view's inference table: the compute-optimal model for each inference demand,
//! next to the Chinchilla optimum at the same loss.

use super::tables::sig;
use crate::charts::xy::si;
use crate::jobs::scaling::ScalingOutcome;
use crate::views::table::{DataTable, NumCell};
use leptos::prelude::*;

/// The table's columns (see `DataTable`): all numbers.
const COLUMNS: &str = "#inference tokens|#best N|#best D|#D / N|#training FLOPs|#total FLOPs|\
                       #total, Chinchilla-optimal";

/// The optimum for each inference demand next to the Chinchilla optimum at the same loss.
#[component]
pub fn InferenceTable(
    /// The analysis.
    outcome: Signal<Option<ScalingOutcome>>,
) -> impl IntoView {
    move || {
        let o = outcome.get()?;
        let inf = match o.inference {
            Ok(i) => i,
            Err(e) => {
                return Some(
                    view! {
                        <p class="error" data-testid="scaling-inference-error">
                            {e}
                        </p>
                    }
                    .into_any(),
                )
            }
        };
        let chosen = inf.points.iter().find(|p| p.inference_tokens == inf.chosen).cloned();
        let summary = chosen.map(|p| {
            format!(
                "Under {} at target loss {:.4}: serving {} tokens, the best model has {} parameters ({:+.0}% vs the Chinchilla optimum {}) trained on {} tokens ({:+.0}% vs {}), saving {:.1}% of total FLOPs.",
                inf.law_label,
                inf.target_loss,
                si(p.inference_tokens),
                si(p.params),
                100.0 * (p.params / p.chinchilla_params - 1.0),
                si(p.chinchilla_params),
                si(p.tokens),
                100.0 * (p.tokens / p.chinchilla_tokens - 1.0),
                si(p.chinchilla_tokens),
                100.0 * (1.0 - p.total_flops / p.chinchilla_total_flops),
            )
        });
        let body = inf
            .points
            .iter()
            .map(|p| {
                let mine = p.inference_tokens == inf.chosen;
                let tokens = if p.inference_tokens == 0.0 {
                    "0 (training only)".to_string()
                } else {
                    si(p.inference_tokens)
                };
                view! {
                    <tr
                        class:chosen=mine
                        data-testid=if mine {
                            "scaling-inference-chosen"
                        } else {
                            "scaling-inference-row"
                        }
                    >
                        <NumCell value=p.inference_tokens text=tokens />
                        <NumCell value=p.params text=si(p.params) />
                        <NumCell value=p.tokens text=si(p.tokens) />
                        <NumCell value=p.tokens / p.params text=sig(p.tokens / p.params, 3) />
                        <NumCell value=p.training_flops text=format!("{:.3e}", p.training_flops) />
                        <NumCell value=p.total_flops text=format!("{:.3e}", p.total_flops) />
                        <NumCell
                            value=p.chinchilla_total_flops
                            text=format!("{:.3e}", p.chinchilla_total_flops)
                        />
                    </tr>
                }
            })
            .collect_view();
        Some(
            view! {
                <p class="meta" data-testid="scaling-inference-summary">
                    {summary}
                </p>
                <DataTable testid="scaling-inference" headers=COLUMNS>
                    {body}
                </DataTable>
            }
            .into_any(),
        )
    }
}
