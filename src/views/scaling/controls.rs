//! The scaling view's forms: which table and which columns, the fit settings, the law applied in
//! the contour chart and the inference optimum, and the inference demand.

use benchlens_engine::scaling::table::DetectedColumns;
use benchlens_engine::scaling::{ColumnChoice, FitSettings, StartMode};
use leptos::prelude::*;

use super::{LossChoice, ScalingViewState};
use crate::jobs::protocol::JobId;
use crate::jobs::scaling::ScalingOutcome;
use crate::views::fields::{finite_positive, Choice, Field, Fields, Number};
use crate::views::form::{name_options, LabeledSelect};

/// The roles a column can play, with their labels and test ids.
const ROLES: [(&str, &str); 6] = [
    ("params", "Parameters N"),
    ("tokens", "Tokens D"),
    ("compute", "Compute C"),
    ("loss", "Loss"),
    ("score", "Score"),
    ("name", "Name"),
];

fn choice_slot<'a>(c: &'a mut ColumnChoice, role: &str) -> &'a mut Option<String> {
    match role {
        "params" => &mut c.params,
        "tokens" => &mut c.tokens,
        "compute" => &mut c.compute,
        "loss" => &mut c.loss,
        "score" => &mut c.score,
        _ => &mut c.name,
    }
}

fn detected(d: &DetectedColumns, role: &str) -> Option<String> {
    match role {
        "params" => d.params.clone(),
        "tokens" => d.tokens.clone(),
        "compute" => d.compute.clone(),
        "loss" => d.loss.clone(),
        "score" => d.score.clone(),
        _ => d.name.clone(),
    }
}

/// Table choice and the column mapping (detected columns, each overridable).
#[component]
pub fn InputControls(
    /// Every scaling table loaded: (id, file name).
    #[prop(into)]
    tables: Signal<Vec<(JobId, String)>>,
    /// The table analysed.
    #[prop(into)]
    chosen: Signal<Option<JobId>>,
    /// The last analysis (for what was detected).
    #[prop(into)]
    outcome: Signal<Option<ScalingOutcome>>,
) -> impl IntoView {
    let vs = expect_context::<ScalingViewState>();
    let on_table = move |v: String| {
        if let Ok(id) = v.parse::<JobId>() {
            vs.dataset.set(Some(id));
        }
    };
    let role_select = move |role: &'static str, label: &'static str| {
        let in_use = move || outcome.with(|o| o.as_ref().and_then(|o| detected(&o.columns, role)));
        let explicit = move || {
            vs.columns.with(|c| {
                let mut c = c.clone();
                choice_slot(&mut c, role).clone()
            })
        };
        let on_change = move |v: String| {
            vs.columns.update(|c| *choice_slot(c, role) = (!v.is_empty()).then_some(v));
        };
        let options = move || {
            let current = explicit();
            vs.table_columns.with(|c| name_options(c, current.as_deref()))
        };
        view! {
            <LabeledSelect label=label testid=format!("scaling-col-{role}") on_pick=on_change>
                <option value="" selected=move || explicit().is_none()>
                    {move || match in_use() {
                        Some(c) if explicit().is_none() => format!("auto: {c}"),
                        _ if explicit().is_none() => "auto: none found".to_string(),
                        _ => "auto".to_string(),
                    }}
                </option>
                {options}
            </LabeledSelect>
        }
    };
    let table_options = move || {
        let current = chosen.get();
        tables
            .get()
            .into_iter()
            .map(|(id, name)| {
                view! {
                    <option value=id.to_string() selected=current == Some(id)>
                        {name}
                    </option>
                }
            })
            .collect_view()
    };
    view! {
        <Show when=move || !tables.with(Vec::is_empty)>
            <form
                class="controls scaling-columns"
                data-testid="scaling-inputs"
                on:submit=|ev| ev.prevent_default()
            >
                <LabeledSelect label="Table" testid="scaling-table" on_pick=on_table>
                    {table_options}
                </LabeledSelect>
                {ROLES.into_iter().map(|(role, label)| role_select(role, label)).collect_view()}
            </form>
        </Show>
    }
}

/// The loss the fit minimises (a view setting of its own).
const LOSS: Choice<LossChoice, LossChoice> = Choice::new(
    "Loss on log residuals",
    "scaling-loss",
    &[
        ("huber", "Huber", LossChoice::Huber),
        ("l2", "L2 (least squares)", LossChoice::L2),
        ("l1", "L1", LossChoice::L1),
    ],
    |l| *l,
    |l, v| *l = v,
);

/// Huber's δ (a view setting of its own, used only with the Huber loss).
const DELTA: Number<f64, f64> = Number::new("Huber δ", "scaling-delta", |d| *d, |d, v| *d = v)
    .min("0")
    .step("any")
    .keep(finite_positive);

