//! Benchmark, baseline and the settings of each benchmark. Only the controls that affect the
//! benchmark on screen are shown; every change re-runs the analysis in the worker.

use benchlens_engine::judge::{JudgeKind, JudgeSettings, StyleControl};
use leptos::prelude::*;

use super::{kind_label, JudgeViewState};
use crate::jobs::judge::JudgeOutcome;

fn select_value(ev: &leptos::ev::Event) -> String {
    let select: web_sys::HtmlSelectElement = event_target(ev);
    select.value()
}

fn kind_from_id(id: &str) -> Option<JudgeKind> {
    [JudgeKind::AlpacaEval, JudgeKind::ArenaHard, JudgeKind::MtBench]
        .into_iter()
        .find(|k| k.id() == id)
}

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
    let style_is =
        move |want: Option<StyleControl>| settings.with(|s| s.arena_hard.style_control == want);

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
                    <label>
                        "Benchmark"
                        <select
                            data-testid="judge-kind-picker"
                            on:change=move |ev| {
                                let k = kind_from_id(&select_value(&ev));
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
                        </select>
                    </label>
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
        let options = found
            .iter()
            .map(|b| {
                view! {
                    <option value=b.clone() selected=chosen.as_deref() == Some(b.as_str())>
                        {b.clone()}
                    </option>
                }
            })
            .collect_view();
        view! {
            <label>
                "Baseline (generator_1)"
                <select
                    data-testid="judge-baseline"
                    on:change=move |ev| {
                        let v = select_value(&ev);
                        vs.drill_pick.set(None);
                        edit(&|s| s.baseline = if v.is_empty() { None } else { Some(v.clone()) });
                    }
                >
                    <option value="" selected=chosen.is_none()>
                        "pick one"
                    </option>
                    {options}
                </select>
            </label>
        }
        .into_any()
    };

    let alpaca_controls = move || {
        view! {
            {alpaca_baseline}
            <label title="Total weight of the regularisation rows relative to the model's own judgments (AlpacaEval: 0.2)">
                "LC regularisation λ"
                <input
                    type="number"
                    min="0"
                    max="5"
                    step="0.05"
                    data-testid="judge-lambda"
                    prop:value=move || {
                        settings.with(|s| s.lc.regularize_to_baseline_lambda.to_string())
                    }
                    on:change=move |ev| {
                        if let Ok(v) = event_target_value(&ev).trim().parse::<f64>() {
                            if v.is_finite() && v >= 0.0 {
                                edit(&|s| s.lc.regularize_to_baseline_lambda = v.min(100.0));
                            }
                        }
                    }
                />
            </label>
            <label
                class="check"
                title="Include the per-instruction difficulty term (needs three or more models)"
            >
                <input
                    type="checkbox"
                    data-testid="judge-difficulty"
                    prop:checked=move || settings.with(|s| s.lc.instruction_difficulty)
                    on:change=move |ev| {
                        let c = event_target_checked(&ev);
                        edit(&|s| s.lc.instruction_difficulty = c);
                    }
                />
                "instruction difficulty term"
            </label>
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
            <label>
                "Interval level"
                <select
                    data-testid=testid
                    on:change=move |ev| {
                        if let Ok(v) = select_value(&ev).parse::<f64>() {
                            edit(&|s| set(s, v));
                        }
                    }
                >
                    {options}
                </select>
            </label>
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
            <label>
                "Bootstrap rounds"
                <input
                    type="number"
                    min="10"
                    max="10000"
                    step="10"
                    data-testid="judge-rounds"
                    prop:value=move || settings.with(|s| s.arena_hard.bootstrap_rounds.to_string())
                    on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).trim().parse::<u32>() {
                            edit(&|s| s.arena_hard.bootstrap_rounds = n.clamp(10, 10_000));
                        }
                    }
                />
            </label>
            <label>
                "Seed"
                <input
                    type="number"
                    min="0"
                    data-testid="judge-seed"
                    prop:value=move || settings.with(|s| s.seed.to_string())
                    on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).trim().parse::<u64>() {
                            edit(&|s| s.seed = n);
                        }
                    }
                />
            </label>
            {level_select(
                "judge-arena-level",
                |s| s.arena_hard.ci_level,
                |s, v| s.arena_hard.ci_level = v,
            )}
            <label title="How many times a >> verdict counts (arena-hard-auto: 3)">
                "“>>” weight"
                <input
                    type="number"
                    min="1"
                    max="10"
                    step="1"
                    data-testid="judge-strong-weight"
                    prop:value=move || {
                        settings.with(|s| s.arena_hard.strong_verdict_weight.to_string())
                    }
                    on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).trim().parse::<u32>() {
                            edit(&|s| s.arena_hard.strong_verdict_weight = n.clamp(1, 10));
                        }
                    }
                />
            </label>
            <Show when=move || has_answers.get()>
                <label>
                    "Style control"
                    <select
                        data-testid="judge-style"
                        on:change=move |ev| {
                            let v = select_value(&ev);
                            edit(
                                &|s| {
                                    s.arena_hard.style_control = match v.as_str() {
                                        "length" => Some(StyleControl::Length),
                                        "markdown" => Some(StyleControl::Markdown),
                                        "both" => Some(StyleControl::LengthAndMarkdown),
                                        _ => None,
                                    };
                                },
                            );
                        }
                    >
                        <option value="" prop:selected=move || style_is(None)>
                            "none"
                        </option>
                        <option
                            value="length"
                            prop:selected=move || style_is(Some(StyleControl::Length))
                        >
                            "length"
                        </option>
                        <option
                            value="markdown"
                            prop:selected=move || style_is(Some(StyleControl::Markdown))
                        >
                            "markdown"
                        </option>
                        <option
                            value="both"
                            prop:selected=move || style_is(Some(StyleControl::LengthAndMarkdown))
                        >
                            "length + markdown"
                        </option>
                    </select>
                </label>
            </Show>
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
