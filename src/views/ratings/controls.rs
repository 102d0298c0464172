//! Method, tie rule, intervals and filters of the ratings view.

use benchlens_engine::ratings::{
    dates, Anchor, CiMethod, Filters, Method, RatingsSettings, TieRule,
};
use leptos::prelude::*;

use super::checklist::{Checklist, FilterList};
use super::{CompareWith, RatingsViewState};
use crate::jobs::analysis::BattleFacets;
use crate::views::fields::{finite_non_negative, Check, Choice, Field, Fields, Number};
use crate::views::form::LabeledSelect;

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

/// The rating model, the tie rule and the intervals: the form's first fields.
const MODEL: &[&dyn Field<RatingsSettings>] = &[
    &Choice::new(
        "Method",
        "ratings-method",
        &[("bt", "Bradley–Terry (MLE)", Method::Bt), ("elo", "Online Elo (K=4)", Method::Elo)],
        |s: &RatingsSettings| s.method,
        |s, m| s.method = m,
    ),
    &Choice::new(
        "Ties",
        "ratings-ties",
        &[
            ("half", "half a win each", TieRule::Half),
            ("drop", "dropped", TieRule::Drop),
            ("davidson", "Davidson tie model", TieRule::Davidson),
        ],
        |s: &RatingsSettings| s.ties,
        |s, t| s.ties = t,
    ),
    &Choice::new(
        "Intervals",
        "ratings-ci",
        &[
            ("bootstrap", "bootstrap", CiMethod::Bootstrap),
            ("sandwich", "sandwich (closed form)", CiMethod::Sandwich),
            ("none", "none", CiMethod::None),
        ],
        |s: &RatingsSettings| s.ci,
        |s, c| s.ci = c,
    ),
];

/// The seed of the bootstrap draws.
const SEED: Number<RatingsSettings, u64> =
    Number::new("Seed", "ratings-seed", |s: &RatingsSettings| s.seed, |s, n| s.seed = n).min("0");

/// The anchor FastChat's leaderboard pins (mixtral-8x7b-instruct-v0.1 at 1114).
fn fastchat_anchor() -> Option<Anchor> {
    RatingsSettings::default().with_fastchat_preset().anchor
}

/// Which battles count and how the model is fitted, after the language and judge lists.
const FILTERS: &[&dyn Field<RatingsSettings>] = &[
    &Choice::new(
        "Battles",
        "ratings-anony",
        &[
            ("", "all", None),
            ("true", "anonymous only", Some(true)),
            ("false", "named only", Some(false)),
        ],
        |s: &RatingsSettings| s.filters.anony,
        |s, a| s.filters.anony = a,
    ),
    &Number::new(
        "Min votes",
        "ratings-min-votes",
        |s: &RatingsSettings| s.filters.min_votes,
        |s, n| {
            s.filters.min_votes = n;
        },
    )
    .min("0"),
    &Number::new(
        "Prior games",
        "ratings-prior",
        |s: &RatingsSettings| s.prior_games,
        |s, n| s.prior_games = n,
    )
    .title(
        "Weak prior: this many virtual ties against the average model, so models that never \
             lose or never win get a finite rating",
    )
    .min("0")
    .step("0.5")
    .keep(finite_non_negative),
    &Check::new(
        "exclude ties",
        "ratings-exclude-ties",
        |s: &RatingsSettings| s.filters.exclude_ties,
        |s, c| s.filters.exclude_ties = c,
    ),
    &Check::new(
        "style control",
        "ratings-style-control",
        |s: &RatingsSettings| s.style_control,
        |s, c| {
            s.style_control = c;
        },
    ),
    &Check::new(
        "FastChat anchor",
        "ratings-fastchat",
        |s: &RatingsSettings| s.anchor.is_some() && s.anchor == fastchat_anchor(),
        |s, c| s.anchor = if c { fastchat_anchor() } else { None },
    ),
    &Check::new(
        "2023–24 L2 method",
        "ratings-legacy",
        |s: &RatingsSettings| s.legacy_l2,
        |s, c| s.legacy_l2 = c,
    ),
];

/// The deduplication filter, after the category and model lists.
const DEDUP: Check<RatingsSettings> = Check::new(
    "deduplicated (sampled) only",
    "ratings-dedup",
    |s| s.filters.dedup_sampled,
    |s, c| s.filters.dedup_sampled = c,
);

/// One end of the turn or date range: an input whose empty (or unparsable) value is no bound.
struct RangeEnd {
    /// The input's type.
    kind: &'static str,
    testid: &'static str,
    /// Its accessible name (the range's label names both ends).
    aria_label: &'static str,
    placeholder: Option<&'static str>,
    min: Option<&'static str>,
    /// The bound as the input shows it ("" for none).
    show: fn(&Filters) -> String,
    /// Stores the input's text as the bound.
    store: fn(&mut Filters, &str),
}

/// Fewest and most turns of a conversation.
const TURNS: [RangeEnd; 2] = [
    RangeEnd {
        kind: "number",
        testid: "ratings-turn-min",
        aria_label: "fewest turns",
        placeholder: Some("min"),
        min: Some("1"),
        show: |f| f.turn_min.map(|t| t.to_string()).unwrap_or_default(),
        store: |f, v| f.turn_min = v.parse().ok(),
    },
    RangeEnd {
        kind: "number",
        testid: "ratings-turn-max",
        aria_label: "most turns",
        placeholder: Some("max"),
        min: Some("1"),
        show: |f| f.turn_max.map(|t| t.to_string()).unwrap_or_default(),
        store: |f, v| f.turn_max = v.parse().ok(),
    },
];

/// First and last day (UTC). The filter's end is exclusive: the day after the last one shown.
const DATES: [RangeEnd; 2] = [
    RangeEnd {
        kind: "date",
        testid: "ratings-date-from",
        aria_label: "first day (UTC)",
        placeholder: None,
        min: None,
        show: |f| f.date_from.map(day_label).unwrap_or_default(),
        store: |f, v| f.date_from = dates::parse_date(v),
    },
    RangeEnd {
        kind: "date",
        testid: "ratings-date-to",
        aria_label: "last day (UTC, included)",
        placeholder: None,
        min: None,
        show: |f| f.date_to.map(|t| day_label(t - 86_400.0)).unwrap_or_default(),
        store: |f, v| f.date_to = dates::parse_date(v).map(|t| t + 86_400.0),
    },
];

/// The inputs of both ends of a range, bound to the filters in `settings`.
fn range_ends(settings: RwSignal<RatingsSettings>, ends: &'static [RangeEnd]) -> impl IntoView {
    ends.iter()
        .map(|end| {
            view! {
                <input
                    type=end.kind
                    min=end.min
                    data-testid=end.testid
                    placeholder=end.placeholder
                    aria-label=end.aria_label
                    prop:value=move || settings.with(|s| (end.show)(&s.filters))
                    on:change=move |ev| {
                        let text = event_target_value(&ev);
                        settings.update(|s| (end.store)(&mut s.filters, &text));
                    }
                />
            }
        })
        .collect_view()
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
            <Fields settings=settings list=MODEL />
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
            {SEED.render(settings)}
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
            <Fields settings=settings list=FILTERS />
            <label>"Turns" <span class="range">{range_ends(settings, &TURNS)}</span></label>
            <label title="UTC days; the end day is included">
                "Dates" <span class="range">{range_ends(settings, &DATES)}</span>
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
            {DEDUP.render(settings)}
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