/// Drop-top, starts, bootstrap rounds and seed of the fit.
const FIT: &[&dyn Field<FitSettings>] = &[
    &Number::new(
        "Drop top K",
        "scaling-drop-top",
        |f: &FitSettings| f.drop_top,
        |f, n| f.drop_top = n,
    )
    .clamp_to(0, 1000)
    .step("1"),
    &Choice::new(
        "Starts",
        "scaling-starts",
        &[
            ("varpro", "variable projection grid", StartMode::Varpro),
            ("full-grid", "full 4,500-start grid (Hoffmann)", StartMode::FullGrid),
        ],
        |f: &FitSettings| f.starts,
        |f, m| f.starts = m,
    ),
    &Number::new(
        "Bootstrap rounds",
        "scaling-rounds",
        |f: &FitSettings| f.bootstrap,
        |f, n| f.bootstrap = n,
    )
    .clamp_to(0, 10_000)
    .step("100"),
    &Number::new("Seed", "scaling-seed", |f: &FitSettings| f.seed, |f, n| f.seed = n).min("0"),
];

/// Loss, δ, drop-top, starts, bootstrap rounds and seed of the Approach-3 fit.
#[component]
pub fn FitControls() -> impl IntoView {
    let vs = expect_context::<ScalingViewState>();
    let huber = Signal::derive(move || vs.loss.get() != LossChoice::Huber);
    view! {
        <form
            class="controls"
            data-testid="scaling-fit-controls"
            on:submit=|ev| ev.prevent_default()
        >
            {LOSS.render(vs.loss)}
            {DELTA.render_with(vs.delta, huber)}
            <Fields settings=vs.fit list=FIT />
        </form>
    }
}

/// The law used by the iso-loss contours and the inference optimum.
#[component]
pub fn LawSelect(
    /// The last analysis (for the laws on offer).
    #[prop(into)]
    outcome: Signal<Option<ScalingOutcome>>,
) -> impl IntoView {
    let vs = expect_context::<ScalingViewState>();
    let current = move || {
        outcome.with(|o| o.as_ref().and_then(|o| o.inference.as_ref().ok().map(|i| i.law.clone())))
    };
    let options = move || {
        let cur = current();
        outcome.with(|o| {
            o.as_ref().map(|o| {
                o.models
                    .fits
                    .iter()
                    .map(|f| {
                        let selected = cur.as_deref() == Some(f.id.as_str());
                        view! {
                            <option value=f.id.clone() selected=selected>
                                {f.label.clone()}
                            </option>
                        }
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <form class="controls" on:submit=|ev| ev.prevent_default()>
            <LabeledSelect
                label="Law (contours and inference optimum)"
                testid="scaling-law"
                on_pick=move |v| {
                    vs.inference_law.set(v);
                    vs.target_loss.set(None);
                }
            >
                {options}
            </LabeledSelect>
        </form>
    }
}

/// Target loss and expected inference tokens of the inference-aware optimum.
#[component]
pub fn InferenceControls(
    /// The last analysis (for the target loss in use).
    #[prop(into)]
    outcome: Signal<Option<ScalingOutcome>>,
) -> impl IntoView {
    let vs = expect_context::<ScalingViewState>();
    let target_shown = move || {
        outcome.with(|o| {
            o.as_ref()
                .and_then(|o| o.inference.as_ref().ok().map(|i| format!("{:.4}", i.target_loss)))
                .unwrap_or_default()
        })
    };
    view! {
        <form
            class="controls"
            data-testid="scaling-inference-controls"
            on:submit=|ev| ev.prevent_default()
        >
            <label>
                "Target loss"
                <input
                    type="number"
                    step="0.01"
                    min="0"
                    data-testid="scaling-target-loss"
                    prop:value=target_shown
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        vs.target_loss
                            .set(v.parse::<f64>().ok().filter(|t| t.is_finite() && *t > 0.0));
                    }
                />
            </label>
            <label>
                "Expected inference tokens"
                <input
                    type="text"
                    inputmode="decimal"
                    data-testid="scaling-inference-tokens"
                    prop:value=move || format!("{:e}", vs.inference_tokens.get())
                    on:change=move |ev| {
                        if let Some(t) = parse_tokens(&event_target_value(&ev)) {
                            vs.inference_tokens.set(t);
                        }
                    }
                />
            </label>
            <span class="hint">
                "e.g. 2e12, 500B, 10T; the target defaults to a compute-optimal 7B model's loss"
            </span>
        </form>
    }
}

/// "2e12", "500B", "10T", "1.5e13" → tokens; None for anything else or negative.
pub fn parse_tokens(s: &str) -> Option<f64> {
    let s = s.trim().replace([',', '_', ' '], "");
    let (num, mult) = match s.chars().last()? {
        'K' | 'k' => (&s[..s.len() - 1], 1e3),
        'M' | 'm' => (&s[..s.len() - 1], 1e6),
        'B' | 'b' | 'G' => (&s[..s.len() - 1], 1e9),
        'T' | 't' => (&s[..s.len() - 1], 1e12),
        _ => (s.as_str(), 1.0),
    };
    let v = num.parse::<f64>().ok()? * mult;
    (v.is_finite() && v >= 0.0).then_some(v)
}
