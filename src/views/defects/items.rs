//! The flagged-items table (sortable, paged; evidence wrapped in `<mark>` nodes) and the item
//! detail panel with the reviewer's marks.

use benchlens_engine::defects::checks::letter;
use benchlens_engine::defects::{Field, Span};
use leptos::prelude::*;

use super::marks::{use_marks, Mark};
use super::{answer, request, DefectsViewState, PAGE_SIZE};
use crate::jobs::defects::{DefectsAnswer, DefectsAsk, DefectsOverview, SortBy};
use crate::views::form::ActionButton;
use crate::views::sort_header::{toggle, SortHeader};
use crate::views::table::{MarkupTable, NumCell, TableHead};
use crate::views::{use_analysis, AnalysisState};

/// `text` as text nodes, with the characters covered by `spans` of `field` wrapped in `<mark>`.
/// Spans count Unicode scalar values; out-of-range spans are clipped, never a panic.
pub fn highlighted(text: &str, field: Field, spans: &[Span]) -> AnyView {
    let chars: Vec<char> = text.chars().collect();
    let mut ranges: Vec<(usize, usize)> = spans
        .iter()
        .filter(|s| s.field == field)
        .map(|s| (s.start.min(chars.len()), s.end.min(chars.len())))
        .filter(|(a, b)| a < b)
        .collect();
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (a, b) in ranges {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    let mut parts = Vec::new();
    let mut at = 0;
    for (a, b) in merged {
        if a > at {
            parts.push(chars[at..a].iter().collect::<String>().into_any());
        }
        let marked: String = chars[a..b].iter().collect();
        parts.push(view! { <mark data-testid="evidence">{marked}</mark> }.into_any());
        at = b;
    }
    if at < chars.len() {
        parts.push(chars[at..].iter().collect::<String>().into_any());
    }
    parts.into_any()
}

/// Options as a list, the key marked, evidence highlighted.
fn options_list(options: &[String], key: Option<usize>, spans: &[Span]) -> AnyView {
    let items = options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let is_key = key == Some(i);
            view! {
                <li class:key=is_key>
                    <span class="letter">{letter(i)}</span>
                    <span class="text">{highlighted(o, Field::Option(i), spans)}</span>
                    {is_key
                        .then(|| {
                            view! {
                                <span class="key-mark" title="the answer key">
                                    "✓ key"
                                </span>
                            }
                        })}
                </li>
            }
        })
        .collect_view();
    view! { <ol class="options">{items}</ol> }.into_any()
}

/// A mark badge for `key`, if the reviewer marked the item.
fn mark_badge(key: String) -> impl IntoView {
    let marks = use_marks();
    move || {
        marks.0.with(|m| m.get(&key).copied()).map(|m| {
            let class = match m {
                Mark::ConfirmedBroken => "mark-badge broken",
                Mark::Fine => "mark-badge fine",
            };
            view! {
                <span class=class data-testid="mark-badge">
                    {m.label()}
                </span>
            }
        })
    }
}

/// The page of flagged items, with sortable headers and a pager.
#[component]
pub fn FlagTable(
    /// The latest overview (holds the current page).
    overview: Signal<Option<DefectsOverview>>,
) -> impl IntoView {
    let vs = expect_context::<DefectsViewState>();
    let on_sort = Callback::new(move |key| {
        vs.sort.update(|s| toggle(s, key));
        vs.page.set(0);
    });
    let header = move |key: SortBy, label: &'static str, testid: &'static str| {
        let ascending = !matches!(key, SortBy::Suspicion);
        view! {
            <SortHeader key=key sort=vs.sort on_sort=on_sort testid=testid ascending=ascending>
                {label}
            </SortHeader>
        }
    };
    let rows = move || {
        overview.with(|o| {
            o.as_ref().map(|o| {
                o.rows
                    .iter()
                    .map(|r| {
                        let item = r.item;
                        let selected = move || vs.selected.get() == Some(item);
                        view! {
                            <tr
                                data-testid="flag-row"
                                class:selected=selected
                                on:click=move |_| vs.selected.set(Some(item))
                            >
                                <td>
                                    <span class=format!("sev-dot {}", r.severity.id())></span>
                                    {r.check.id().replace('_', " ")}
                                </td>
                                <td class=format!("sev {}", r.severity.id())>{r.severity.id()}</td>
                                <td class="subject" data-value=r.subject.clone()>
                                    {r.subject.replace('_', "_\u{200B}")}
                                </td>
                                <td class="num" title=r.file.clone()>
                                    {r.row}
                                </td>
                                <td class="question" data-value=r.question.clone()>
                                    <div class="clamp">
                                        {highlighted(&r.question, Field::Question, &r.evidence)}
                                    </div>
                                    {options_list(&r.options, r.key, &r.evidence)}
                                </td>
                                <td class="reason" data-value=r.reason.clone()>
                                    {r.reason.clone()}
                                    {mark_badge(r.mark_key.clone())}
                                </td>
                                <NumCell value=r.suspicion text=format!("{:.2}", r.suspicion) />
                            </tr>
                        }
                    })
                    .collect_view()
            })
        })
    };
    let pages =
        move || overview.with(|o| o.as_ref().map_or(1, |o| o.matching.div_ceil(PAGE_SIZE).max(1)));
    let page = move || overview.with(|o| o.as_ref().map_or(0, |o| o.page));
    let matching = move || overview.with(|o| o.as_ref().map_or(0, |o| o.matching));
    view! {
        <p class="pager" data-testid="defects-pager">
            <button
                type="button"
                data-testid="defects-prev"
                disabled=move || { page() == 0 }
                on:click=move |_| vs.page.set(page().saturating_sub(1))
            >
                "← previous"
            </button>
            <span data-testid="defects-matching">
                {move || super::counted(matching() as u64, "flag", "flags")}
            </span>
            <span data-testid="defects-page">
                {move || format!("page {} of {}", page() + 1, pages())}
            </span>
            <button
                type="button"
                data-testid="defects-next"
                disabled=move || { page() + 1 >= pages() }
                on:click=move |_| vs.page.set(page() + 1)
            >
                "next →"
            </button>
        </p>
        <MarkupTable
            testid="defects-table"
            class="flags"
            scope="this page; every flag: Export below"
        >
            <TableHead slot>
                <tr>
                    {header(SortBy::Check, "Check", "sort-check")}
                    {header(SortBy::Severity, "Severity", "sort-severity")}
                    {header(SortBy::Subject, "Subject", "sort-subject")}
                    {header(SortBy::Row, "Row", "sort-row")}
                    <th>"Question and options (key ✓, evidence highlighted)"</th>
                    <th>"Reason"</th> {header(SortBy::Suspicion, "Suspicion", "sort-suspicion")}
                </tr>
            </TableHead>
            {rows}
        </MarkupTable>
    }
}

