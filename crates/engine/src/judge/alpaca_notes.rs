//! The sentences above the AlpacaEval leaderboard: what the numbers rest on and how they compare
//! with a published leaderboard.
//!
//! Every number in a note is computed here from the same rows the table shows, never typed into
//! a string: a note once claimed "the ordering is preserved" and "4 to 11 points above" on every
//! input, next to a table that showed otherwise. The page and the CLI only print these notes.

use serde::{Deserialize, Serialize};

use super::alpaca_eval::AlpacaEvalRow;
use super::length_controlled::{LcRegularization, LcResult};
use super::published::{Published, PublishedRow, MATCH_TOLERANCE};

/// How a note is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoteKind {
    /// Context: what was loaded and how it was computed.
    Info,
    /// Our numbers match the published ones.
    Match,
    /// Something the reader must weigh before trusting a number.
    Warning,
}

/// One sentence (or two) above the leaderboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JudgeNote {
    pub kind: NoteKind,
    pub text: String,
}

/// What the AlpacaEval notes are computed from: exactly what the page shows.
#[derive(Debug, Clone, Copy)]
pub struct NoteInputs<'a> {
    pub baseline: &'a str,
    pub judgments: usize,
    pub instructions: usize,
    pub files: usize,
    pub rows: &'a [AlpacaEvalRow],
    pub lc: &'a LcResult,
    pub published: Option<&'a Published>,
}

fn note(kind: NoteKind, text: String) -> JudgeNote {
    JudgeNote { kind, text }
}

/// Thousands separators, as the page prints counts.
fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// The AlpacaEval notes, in display order.
pub fn alpaca_notes(x: &NoteInputs<'_>) -> Vec<JudgeNote> {
    let lc = x.lc;
    let fitted = lc.models.iter().filter(|m| m.model != x.baseline).count();
    let mut notes = vec![note(
        NoteKind::Info,
        format!(
            "Baseline {} · {} judgments of {} models on {} instructions from {} files.",
            x.baseline,
            count(x.judgments),
            fitted,
            count(x.instructions),
            x.files
        ),
    )];
    notes.push(note(
        NoteKind::Info,
        if lc.difficulty_used {
            format!(
                "Instruction difficulty: estimated jointly from the {fitted} loaded models ({} sweeps), not downloaded.",
                lc.difficulty_sweeps
            )
        } else if lc.settings.instruction_difficulty {
            "Instruction difficulty: left out (fewer than three models loaded), the reference's length_controlled_minimal GLM.".into()
        } else {
            "Instruction difficulty: left out (switched off).".into()
        },
    ));
    let lambda = lc.settings.regularize_to_baseline_lambda;
    notes.push(note(
        NoteKind::Info,
        match &lc.regularization {
            LcRegularization::GamedBaseline { variants } => format!(
                "Regularisation towards the baseline (λ = {lambda}): the baseline's own rewrites {}, as AlpacaEval does.",
                variants.join(", ")
            ),
            LcRegularization::PooledModels => format!(
                "Regularisation towards the baseline (λ = {lambda}): the other loaded models' judgments, because the baseline's own verbose/concise annotations (which AlpacaEval downloads) are not loaded."
            ),
            LcRegularization::None => {
                "Regularisation towards the baseline: none (λ = 0 or a single model).".into()
            }
        },
    ));
    notes.push(note(
        NoteKind::Info,
        "LC ± SE is AlpacaEval's own definition (the spread of the per-instruction predictions); it ignores the uncertainty of the fitted coefficients, so it understates the real uncertainty.".into(),
    ));
    if let Some(p) = x.published {
        notes.extend(published_notes(x, p));
    }
    notes
}

/// Ours and theirs for every published row where both are finite.
fn lined_up(
    p: &Published,
    ours: impl Fn(&str) -> Option<f64>,
    theirs: fn(&PublishedRow) -> Option<f64>,
) -> Vec<(&str, f64, f64)> {
    p.rows
        .iter()
        .filter_map(|r| Some((r.model.as_str(), ours(&r.model)?, theirs(r)?)))
        .filter(|(_, o, t)| o.is_finite() && t.is_finite())
        .collect()
}

