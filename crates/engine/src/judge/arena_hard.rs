//! Arena-Hard-Auto scores: each model's Bradley–Terry strength against the baseline, from the
//! judge's two position-swapped verdicts per question, with bootstrap confidence intervals.
//!
//! Facts carried from lmarena/arena-hard-auto (`show_result.py`, `config/judge_config.yaml`):
//! - game 1 shows the baseline as A and the model as B; game 2 swaps them. Labels `A>B`, `A>>B`,
//!   `A=B`, `B>A`, `B>>A` (and their mirrored spellings `A<B`, `A<<B`, `B=A`, `B<A`, `B<<A`)
//!   become model-side scores 1 / 0.5 / 0; a strong verdict (`>>`) counts `weight` times,
//!   weight 3 by default. A record with a missing verdict in either game is dropped.
//! - intervals: bootstrap of the score rows per model, 100 rounds, 5 % and 95 % quantiles, so
//!   the tool's intervals are 90 % (v2 `show_result.py`; v0.1 printed 95 %). Our level is a
//!   setting, 0.90 by default, and is reported with the result.
//! - the Bradley–Terry fit (v0.1 `compute_mle_elo`: ties count half, Elo scale 400, base 10,
//!   baseline anchored at 1000). Every game is against the same baseline, so the likelihood
//!   separates per model and the MLE has a closed form: the model's win probability against
//!   the baseline is its (tie-halved, weighted) win share, and its rating is
//!   1000 + 400 · log10(p / (1 − p)). The reported score is that win probability in percent.
//! - default baseline `gpt-4-0314` (v0.1 judge_config.yaml) when the files do not name one.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::stats::{quantile_sorted, resample_counts, rng};
use crate::table::Table;

use super::arena_hard_style::{answer_styles, style_fit, StyleCoefficients, StyleControl};
use super::error::required_column;
use super::JudgeError;

/// Arena-Hard settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArenaHardSettings {
    /// Baseline name; from a `baseline` column, else `gpt-4-0314` (arena-hard-auto v0.1).
    pub baseline: Option<String>,
    /// How many times a `>>` verdict counts. Source: arena-hard-auto `load_judgments(weight=3)`.
    pub strong_verdict_weight: u32,
    /// Bootstrap rounds. Source: arena-hard-auto `show_result.py` (`range(100)`).
    pub bootstrap_rounds: u32,
    /// Two-sided interval level. Source: arena-hard-auto v2 quantiles 0.05 / 0.95 → 0.90.
    pub ci_level: f64,
    /// Control for answer length and/or markdown (needs the answer files' metadata).
    pub style_control: Option<StyleControl>,
}

impl Default for ArenaHardSettings {
    fn default() -> Self {
        Self {
            baseline: None,
            strong_verdict_weight: 3,
            bootstrap_rounds: 100,
            ci_level: 0.90,
            style_control: None,
        }
    }
}

/// One leaderboard row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArenaHardRow {
    pub model: String,
    /// Win probability against the baseline, percent (the Arena-Hard score).
    pub score: f64,
    /// Lower end of the bootstrap interval, percent.
    pub lower: f64,
    /// Upper end of the bootstrap interval, percent.
    pub upper: f64,
    /// Bradley–Terry rating on the Elo scale (baseline = 1000); `None` when the model won or lost
    /// every game, where the MLE is infinite.
    pub rating: Option<f64>,
    /// Questions with two usable verdicts.
    pub questions: u64,
    /// Weighted score rows by value: model losses, ties, wins.
    pub losses: u64,
    pub ties: u64,
    pub wins: u64,
}

/// Arena-Hard leaderboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArenaHardResult {
    pub baseline: String,
    /// Sorted by score, highest first, then by name; the baseline is listed at 50 %.
    pub rows: Vec<ArenaHardRow>,
    pub ci_level: f64,
    pub bootstrap_rounds: u32,
    pub seed: u64,
    pub strong_verdict_weight: u32,
    /// Style coefficients, when style control was asked for; the rows' scores are then the
    /// style-controlled win probabilities.
    pub style: Option<StyleCoefficients>,
    pub warnings: Vec<String>,
}

/// Model-side scores of one verdict label: (score in {0, 0.5, 1}, is strong).
fn label_score(label: &str, model_is_a: bool) -> Option<(f64, bool)> {
    // Score from A's side.
    let (a_score, strong) = match label.trim() {
        "A>B" | "B<A" => (1.0, false),
        "A>>B" | "B<<A" => (1.0, true),
        "A=B" | "B=A" => (0.5, false),
        "A<B" | "B>A" => (0.0, false),
        "A<<B" | "B>>A" => (0.0, true),
        _ => return None,
    };
    Some((if model_is_a { a_score } else { 1.0 - a_score }, strong))
}

