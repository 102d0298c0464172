//! Arena-Hard-Auto and MT-Bench results: notes, leaderboard with intervals, forest plot.

use benchlens_engine::judge::{ArenaHardResult, JudgeReport, MtBenchResult};
use leptos::prelude::*;

use super::{fmt, specs};
use crate::charts::ChartCanvas;
use crate::export::full_opt;
use crate::format;
use crate::jobs::judge::JudgeOutcome;
use crate::views::panel::ChartPanel;
use crate::views::table::{MarkupTable, NumCell, TableHead};

fn arena_of(o: &JudgeOutcome) -> Option<&ArenaHardResult> {
    match &o.report {
        Ok(JudgeReport::ArenaHard(r)) => Some(r),
        _ => None,
    }
}

fn mt_of(o: &JudgeOutcome) -> Option<&MtBenchResult> {
    match &o.report {
        Ok(JudgeReport::MtBench(r)) => Some(r),
        _ => None,
    }
}

fn level(l: f64) -> String {
    format!("{:.0} %", l * 100.0)
}

/// Arena-Hard leaderboard, style coefficients and forest plot.
#[component]
pub fn ArenaHardResults(
    /// The last outcome (an Arena-Hard one while this is shown).
    outcome: Signal<Option<JudgeOutcome>>,
) -> impl IntoView {
    let forest = Signal::derive(move || {
        outcome.with(|o| o.as_ref().and_then(arena_of).map(specs::arena_forest))
    });
    let tables = move || {
        outcome.with(|o| {
            let r = o.as_ref().and_then(arena_of)?;
            let mut notes = vec![
                format!(
                    "Baseline {} · score = win probability against it (ties half, “>>” verdicts counted {}×), as arena-hard-auto reports it.",
                    r.baseline, r.strong_verdict_weight
                ),
                format!(
                    "Intervals: {} bootstrap intervals ({} rounds, seed {}). arena-hard-auto reports 90 % intervals (its v0.1 printed 95 %).",
                    level(r.ci_level),
                    r.bootstrap_rounds,
                    r.seed
                ),
            ];
            if let Some(s) = &r.style {
                notes.push(format!(
                    "Style-controlled scores ({}): the win probability at equal style, from {} score rows.",
                    s.features.join(", "),
                    format::count(s.rows)
                ));
            }
            let notes = notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view();
            let warnings = r.warnings.iter().map(|w| view! { <li class="warning">{w.clone()}</li> }).collect_view();
            let rows = r
                .rows
                .iter()
                .map(|m| {
                    let baseline = m.model == r.baseline;
                    view! {
                        <tr data-testid="judge-row" data-model=m.model.clone()>
                            <td class="model" data-value=m.model.clone()>
                                {m.model.clone()}
                                {baseline.then(|| view! { <span class="badge">"baseline"</span> })}
                            </td>
                            <NumCell
                                value=Some(m.score)
                                text=fmt(Some(m.score), 1)
                                testid="cell-score"
                                class="strong"
                            />
                            <NumCell value=m.lower text=fmt(Some(m.lower), 1) testid="cell-lower" />
                            <NumCell value=m.upper text=fmt(Some(m.upper), 1) testid="cell-upper" />
                            <NumCell value=m.rating text=fmt(m.rating, 0) />
                            <NumCell value=m.questions as f64 text=format::count(m.questions) />
                            <NumCell value=m.wins as f64 text=format::count(m.wins) />
                            <NumCell value=m.ties as f64 text=format::count(m.ties) />
                            <NumCell value=m.losses as f64 text=format::count(m.losses) />
                        </tr>
                    }
                })
                .collect_view();
            let style = r.style.as_ref().map(|s| {
                let rows = s
                    .features
                    .iter()
                    .enumerate()
                    .map(|(i, f)| view! {
                        <tr>
                            <td>{f.clone()}</td>
                            <NumCell
                                value=s.coefficients.get(i).copied()
                                text=fmt(s.coefficients.get(i).copied(), 3)
                            />
                            <NumCell
                                value=s.lower.get(i).copied()
                                text=fmt(s.lower.get(i).copied(), 3)
                            />
                            <NumCell
                                value=s.upper.get(i).copied()
                                text=fmt(s.upper.get(i).copied(), 3)
                            />
                        </tr>
                    })
                    .collect_view();
                let lower = format!("{} lower", level(r.ci_level));
                view! {
                    <div class="panel">
                        <h2>"Style coefficients"</h2>
                        <MarkupTable testid="judge-style-table">
                            <TableHead slot>
                                <tr>
                                    <th>"Feature"</th>
                                    <th class="num">"Coefficient"</th>
                                    <th class="num">{lower}</th>
                                    <th class="num">"upper"</th>
                                </tr>
                            </TableHead>
                            {rows}
                        </MarkupTable>
                    </div>
                }
            });
            let interval = level(r.ci_level);
            Some(view! {
                <ul class="notes" data-testid="judge-notes">
                    {notes}
                    {warnings}
                </ul>
                <div class="panel">
                    <h2>"Arena-Hard-Auto leaderboard"</h2>
                    <MarkupTable testid="judge-leaderboard">
                        <TableHead slot>
                            <tr>
                                <th></th>
                                <th></th>
                                <th class="group" colspan="2" data-testid="judge-interval-level">
                                    {format!("{interval} interval")}
                                </th>
                                <th></th>
                                <th></th>
                                <th class="group" colspan="3">
                                    "Weighted score rows"
                                </th>
                            </tr>
                            <tr>
                                <th>"Model"</th>
                                <th class="num">"Score (%)"</th>
                                <th class="num">"lower"</th>
                                <th class="num">"upper"</th>
                                <th class="num" title="Bradley–Terry rating, baseline = 1000">
                                    "Rating"
                                </th>
                                <th class="num">"Questions"</th>
                                <th class="num">"wins"</th>
                                <th class="num">"ties"</th>
                                <th class="num">"losses"</th>
                            </tr>
                        </TableHead>
                        {rows}
                    </MarkupTable>
                </div>
                {style}
            })
        })
    };
    view! {
        {tables}
        <div class="panel">
            <h2>
                {move || {
                    outcome
                        .with(|o| {
                            o.as_ref()
                                .and_then(arena_of)
                                .map(|r| format!("Scores with {} intervals", level(r.ci_level)))
                        })
                }}
            </h2>
            <ChartCanvas
                spec=forest
                testid="chart-judge-forest"
                label="Forest plot of Arena-Hard scores with bootstrap intervals"
            />
        </div>
    }
}

