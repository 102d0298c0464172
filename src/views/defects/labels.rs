//! The checks scored against expert labels in the loaded files: precision, recall and F1 of each
//! check, severity and the default combination, as `benchlens defects --evaluate COLUMN` prints
//! them. A column named like `error_type` is used by default; any other column can be picked.

use benchlens_engine::defects::evaluation::{EvalRow, Evaluation};
use benchlens_engine::sorting::stable_sort_by_key;
use leptos::prelude::*;

use super::DefectsViewState;
use crate::export::full;
use crate::format;
use crate::jobs::defects::DefectsOverview;
use crate::jobs::defects_labels::{LabelChoice, LabelsView};
use crate::views::table::{MarkupTable, NumCell, TableHead};

/// The `<select>` value of a choice.
fn choice_value(c: &LabelChoice) -> String {
    match c {
        LabelChoice::Auto => "auto".into(),
        LabelChoice::Off => "off".into(),
        LabelChoice::Column(name) => format!("column:{name}"),
    }
}

fn choice_of(value: &str) -> LabelChoice {
    match value {
        "off" => LabelChoice::Off,
        v => v.strip_prefix("column:").map_or(LabelChoice::Auto, |c| LabelChoice::Column(c.into())),
    }
}

/// Label column picker and, when items carry labels, the score table.
#[component]
pub fn LabelScores(
    /// The latest overview.
    overview: Signal<Option<DefectsOverview>>,
) -> impl IntoView {
    let vs = expect_context::<DefectsViewState>();
    let labels = Memo::new(move |_| overview.with(|o| o.as_ref().map(|o| o.labels.clone())));
    move || {
        let l = labels.get()?;
        let current = vs.labels.get();
        let auto_text = if current == LabelChoice::Auto && !l.used.is_empty() {
            format!("auto ({})", l.used.join(", "))
        } else {
            "auto (a column named error_type, label…)".to_string()
        };
        let options = l
            .columns
            .iter()
            .map(|c| {
                let value = choice_value(&LabelChoice::Column(c.clone()));
                let selected = value == choice_value(&current);
                view! {
                    <option value=value prop:selected=selected>
                        {c.clone()}
                    </option>
                }
            })
            .collect_view();
        let picker = view! {
            <label class="field">
                <span>"Label column"</span>
                <select
                    data-testid="defects-label-column"
                    on:change=move |ev| vs.labels.set(choice_of(&event_target_value(&ev)))
                >
                    <option value="auto" prop:selected={current == LabelChoice::Auto}>
                        {auto_text}
                    </option>
                    <option value="off" prop:selected={current == LabelChoice::Off}>
                        "none"
                    </option>
                    {options}
                </select>
            </label>
        };
        Some(match l.evaluation {
            Some(e) => view! {
                <div class="panel" data-testid="defects-labels">
                    <h2>"Against the expert labels in your files"</h2>
                    {picker}
                    <Scores evaluation=e />
                </div>
            }
            .into_any(),
            // Open once the user has picked something, so the picker stays where it was.
            None => view! {
                <details
                    class="panel"
                    data-testid="defects-labels"
                    open={current != LabelChoice::Auto}
                >
                    <summary>"Score the checks against expert labels…"</summary>
                    <p class="hint">{no_labels_hint(&l, &current)}</p>
                    {picker}
                </details>
            }
            .into_any(),
        })
    }
}

fn no_labels_hint(l: &LabelsView, current: &LabelChoice) -> String {
    match current {
        LabelChoice::Off => "Scoring is off.".into(),
        LabelChoice::Column(c) if l.used.is_empty() => format!("No benchmark file has a column “{c}”."),
        _ => "If your benchmark files carry a label per item (ok, or the error found, as MMLU-Redux's error_type does), pick that column to see each check's precision, recall and F1 against it.".into(),
    }
}

