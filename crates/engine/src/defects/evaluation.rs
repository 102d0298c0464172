//! Scores the flags against expert labels (MMLU-Redux's `error_type`), so the precision and
//! recall quoted in BENCHMARKS.md can be re-derived with one command. Labels come
//! in many spellings (`OK`, `ok `, `Wrong groundtruth`, `wrong_groundtruth`): they are
//! normalised before counting.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::report::Report;
use super::{CheckId, Severity};

/// `" Wrong Groundtruth"` → `wrong_groundtruth`; empty → `unlabelled`.
pub fn normalize_label(raw: &str) -> String {
    let mut out = String::new();
    for c in raw.trim().chars() {
        let c = if c.is_whitespace() || c == '-' { '_' } else { c.to_ascii_lowercase() };
        if !(c == '_' && out.ends_with('_')) {
            out.push(c);
        }
    }
    if out.is_empty() {
        "unlabelled".into()
    } else {
        out
    }
}

/// Precision and recall of one predictor (a check, a severity, or the combination).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvalRow {
    pub name: String,
    /// Labelled items it flags.
    pub flagged: u64,
    /// Of those, items with a non-ok label.
    pub true_positives: u64,
    pub precision: f64,
    /// Against every non-ok label.
    pub recall: f64,
    pub f1: f64,
    /// Flagged items per label (recall per error type = this / the label's total).
    pub by_label: BTreeMap<String, u64>,
}

/// The whole evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub labelled: u64,
    pub non_ok: u64,
    /// Items per normalised label.
    pub labels: BTreeMap<String, u64>,
    pub rows: Vec<EvalRow>,
    /// Error-severity flags on items labelled ok: to read by hand (label misses or false alarms).
    pub errors_on_ok: Vec<(usize, Vec<CheckId>)>,
}

/// Evaluates a report whose items carry labels.
pub fn evaluate(report: &Report) -> Evaluation {
    let labels: Vec<Option<String>> =
        report.items.items.iter().map(|i| i.label.as_deref().map(normalize_label)).collect();
    let mut counts = BTreeMap::new();
    for l in labels.iter().flatten() {
        *counts.entry(l.clone()).or_insert(0u64) += 1;
    }
    let labelled: u64 = counts.values().sum();
    let non_ok = labelled - counts.get("ok").copied().unwrap_or(0);
    let mut predictors: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut add = |name: String, item: usize, order: &mut Vec<String>| {
        if !predictors.contains_key(&name) {
            order.push(name.clone());
        }
        predictors.entry(name).or_default().insert(item);
    };
    for c in CheckId::ALL {
        for f in report.flags.iter().filter(|f| f.check == c) {
            add(format!("check {}", c.id()), f.item, &mut order);
        }
    }
    for f in &report.flags {
        add(format!("severity {}", f.severity.id()), f.item, &mut order);
        if f.severity != Severity::Warning {
            add("combination: error or suspect".into(), f.item, &mut order);
        }
        add("any flag".into(), f.item, &mut order);
    }
    for r in report.ranking.iter().filter(|r| r.suspicion >= report.settings.suspicion_threshold) {
        add(format!("suspicion >= {}", report.settings.suspicion_threshold), r.item, &mut order);
    }
    let rows = order
        .iter()
        .map(|name| {
            let items = &predictors[name];
            let mut by_label = BTreeMap::new();
            let mut flagged = 0;
            let mut tp = 0;
            for &i in items {
                let Some(l) = &labels[i] else { continue };
                flagged += 1;
                tp += u64::from(l != "ok");
                *by_label.entry(l.clone()).or_insert(0) += 1;
            }
            let precision = if flagged == 0 { 0.0 } else { tp as f64 / flagged as f64 };
            let recall = if non_ok == 0 { 0.0 } else { tp as f64 / non_ok as f64 };
            let f1 = if precision + recall == 0.0 {
                0.0
            } else {
                2.0 * precision * recall / (precision + recall)
            };
            EvalRow {
                name: name.clone(),
                flagged,
                true_positives: tp,
                precision,
                recall,
                f1,
                by_label,
            }
        })
        .collect();
    let mut errors_on_ok: BTreeMap<usize, Vec<CheckId>> = BTreeMap::new();
    for f in report.flags.iter().filter(|f| f.severity == Severity::Error) {
        if labels[f.item].as_deref() == Some("ok") {
            errors_on_ok.entry(f.item).or_default().push(f.check);
        }
    }
    Evaluation {
        labelled,
        non_ok,
        labels: counts,
        rows,
        errors_on_ok: errors_on_ok.into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_normalise() {
        assert_eq!(normalize_label(" Wrong Groundtruth"), "wrong_groundtruth");
        assert_eq!(normalize_label("OK "), "ok");
        assert_eq!(normalize_label("bad  question-clarity"), "bad_question_clarity");
        assert_eq!(normalize_label(""), "unlabelled");
    }
}