/// MT-Bench means per model and turn with intervals, and a forest plot.
#[component]
pub fn MtBenchResults(
    /// The last outcome (an MT-Bench one while this is shown).
    outcome: Signal<Option<JudgeOutcome>>,
) -> impl IntoView {
    let forest =
        Signal::derive(move || outcome.with(|o| o.as_ref().and_then(mt_of).map(specs::mt_forest)));
    let tables = move || {
        outcome.with(|o| {
            let r = o.as_ref().and_then(mt_of)?;
            let mut turns: Vec<u32> = r.rows.iter().filter_map(|m| m.turn).collect();
            turns.sort_unstable();
            turns.dedup();
            let mut models: Vec<&str> = Vec::new();
            for m in &r.rows {
                if !models.contains(&m.model.as_str()) {
                    models.push(&m.model);
                }
            }
            let interval = level(r.ci_level);
            let cell = |model: &str, turn: Option<u32>| {
                let row = r.rows.iter().find(|m| m.model == model && m.turn == turn);
                let mean = fmt(row.map(|m| m.mean), 2);
                let finite = row.filter(|m| m.lower.is_finite() && m.upper.is_finite());
                let ci = finite.map_or(String::new(), |m| format!("{:.2} – {:.2}", m.lower, m.upper));
                let ci_full = finite.map_or(String::new(), |m| format!("{} – {}", m.lower, m.upper));
                view! {
                    <td class="num strong" data-value=full_opt(row.map(|m| m.mean))>
                        {mean}
                    </td>
                    <td class="num se" data-value=ci_full>
                        {ci}
                    </td>
                }
            };
            let rows = models
                .iter()
                .map(|model| {
                    let n = r.rows.iter().find(|m| m.model == *model && m.turn.is_none()).map_or(0, |m| m.n);
                    let per_turn = turns.iter().map(|t| cell(model, Some(*t))).collect_view();
                    view! {
                        <tr data-testid="judge-row" data-model=model.to_string()>
                            <td class="model">{model.to_string()}</td>
                            {cell(model, None)}
                            {per_turn}
                            <NumCell value=n as f64 text=format::count(n) />
                        </tr>
                    }
                })
                .collect_view();
            let turn_groups = turns.iter().map(|t| view! {
                <th class="group" colspan="2">
                    {format!("Turn {t}")}
                </th>
            }).collect_view();
            let turn_subs = turns.iter().map(|_| view! {
                <th class="num">"mean"</th>
                <th class="num">{interval.clone()}</th>
            }).collect_view();
            let warnings = r.warnings.iter().map(|w| view! { <li class="warning">{w.clone()}</li> }).collect_view();
            Some(view! {
                <ul class="notes" data-testid="judge-notes">
                    <li>
                        {format!(
                            "Mean single-answer grade (1–10) per model and turn, as FastChat's show_result.py; grades of −1 are dropped. Intervals: mean ± z · sd/√n at {interval} (FastChat prints none).",
                        )}
                    </li>
                    {warnings}
                </ul>
                <div class="panel">
                    <h2>"MT-Bench scores"</h2>
                    <MarkupTable testid="judge-leaderboard">
                        <TableHead slot>
                            <tr>
                                <th></th>
                                <th class="group" colspan="2">
                                    "All turns"
                                </th>
                                {turn_groups}
                                <th></th>
                            </tr>
                            <tr>
                                <th>"Model"</th>
                                <th class="num">"mean"</th>
                                <th class="num" data-testid="judge-interval-level">
                                    {interval.clone()}
                                </th>
                                {turn_subs}
                                <th class="num">"Grades"</th>
                            </tr>
                        </TableHead>
                        {rows}
                    </MarkupTable>
                </div>
            })
        })
    };
    view! {
        {tables}
        <ChartPanel
            title="Means with intervals"
            spec=forest
            testid="chart-judge-forest"
            label="Forest plot of MT-Bench mean scores with intervals"
        />
    }
}

/// The view's settings as JSON, for the report.
pub fn report_settings() -> Signal<serde_json::Value> {
    let vs = use_context::<super::JudgeViewState>();
    Signal::derive(move || match vs {
        Some(vs) => serde_json::json!({
            "settings": vs.settings.get(),
            "drill_model": vs.drill_model.get(),
        }),
        None => serde_json::Value::Null,
    })
}
