//! A chart in its own panel (heading, optional caption, optional settings or table, the canvas
//! with its export buttons): the
//! views' most repeated block, written once.

use leptos::prelude::*;

use crate::charts::ChartCanvas;
use crate::charts::ChartSpec;

/// `<div class="panel">` holding a heading, an optional caption and one chart.
#[component]
pub fn ChartPanel(
    /// The heading.
    title: &'static str,
    /// A sentence on how to read the chart, under the heading.
    #[prop(optional)]
    caption: Option<&'static str>,
    /// What to draw; nothing while `None`.
    #[prop(into)]
    spec: Signal<Option<ChartSpec>>,
    /// `data-testid` of the canvas.
    testid: &'static str,
    /// The canvas's accessible description.
    label: &'static str,
    /// Leave the whole panel out while there is nothing to draw (a chart only some data has).
    #[prop(optional)]
    only_with_data: bool,
    /// What stands between the caption and the chart (the chart's own settings, a table).
    #[prop(optional)]
    children: Option<ChildrenFn>,
) -> impl IntoView {
    let panel = move || {
        view! {
            <div class="panel">
                <h2>{title}</h2>
                {caption.map(|c| view! { <p class="caption">{c}</p> })}
                {children.clone().map(|c| c())}
                <ChartCanvas spec=spec testid=testid label=label />
            </div>
        }
    };
    if only_with_data {
        view! { <Show when=move || spec.with(Option::is_some)>{panel()}</Show> }.into_any()
    } else {
        panel().into_any()
    }
}
