//! AlpacaEval's raw numbers: win rate with its standard error, discrete win rate, and average
//! answer length, computed exactly as the published leaderboard computes them.
//!
//! Facts carried from tatsu-lab/alpaca_eval (`metrics/helpers.py`, `main.py`):
//! - win rate = mean(preference − 1) × 100 over usable preferences; the standard error is the
//!   pandas `sem` (sample standard deviation, ddof = 1, over √n) × 100. Null/NaN and values
//!   outside [1, 2] are dropped; the legacy draw code 0 counts as 1.5.
//! - discrete win rate: exactly 1.5 is a draw, every other preference is rounded to 1 or 2
//!   (so > 1.5 is a win, < 1.5 a loss), then (wins + draws / 2) / n × 100.
//! - `n_draws` counts preferences equal to 1.5 (or 0), both for the raw and the discrete rate.
//! - avg_length = `int(mean(len(output)))`: the mean length in code points of the model's
//!   answers, truncated toward zero. We also give the untruncated mean.

use serde::{Deserialize, Serialize};

use super::annotations::AlpacaAnnotations;
use super::length_controlled::{length_controlled, LcResult};
use super::{JudgeError, JudgeReport, JudgeSettings};
use crate::table::Table;

/// One leaderboard row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlpacaEvalRow {
    pub model: String,
    /// Percent, mean(preference − 1) × 100.
    pub win_rate: f64,
    /// Percent; NaN with fewer than two usable preferences.
    pub standard_error: f64,
    /// Percent, wins + draws / 2 over usable preferences.
    pub discrete_win_rate: f64,
    pub n_wins: u64,
    pub n_wins_base: u64,
    pub n_draws: u64,
    /// Usable preferences.
    pub n: u64,
    /// Judgments loaded, usable or not.
    pub n_judgments: u64,
    /// Mean answer length in code points, truncated as the reference leaderboard prints it.
    pub avg_length: u64,
    /// Mean answer length in code points.
    pub mean_length: f64,
    /// Mean length of the baseline's answers on the same instructions.
    pub baseline_mean_length: f64,
    /// Evidence that the answers are degenerate (the same text for every instruction, or off
    /// topic), so the win rate measures the judge rather than the model; `None` when ordinary.
    #[serde(default)]
    pub answer_flag: Option<String>,
}

/// Sample mean and standard error of the mean (ddof = 1).
pub(crate) fn mean_and_sem(values: &[f64]) -> (f64, f64) {
    let n = values.len();
    if n == 0 {
        return (f64::NAN, f64::NAN);
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return (mean, f64::NAN);
    }
    let ss: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
    (mean, (ss / (n - 1) as f64).sqrt() / (n as f64).sqrt())
}

/// Raw AlpacaEval metrics per model, sorted by win rate (highest first, then by name).
pub fn alpaca_eval_leaderboard(a: &AlpacaAnnotations) -> Vec<AlpacaEvalRow> {
    let k = a.models.len();
    let mut prefs: Vec<Vec<f64>> = vec![Vec::new(); k];
    let mut len_sum = vec![0u64; k];
    let mut base_len_sum = vec![0u64; k];
    let mut count = vec![0u64; k];
    for j in &a.judgments {
        let m = j.model as usize;
        count[m] += 1;
        len_sum[m] += u64::from(j.model_len);
        base_len_sum[m] += u64::from(j.baseline_len);
        if let Some(p) = j.preference {
            prefs[m].push(p - 1.0);
        }
    }
    let mut rows: Vec<AlpacaEvalRow> = (0..k)
        .map(|m| {
            let p = &prefs[m];
            let (mean, sem) = mean_and_sem(p);
            let n_draws = p.iter().filter(|&&x| x == 0.5).count() as u64;
            let n_wins = p.iter().filter(|&&x| x > 0.5).count() as u64;
            let n_wins_base = p.iter().filter(|&&x| x < 0.5).count() as u64;
            let n = p.len() as u64;
            let discrete = if n == 0 {
                f64::NAN
            } else {
                (n_wins as f64 + 0.5 * n_draws as f64) / n as f64 * 100.0
            };
            let mean_length =
                if count[m] == 0 { f64::NAN } else { len_sum[m] as f64 / count[m] as f64 };
            let baseline_mean_length =
                if count[m] == 0 { f64::NAN } else { base_len_sum[m] as f64 / count[m] as f64 };
            AlpacaEvalRow {
                model: a.models[m].clone(),
                win_rate: mean * 100.0,
                standard_error: sem * 100.0,
                discrete_win_rate: discrete,
                n_wins,
                n_wins_base,
                n_draws,
                n,
                n_judgments: count[m],
                // Integer division truncates exactly like Python's int(mean).
                avg_length: len_sum[m].checked_div(count[m]).unwrap_or(0),
                mean_length,
                baseline_mean_length,
                answer_flag: a.answer_checks.get(m).and_then(|c| c.flag.clone()),
            }
        })
        .collect();
    rows.sort_by(|x, y| {
        super::descending_nan_last(x.win_rate, y.win_rate).then_with(|| x.model.cmp(&y.model))
    });
    rows
}