/// The mark buttons under an item: (test id, the mark it sets, or None to clear it, text).
const MARK_BUTTONS: [(&str, Option<Mark>, &str); 3] = [
    ("mark-broken", Some(Mark::ConfirmedBroken), "Confirmed broken"),
    ("mark-fine", Some(Mark::Fine), "Fine"),
    ("mark-clear", None, "Clear mark"),
];

/// Everything about the selected item, with "confirmed broken" / "fine" marks.
#[component]
pub fn ItemPanel() -> impl IntoView {
    let vs = expect_context::<DefectsViewState>();
    let marks = use_marks();
    let req = Memo::new(move |_| {
        let input = vs.input.get()?;
        let item = vs.selected.get().ok_or_else(String::new)?;
        Ok(request(input, DefectsAsk::Item(item)))
    });
    let detail = use_analysis(req);
    let body = move || {
        let state = detail.get();
        if let AnalysisState::Failed(e) = &state {
            return view! { <p class="error">{e.clone()}</p> }.into_any();
        }
        let Some(DefectsAnswer::Item(d)) = answer(&state) else {
            return match state {
                AnalysisState::Running => view! { <p class="hint">"Loading the item…"</p> }.into_any(),
                _ => view! {
                    <p class="hint">
                        "Click a row to see the item in full, with every flag and the models' votes, and to mark it."
                    </p>
                }.into_any(),
            };
        };
        let key = d.mark_key.clone();
        let set_mark = move |m: Option<Mark>| {
            let key = key.clone();
            marks.0.update(move |all| {
                match m {
                    Some(m) => all.insert(key, m),
                    None => all.remove(&key),
                };
            });
        };
        let current = {
            let key = d.mark_key.clone();
            move || marks.0.with(|m| m.get(&key).copied())
        };
        // A set button is lit while its mark is the item's; the clear button never is.
        let mark_buttons = MARK_BUTTONS
            .into_iter()
            .map(|(testid, mark, text)| {
                let (set_mark, current) = (set_mark.clone(), current.clone());
                view! {
                    <button
                        type="button"
                        data-testid=testid
                        class:active=move || mark.is_some() && current() == mark
                        on:click=move |_| set_mark(mark)
                    >
                        {text}
                    </button>
                }
            })
            .collect_view();
        let flags = d
            .flags
            .iter()
            .map(|f| {
                view! {
                    <li>
                        <span class=format!("sev {}", f.severity.id())>{f.severity.id()}</span>
                        " "
                        <b>{f.check.id().replace('_', " ")}</b>
                        ": "
                        {f.reason.clone()}
                    </li>
                }
            })
            .collect_view();
        let votes = d.votes.clone().map(|(votes, models)| {
            let cells = votes
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    view! {
                        <span class="vote" class:key={d.key == Some(i)}>
                            {format!("{}: {v}", letter(i))}
                        </span>
                    }
                })
                .collect_view();
            view! {
                <p class="votes" data-testid="item-votes">
                    {format!("{} answered: ", super::counted(u64::from(models), "model", "models"))}
                    {cells}
                </p>
            }
        });
        view! {
            <p class="where">
                <b>{d.subject.clone()}</b>
                " · "
                {d.file.clone()}
                " row "
                {d.row}
                {d.id.clone().map(|id| format!(" · id {id}"))}
                {format!(
                    " · suspicion {:.2} · key as written: {}",
                    d.suspicion,
                    if d.key_text.is_empty() { "(none)".to_string() } else { d.key_text.clone() },
                )}
            </p>
            <div class="full-question" data-testid="item-question">
                {highlighted(&d.question, Field::Question, &d.evidence)}
            </div>
            {options_list(&d.options, d.key, &d.evidence)}
            <ul class="item-flags">{flags}</ul>
            {votes}
            <div class="mark-buttons">{mark_buttons} {mark_badge(d.mark_key.clone())}</div>
        }
        .into_any()
    };
    view! {
        <aside class="panel item-panel" data-testid="item-panel">
            <h2>
                "Item" <Show when=move || vs.selected.get().is_some()>
                    <ActionButton
                        testid="item-close"
                        class="link close"
                        on_click=move |_| vs.selected.set(None)
                    >
                        "close"
                    </ActionButton>
                </Show>
            </h2>
            {body}
        </aside>
    }
}
