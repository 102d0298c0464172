//! Per-instruction drill-down: one model's judgments, sortable by the judge's preference or the
//! length difference; clicking a row fetches that judgment's two answers from the worker.

use benchlens_engine::sorting::stable_sort_by;
use leptos::prelude::*;

use super::{alpaca_of, fmt, JudgeViewState};
use crate::format;
use crate::jobs::analysis::{AnalysisRequest, AnalysisResult};
use crate::jobs::judge::{AnswerPair, JudgeOutcome};
use crate::views::form::{name_options, LabeledSelect};
use crate::views::sort_header::SortHeader;
use crate::views::table::{MarkupTable, NumCell, TableHead};
use crate::views::{use_analysis, AnalysisState};

/// Instruction text shown in the table, in characters.
const SNIPPET: usize = 110;

#[derive(Clone, Copy, PartialEq, Eq)]
enum SortKey {
    Instruction,
    Preference,
    Predicted,
    LengthDiff,
}

/// One table row, precomputed.
#[derive(Clone, PartialEq)]
struct Row {
    /// Index into the judgments.
    judgment: usize,
    instruction_index: u32,
    /// The whole instruction (exports), and its first characters (the table).
    instruction: String,
    snippet: String,
    preference: Option<f64>,
    predicted: Option<f64>,
    model_len: u32,
    baseline_len: u32,
}

impl Row {
    fn length_diff(&self) -> i64 {
        i64::from(self.model_len) - i64::from(self.baseline_len)
    }
}

/// Background shade of a preference cell: blue towards the model, grey towards the baseline.
fn shade(pref: Option<f64>) -> String {
    match pref.filter(|p| p.is_finite()) {
        Some(p) => {
            let t = (p - 1.0).clamp(0.0, 1.0);
            format!("background: rgba(47, 91, 234, {:.2})", 0.06 + 0.34 * t)
        }
        None => String::new(),
    }
}

