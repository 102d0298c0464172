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
    /// Classes after `num` (`"strong"`, `"se"`).
    #[prop(optional)]
    class: Option<&'static str>,
    /// Inline style (a background shade).
    #[prop(optional, into)]
    style: Option<String>,
) -> impl IntoView {
    let class = class.map_or_else(|| "num".to_string(), |c| format!("num {c}"));
    view! {
        <td class=class style=style data-testid=testid data-value=full_opt(value)>
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

/// The header rows of a [`MarkupTable`]: `<tr>`s with sort buttons, column groups or tooltips.
#[slot]
pub struct TableHead {
    children: Children,
}

/// An exportable `<table class="data …">` whose header rows are markup (a [`TableHead`]); the
/// children are the body rows.
#[component]
pub fn MarkupTable(
    /// `data-testid` of the table; also names its export buttons and files.
    testid: &'static str,
    /// Classes after `data` (`"flags"`, `"length-table"`).
    #[prop(optional)]
    class: Option<&'static str>,
    /// What the export buttons export when it is less than the whole table (one page of it).
    #[prop(optional)]
    scope: Option<&'static str>,
    /// Class of a box around the table that scrolls it sideways (`"scroll"`).
    #[prop(optional)]
    scroll_box: Option<&'static str>,
    /// The columns an export puts first, `|`-separated (`data-export-first`).
    #[prop(optional)]
    export_first: Option<&'static str>,
    /// The children are `<tbody>` groups rather than rows.
    #[prop(optional)]
    row_groups: bool,
    /// The `<thead>` rows.
    table_head: TableHead,
    /// The `<tr>` rows.
    children: Children,
) -> impl IntoView {
    framed_table(
        TableFrame { testid, class, scope, scroll_box, export_first, row_groups },
        (table_head.children)().into_any(),
        children().into_any(),
    )
}

/// Where a table goes and how it is dressed: what [`MarkupTable`] and [`DataTable`] share.
struct TableFrame {
    testid: &'static str,
    class: Option<&'static str>,
    scope: Option<&'static str>,
    scroll_box: Option<&'static str>,
    export_first: Option<&'static str>,
    row_groups: bool,
}

/// `<table class="data …">` with `head` in its `<thead>` and `body` in its `<tbody>`, in its
/// scroll box if any, under the export buttons.
fn framed_table(frame: TableFrame, head: AnyView, body: AnyView) -> impl IntoView {
    let TableFrame { testid, class, scope, scroll_box, export_first, row_groups } = frame;
    let class = class.map_or_else(|| "data".to_string(), |c| format!("data {c}"));
    let body = if row_groups { body } else { view! { <tbody>{body}</tbody> }.into_any() };
    let table = view! {
        <table class=class data-testid=testid data-export-first=export_first>
            <thead>{head}</thead>
            {body}
        </table>
    };
    let framed = match scroll_box {
        Some(c) => view! { <div class=c>{table}</div> }.into_any(),
        None => table.into_any(),
    };
    view! {
        <ExportTable testid=testid scope=scope>
            {framed}
        </ExportTable>
    }
}

/// An exportable `<table class="data">` with one header row of plain column names; the children
/// are the body rows.
#[component]
pub fn DataTable(
    /// `data-testid` of the table; also names its export buttons and files.
    testid: &'static str,
    /// The column names in order, separated by `|`; `#name` is a number column (right-aligned),
    /// `~name` one whose name only screen readers and the exports read.
    headers: &'static str,
    /// Class of a box around the table that scrolls it sideways (`"scroll"`).
    #[prop(optional)]
    scroll_box: Option<&'static str>,
    /// The `<tr>` rows.
    children: Children,
) -> impl IntoView {
    let head = headers.split('|').map(|c| Col::parse(c).header()).collect_view();
    let frame = TableFrame {
        testid,
        class: None,
        scope: None,
        scroll_box,
        export_first: None,
        row_groups: false,
    };
    framed_table(frame, view! { <tr>{head}</tr> }.into_any(), children().into_any())
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