fn published_notes(x: &NoteInputs<'_>, p: &Published) -> Vec<JudgeNote> {
    let mut notes = Vec::new();
    let raw =
        lined_up(p, |m| x.rows.iter().find(|r| r.model == m).map(|r| r.win_rate), |r| r.win_rate);
    let max_abs = raw.iter().fold(0.0f64, |acc, (_, o, t)| acc.max((o - t).abs()));
    notes.push(note(
        if max_abs < MATCH_TOLERANCE { NoteKind::Match } else { NoteKind::Warning },
        format!(
            "Compared with {} ({} of our models found): raw win rates {} the published ones (largest difference {:.1e} points).",
            p.source,
            p.rows.len(),
            if max_abs < MATCH_TOLERANCE { "match" } else { "do not match" },
            max_abs
        ),
    ));
    let missing: Vec<&str> = x
        .rows
        .iter()
        .map(|r| r.model.as_str())
        .filter(|m| !p.rows.iter().any(|r| r.model == *m))
        .collect();
    if !missing.is_empty() {
        notes.push(note(
            NoteKind::Info,
            format!("Not in the published leaderboard: {}.", missing.join(", ")),
        ));
    }
    let aliased: Vec<String> = p
        .rows
        .iter()
        .filter_map(|r| Some(format!("{} as `{}`", r.model, r.published_name.as_ref()?)))
        .collect();
    if !aliased.is_empty() {
        notes.push(note(
            NoteKind::Info,
            format!(
                "Matched by file or folder name because generator_2 differs: {}.",
                aliased.join(", ")
            ),
        ));
    }

    let lcs = lined_up(
        p,
        |m| x.lc.models.iter().find(|l| l.model == m).map(|l| l.lc_win_rate),
        |r| r.lc_win_rate,
    );
    if lcs.is_empty() {
        return notes;
    }
    let diffs: Vec<f64> = lcs.iter().map(|(_, o, t)| o - t).collect();
    let lo = diffs.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = diffs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let above = diffs.iter().filter(|d| **d >= MATCH_TOLERANCE).count();
    let below = diffs.iter().filter(|d| **d <= -MATCH_TOLERANCE).count();
    let direction = if below == 0 && above > 0 {
        "; that gives steeper length slopes and, on these models, higher LC win rates"
    } else if above == 0 && below > 0 {
        "; on these models that gives lower LC win rates"
    } else {
        ""
    };
    notes.push(note(
        NoteKind::Warning,
        format!(
            "Our LC win rates differ from the published ones by {lo:+.1} to {hi:+.1} points ({above} of {n} models above, {below} below). The published LC uses an instruction-difficulty table and the baseline's verbose/concise annotations that AlpacaEval downloads; benchlens estimates both from the loaded files instead{direction}. See docs/judge.md.",
            n = lcs.len()
        ),
    ));
    notes.push(order_note(&lcs));
    notes
}

/// Whether our LC order of the published models is theirs, naming the pairs that swap.
fn order_note(lcs: &[(&str, f64, f64)]) -> JudgeNote {
    let mut ours: Vec<&(&str, f64, f64)> = lcs.iter().collect();
    ours.sort_by(|a, b| super::descending_nan_last(a.1, b.1).then_with(|| a.0.cmp(b.0)));
    let mut swapped = Vec::new();
    let mut pairs = 0usize;
    for (i, a) in ours.iter().enumerate() {
        for b in ours.iter().skip(i + 1) {
            pairs += 1;
            if a.1 > b.1 && a.2 < b.2 {
                swapped.push((*a, *b));
            }
        }
    }
    let n = ours.len();
    if swapped.is_empty() {
        return note(
            NoteKind::Match,
            format!("Our LC order of the {n} published models is the published order."),
        );
    }
    let shown: Vec<String> = swapped
        .iter()
        .take(3)
        .map(|(a, b)| {
            format!(
                "{} is above {} here ({:.2} vs {:.2}) but below it in the published table ({:.2} vs {:.2})",
                a.0, b.0, a.1, b.1, a.2, b.2
            )
        })
        .collect();
    let more = match swapped.len().saturating_sub(3) {
        0 => String::new(),
        k => format!("; and {k} more"),
    };
    note(
        NoteKind::Warning,
        format!(
            "Our LC order differs from the published order in {} of {pairs} pairs of models: {}{more}.",
            swapped.len(),
            shown.join("; ")
        ),
    )
}
