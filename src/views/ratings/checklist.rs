//! A compact, searchable checklist for one list-valued battle filter (languages, judges, models
//! to keep, models to drop): a `<details>` that opens on a search box and a scrolling list of
//! checkboxes, usable with hundreds of values and from the keyboard (Tab, Space, Enter).

use crate::views::form::ActionButton;
use benchlens_engine::ratings::{Filters, RatingsSettings};
use leptos::prelude::*;

/// Values shown at once; the search narrows the rest.
const SHOWN: usize = 200;

/// Reads and writes one list of the filters.
#[derive(Clone, Copy)]
pub struct FilterList {
    pub get: fn(&Filters) -> &Vec<String>,
    pub get_mut: fn(&mut Filters) -> &mut Vec<String>,
}

/// The checklist. `options` are (value, battles); an empty choice means `empty` ("all").
#[component]
pub fn Checklist(
    /// Label of the closed control.
    label: &'static str,
    /// Test id of the control; its parts get `{testid}-summary`, `-search`, `-option`, `-clear`.
    testid: &'static str,
    /// What no choice means.
    empty: &'static str,
    /// Values present in the data, with their battles.
    #[prop(into)]
    options: Signal<Vec<(String, u64)>>,
    settings: RwSignal<RatingsSettings>,
    list: FilterList,
) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let chosen = move || settings.with(|s| (list.get)(&s.filters).clone());
    let summary = move || {
        let c = chosen();
        match c.len() {
            0 => empty.to_owned(),
            1..=2 => c.join(", "),
            n => format!("{}, {} and {} more", c[0], c[1], n - 2),
        }
    };
    let matching = Memo::new(move |_| {
        let q = query.get().to_lowercase();
        options.with(|o| {
            o.iter()
                .filter(|(v, _)| q.is_empty() || v.to_lowercase().contains(&q))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let set = move |value: String, on: bool| {
        settings.update(|s| {
            let l = (list.get_mut)(&mut s.filters);
            l.retain(|x| *x != value);
            if on {
                l.push(value);
            }
        });
    };
    let tick_shown = move |_| {
        let shown: Vec<String> =
            matching.with(|m| m.iter().take(SHOWN).map(|(v, _)| v.clone()).collect());
        settings.update(|s| {
            let l = (list.get_mut)(&mut s.filters);
            for v in shown {
                if !l.contains(&v) {
                    l.push(v);
                }
            }
        });
    };
    let clear = move |_| settings.update(|s| (list.get_mut)(&mut s.filters).clear());
    // Rebuilt only when the values or the search change, never on a tick: focus stays put.
    let rows = move || {
        matching.with(|m| {
            m.iter()
                .take(SHOWN)
                .map(|(value, n)| {
                    let v = value.clone();
                    let v2 = value.clone();
                    let checked = move || settings.with(|s| (list.get)(&s.filters).contains(&v));
                    view! {
                        <li>
                            <label>
                                <input
                                    type="checkbox"
                                    data-testid=format!("{testid}-option")
                                    value=value.clone()
                                    prop:checked=checked
                                    on:change=move |ev| set(v2.clone(), event_target_checked(&ev))
                                />
                                <span class="name">{value.clone()}</span>
                                <span class="count">{n.to_string()}</span>
                            </label>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let more = move || {
        let n = matching.with(Vec::len);
        (n > SHOWN).then(|| format!("{} more: type to narrow", n - SHOWN))
    };
    view! {
        <details class="checklist" data-testid=testid>
            <summary data-testid=format!("{testid}-summary")>
                <span class="checklist-label">{label}</span>
                <span
                    class="checklist-value"
                    class:set=move || settings.with(|s| !(list.get)(&s.filters).is_empty())
                >
                    {summary}
                </span>
            </summary>
            <div class="checklist-body">
                <input
                    type="search"
                    placeholder="search…"
                    aria-label=format!("Search {label}")
                    data-testid=format!("{testid}-search")
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
                <div class="checklist-actions">
                    <ActionButton testid=format!("{testid}-tick-shown") on_click=tick_shown>
                        "Tick shown"
                    </ActionButton>
                    <button type="button" data-testid=format!("{testid}-clear") on:click=clear>
                        "Clear"
                    </button>
                </div>
                <ul class="checklist-options" role="group" aria-label=label>
                    {rows}
                </ul>
                {move || more().map(|t| view! { <p class="caption">{t}</p> })}
            </div>
        </details>
    }
}
