//! Scores the flags against expert labels (MMLU-Redux's `error_type`), so the precision and
//! recall quoted in BENCHMARKS.md can be re-derived with one command. Labels come
//! in many spellings (`OK`, `ok `, `Wrong groundtruth`, `wrong_groundtruth`): they are
//! normalised before counting.
//!
//! It also sweeps the threshold of each model-disagreement statistic (combined with the
//! error-severity rules) and cross-validates it over subjects: the threshold is fit on every
//! subject but one and applied to the held-out one, so the default threshold can be chosen
//! without scoring it on the labels it was fit to.

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

/// Column names that hold expert labels, as annotation releases name them (MMLU-Redux's
/// `error_type` first); matched after [`normalize_label`].
pub const LABEL_COLUMNS: [&str; 5] = ["error_type", "label", "labels", "annotation", "is_error"];

/// The expert-label column among `columns`, if one has a name from [`LABEL_COLUMNS`].
pub fn detect_label_column(columns: &[String]) -> Option<&str> {
    LABEL_COLUMNS
        .iter()
        .find_map(|want| columns.iter().find(|c| normalize_label(c) == *want).map(String::as_str))
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
    /// Threshold sweeps of the disagreement statistics, with their cross-validation (empty
    /// without predictions).
    #[serde(default)]
    pub sweeps: Vec<Sweep>,
}

/// Which model-disagreement statistic a [`Sweep`] thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Statistic {
    /// Share of the answering models that miss the key (`--min-miss-share`).
    MissShare,
    /// Models agreeing on the most chosen non-key answer (`--min-agree`, the k-of-m rule).
    AgreeCount,
}

impl Statistic {
    fn describe(self, t: f64) -> String {
        match self {
            Self::MissShare => format!("miss share >= {t:.3}"),
            Self::AgreeCount => format!("k-of-m agree, k >= {t}"),
        }
    }
}

/// One statistic swept over its thresholds, each combined with the error-severity rules
/// ("error flag, or statistic ≥ threshold"), plus its leave-one-subject-out cross-validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sweep {
    pub statistic: Statistic,
    /// In-sample rows, one per threshold, ascending.
    pub rows: Vec<(f64, EvalRow)>,
    /// The threshold with the best in-sample F1 (ties: the stricter one).
    pub best: f64,
    /// Pooled held-out predictions: each subject scored at the threshold fit on the others.
    pub cross_validated: EvalRow,
    /// How many folds chose each threshold.
    pub fold_choices: Vec<(f64, u64)>,
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
            score(name.clone(), &labels, non_ok, |i| items.contains(&i))
        })
        .collect();
    let mut errors_on_ok: BTreeMap<usize, Vec<CheckId>> = BTreeMap::new();
    for f in report.flags.iter().filter(|f| f.severity == Severity::Error) {
        if labels[f.item].as_deref() == Some("ok") {
            errors_on_ok.entry(f.item).or_default().push(f.check);
        }
    }
    let sweeps = sweeps(report, &labels, non_ok);
    Evaluation {
        labelled,
        non_ok,
        labels: counts,
        rows,
        errors_on_ok: errors_on_ok.into_iter().collect(),
        sweeps,
    }
}

