//! MT-Bench single-answer grading: the mean judge score (1–10) per model, per turn and over
//! both turns, with confidence intervals.
//!
//! Facts carried from FastChat `llm_judge/show_result.py` (single mode): grades of −1 mean the
//! judge gave no rating and are dropped; the "first turn" / "second turn" columns are the mean
//! score over that turn's questions, and the overall score is the mean over every remaining
//! grade of the model. FastChat prints no interval; ours is the normal-approximation interval
//! mean ± z · sd / √n (sd with ddof = 1), which with 80 questions per turn is within a few
//! hundredths of a t interval.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::table::Table;

use super::error::required_column;
use super::JudgeError;
use crate::stats::normal::normal_quantile;

/// Mean score with its uncertainty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MtBenchRow {
    pub model: String,
    /// `None` for the mean over every turn.
    pub turn: Option<u32>,
    pub mean: f64,
    /// sd / √n; NaN with fewer than two grades.
    pub standard_error: f64,
    pub lower: f64,
    pub upper: f64,
    pub n: u64,
}

/// MT-Bench scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MtBenchResult {
    /// Models ordered by overall mean (highest first, then by name); per model the overall row
    /// comes first, then each turn in order.
    pub rows: Vec<MtBenchRow>,
    pub ci_level: f64,
    pub warnings: Vec<String>,
}

fn summarise(model: &str, turn: Option<u32>, scores: &[f64], z: f64) -> MtBenchRow {
    let (mean, se) = super::alpaca_eval::mean_and_sem(scores);
    MtBenchRow {
        model: model.to_owned(),
        turn,
        mean,
        standard_error: se,
        lower: mean - z * se,
        upper: mean + z * se,
        n: scores.len() as u64,
    }
}

/// Mean score per model and turn from single-answer grade tables.
pub fn mt_bench_scores(
    tables: &[(&str, &Table)],
    ci_level: f64,
) -> Result<MtBenchResult, JudgeError> {
    if !(ci_level > 0.0 && ci_level < 1.0) {
        return Err(JudgeError::BadSetting {
            what: "ci_level",
            rule: "strictly between 0 and 1",
            value: ci_level.to_string(),
        });
    }
    let z = normal_quantile((1.0 + ci_level) / 2.0);
    let mut warnings = Vec::new();
    // model -> turn -> scores
    let mut scores: BTreeMap<String, BTreeMap<u32, Vec<f64>>> = BTreeMap::new();
    for (name, t) in tables {
        let need = |c: &str| required_column(t, name, c, "MT-Bench");
        let (model_col, turn_col, score_col) = (need("model")?, need("turn")?, need("score")?);
        let (mut no_rating, mut bad, mut first_bad) = (0u64, 0u64, 0u64);
        for r in 0..t.n_rows() {
            let model = t.cell(r, model_col).trim();
            let turn: Option<u32> = t.cell(r, turn_col).trim().parse().ok();
            let score: Option<f64> = t.cell(r, score_col).trim().parse().ok();
            match (model.is_empty(), turn, score) {
                (false, Some(_), Some(-1.0)) => no_rating += 1,
                (false, Some(turn), Some(s)) if s.is_finite() => {
                    scores.entry(model.to_owned()).or_default().entry(turn).or_default().push(s);
                }
                _ => {
                    if bad == 0 {
                        first_bad = t.line_of(r);
                    }
                    bad += 1;
                }
            }
        }
        if no_rating > 0 {
            warnings.push(format!(
                "{name}: {no_rating} grades of -1 (the judge gave no rating) were dropped, as FastChat does"
            ));
        }
        if bad > 0 {
            warnings.push(format!(
                "{name}: {bad} rows skipped: model, turn (an integer) or score (a number) is \
                 missing or unreadable; first at line {first_bad}"
            ));
        }
    }
    if scores.is_empty() {
        return Err(JudgeError::NoJudgments {
            reason: "no row has a model, a turn and a score".into(),
        });
    }
    let mut per_model: Vec<(MtBenchRow, Vec<MtBenchRow>)> = scores
        .iter()
        .map(|(model, turns)| {
            let all: Vec<f64> = turns.values().flatten().copied().collect();
            let overall = summarise(model, None, &all, z);
            let by_turn = turns.iter().map(|(t, s)| summarise(model, Some(*t), s, z)).collect();
            (overall, by_turn)
        })
        .collect();
    per_model.sort_by(|a, b| {
        super::descending_nan_last(a.0.mean, b.0.mean).then_with(|| a.0.model.cmp(&b.0.model))
    });
    let rows = per_model.into_iter().flat_map(|(o, t)| std::iter::once(o).chain(t)).collect();
    Ok(MtBenchResult { rows, ci_level, warnings })
}