/// AlpacaEval end to end: the annotations read, their leaderboard and the length-controlled
/// fit. Both [`super::judge`] and the page's [`super::run()`] start here.
pub struct AlpacaEvalRun {
    pub annotations: AlpacaAnnotations,
    pub rows: Vec<AlpacaEvalRow>,
    pub lc: LcResult,
}

/// Reads the annotation tables and computes every AlpacaEval number.
pub fn alpaca_eval_run(
    tables: &[(&str, &Table)],
    settings: &JudgeSettings,
) -> Result<AlpacaEvalRun, JudgeError> {
    let annotations = AlpacaAnnotations::from_tables(tables, settings.baseline.as_deref())?;
    let rows = alpaca_eval_leaderboard(&annotations);
    let lc = length_controlled(&annotations, &settings.lc)?;
    Ok(AlpacaEvalRun { annotations, rows, lc })
}

impl AlpacaEvalRun {
    /// The report `benchlens judge` prints.
    pub fn into_report(self) -> JudgeReport {
        JudgeReport::AlpacaEval {
            baseline: self.annotations.baseline,
            rows: self.rows,
            length_controlled: self.lc,
            warnings: self.annotations.warnings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::annotations::Judgment;

    fn judgment(model: u32, instruction: u32, p: Option<f64>, len: u32) -> Judgment {
        Judgment {
            model,
            instruction,
            preference: p,
            model_len: len,
            baseline_len: 10,
            file: 0,
            row: instruction,
        }
    }

    #[test]
    fn hand_checked_small_case() {
        // prefs 2, 1.5, 1, 1.75, NaN: raw = mean(1, .5, 0, .75) = 56.25 %;
        // discrete: wins {2, 1.75}, draw {1.5}, loss {1} = (2 + .5) / 4 = 62.5 %;
        // sem of [1, .5, 0, .75] (numpy std ddof=1 / 2) = 0.2134781409574916.
        let a = AlpacaAnnotations {
            baseline: "b".into(),
            models: vec!["m".into()],
            instructions: (0..5).map(|i| i.to_string()).collect(),
            judgments: vec![
                judgment(0, 0, Some(2.0), 3),
                judgment(0, 1, Some(1.5), 4),
                judgment(0, 2, Some(1.0), 4),
                judgment(0, 3, Some(1.75), 4),
                judgment(0, 4, None, 4),
            ],
            ..AlpacaAnnotations::default()
        };
        let r = &alpaca_eval_leaderboard(&a)[0];
        assert!((r.win_rate - 56.25).abs() < 1e-12);
        assert!((r.discrete_win_rate - 62.5).abs() < 1e-12);
        assert!((r.standard_error - 21.34781409574916).abs() < 1e-9, "{}", r.standard_error);
        assert_eq!((r.n_wins, r.n_wins_base, r.n_draws, r.n, r.n_judgments), (2, 1, 1, 4, 5));
        // lengths 3,4,4,4,4 → mean 3.8, printed as 3.
        assert_eq!(r.avg_length, 3);
        assert!((r.mean_length - 3.8).abs() < 1e-12);
    }
}
