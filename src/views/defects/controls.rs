//! Which checks run, the k-of-m threshold, the severities shown, and the table filters.

use benchlens_engine::defects::{CheckId, Severity};
use benchlens_engine::sorting::stable_sort_by;
use leptos::prelude::*;

use super::DefectsViewState;
use crate::jobs::defects::DefectsOverview;
use crate::views::form::{ActionButton, LabeledSelect};

const SEVERITIES: [Severity; 3] = [Severity::Error, Severity::Suspect, Severity::Warning];

/// Puts `item` in the sorted `list` or takes it out.
fn set_member<T: Ord + Send + Sync + 'static>(list: RwSignal<Vec<T>>, item: T, member: bool) {
    list.update(|list| {
        list.retain(|x| *x != item);
        if member {
            list.push(item);
            stable_sort_by(list, T::cmp);
        }
    });
}

/// Checks to run, agreement threshold and severity toggles. Every change re-runs the worker.
#[component]
pub fn RunControls(
    /// The latest overview (for the model count).
    overview: Signal<Option<DefectsOverview>>,
) -> impl IntoView {
    let vs = expect_context::<DefectsViewState>();
    let check_boxes = CheckId::ALL
        .into_iter()
        .map(|c| {
            let on_change = move |ev: leptos::ev::Event| {
                set_member(vs.checks, c, event_target_checked(&ev));
                vs.page.set(0);
            };
            view! {
                <label class="check" title=format!("severity: {}", c.severity().id())>
                    <input
                        type="checkbox"
                        data-testid=format!("defects-check-{}", c.id())
                        prop:checked=move || vs.checks.with(|l| l.contains(&c))
                        on:change=on_change
                    />
                    <span class=format!("sev-dot {}", c.severity().id())></span>
                    {c.id().replace('_', " ")}
                </label>
            }
        })
        .collect_view();
    let severity_boxes = SEVERITIES
        .into_iter()
        .map(|s| {
            let on_change = move |ev: leptos::ev::Event| {
                set_member(vs.severities, s, event_target_checked(&ev));
                vs.page.set(0);
            };
            view! {
                <label class="check">
                    <input
                        type="checkbox"
                        data-testid=format!("defects-sev-{}", s.id())
                        prop:checked=move || vs.severities.with(|l| l.contains(&s))
                        on:change=on_change
                    />
                    <span class=format!("sev-dot {}", s.id())></span>
                    {s.id()}
                </label>
            }
        })
        .collect_view();
    let models = move || {
        overview.with(|o| o.as_ref().and_then(|o| o.predictions.as_ref()).map(|p| p.models.len()))
    };
    let all_checks = move |on: bool| {
        vs.checks.set(if on { CheckId::ALL.to_vec() } else { Vec::new() });
        vs.page.set(0);
    };
    view! {
        <form
            class="controls defects-controls"
            data-testid="defects-controls"
            on:submit=|ev| ev.prevent_default()
        >
            <fieldset class="checks">
                <legend>
                    {move || {
                        format!("Checks ({} of {})", vs.checks.with(Vec::len), CheckId::ALL.len())
                    }}
                    <ActionButton
                        testid="defects-checks-all"
                        class="link"
                        on_click=move |_| all_checks(true)
                    >
                        "all"
                    </ActionButton>
                    <ActionButton
                        testid="defects-checks-none"
                        class="link"
                        on_click=move |_| all_checks(false)
                    >
                        "none"
                    </ActionButton>
                </legend>
                <div class="check-grid">{check_boxes}</div>
            </fieldset>
            <div class="side">
                <label>
                    "Models that must agree (k of m)"
                    <input
                        type="number"
                        min="1"
                        max="100"
                        placeholder="off"
                        data-testid="defects-min-agree"
                        prop:value=move || {
                            vs.min_agree.get().map_or(String::new(), |k| k.to_string())
                        }
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            vs.min_agree.set(v.trim().parse::<usize>().ok().filter(|k| *k > 0));
                            vs.page.set(0);
                        }
                    />
                </label>
                <span class="hint">
                    {move || match models() {
                        Some(m) => {
                            format!(
                                "{} loaded; blank: flag an item when no model chose its key; k: when k models agree on one other answer",
                                if m == 1 {
                                    "1 model's answers".to_string()
                                } else {
                                    format!("{m} models' answers")
                                },
                            )
                        }
                        None => "no model predictions loaded".to_string(),
                    }}
                </span>
                <div class="severities">
                    <span class="hint">"Show severities"</span>
                    {severity_boxes}
                </div>
            </div>
        </form>
    }
}

/// Check, subject and text filters of the flagged-items table.
#[component]
pub fn TableFilters(
    /// The latest overview (for the check and subject lists).
    overview: Signal<Option<DefectsOverview>>,
) -> impl IntoView {
    let vs = expect_context::<DefectsViewState>();
    let check_options = move || {
        overview.with(|o| {
            o.as_ref().map(|o| {
                o.by_check
                    .iter()
                    .filter(|(_, n)| *n > 0)
                    .map(|(c, n)| {
                        let c = *c;
                        view! {
                            <option value=c.id() selected=move || vs.check_filter.get() == Some(c)>
                                {format!("{} ({n})", c.id().replace('_', " "))}
                            </option>
                        }
                    })
                    .collect_view()
            })
        })
    };
    let subject_options = move || {
        overview.with(|o| {
            o.as_ref().map(|o| {
                o.subjects
                    .iter()
                    .map(|s| {
                        let name = s.subject.clone();
                        let n = s.by_check.values().sum::<u64>();
                        let value = name.clone();
                        view! {
                            <option
                                value=value
                                selected=move || vs.subject.get().as_deref() == Some(name.as_str())
                            >
                                {format!("{} ({n})", s.subject)}
                            </option>
                        }
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <div class="controls table-filters">
            <LabeledSelect
                label="Check"
                testid="defects-filter-check"
                on_pick=move |v| {
                    vs.check_filter.set(CheckId::from_id(&v));
                    vs.page.set(0);
                }
            >
                <option value="" selected=move || vs.check_filter.get().is_none()>
                    "all checks"
                </option>
                {check_options}
            </LabeledSelect>
            <LabeledSelect
                label="Subject"
                testid="defects-filter-subject"
                on_pick=move |v| {
                    vs.subject.set(if v.is_empty() { None } else { Some(v) });
                    vs.page.set(0);
                }
            >
                <option value="" selected=move || vs.subject.get().is_none()>
                    "all subjects"
                </option>
                {subject_options}
            </LabeledSelect>
            <label>
                "Search question, options, reason"
                <input
                    type="search"
                    data-testid="defects-search"
                    placeholder="text…"
                    prop:value=move || vs.search.get()
                    on:input=move |ev| {
                        vs.search.set(event_target_value(&ev));
                        vs.page.set(0);
                    }
                />
            </label>
        </div>
    }
}
