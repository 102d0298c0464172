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
    /// `data-testid` of the cell, if the tests look for it.
    #[prop(optional)]
    testid: Option<&'static str>,
) -> impl IntoView {
    view! {
        <td class="num" data-testid=testid data-value=full_opt(value)>
            {text}
        </td>
    }
}

/// A column header.
#[derive(Debug, Clone, Copy)]
enum Col {
    /// Left-aligned text.
    Text(&'static str),
    /// A number column (`class="num"`, right-aligned).
    Num(&'static str),
    /// A column whose name only screen readers (and the exports) read.
    Hidden(&'static str),
}

impl Col {
    /// `name` as a text column, `#name` a number column, `~name` a hidden one.
    fn parse(spec: &'static str) -> Col {
        if let Some(name) = spec.strip_prefix('#') {
            Col::Num(name)
        } else if let Some(name) = spec.strip_prefix('~') {
            Col::Hidden(name)
        } else {
            Col::Text(spec)
        }
    }

    fn header(self) -> AnyView {
        match self {
            Col::Text(name) => view! { <th>{name}</th> }.into_any(),
            Col::Num(name) => view! { <th class="num">{name}</th> }.into_any(),
            Col::Hidden(name) => view! {
                <th>
                    <span class="visually-hidden">{name}</span>
                </th>
            }
            .into_any(),
        }
    }
}

/// An exportable `<table class="data">` with one header row; the children are the body rows.
#[component]
pub fn DataTable(
    /// `data-testid` of the table; also names its export buttons and files.
    testid: &'static str,
    /// The column names in order, separated by `|`; `#name` is a number column (right-aligned),
    /// `~name` one whose name only screen readers and the exports read.
    headers: &'static str,
    /// The `<tr>` rows.
    children: Children,
) -> impl IntoView {
    let head = headers.split('|').map(|c| Col::parse(c).header()).collect_view();
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

#[cfg(test)]
mod tests {
    use super::Col;

    #[test]
    fn header_specs_name_the_column_kind() {
        assert!(matches!(Col::parse("Model"), Col::Text("Model")));
        assert!(matches!(Col::parse("#best N"), Col::Num("best N")));
        assert!(matches!(Col::parse("~direction"), Col::Hidden("direction")));
        assert!(matches!(Col::parse("total, Chinchilla-optimal"), Col::Text(_)));
    }
}
