//! Pure functions from the defects overview to chart specs.

use benchlens_engine::defects::{CheckId, Severity};
use benchlens_engine::sorting::stable_sort_by;

use crate::charts::stacked::{StackedBars, StackedRow};
use crate::charts::ChartSpec;
use crate::jobs::defects::DefectsOverview;

/// Per subject, the share of items flagged by each shown check (stacked), subjects with the
/// largest total share first. None when nothing shown is flagged.
pub fn subject_chart(
    o: &DefectsOverview,
    severities: &[Severity],
    only: Option<CheckId>,
) -> Option<ChartSpec> {
    let shown: Vec<CheckId> = CheckId::ALL
        .into_iter()
        .filter(|c| severities.contains(&c.severity()) && only.is_none_or(|o| o == *c))
        .filter(|c| o.subjects.iter().any(|s| s.by_check.get(c).is_some_and(|&n| n > 0)))
        .collect();
    if shown.is_empty() {
        return None;
    }
    let mut rows: Vec<(f64, StackedRow)> = o
        .subjects
        .iter()
        .filter(|s| s.items > 0)
        .map(|s| {
            let values: Vec<f64> = shown
                .iter()
                .map(|c| 100.0 * s.by_check.get(c).copied().unwrap_or(0) as f64 / s.items as f64)
                .collect();
            let total: f64 = values.iter().sum();
            let flagged: u64 = shown.iter().map(|c| s.by_check.get(c).copied().unwrap_or(0)).sum();
            let note = format!("{flagged} / {}", s.items);
            (total, StackedRow { label: s.subject.clone(), values, note })
        })
        .filter(|(total, _)| *total > 0.0)
        .collect();
    stable_sort_by(&mut rows, |a, b| b.0.total_cmp(&a.0).then_with(|| a.1.label.cmp(&b.1.label)));
    let series = shown
        .iter()
        .map(|c| {
            let colour = CheckId::ALL.iter().position(|x| x == c).unwrap_or(0);
            (c.id().replace('_', " "), colour)
        })
        .collect();
    Some(ChartSpec::Stacked(StackedBars {
        rows: rows.into_iter().map(|(_, r)| r).collect(),
        series,
        x_label: "flags per 100 items of the subject (bar note: flags / items)".into(),
    }))
}
