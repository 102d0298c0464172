//! Benchmark, baseline and the settings of each benchmark. Only the controls that affect the
//! benchmark on screen are shown; every change re-runs the analysis in the worker.

use benchlens_engine::judge::{JudgeKind, JudgeSettings, StyleControl};
use leptos::prelude::*;

use super::{kind_label, JudgeViewState};
use crate::jobs::judge::JudgeOutcome;
use crate::views::fields::{finite_non_negative, Check, Choice, Field, Fields, Number};
use crate::views::form::{name_options, LabeledSelect};

fn kind_from_id(id: &str) -> Option<JudgeKind> {
    [JudgeKind::AlpacaEval, JudgeKind::ArenaHard, JudgeKind::MtBench]
        .into_iter()
        .find(|k| k.id() == id)
}

/// AlpacaEval's length-controlled fit: the regularisation weight and the difficulty term.
const ALPACA: &[&dyn Field<JudgeSettings>] = &[
    &Number::new(
        "LC regularisation λ",
        "judge-lambda",
        |s: &JudgeSettings| s.lc.regularize_to_baseline_lambda,
        |s, v| s.lc.regularize_to_baseline_lambda = v.min(100.0),
    )
    .title(
        "Total weight of the regularisation rows relative to the model's own judgments \
         (AlpacaEval: 0.2)",
    )
    .min("0")
    .max("5")
    .step("0.05")
    .keep(finite_non_negative),
    &Check::new(
        "instruction difficulty term",
        "judge-difficulty",
        |s: &JudgeSettings| s.lc.instruction_difficulty,
        |s, c| s.lc.instruction_difficulty = c,
    )
    .title("Include the per-instruction difficulty term (needs three or more models)"),
];

/// Arena-Hard's bootstrap rounds and seed, after the baseline.
const ARENA_ROUNDS: &[&dyn Field<JudgeSettings>] = &[
    &Number::new(
        "Bootstrap rounds",
        "judge-rounds",
        |s: &JudgeSettings| s.arena_hard.bootstrap_rounds,
        |s, n| s.arena_hard.bootstrap_rounds = n,
    )
    .clamp_to(10, 10_000)
    .step("10"),
    &Number::new("Seed", "judge-seed", |s: &JudgeSettings| s.seed, |s, n| s.seed = n).min("0"),
];

/// How many times a ">>" verdict counts, after the interval level.
const STRONG_WEIGHT: Number<JudgeSettings, u32> = Number::new(
    "“>>” weight",
    "judge-strong-weight",
    |s: &JudgeSettings| s.arena_hard.strong_verdict_weight,
    |s, n| s.arena_hard.strong_verdict_weight = n,
)
.title("How many times a >> verdict counts (arena-hard-auto: 3)")
.clamp_to(1, 10)
.step("1");

/// Arena-Hard's style control, offered when answer files are loaded.
const STYLE: Choice<JudgeSettings, Option<StyleControl>> = Choice::new(
    "Style control",
    "judge-style",
    &[
        ("", "none", None),
        ("length", "length", Some(StyleControl::Length)),
        ("markdown", "markdown", Some(StyleControl::Markdown)),
        ("both", "length + markdown", Some(StyleControl::LengthAndMarkdown)),
    ],
    |s| s.arena_hard.style_control,
    |s, c| s.arena_hard.style_control = c,
);

