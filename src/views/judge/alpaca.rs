//! AlpacaEval results: notes, the leaderboard (with the published values and the differences
//! when a published leaderboard is loaded), what length buys, the charts and the drill-down.

use leptos::prelude::*;

use super::{alpaca_of, drill, fmt, specs, AlpacaView};
use crate::charts::ChartCanvas;
use crate::export::{full, full_opt};
use crate::format;
use crate::jobs::judge::JudgeOutcome;
use crate::views::panel::ChartPanel;
use crate::views::sort_header::SortHeader;
use crate::views::table::{MarkupTable, NumCell, TableHead};
use benchlens_engine::judge::alpaca_notes::NoteKind;
use benchlens_engine::judge::published::MATCH_TOLERANCE as MATCH;
use benchlens_engine::sorting::stable_sort_by;

/// Everything for an AlpacaEval outcome.
#[component]
pub fn AlpacaResults(
    /// The last outcome (an AlpacaEval one while this is shown).
    outcome: Signal<Option<JudgeOutcome>>,
) -> impl IntoView {
    let scatter = Signal::derive(move || {
        outcome.with(|o| o.as_ref().and_then(alpaca_of).map(|a| specs::raw_vs_lc(&a)))
    });
    let forest = Signal::derive(move || {
        outcome.with(|o| o.as_ref().and_then(alpaca_of).map(|a| specs::win_rate_forest(&a)))
    });
    view! {
        <Notes outcome=outcome />
        <div class="panel">
            <h2>"AlpacaEval leaderboard"</h2>
            <Leaderboard outcome=outcome />
        </div>
        <div class="panel">
            <h2>"What length buys"</h2>
            <p class="hint">
                "Each model's raw and length-controlled (LC) win rate, grouped with its verbose/concise variants. The length coefficient multiplies tanh((baseline length − model length) / sd): the more negative, the more the judge rewards this model's extra length."
            </p>
            <LengthTable outcome=outcome />
            <div class="grid2">
                <ChartCanvas
                    spec=scatter
                    testid="chart-raw-vs-lc"
                    label="Raw versus length-controlled win rate per model, with the y = x diagonal; point size and colour encode average answer length; variants of one model are joined"
                />
            </div>
        </div>
        <ChartPanel
            title="Win rates with 95 % intervals"
            spec=forest
            testid="chart-judge-forest"
            label="Forest plot of LC and raw win rates with 95 % intervals"
        />
        <div class="panel">
            <h2>"Per-instruction drill-down"</h2>
            <drill::DrillDown outcome=outcome />
        </div>
    }
}

/// What the numbers rest on, and how far the LC numbers are from the published ones.
#[component]
fn Notes(
    /// The last outcome.
    outcome: Signal<Option<JudgeOutcome>>,
) -> impl IntoView {
    move || {
        outcome.with(|o| {
            let a = o.as_ref().and_then(alpaca_of)?;
            Some(notes(&a))
        })
    }
}

/// The engine's notes (every number in them computed from the rows shown), then the warnings.
fn notes(a: &AlpacaView) -> impl IntoView {
    let list = a
        .detail
        .notes
        .iter()
        .map(|n| {
            let class = match n.kind {
                NoteKind::Info => "",
                NoteKind::Match => "match-note",
                NoteKind::Warning => "warning",
            };
            view! { <li class=class>{n.text.clone()}</li> }
        })
        .collect_view();
    let warnings =
        a.warnings.iter().map(|w| view! { <li class="warning">{w.clone()}</li> }).collect_view();
    view! {
        <ul class="notes" data-testid="judge-notes">
            {list}
            {warnings}
        </ul>
    }
}