/// The score table: one row per predictor, per-label recall at the right.
#[component]
fn Scores(
    /// The evaluation from the worker.
    evaluation: Evaluation,
) -> impl IntoView {
    let e = evaluation;
    let bad: Vec<(String, u64)> =
        e.labels.iter().filter(|(l, _)| l.as_str() != "ok").map(|(l, n)| (l.clone(), *n)).collect();
    let heads = bad
        .iter()
        .map(|(l, n)| view! {
            <th class="num" title=format!("{} labelled {l}", super::counted(*n, "item", "items"))>
                {l.replace('_', " ")}
            </th>
        })
        .collect_view();
    let row = |r: &EvalRow| {
        let combination = r.name.starts_with("combination");
        let per_label = bad
            .iter()
            .map(|(l, n)| {
                let hit = r.by_label.get(l).copied().unwrap_or(0);
                view! {
                    <td class="num" data-value=hit.to_string()>
                        {format!("{hit}/{n}")}
                    </td>
                }
            })
            .collect_view();
        view! {
            <tr data-testid="label-score-row" data-name=r.name.clone() class:pooled=combination>
                <td>{r.name.clone()}</td>
                <td class="num" data-value=r.flagged.to_string()>
                    {format::count(r.flagged)}
                </td>
                <td class="num" data-value=r.true_positives.to_string()>
                    {format::count(r.true_positives)}
                </td>
                <NumCell value=r.precision text=format!("{:.3}", r.precision) />
                <NumCell value=r.recall text=format!("{:.3}", r.recall) />
                <td class="num" data-value=full(r.f1) data-testid="label-score-f1">
                    {format!("{:.3}", r.f1)}
                </td>
                {per_label}
            </tr>
        }
    };
    // The checks that flag something (in check order), then severities, then the combinations.
    let group = |name: &str| {
        [
            "check ",
            "severity error",
            "severity suspect",
            "severity warning",
            "combination",
            "suspicion",
        ]
        .iter()
        .position(|p| name.starts_with(p))
        .unwrap_or(6)
    };
    let mut shown: Vec<&EvalRow> = e.rows.iter().filter(|r| r.flagged > 0).collect();
    stable_sort_by_key(&mut shown, |r| group(&r.name));
    let rows = shown.into_iter().map(row).collect_view();
    let summary = format!(
        "{}, {} not ok ({}). Precision and recall are against any non-ok label; an item counts once per predictor however many flags it has. {}",
        super::counted(e.labelled, "labelled item", "labelled items"),
        format::count(e.non_ok),
        e.labels.iter().map(|(l, n)| format!("{l} {n}")).collect::<Vec<_>>().join(", "),
        errors_on_ok_note(e.errors_on_ok.len() as u64),
    );
    view! {
        <p class="hint" data-testid="defects-labels-summary">
            {summary}
        </p>
        <MarkupTable testid="defects-label-scores">
            <TableHead slot>
                <tr>
                    <th>"Predictor"</th>
                    <th class="num">"Flagged"</th>
                    <th class="num">"True pos."</th>
                    <th class="num">"Precision"</th>
                    <th class="num">"Recall"</th>
                    <th class="num">"F1"</th>
                    {heads}
                </tr>
            </TableHead>
            {rows}
        </MarkupTable>
    }
}

/// The closing sentence about error flags on items the experts called ok: a count of zero says
/// so plainly instead of asking the reader to read nothing.
pub(crate) fn errors_on_ok_note(n: u64) -> String {
    match n {
        0 => "No item labelled ok carries an error flag.".into(),
        1 => "1 item labelled ok carries an error flag: read it; the labels may miss a real \
              defect, or the flag is a false alarm."
            .into(),
        n => format!(
            "{} items labelled ok carry an error flag: read them; the labels miss some real \
             defects, and some flags are false alarms.",
            crate::format::count(n)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::errors_on_ok_note;

    #[test]
    fn a_zero_count_does_not_ask_to_read_anything() {
        assert_eq!(errors_on_ok_note(0), "No item labelled ok carries an error flag.");
        assert!(
            errors_on_ok_note(1).starts_with("1 item labelled ok carries an error flag: read it;")
        );
        assert!(errors_on_ok_note(1200)
            .starts_with("1,200 items labelled ok carry an error flag: read them;"));
    }
}