fn game_label(game: &serde_json::Value) -> Option<&str> {
    game.get("score").and_then(|s| s.as_str())
}

/// Counts per model: [losses, ties, wins] in weighted score rows, and question count.
type Counts = BTreeMap<String, ([u64; 3], u64)>;

/// One usable judgment record: the model, the question id, and the two games' model-side
/// scores with how many times each counts.
pub(crate) struct Record {
    pub model: String,
    pub question: String,
    pub scores: [(f64, u64); 2],
}

fn collect(
    tables: &[(&str, &Table)],
    weight: u64,
    warnings: &mut Vec<String>,
) -> Result<(Vec<Record>, BTreeSet<String>), JudgeError> {
    let mut records = Vec::new();
    let mut baselines = BTreeSet::new();
    for (name, t) in tables {
        let need = |c: &str| required_column(t, name, c, "Arena-Hard");
        let model_col = need("model")?;
        let games_col = need("games")?;
        let baseline_col = t.column_index("baseline");
        // v2 files key questions by `uid`, v0.1 by `question_id`.
        let question_col = t.column_index("uid").or_else(|| t.column_index("question_id"));
        let (mut unusable, mut first_line) = (0u64, 0u64);
        for r in 0..t.n_rows() {
            if let Some(c) = baseline_col {
                let b = t.cell(r, c).trim();
                if !b.is_empty() {
                    baselines.insert(b.to_owned());
                }
            }
            let model = t.cell(r, model_col).trim();
            let games: Option<Vec<serde_json::Value>> =
                serde_json::from_str(t.cell(r, games_col)).ok();
            let verdicts = games.as_ref().filter(|g| g.len() == 2).and_then(|g| {
                // Game 1: A = baseline, B = model. Game 2: A = model, B = baseline.
                let first = label_score(game_label(&g[0])?, false)?;
                let second = label_score(game_label(&g[1])?, true)?;
                Some([first, second])
            });
            let Some(verdicts) = verdicts.filter(|_| !model.is_empty()) else {
                if unusable == 0 {
                    first_line = t.line_of(r);
                }
                unusable += 1;
                continue;
            };
            let count = |(score, strong): (f64, bool)| (score, if strong { weight } else { 1 });
            records.push(Record {
                model: model.to_owned(),
                question: question_col.map(|c| t.cell(r, c).trim().to_owned()).unwrap_or_default(),
                scores: [count(verdicts[0]), count(verdicts[1])],
            });
        }
        if unusable > 0 {
            warnings.push(format!(
                "{name}: {unusable} records skipped: they lack a model or two games with a verdict \
                 label such as A>B or B>>A; first at line {first_line}"
            ));
        }
    }
    Ok((records, baselines))
}

fn counts_of(records: &[Record]) -> Counts {
    let mut counts: Counts = BTreeMap::new();
    for rec in records {
        let entry = counts.entry(rec.model.clone()).or_insert(([0; 3], 0));
        entry.1 += 1;
        for (score, n) in rec.scores {
            let slot = if score == 0.0 {
                0
            } else if score == 0.5 {
                1
            } else {
                2
            };
            entry.0[slot] += n;
        }
    }
    counts
}

fn win_share(c: &[u64; 3]) -> f64 {
    let total = c.iter().sum::<u64>();
    if total == 0 {
        return f64::NAN;
    }
    (c[2] as f64 + 0.5 * c[1] as f64) / total as f64
}

