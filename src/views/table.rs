//! The results tables' recurring markup, written once: an exportable table with plain column
//! headers, and a number cell that shows a rounded value and keeps the full one in `data-value`
//! (which the CSV/JSON export reads back).

use leptos::prelude::*;

use crate::export::{full_opt, ExportTable};

/// A number cell: `text` on screen, the full-precision `value` for exports ("" when missing or
/// not finite).
#[component]
pub fn NumCell(
    /// The full value.
    #[prop(into)]
    value: Option<f64>,
    /// What the cell shows.
    #[prop(into)]
    text: String,
) -> impl IntoView {
    view! {
        <td class="num" data-value=full_opt(value)>
            {text}
        </td>
    }
}

/// An exportable `<table class="data">` with one header row of plain column names; the
/// children are the body rows.
#[component]
pub fn DataTable(
    /// `data-testid` of the table; also names its export buttons and files.
    testid: &'static str,
    /// Column names, in order.
    headers: &'static [&'static str],
    /// The `<tr>` rows.
    children: Children,
) -> impl IntoView {
    let head = headers.iter().map(|h| view! { <th>{*h}</th> }).collect_view();
    view! {
        <ExportTable testid=testid>
            <table class="data" data-testid=testid>
                <thead>
                    <tr>{head}</tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </ExportTable>
    }
}