/// The leaderboard's mark on a model whose answers are degenerate (one text for every
/// instruction, or off topic): its win rate measures the judge, so the evidence is on screen.
#[component]
fn AnswerFlag(
    /// The engine's evidence, e.g. "805 of 805 answers are identical".
    evidence: String,
) -> impl IntoView {
    view! {
        <span
            class="badge warn"
            data-testid="answer-flag"
            title="Degenerate answers: this win rate says more about the judge than about the model"
        >
            "⚠ degenerate answers"
        </span>
        <span class="flag-evidence" data-testid="answer-flag-evidence">
            {evidence}
        </span>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SortKey {
    Model,
    WinRate,
    Lc,
    Length,
}

/// A difference cell: green when within [`MATCH`].
fn delta_cell(ours: f64, theirs: Option<f64>, decimals: usize, testid: String) -> impl IntoView {
    let d = theirs.map(|t| ours - t).filter(|d| d.is_finite());
    let class = match d {
        Some(d) if d.abs() < MATCH => "num delta match",
        Some(_) => "num delta off",
        None => "num delta",
    };
    let text = d.map_or(String::new(), |d| {
        if d.abs() < MATCH {
            "✓ 0".to_string()
        } else {
            format!("{d:+.decimals$}")
        }
    });
    let title = d.map_or(String::new(), |d| format!("ours − published = {d:e}"));
    view! {
        <td class=class title=title data-testid=testid data-value=full_opt(d)>
            {text}
        </td>
    }
}

/// Model, win rate ± SE, discrete, LC ± SE, average length, n; the published values and
/// differences when a published leaderboard is loaded. Click a header to sort.
#[component]
fn Leaderboard(
    /// The last outcome.
    outcome: Signal<Option<JudgeOutcome>>,
) -> impl IntoView {
    let sort = RwSignal::new((SortKey::Lc, false));
    let header = move |key: SortKey, label: &'static str, testid: &'static str, span: u32| {
        view! {
            <SortHeader
                key=key
                sort=sort
                testid=testid
                colspan=span
                ascending=matches!(key, SortKey::Model)
            >
                {label}
            </SortHeader>
        }
    };
    let has_published = Memo::new(move |_| {
        outcome
            .with(|o| o.as_ref().and_then(alpaca_of).is_some_and(|a| a.detail.published.is_some()))
    });
    let rows = move || {
        outcome.with(|o| {
            let Some(a) = o.as_ref().and_then(alpaca_of) else { return Vec::new() };
            let (key, reverse) = sort.get();
            let mut models: Vec<_> = a.lc.models.iter().collect();
            let raw_of = |m: &str| a.rows.iter().find(|r| r.model == m);
            stable_sort_by(&mut models, |x, y| {
                let ord = match key {
                    SortKey::Model => x.model.cmp(&y.model),
                    SortKey::WinRate => y.win_rate.total_cmp(&x.win_rate),
                    SortKey::Lc => y.lc_win_rate.total_cmp(&x.lc_win_rate),
                    SortKey::Length => {
                        let len = |m: &str| raw_of(m).map_or(0, |r| r.avg_length);
                        len(&y.model).cmp(&len(&x.model))
                    }
                };
                if reverse {
                    ord.reverse()
                } else {
                    ord
                }
            });
            let published = a.detail.published.as_ref();
            models
                .into_iter()
                .map(|m| {
                    let raw = raw_of(&m.model);
                    let p = published.and_then(|p| p.rows.iter().find(|r| r.model == m.model));
                    let wr = raw.map_or(f64::NAN, |r| r.win_rate);
                    let disc = raw.map_or(f64::NAN, |r| r.discrete_win_rate);
                    let len = raw.map_or(f64::NAN, |r| r.avg_length as f64);
                    // The published value of `column` and our difference from it, when a
                    // published leaderboard is loaded: `cell-pub-{column}`, `cell-delta-{column}`.
                    let pub_cells = |ours: f64, theirs: Option<f64>, decimals, column: &str| {
                        let pid = format!("cell-pub-{column}");
                        let did = format!("cell-delta-{column}");
                        published.map(|_| view! {
                            <td class="num published" data-testid=pid data-value=full_opt(theirs)>
                                {fmt(theirs, decimals)}
                            </td>
                            {delta_cell(ours, theirs, decimals, did)}
                        })
                    };
                    view! {
                        <tr data-testid="judge-row" data-model=m.model.clone()>
                            <td class="model" data-value=m.model.clone()>
                                {m.model.clone()}
                                {(m.model == a.baseline)
                                    .then(|| view! { <span class="badge">"baseline"</span> })}
                                {raw
                                    .and_then(|r| r.answer_flag.clone())
                                    .map(|evidence| view! { <AnswerFlag evidence=evidence /> })}
                            </td>
                            <NumCell value=wr text=fmt(Some(wr), 2) testid="cell-wr" />
                            <NumCell
                                value=raw.map(|r| r.standard_error)
                                text=fmt(raw.map(|r| r.standard_error), 2)
                                testid="cell-se"
                                class="se"
                            />
                            {pub_cells(wr, p.and_then(|p| p.win_rate), 2, "wr")}
                            <NumCell value=disc text=fmt(Some(disc), 2) testid="cell-discrete" />
                            {pub_cells(disc, p.and_then(|p| p.discrete_win_rate), 2, "discrete")}
                            <NumCell
                                value=Some(m.lc_win_rate)
                                text=fmt(Some(m.lc_win_rate), 2)
                                testid="cell-lc"
                                class="strong"
                            />
                            <NumCell
                                value=Some(m.lc_standard_error)
                                text=fmt(Some(m.lc_standard_error), 2)
                                testid="cell-lc-se"
                                class="se"
                            />
                            {pub_cells(m.lc_win_rate, p.and_then(|p| p.lc_win_rate), 2, "lc")}
                            <NumCell value=len text=fmt(Some(len), 0) testid="cell-len" />
                            {pub_cells(len, p.and_then(|p| p.avg_length), 0, "len")}
                            <td
                                class="num"
                                data-testid="cell-n"
                                data-value=raw.map(|r| r.n.to_string())
                            >
                                {raw.map_or(String::new(), |r| format::count(r.n))}
                            </td>
                        </tr>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    let group = move |label: &'static str, ours: u32| {
        let span = if has_published.get() { ours + 2 } else { ours };
        view! {
            <th class="group" colspan=span>
                {label}
            </th>
        }
    };
    let sub = move |label: &'static str| view! { <th class="num">{label}</th> };
    let pub_sub = move || {
        has_published.get().then(|| {
            view! {
                <th class="num published">"published"</th>
                <th class="num">"Δ"</th>
            }
        })
    };
    view! {
        <MarkupTable testid="judge-leaderboard" class="judge-leaderboard">
            <TableHead slot>
                <tr>
                    <th></th>
                    {move || group("Win rate (%)", 2)}
                    {move || group("Discrete (%)", 1)}
                    {move || group("Length-controlled (%)", 2)}
                    {move || group("Avg length", 1)}
                    <th></th>
                </tr>
                <tr>
                    {header(SortKey::Model, "Model", "judge-sort-model", 1)}
                    {header(SortKey::WinRate, "win rate", "judge-sort-wr", 1)} {sub("± SE")}
                    {pub_sub} {sub("discrete")} {pub_sub}
                    {header(SortKey::Lc, "LC win rate", "judge-sort-lc", 1)} {sub("± SE")}
                    {pub_sub} {header(SortKey::Length, "chars", "judge-sort-len", 1)} {pub_sub}
                    {sub("n")}
                </tr>
            </TableHead>
            {rows}
        </MarkupTable>
    }
}

/// Models grouped by base model (verbose/concise variants side by side): length, raw and LC win
/// rate, the gain from length control and the length coefficient.
#[component]
fn LengthTable(
    /// The last outcome.
    outcome: Signal<Option<JudgeOutcome>>,
) -> impl IntoView {
    move || {
        outcome.with(|o| {
            let a = o.as_ref().and_then(alpaca_of)?;
            // Families: base model → members, ordered by average length.
            let mut families: Vec<(String, Vec<&benchlens_engine::judge::LcModel>)> = Vec::new();
            for m in a.lc.models.iter().filter(|m| m.model != a.baseline) {
                let base = m.variant_of.clone().unwrap_or_else(|| m.model.clone());
                match families.iter_mut().find(|(b, _)| *b == base) {
                    Some((_, members)) => members.push(m),
                    None => families.push((base, vec![m])),
                }
            }
            let len_of = |m: &str| a.rows.iter().find(|r| r.model == m);
            for (_, members) in &mut families {
                stable_sort_by(members, |x, y| {
                    let l = |m: &str| len_of(m).map_or(f64::NAN, |r| r.mean_length);
                    l(&x.model).total_cmp(&l(&y.model))
                });
            }
            // Families with variants first, then by best LC.
            stable_sort_by(&mut families, |x, y| {
                (y.1.len() > 1).cmp(&(x.1.len() > 1)).then_with(|| {
                    let best = |f: &[&benchlens_engine::judge::LcModel]| f.iter().map(|m| m.lc_win_rate).fold(f64::NEG_INFINITY, f64::max);
                    best(&y.1).total_cmp(&best(&x.1))
                })
            });
            let bodies = families
                .into_iter()
                .map(|(base, members)| {
                    let span = members.len();
                    let rows = members
                        .into_iter()
                        .enumerate()
                        .map(|(i, m)| {
                            let raw = len_of(&m.model);
                            let variant = match m.variant_of {
                                Some(ref b) => m.model.strip_prefix(b.as_str()).unwrap_or("").trim_start_matches('_').to_string(),
                                None => "default".to_string(),
                            };
                            let vs_base = raw.map(|r| r.mean_length - r.baseline_mean_length);
                            let gain = m.lc_win_rate - m.win_rate;
                            view! {
                                <tr data-testid="length-row" data-model=m.model.clone()>
                                    {(i == 0)
                                        .then(|| {
                                            view! {
                                                <th class="family" rowspan=span>
                                                    {base.clone()}
                                                </th>
                                            }
                                        })}
                                    <td>{variant}</td>
                                    <td class="model">{m.model.clone()}</td>
                                    <td class="num">
                                        {raw.map_or(String::new(), |r| r.avg_length.to_string())}
                                    </td>
                                    <td class="num" data-value=full_opt(vs_base)>
                                        {vs_base
                                            .filter(|v| v.is_finite())
                                            .map_or(String::new(), |v| format!("{v:+.0}"))}
                                    </td>
                                    <NumCell value=m.win_rate text=fmt(Some(m.win_rate), 2) />
                                    <td class="num strong" data-value=full(m.lc_win_rate)>
                                        {fmt(Some(m.lc_win_rate), 2)}
                                    </td>
                                    <td class="num" class:gain={gain > 0.0} data-value=full(gain)>
                                        {if gain.is_finite() {
                                            format!("{gain:+.2}")
                                        } else {
                                            String::new()
                                        }}
                                    </td>
                                    <NumCell
                                        value=m.length_coef
                                        text=fmt(Some(m.length_coef), 3)
                                        testid="cell-length-coef"
                                    />
                                </tr>
                            }
                        })
                        .collect_view();
                    view! { <tbody class="family">{rows}</tbody> }
                })
                .collect_view();
            Some(view! {
                <MarkupTable testid="judge-length-table" class="length-table" row_groups=true>
                    <TableHead slot>
                        <tr>
                            <th>"Base model"</th>
                            <th>"Variant"</th>
                            <th>"Model"</th>
                            <th class="num">"Avg length"</th>
                            <th
                                class="num"
                                title="Mean answer length minus the baseline's on the same instructions"
                            >
                                "vs baseline"
                            </th>
                            <th class="num">"Raw win rate"</th>
                            <th class="num">"LC win rate"</th>
                            <th class="num">"LC − raw"</th>
                            <th
                                class="num"
                                title="Coefficient of tanh((baseline length − model length) / sd) in the LC GLM"
                            >
                                "Length coef."
                            </th>
                        </tr>
                    </TableHead>
                    {bodies}
                </MarkupTable>
            })
        })
    }
}