/// Arena-Hard leaderboard from judgment tables.
pub fn arena_hard_leaderboard(
    tables: &[(&str, &Table)],
    answers: &[(&str, &Table)],
    s: &ArenaHardSettings,
    seed: u64,
) -> Result<ArenaHardResult, JudgeError> {
    if !(s.ci_level > 0.0 && s.ci_level < 1.0) {
        return Err(JudgeError::BadSetting {
            what: "ci_level",
            rule: "strictly between 0 and 1",
            value: s.ci_level.to_string(),
        });
    }
    if s.strong_verdict_weight == 0 {
        return Err(JudgeError::BadSetting {
            what: "strong_verdict_weight",
            rule: "at least 1",
            value: "0".into(),
        });
    }
    let mut warnings = Vec::new();
    let (records, baselines) = collect(tables, u64::from(s.strong_verdict_weight), &mut warnings)?;
    let counts = counts_of(&records);
    let baseline = match &s.baseline {
        Some(b) => b.clone(),
        None => match baselines.len() {
            0 => "gpt-4-0314".to_owned(),
            1 => baselines.iter().next().cloned().unwrap_or_default(),
            _ => {
                let list: Vec<&str> = baselines.iter().map(String::as_str).take(5).collect();
                return Err(JudgeError::AmbiguousBaseline { found: list.join(", ") });
            }
        },
    };
    if counts.is_empty() {
        return Err(JudgeError::NoJudgments {
            reason: "no record has a model and two games with verdict labels".into(),
        });
    }
    let mut r = rng(seed);
    let (lo_q, hi_q) = ((1.0 - s.ci_level) / 2.0, (1.0 + s.ci_level) / 2.0);
    let mut rows = Vec::with_capacity(counts.len() + 1);
    let mut draws = Vec::with_capacity(3);
    let mut boot = Vec::with_capacity(s.bootstrap_rounds as usize);
    // Models in name order, so the stream of draws (and thus every interval) is reproducible.
    for (model, (c, questions)) in &counts {
        if *model == baseline {
            warnings.push(format!(
                "judgments of the baseline `{baseline}` against itself were ignored"
            ));
            continue;
        }
        let total = c.iter().sum::<u64>();
        let p = win_share(c);
        boot.clear();
        for _ in 0..s.bootstrap_rounds {
            resample_counts(c, total, &mut r, &mut draws);
            boot.push(win_share(&[draws[0], draws[1], draws[2]]));
        }
        boot.sort_by(f64::total_cmp);
        let (lower, upper) = if boot.is_empty() {
            (f64::NAN, f64::NAN)
        } else {
            (quantile_sorted(&boot, lo_q), quantile_sorted(&boot, hi_q))
        };
        let rating = (p > 0.0 && p < 1.0).then(|| 1000.0 + 400.0 * (p / (1.0 - p)).log10());
        rows.push(ArenaHardRow {
            model: model.clone(),
            score: p * 100.0,
            lower: lower * 100.0,
            upper: upper * 100.0,
            rating,
            questions: *questions,
            losses: c[0],
            ties: c[1],
            wins: c[2],
        });
    }
    let mut style = None;
    if let Some(control) = s.style_control {
        let styles = answer_styles(answers, &mut warnings);
        let fit = style_fit(
            &records,
            &styles,
            &baseline,
            control,
            s.bootstrap_rounds,
            s.ci_level,
            seed,
            &mut warnings,
        )
        .ok_or_else(|| JudgeError::NoJudgments {
            reason: "style control needs the answer files (with metadata.token_len and the \
                     markdown counts) of the models and of the baseline; pass them with the \
                     judgment files"
                .into(),
        })?;
        for row in &mut rows {
            if let Some(i) = fit.models.iter().position(|m| *m == row.model) {
                row.score = fit.win[i] * 100.0;
                row.lower = fit.lower[i] * 100.0;
                row.upper = fit.upper[i] * 100.0;
                row.rating = Some(1000.0 + 400.0 * fit.strength[i] / std::f64::consts::LN_10);
            }
        }
        // Models without any styled judgment keep no controlled score.
        rows.retain(|row| fit.models.contains(&row.model));
        style = Some(fit.coefficients);
    }
    rows.push(ArenaHardRow {
        model: baseline.clone(),
        score: 50.0,
        lower: 50.0,
        upper: 50.0,
        rating: Some(1000.0),
        questions: 0,
        losses: 0,
        ties: 0,
        wins: 0,
    });
    rows.sort_by(|x, y| {
        super::descending_nan_last(x.score, y.score).then_with(|| x.model.cmp(&y.model))
    });
    Ok(ArenaHardResult {
        baseline,
        rows,
        ci_level: s.ci_level,
        bootstrap_rounds: s.bootstrap_rounds,
        seed,
        strong_verdict_weight: s.strong_verdict_weight,
        style,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_from_the_right_side() {
        assert_eq!(label_score("A>>B", false), Some((0.0, true)));
        assert_eq!(label_score("A>>B", true), Some((1.0, true)));
        assert_eq!(label_score("B>A", true), Some((0.0, false)));
        assert_eq!(label_score("A=B", false), Some((0.5, false)));
        assert_eq!(label_score("B<<A", false), Some((0.0, true)));
        assert_eq!(label_score("maybe", true), None);
    }
}