/// The settings form.
#[component]
pub fn JudgeControls(
    /// The last outcome: which benchmarks and baselines the files hold.
    #[prop(into)]
    outcome: Signal<Option<JudgeOutcome>>,
) -> impl IntoView {
    let vs = expect_context::<JudgeViewState>();
    let settings = vs.settings;
    let edit = move |f: &dyn Fn(&mut JudgeSettings)| settings.update(|s| f(s));
    let kind = Memo::new(move |_| outcome.with(|o| o.as_ref().and_then(|o| o.kind)));
    let kinds = Memo::new(move |_| {
        outcome.with(|o| o.as_ref().map(|o| o.kinds_found.clone()).unwrap_or_default())
    });
    let baselines = Memo::new(move |_| {
        outcome.with(|o| o.as_ref().map(|o| o.baselines.clone()).unwrap_or_default())
    });
    let has_answers =
        Memo::new(move |_| outcome.with(|o| o.as_ref().is_some_and(|o| o.has_answer_files)));

    let benchmark = move || {
        let found = kinds.get();
        let current = kind.get();
        match found.len() {
            0 => ().into_any(),
            1 => view! {
                <label>
                    "Benchmark"<span class="detected" data-testid="judge-kind">
                        {format!("{} (detected)", kind_label(found[0]))}
                    </span>
                </label>
            }
            .into_any(),
            _ => {
                let options = found
                    .iter()
                    .map(|k| {
                        view! {
                            <option value=k.id() selected=Some(*k) == current>
                                {kind_label(*k)}
                            </option>
                        }
                    })
                    .collect_view();
                view! {
                    <LabeledSelect
                        label="Benchmark"
                        testid="judge-kind-picker"
                        on_pick=move |v| {
                            let k = kind_from_id(&v);
                            vs.drill_model.set(None);
                            vs.drill_pick.set(None);
                            edit(
                                &|s| {
                                    s.kind = k;
                                    s.baseline = None;
                                },
                            );
                        }
                    >
                        {options}
                    </LabeledSelect>
                }
                .into_any()
            }
        }
    };

    let alpaca_baseline = move || {
        let found = baselines.get();
        if found.len() <= 1 && settings.with(|s| s.baseline.is_none()) {
            return found
                .first()
                .map(|b| {
                    view! {
                        <label>
                            "Baseline"<span class="detected" data-testid="judge-baseline-found">
                                {b.clone()}
                            </span>
                        </label>
                    }
                    .into_any()
                })
                .unwrap_or_else(|| ().into_any());
        }
        let chosen = settings.with(|s| s.baseline.clone());
        let options = name_options(&found, chosen.as_deref());
        view! {
            <LabeledSelect
                label="Baseline (generator_1)"
                testid="judge-baseline"
                on_pick=move |v| {
                    vs.drill_pick.set(None);
                    edit(&|s| s.baseline = if v.is_empty() { None } else { Some(v.clone()) });
                }
            >
                <option value="" selected=chosen.is_none()>
                    "pick one"
                </option>
                {options}
            </LabeledSelect>
        }
        .into_any()
    };

    let alpaca_controls = move || {
        view! {
            {alpaca_baseline}
            <Fields settings=settings list=ALPACA />
        }
    };

    let level_select = move |testid: &'static str,
                             get: fn(&JudgeSettings) -> f64,
                             set: fn(&mut JudgeSettings, f64)| {
        let current = settings.with_untracked(get);
        let options = [0.8, 0.9, 0.95, 0.99]
            .into_iter()
            .map(|l| {
                view! {
                    <option value=l.to_string() selected=(l - current).abs() < 1e-9>
                        {format!("{:.0} %", l * 100.0)}
                    </option>
                }
            })
            .collect_view();
        view! {
            <LabeledSelect
                label="Interval level"
                testid=testid
                on_pick=move |v| {
                    if let Ok(v) = v.parse::<f64>() {
                        edit(&|s| set(s, v));
                    }
                }
            >
                {options}
            </LabeledSelect>
        }
    };

    let arena_controls = move || {
        view! {
            <label>
                "Baseline"
                <input
                    type="text"
                    list="judge-baselines"
                    placeholder="from the files, else gpt-4-0314"
                    data-testid="judge-arena-baseline"
                    prop:value=move || settings.with(|s| s.baseline.clone().unwrap_or_default())
                    on:change=move |ev| {
                        let v = event_target_value(&ev).trim().to_owned();
                        edit(&|s| s.baseline = if v.is_empty() { None } else { Some(v.clone()) });
                    }
                />
                <datalist id="judge-baselines">
                    {move || {
                        baselines
                            .get()
                            .into_iter()
                            .map(|b| view! { <option value=b /> })
                            .collect_view()
                    }}
                </datalist>
            </label>
            <Fields settings=settings list=ARENA_ROUNDS />
            {level_select(
                "judge-arena-level",
                |s| s.arena_hard.ci_level,
                |s, v| s.arena_hard.ci_level = v,
            )}
            {STRONG_WEIGHT.render(settings)}
            <Show when=move || has_answers.get()>{STYLE.render(settings)}</Show>
        }
    };

    view! {
        <form class="controls" data-testid="judge-controls" on:submit=|ev| ev.prevent_default()>
            {benchmark}
            {move || match kind.get() {
                Some(JudgeKind::AlpacaEval) => alpaca_controls().into_any(),
                Some(JudgeKind::ArenaHard) => arena_controls().into_any(),
                Some(JudgeKind::MtBench) => {
                    level_select(
                            "judge-mt-level",
                            |s| s.mt_bench_ci_level,
                            |s, v| s.mt_bench_ci_level = v,
                        )
                        .into_any()
                }
                None => ().into_any(),
            }}
        </form>
    }
}
