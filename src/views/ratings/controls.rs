//! Method, tie rule, intervals and filters of the ratings view.

use benchlens_engine::ratings::{dates, CiMethod, Method, RatingsSettings, TieRule};
use leptos::prelude::*;

use super::checklist::{Checklist, FilterList};
use super::{CompareWith, RatingsViewState};
use crate::jobs::analysis::BattleFacets;
use crate::views::form::{
    finite_non_negative, CheckField, ChoiceSelect, LabeledSelect, NumberField,
};

/// `YYYY-MM-DD` of a UTC timestamp, as a date input shows it.
fn day_label(tstamp: f64) -> String {
    let (y, m, d) = dates::civil_from_days((tstamp / 86_400.0).floor() as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Fewest and most bootstrap rounds the page runs: fewer than 10 gives no usable percentile,
/// more than 10,000 only adds waiting (the 2.5 % quantile is stable to ±0.1 point well before).
const MIN_ROUNDS: u32 = 10;
const MAX_ROUNDS: u32 = 10_000;

/// Rounds asked → rounds run, and the note explaining a clamp.
pub(super) fn clamp_rounds(asked: u64) -> (u32, Option<String>) {
    let n = asked.clamp(u64::from(MIN_ROUNDS), u64::from(MAX_ROUNDS)) as u32;
    let note = (u64::from(n) != asked).then(|| {
        let bound = if n == MAX_ROUNDS { "capped at" } else { "at least" };
        format!(
            "Rounds are {bound} {}: {} asked, {} run.",
            crate::format::count(u64::from(n)),
            crate::format::count(asked),
            crate::format::count(u64::from(n))
        )
    });
    (n, note)
}

/// The settings form. Every change re-runs the analysis in the worker.
#[component]
pub fn RatingsControls(
    /// Languages, models… present in the loaded battles (after the first run).
    #[prop(into)]
    facets: Signal<Option<BattleFacets>>,
) -> impl IntoView {
    let vs = expect_context::<RatingsViewState>();
    let settings = vs.settings;
    let edit = move |f: &dyn Fn(&mut RatingsSettings)| settings.update(|s| f(s));
    // Out-of-range rounds are clamped, and the field says so rather than changing silently.
    let (rounds_note, set_rounds_note) = signal(None::<String>);
    let on_rounds = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        let Ok(asked) = text.trim().parse::<u64>() else {
            set_rounds_note.set(Some(format!("“{text}” is not a whole number; rounds unchanged.")));
            return;
        };
        let (n, note) = clamp_rounds(asked);
        set_rounds_note.set(note);
        let input: web_sys::HtmlInputElement = event_target(&ev);
        input.set_value(&n.to_string());
        edit(&|s| s.bootstrap_rounds = n);
    };
    // The last facets seen: the lists stay put (and keep focus) while the next run computes.
    let known = Memo::new(move |prev: Option<&Option<BattleFacets>>| {
        facets.get().or_else(|| prev.cloned().flatten())
    });
    let languages = Signal::derive(move || {
        known.with(|f| f.as_ref().map(|f| f.languages.clone()).unwrap_or_default())
    });
    let categories = Signal::derive(move || {
        known.with(|f| f.as_ref().map(|f| f.category_counts.clone()).unwrap_or_default())
    });
    let judges = Signal::derive(move || {
        known.with(|f| f.as_ref().map(|f| f.judge_counts.clone()).unwrap_or_default())
    });
    let models = Signal::derive(move || {
        known.with(|f| {
            f.as_ref()
                .map(|f| {
                    let n = |i: usize| f.model_battles.get(i).copied().unwrap_or(0);
                    f.models.iter().enumerate().map(|(i, m)| (m.clone(), n(i))).collect()
                })
                .unwrap_or_default()
        })
    });
    // The weight column in effect is listed even before the facets arrive (a restored link).
    let weight_columns = Signal::derive(move || {
        let mut names =
            known.with(|f| f.as_ref().map(|f| f.numeric_columns.clone()).unwrap_or_default());
        if let Some(current) = settings.with(|s| s.weights.clone()) {
            if !names.contains(&current) {
                names.push(current);
            }
        }
        names
    });
    let language_list = FilterList { get: |f| &f.languages, get_mut: |f| &mut f.languages };
    let judge_list = FilterList { get: |f| &f.judges, get_mut: |f| &mut f.judges };
    let category_list = FilterList { get: |f| &f.categories, get_mut: |f| &mut f.categories };
    let include_list =
        FilterList { get: |f| &f.include_models, get_mut: |f| &mut f.include_models };
    let exclude_list =
        FilterList { get: |f| &f.exclude_models, get_mut: |f| &mut f.exclude_models };
    view! {
        <form class="controls" data-testid="ratings-controls" on:submit=|ev| ev.prevent_default()>
            <ChoiceSelect
                label="Method"
                testid="ratings-method"
                choices=vec![
                    ("bt", "Bradley–Terry (MLE)", Method::Bt),
                    ("elo", "Online Elo (K=4)", Method::Elo),
                ]
                current=Signal::derive(move || settings.with(|s| s.method))
                on_choose=move |m| edit(&|s| s.method = m)
            />
            <ChoiceSelect
                label="Ties"
                testid="ratings-ties"
                choices=vec![
                    ("half", "half a win each", TieRule::Half),
                    ("drop", "dropped", TieRule::Drop),
                    ("davidson", "Davidson tie model", TieRule::Davidson),
                ]
                current=Signal::derive(move || settings.with(|s| s.ties))
                on_choose=move |t| edit(&|s| s.ties = t)
            />
            <ChoiceSelect
                label="Intervals"
                testid="ratings-ci"
                choices=vec![
                    ("bootstrap", "bootstrap", CiMethod::Bootstrap),
                    ("sandwich", "sandwich (closed form)", CiMethod::Sandwich),
                    ("none", "none", CiMethod::None),
                ]
                current=Signal::derive(move || settings.with(|s| s.ci))
                on_choose=move |c| edit(&|s| s.ci = c)
            />
            <label>
                "Rounds"
                <input
                    type="number"
                    min=MIN_ROUNDS.to_string()
                    max=MAX_ROUNDS.to_string()
                    step="10"
                    data-testid="ratings-rounds"
                    prop:value=move || settings.with(|s| s.bootstrap_rounds.to_string())
                    on:change=on_rounds
                />
                {move || {
                    rounds_note
                        .get()
                        .map(|n| {
                            view! {
                                <span
                                    class="field-note"
                                    role="status"
                                    data-testid="ratings-rounds-note"
                                >
                                    {n}
                                </span>
                            }
                        })
                }}
            </label>
            <NumberField
                label="Seed"
                testid="ratings-seed"
                min="0"
                value=Signal::derive(move || settings.with(|s| s.seed.to_string()))
                on_value=move |n: u64| edit(&|s| s.seed = n)
            />
            <LabeledSelect
                label="Weights"
                testid="ratings-weights"
                on_pick=move |v: String| {
                    edit(&|s| s.weights = (!v.is_empty()).then(|| v.clone()));
                }
            >
                <option value="" prop:selected=move || settings.with(|s| s.weights.is_none())>
                    "None"
                </option>
                {move || {
                    weight_columns
                        .get()
                        .into_iter()
                        .map(|name| {
                            let (value, chosen) = (name.clone(), name.clone());
                            view! {
                                <option
                                    value=value
                                    prop:selected=move || {
                                        settings.with(|s| s.weights.as_deref() == Some(&chosen))
                                    }
                                >
                                    {name}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </LabeledSelect>
            <Checklist
                label="Languages"
                testid="ratings-languages"
                empty="all"
                options=languages
                settings=settings
                list=language_list
            />
            <Checklist
                label="Judges"
                testid="ratings-judges"
                empty="all"
                options=judges
                settings=settings
                list=judge_list
            />
            <ChoiceSelect
                label="Battles"
                testid="ratings-anony"
                choices=vec![
                    ("", "all", None),
                    ("true", "anonymous only", Some(true)),
                    ("false", "named only", Some(false)),
                ]
                current=Signal::derive(move || settings.with(|s| s.filters.anony))
                on_choose=move |a| edit(&|s| s.filters.anony = a)
            />
            <NumberField
                label="Min votes"
                testid="ratings-min-votes"
                min="0"
                value=Signal::derive(move || settings.with(|s| s.filters.min_votes.to_string()))
                on_value=move |n: u64| edit(&|s| s.filters.min_votes = n)
            />
            <NumberField
                label="Prior games"
                testid="ratings-prior"
                title="Weak prior: this many virtual ties against the average model, so models that never lose or never win get a finite rating"
                min="0"
                step="0.5"
                value=Signal::derive(move || settings.with(|s| s.prior_games.to_string()))
                keep=finite_non_negative
                on_value=move |n: f64| edit(&|s| s.prior_games = n)
            />
            <CheckField
                label="exclude ties"
                testid="ratings-exclude-ties"
                checked=Signal::derive(move || settings.with(|s| s.filters.exclude_ties))
                on_toggle=move |c| edit(&|s| s.filters.exclude_ties = c)
            />
            <CheckField
                label="style control"
                testid="ratings-style-control"
                checked=Signal::derive(move || settings.with(|s| s.style_control))
                on_toggle=move |c| edit(&|s| s.style_control = c)
            />
            <CheckField
                label="FastChat anchor"
                testid="ratings-fastchat"
                checked=Signal::derive(move || {
                    let fastchat = RatingsSettings::default().with_fastchat_preset().anchor;
                    settings.with(|s| s.anchor.is_some() && s.anchor == fastchat)
                })
                on_toggle=move |c| {
                    edit(
                        &|s| {
                            s.anchor = if c {
                                RatingsSettings::default().with_fastchat_preset().anchor
                            } else {
                                None
                            };
                        },
                    );
                }
            />
            <CheckField
                label="2023–24 L2 method"
                testid="ratings-legacy"
                checked=Signal::derive(move || settings.with(|s| s.legacy_l2))
                on_toggle=move |c| edit(&|s| s.legacy_l2 = c)
            />
            <label>
                "Turns" <span class="range">
                    <input
                        type="number"
                        min="1"
                        data-testid="ratings-turn-min"
                        placeholder="min"
                        aria-label="fewest turns"
                        prop:value=move || {
                            settings
                                .with(|s| {
                                    s.filters.turn_min.map(|t| t.to_string()).unwrap_or_default()
                                })
                        }
                        on:change=move |ev| {
                            let v = event_target_value(&ev).parse::<u32>().ok();
                            edit(&|s| s.filters.turn_min = v);
                        }
                    />
                    <input
                        type="number"
                        min="1"
                        data-testid="ratings-turn-max"
                        placeholder="max"
                        aria-label="most turns"
                        prop:value=move || {
                            settings
                                .with(|s| {
                                    s.filters.turn_max.map(|t| t.to_string()).unwrap_or_default()
                                })
                        }
                        on:change=move |ev| {
                            let v = event_target_value(&ev).parse::<u32>().ok();
                            edit(&|s| s.filters.turn_max = v);
                        }
                    />
                </span>
            </label>
            <label title="UTC days; the end day is included">
                "Dates" <span class="range">
                    <input
                        type="date"
                        data-testid="ratings-date-from"
                        aria-label="first day (UTC)"
                        prop:value=move || {
                            settings
                                .with(|s| s.filters.date_from.map(day_label).unwrap_or_default())
                        }
                        on:change=move |ev| {
                            let v = dates::parse_date(&event_target_value(&ev));
                            edit(&|s| s.filters.date_from = v);
                        }
                    />
                    <input
                        type="date"
                        data-testid="ratings-date-to"
                        aria-label="last day (UTC, included)"
                        prop:value=move || {
                            settings
                                .with(|s| {
                                    s.filters
                                        .date_to
                                        .map(|t| day_label(t - 86_400.0))
                                        .unwrap_or_default()
                                })
                        }
                        on:change=move |ev| {
                            let v = dates::parse_date(&event_target_value(&ev))
                                .map(|t| t + 86_400.0);
                            edit(&|s| s.filters.date_to = v);
                        }
                    />
                </span>
            </label>
            <Checklist
                label="Categories"
                testid="ratings-categories"
                empty="all"
                options=categories
                settings=settings
                list=category_list
            />
            <Checklist
                label="Only models"
                testid="ratings-include-models"
                empty="all"
                options=models
                settings=settings
                list=include_list
            />
            <Checklist
                label="Exclude models"
                testid="ratings-exclude-models"
                empty="none"
                options=models
                settings=settings
                list=exclude_list
            />
            <CheckField
                label="deduplicated (sampled) only"
                testid="ratings-dedup"
                checked=Signal::derive(move || settings.with(|s| s.filters.dedup_sampled))
                on_toggle=move |c| edit(&|s| s.filters.dedup_sampled = c)
            />
            <LabeledSelect
                label="Compare with"
                testid="ratings-compare"
                on_pick=move |v: String| vs.compare.set(CompareWith::parse(&v))
            >
                <option value="" prop:selected=move || vs.compare.with(Option::is_none)>
                    "—"
                </option>
                {move || {
                    known
                        .get()
                        .map(|f| {
                            CompareWith::options(&f)
                                .into_iter()
                                .map(|c| {
                                    let chosen = c.clone();
                                    view! {
                                        <option
                                            value=c.value()
                                            prop:selected=move || {
                                                vs.compare.with(|v| v.as_ref() == Some(&chosen))
                                            }
                                        >
                                            {c.label()}
                                        </option>
                                    }
                                })
                                .collect_view()
                        })
                }}
            </LabeledSelect>
        </form>
    }
}