/// Model picker, instruction table and the answers of the picked judgment.
#[component]
pub fn DrillDown(
    /// The last outcome (AlpacaEval).
    outcome: Signal<Option<JudgeOutcome>>,
) -> impl IntoView {
    let vs = expect_context::<JudgeViewState>();
    // Models the judge compared with the baseline, in LC order.
    let models = Memo::new(move |_| {
        outcome.with(|o| {
            o.as_ref()
                .and_then(alpaca_of)
                .map(|a| {
                    a.lc.models
                        .iter()
                        .filter(|m| m.model != a.baseline)
                        .map(|m| m.model.clone())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let model = Memo::new(move |_| {
        let list = models.get();
        vs.drill_model.get().filter(|m| list.contains(m)).or_else(|| list.first().cloned())
    });
    let sort = RwSignal::new((SortKey::Preference, false));
    let rows = Memo::new(move |_| {
        let Some(model) = model.get() else { return Vec::new() };
        outcome.with(|o| {
            let Some(a) = o.as_ref().and_then(alpaca_of) else { return Vec::new() };
            let Some(mi) = a.detail.models.iter().position(|m| *m == model) else {
                return Vec::new();
            };
            let mut rows: Vec<Row> = a
                .detail
                .judgments
                .iter()
                .enumerate()
                .filter(|(_, j)| j.model as usize == mi)
                .map(|(k, j)| {
                    let text = a
                        .detail
                        .instructions
                        .get(j.instruction as usize)
                        .map_or("", String::as_str);
                    let instruction = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    let mut snippet = instruction.clone();
                    if snippet.chars().count() > SNIPPET {
                        snippet = snippet.chars().take(SNIPPET - 1).collect::<String>() + "…";
                    }
                    Row {
                        judgment: k,
                        instruction_index: j.instruction,
                        instruction,
                        snippet,
                        preference: j.preference,
                        predicted: a
                            .lc
                            .predicted_preference(&model, j.instruction as usize)
                            .map(|p| 1.0 + p),
                        model_len: j.model_len,
                        baseline_len: j.baseline_len,
                    }
                })
                .collect();
            let (key, reverse) = sort.get();
            let num = |v: Option<f64>| v.filter(|x| x.is_finite()).unwrap_or(f64::NEG_INFINITY);
            stable_sort_by(&mut rows, |x, y| {
                let ord = match key {
                    SortKey::Instruction => x.instruction_index.cmp(&y.instruction_index),
                    SortKey::Preference => num(y.preference).total_cmp(&num(x.preference)),
                    SortKey::Predicted => num(y.predicted).total_cmp(&num(x.predicted)),
                    SortKey::LengthDiff => y.length_diff().cmp(&x.length_diff()),
                }
                .then(x.instruction_index.cmp(&y.instruction_index));
                if reverse {
                    ord.reverse()
                } else {
                    ord
                }
            });
            rows
        })
    });

    // The picked judgment's texts, fetched from the worker on demand.
    let pick = Memo::new(move |_| {
        let k = vs.drill_pick.get()?;
        outcome.with(|o| {
            let a = o.as_ref().and_then(alpaca_of)?;
            let j = a.detail.judgments.get(k)?;
            let dataset = *a.detail.files.get(j.file as usize)?;
            Some((k, dataset, j.row))
        })
    });
    let request = Memo::new(move |_| match pick.get() {
        Some((_, dataset, row)) => Ok(AnalysisRequest::JudgeAnswers { dataset, row }),
        None => Err("Click a row to read the two answers.".to_string()),
    });
    let answers = use_analysis(request);

    let header =
        move |key: SortKey, label: &'static str, testid: &'static str, title: &'static str| {
            view! {
                <SortHeader
                    key=key
                    sort=sort
                    testid=testid
                    class="num"
                    title=title
                    ascending=matches!(key, SortKey::Instruction)
                >
                    {label}
                </SortHeader>
            }
        };
    let model_options = move || models.with(|m| name_options(m, model.get().as_deref()));
    let body = move || {
        let picked = vs.drill_pick.get();
        rows.get()
            .into_iter()
            .map(|r| {
                let k = r.judgment;
                let choose = move || vs.drill_pick.set(Some(k));
                view! {
                    <tr
                        data-testid="drill-row"
                        class="clickable"
                        class:selected=picked == Some(k)
                        tabindex="0"
                        on:click=move |_| choose()
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                            if ev.key() == "Enter" || ev.key() == " " {
                                ev.prevent_default();
                                choose();
                            }
                        }
                    >
                        <td class="num muted">{r.instruction_index + 1}</td>
                        <td class="instruction" data-value=r.instruction.clone()>
                            {r.snippet.clone()}
                        </td>
                        <NumCell
                            value=r.preference
                            text=fmt(r.preference, 3)
                            testid="drill-pref"
                            style=shade(r.preference)
                        />
                        <NumCell
                            value=r.predicted
                            text=fmt(r.predicted, 3)
                            testid="drill-pred"
                            style=shade(r.predicted)
                        />
                        <td class="num" data-value=r.model_len.to_string()>
                            {format::count(u64::from(r.model_len))}
                        </td>
                        <td class="num" data-value=r.baseline_len.to_string()>
                            {format::count(u64::from(r.baseline_len))}
                        </td>
                        <td class="num" data-testid="drill-dlen">
                            {format!("{:+}", r.length_diff())}
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    let baseline = Memo::new(move |_| {
        outcome.with(|o| {
            o.as_ref().and_then(alpaca_of).map(|a| a.baseline.to_owned()).unwrap_or_default()
        })
    });
    view! {
        <div class="drill">
            <div class="controls inline">
                <LabeledSelect
                    label="Model"
                    testid="drill-model"
                    on_pick=move |v| {
                        vs.drill_model.set(Some(v));
                        vs.drill_pick.set(None);
                    }
                >
                    {model_options}
                </LabeledSelect>
                <p class="hint">
                    {move || {
                        format!(
                            "{} instructions against {}. Preference on AlpacaEval's scale: 1 = baseline better, 2 = model better. \
                     “LC-predicted” is the length-controlled GLM's preference for this instruction with equal lengths.",
                            rows.with(Vec::len),
                            baseline.get(),
                        )
                    }}
                </p>
            </div>
            <MarkupTable testid="drill-table" class="drill-table" scroll_box="scroll-table">
                <TableHead slot>
                    <tr>
                        {header(
                            SortKey::Instruction,
                            "#",
                            "drill-sort-index",
                            "Instruction order in the files",
                        )} <th>"Instruction"</th>
                        {header(
                            SortKey::Preference,
                            "Judge",
                            "drill-sort-pref",
                            "The judge's preference (1 = baseline, 2 = model)",
                        )}
                        {header(
                            SortKey::Predicted,
                            "LC-predicted",
                            "drill-sort-pred",
                            "1 + σ(difficulty coefficient · γ + bias): the GLM's preference at equal length",
                        )} <th class="num">"Model chars"</th> <th class="num">"Baseline chars"</th>
                        {header(
                            SortKey::LengthDiff,
                            "Δ length",
                            "drill-sort-dlen",
                            "Model answer length minus baseline answer length, in characters",
                        )}
                    </tr>
                </TableHead>
                {body}
            </MarkupTable>
            {move || match answers.get() {
                AnalysisState::Waiting(why) => view! { <p class="empty">{why}</p> }.into_any(),
                AnalysisState::Running => {
                    view! { <p class="busy">"Fetching the answers…"</p> }.into_any()
                }
                AnalysisState::Failed(e) => {
                    view! {
                        <p class="error" role="alert">
                            {e}
                        </p>
                    }
                        .into_any()
                }
                AnalysisState::Done(r) => {
                    match *r {
                        AnalysisResult::JudgeAnswers(pair) => {
                            let k = pick.get().map(|p| p.0);
                            view! { <AnswerPanes pair=*pair judgment=k outcome=outcome /> }
                                .into_any()
                        }
                        _ => ().into_any(),
                    }
                }
            }}
        </div>
    }
}

/// The instruction and both answers, as plain text, with lengths and preferences.
#[component]
fn AnswerPanes(
    /// The fetched texts.
    pair: AnswerPair,
    /// Index of the judgment shown.
    judgment: Option<usize>,
    /// The outcome, for the preferences.
    outcome: Signal<Option<JudgeOutcome>>,
) -> impl IntoView {
    let facts = outcome.with_untracked(|o| {
        let a = o.as_ref().and_then(alpaca_of)?;
        let j = a.detail.judgments.get(judgment?)?;
        let model = a.detail.models.get(j.model as usize)?;
        let predicted = a.lc.predicted_preference(model, j.instruction as usize).map(|p| 1.0 + p);
        Some((j.preference, predicted, j.model_len, j.baseline_len))
    });
    let (pref, predicted, model_len, baseline_len) = facts.unwrap_or((None, None, 0, 0));
    let verdict = |p: Option<f64>| match p.filter(|p| p.is_finite()) {
        Some(p) if p > 1.5 => format!("{p:.3} (model preferred)"),
        Some(p) if p < 1.5 => format!("{p:.3} (baseline preferred)"),
        Some(p) => format!("{p:.3} (tie)"),
        None => "no usable verdict".to_string(),
    };
    view! {
        <div class="answers" data-testid="drill-answers">
            <p class="verdict">
                <span data-testid="drill-answer-pref">"Judge: "{verdict(pref)}</span>
                <span data-testid="drill-answer-pred">"LC-predicted: "{verdict(predicted)}</span>
            </p>
            <h3>"Instruction"</h3>
            <pre class="answer instruction-text" data-testid="drill-instruction">
                {pair.instruction}
            </pre>
            <div class="answer-pair">
                {answer(
                    "Baseline",
                    pair.generator_1,
                    baseline_len,
                    "drill-output-1",
                    pair.output_1,
                )} {answer("Model", pair.generator_2, model_len, "drill-output-2", pair.output_2)}
            </div>
        </div>
    }
}

/// One side of the pair: who wrote it, its length, the text.
fn answer(
    side: &'static str,
    generator: String,
    chars: u32,
    testid: &'static str,
    text: String,
) -> impl IntoView {
    view! {
        <div>
            <h3>{format!("{side} · {generator} · {} chars", format::count(u64::from(chars)))}</h3>
            <pre class="answer" data-testid=testid>
                {text}
            </pre>
        </div>
    }
}