/// Scores a set of flagged items (a predicate over item indices) against the labels.
fn score(
    name: String,
    labels: &[Option<String>],
    non_ok: u64,
    hit: impl Fn(usize) -> bool,
) -> EvalRow {
    let mut by_label = BTreeMap::new();
    let (mut flagged, mut tp) = (0u64, 0u64);
    for (i, l) in labels.iter().enumerate() {
        let Some(l) = l else { continue };
        if !hit(i) {
            continue;
        }
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
    EvalRow { name, flagged, true_positives: tp, precision, recall, f1, by_label }
}

/// F1 of "error flag or value ≥ t" over the labelled items `keep` selects.
fn f1_on(
    values: &[Option<f64>],
    error: &[bool],
    labels: &[Option<String>],
    t: f64,
    keep: impl Fn(usize) -> bool,
) -> f64 {
    let (mut flagged, mut tp, mut pos) = (0u64, 0u64, 0u64);
    for (i, l) in labels.iter().enumerate() {
        let Some(l) = l.as_deref().filter(|_| keep(i)) else { continue };
        let bad = l != "ok";
        let hit = error[i] || values[i].is_some_and(|v| v >= t - 1e-12);
        flagged += u64::from(hit);
        tp += u64::from(hit && bad);
        pos += u64::from(bad);
    }
    if flagged + pos == 0 {
        0.0
    } else {
        2.0 * tp as f64 / (flagged + pos) as f64
    }
}

/// The threshold with the best F1 on the items `keep` selects; ties go to the stricter one.
fn fit(
    values: &[Option<f64>],
    error: &[bool],
    labels: &[Option<String>],
    thresholds: &[f64],
    keep: impl Fn(usize) -> bool + Copy,
) -> f64 {
    let mut best = (f64::NEG_INFINITY, f64::NAN);
    for &t in thresholds {
        let f = f1_on(values, error, labels, t, keep);
        if f >= best.0 {
            best = (f, t);
        }
    }
    best.1
}

fn sweeps(report: &Report, labels: &[Option<String>], non_ok: u64) -> Vec<Sweep> {
    let Some(d) = &report.disagreement else { return Vec::new() };
    let n = report.items.items.len();
    // Error-severity flags of the rules (never the disagreement check itself).
    let mut error = vec![false; n];
    for f in report.flags.iter().filter(|f| f.severity == Severity::Error) {
        error[f.item] = true;
    }
    let subjects: Vec<&str> = (0..n).map(|i| report.items.subject_of(i)).collect();
    let folds: BTreeSet<&str> = subjects.iter().copied().collect();
    [Statistic::MissShare, Statistic::AgreeCount]
        .into_iter()
        .map(|statistic| {
            let mut values: Vec<Option<f64>> = vec![None; n];
            for v in d.items.iter().filter(|v| v.models >= 2) {
                let key = report.items.items[v.item].key;
                values[v.item] = Some(match statistic {
                    Statistic::MissShare => {
                        f64::from(super::disagreement::missing(v, key)) / f64::from(v.models)
                    }
                    Statistic::AgreeCount => f64::from(v.top_other.map_or(0, |(_, c)| c)),
                });
            }
            let mut thresholds: Vec<f64> =
                values.iter().flatten().copied().filter(|&t| t > 0.0).collect();
            thresholds.sort_by(f64::total_cmp);
            thresholds.dedup_by(|a, b| (*a - *b).abs() < 1e-12);
            let hit = |t: f64| {
                let (values, error) = (&values, &error);
                move |i: usize| error[i] || values[i].is_some_and(|v| v >= t - 1e-12)
            };
            let rows: Vec<(f64, EvalRow)> = thresholds
                .iter()
                .map(|&t| {
                    (
                        t,
                        score(
                            format!("error or {}", statistic.describe(t)),
                            labels,
                            non_ok,
                            hit(t),
                        ),
                    )
                })
                .collect();
            let best = fit(&values, &error, labels, &thresholds, |_| true);
            let mut chosen: BTreeMap<u64, u64> = BTreeMap::new();
            let mut held_out = vec![f64::NAN; n];
            for fold in &folds {
                let t = fit(&values, &error, labels, &thresholds, |i| subjects[i] != *fold);
                *chosen.entry(t.to_bits()).or_insert(0) += 1;
                for (i, s) in subjects.iter().enumerate() {
                    if s == fold {
                        held_out[i] = t;
                    }
                }
            }
            let cross_validated = score(
                format!(
                    "cross-validated: error or {} (threshold fit on the other subjects)",
                    match statistic {
                        Statistic::MissShare => "miss share",
                        Statistic::AgreeCount => "k-of-m agree",
                    }
                ),
                labels,
                non_ok,
                |i| error[i] || values[i].is_some_and(|v| v >= held_out[i] - 1e-12),
            );
            let mut fold_choices: Vec<(f64, u64)> =
                chosen.into_iter().map(|(b, c)| (f64::from_bits(b), c)).collect();
            fold_choices.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.total_cmp(&b.0)));
            Sweep { statistic, rows, best, cross_validated, fold_choices }
        })
        .collect()
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

    #[test]
    fn label_columns_are_found_by_name() {
        let cols = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let redux = cols(&["question", "choices", "answer", "Error Type", "source"]);
        assert_eq!(detect_label_column(&redux), Some("Error Type"));
        assert_eq!(
            detect_label_column(&cols(&["question", "label", "error_type"])),
            Some("error_type")
        );
        assert_eq!(detect_label_column(&cols(&["question", "A", "B", "answer"])), None);
    }
}
