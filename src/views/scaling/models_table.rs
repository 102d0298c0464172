//! The scaling view's per-model table: model, N, D and, under each fitted law, the
//! compute-optimal D and the over-training factor; sortable by any column.

use super::tables::sig;
use crate::charts::xy::si;
use crate::export::full_opt;
use crate::jobs::scaling::ScalingOutcome;
use crate::views::sort_header::SortHeader;
use crate::views::table::{MarkupTable, NumCell, TableHead};
use benchlens_engine::sorting::stable_sort_by;
use leptos::prelude::*;

/// Sort keys of the models table: model, N, D, or (fit index, D_opt | over-training).
#[derive(Clone, Copy, PartialEq, Eq)]
enum ModelSort {
    Model,
    Params,
    Tokens,
    Optimal(usize),
    Over(usize),
}

/// Model, N, D and, per law, compute-optimal D and over-training factor; click a header to sort.
#[component]
pub fn ModelsTableView(
    /// The analysis.
    outcome: Signal<Option<ScalingOutcome>>,
) -> impl IntoView {
    let sort = RwSignal::new((ModelSort::Params, false));
    // A number column's header; `rows` is Some(2) for the columns that span both header rows.
    let num_header =
        move |key: ModelSort, testid: String, rows: Option<u32>, text: &'static str| {
            view! {
                <SortHeader key=key sort=sort rowspan=rows class="num" testid=testid>
                    {text}
                </SortHeader>
            }
        };
    move || {
        let o = outcome.get()?;
        let t = o.models;
        let fits = t.fits.clone();
        let top = fits
            .iter()
            .map(|f| {
                view! {
                    <th colspan="2" class="group">
                        {f.label.clone()}
                    </th>
                }
            })
            .collect_view();
        let sub = fits
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let dopt = format!("scaling-sort-dopt-{}", f.id);
                let over = format!("scaling-sort-over-{}", f.id);
                (
                    num_header(ModelSort::Optimal(i), dopt, None, "D_opt"),
                    num_header(ModelSort::Over(i), over, None, "over-trained"),
                )
            })
            .collect_view();
        let mut rows = t.models.clone();
        let (key, reverse) = sort.get();
        let opt = |v: Option<f64>| v.unwrap_or(f64::NEG_INFINITY);
        stable_sort_by(&mut rows, |a, b| {
            let ord = match key {
                ModelSort::Model => a.name.cmp(&b.name),
                ModelSort::Params => opt(b.params).total_cmp(&opt(a.params)),
                ModelSort::Tokens => opt(b.tokens).total_cmp(&opt(a.tokens)),
                ModelSort::Optimal(i) => opt(b.fits.get(i).and_then(|f| f.optimal_tokens))
                    .total_cmp(&opt(a.fits.get(i).and_then(|f| f.optimal_tokens))),
                ModelSort::Over(i) => opt(b.fits.get(i).and_then(|f| f.over_training))
                    .total_cmp(&opt(a.fits.get(i).and_then(|f| f.over_training))),
            }
            .then_with(|| a.name.cmp(&b.name));
            if reverse {
                ord.reverse()
            } else {
                ord
            }
        });
        let body = rows
            .into_iter()
            .map(|m| {
                let plus = if m.tokens_lower_bound { "+" } else { "" };
                let cells = m
                    .fits
                    .iter()
                    .map(|f| {
                        let over = f
                            .over_training
                            .map_or("—".to_string(), |x| format!("{}{}×", sig(x, 3), plus));
                        let title = f
                            .over_training_ci
                            .map(|c| format!("95% CI {}× – {}×", sig(c[0], 3), sig(c[1], 3)));
                        view! {
                            <NumCell
                                value=f.optimal_tokens
                                text=f.optimal_tokens.map_or("—".to_string(), si)
                            />
                            <td
                                class="num over"
                                data-value=full_opt(f.over_training)
                                class:hi=f.over_training.is_some_and(|x| x > 1.0)
                                title=title
                                data-testid=format!("over-{}", f.fit)
                            >
                                {over}
                            </td>
                        }
                    })
                    .collect_view();
                view! {
                    <tr data-testid="scaling-model-row">
                        <td class="model" data-value=m.name.clone()>
                            {m.name.clone()}
                            {m
                                .tokens_lower_bound
                                .then(|| {
                                    view! {
                                        <span class="badge" title="token count is a lower bound">
                                            "≥"
                                        </span>
                                    }
                                })}
                        </td>
                        <NumCell value=m.params text=m.params.map_or("—".to_string(), si) />
                        <NumCell
                            value=m.tokens
                            text=m.tokens.map_or("—".to_string(), |t| format!("{}{plus}", si(t)))
                        />
                        {cells}
                    </tr>
                }
            })
            .collect_view();
        Some(view! {
            <MarkupTable testid="scaling-models" class="models" scroll_box="table-scroll">
                <TableHead slot>
                    <tr>
                        <SortHeader
                            key=ModelSort::Model
                            sort=sort
                            rowspan=Some(2)
                            ascending=true
                            testid="scaling-sort-model"
                        >
                            "model"
                        </SortHeader>
                        {num_header(ModelSort::Params, "scaling-sort-params".into(), Some(2), "N")}
                        {num_header(ModelSort::Tokens, "scaling-sort-tokens".into(), Some(2), "D")}
                        {top}
                    </tr>
                    <tr>{sub}</tr>
                </TableHead>
                {body}
            </MarkupTable>
        })
    }
}
