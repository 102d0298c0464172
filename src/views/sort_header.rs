//! One sortable column header for every table of the page, so they all behave alike: a click,
//! Enter or Space sorts by the column (the same column again reverses it), the arrow shows the
//! order, `aria-sort` tells a screen reader, and the header is in the tab order.

use leptos::prelude::*;

/// Moves a table's sort state to `key`: the same column again reverses the order, another
/// column starts in its first order.
pub fn toggle<K: PartialEq>(sort: &mut (K, bool), key: K) {
    *sort = if sort.0 == key { (key, !sort.1) } else { (key, false) };
}

/// A `<th>` that sorts its table by `key`.
#[component]
pub fn SortHeader<K>(
    /// The column's sort key.
    key: K,
    /// The table's sort state: (column, reversed).
    sort: RwSignal<(K, bool)>,
    /// Called with `key` on click, Enter or Space instead of `toggle`-ing `sort` (for a table
    /// that does more on a sort, such as going back to its first page).
    #[prop(optional, into)]
    on_sort: Option<Callback<K>>,
    /// `data-testid` of the header.
    #[prop(into)]
    testid: String,
    /// Extra classes ("num" right-aligns).
    #[prop(optional)]
    class: &'static str,
    /// Columns spanned.
    #[prop(optional)]
    colspan: Option<u32>,
    /// Rows spanned (none: one row, and no attribute).
    #[prop(optional_no_strip)]
    rowspan: Option<u32>,
    /// Tooltip.
    #[prop(optional, into)]
    title: Option<String>,
    /// The column's first order is ascending (names, row numbers, ranks); otherwise descending
    /// (ratings, counts, scores). The arrow and `aria-sort` show the actual direction.
    #[prop(optional)]
    ascending: bool,
    /// The label.
    children: Children,
) -> impl IntoView
where
    K: Copy + PartialEq + Send + Sync + 'static,
{
    // Some(true) when sorted by this column in ascending order.
    let state = move || sort.with(|s| (s.0 == key).then_some(s.1 != ascending));
    let sort_by_key = move || match on_sort {
        Some(on_sort) => on_sort.run(key),
        None => sort.update(|s| toggle(s, key)),
    };
    view! {
        <th
            class=format!("sortable {class}")
            data-testid=testid
            colspan=colspan
            rowspan=rowspan
            title=title
            tabindex="0"
            aria-sort=move || match state() {
                Some(true) => "ascending",
                Some(false) => "descending",
                None => "none",
            }
            on:click=move |_| sort_by_key()
            on:keydown=move |ev| {
                if ev.key() == "Enter" || ev.key() == " " {
                    ev.prevent_default();
                    sort_by_key();
                }
            }
        >
            {children()}
            {move || match state() {
                Some(true) => " ▲",
                Some(false) => " ▼",
                None => "",
            }}
        </th>
    }
}
