//! Judge-based evaluations: AlpacaEval (raw, discrete and length-controlled win rates),
//! Arena-Hard-Auto (Bradley–Terry against a baseline) and MT-Bench (single-answer grades).
//!
//! Researchers recompute these headline numbers from raw judgment files to check them, to see
//! how much of a score is length, and to compare models with honest uncertainty. Each benchmark
//! lives in its own file; this module holds what they share: which benchmark a table is, the
//! settings, and the errors. Every analysis reads [`crate::Table`]s as the intake produces them.
//! [`judge()`] is the CLI's entry point; [`run()`] wraps it with what the page's controls need.

pub mod alpaca_eval;
pub mod alpaca_notes;
pub mod annotations;
pub mod answer_checks;
pub mod arena_hard;
pub mod arena_hard_style;
mod difficulty;
mod error;
mod glm;
pub mod length_controlled;
pub mod model_names;
pub mod mt_bench;
pub mod published;
pub mod run;

use serde::{Deserialize, Serialize};

use crate::table::Table;

pub use alpaca_eval::{alpaca_eval_leaderboard, AlpacaEvalRow};
pub use annotations::{AlpacaAnnotations, Judgment};
pub use arena_hard::{arena_hard_leaderboard, ArenaHardResult, ArenaHardRow, ArenaHardSettings};
pub use arena_hard_style::{StyleCoefficients, StyleControl};
pub use error::JudgeError;
pub use length_controlled::{length_controlled, LcModel, LcResult, LcSettings};
pub use mt_bench::{mt_bench_scores, MtBenchResult, MtBenchRow};
pub use run::{answer_pair, run, AlpacaDetail, AnswerPair, JudgeOutcome};

/// Order for leaderboards: higher first, NaN (nothing to rank) last.
pub(crate) fn descending_nan_last(x: f64, y: f64) -> std::cmp::Ordering {
    x.is_nan().cmp(&y.is_nan()).then_with(|| y.total_cmp(&x))
}

/// Which judge benchmark a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum JudgeKind {
    /// AlpacaEval annotations: instruction, output_1, generator_1, output_2, generator_2, preference.
    AlpacaEval,
    /// Arena-Hard-Auto judgments: model, games (two position-swapped verdicts).
    ArenaHard,
    /// MT-Bench single-answer grades: model, question_id, turn, score.
    MtBench,
}

impl JudgeKind {
    /// The CLI spelling.
    pub fn id(self) -> &'static str {
        match self {
            Self::AlpacaEval => "alpaca-eval",
            Self::ArenaHard => "arena-hard",
            Self::MtBench => "mt-bench",
        }
    }

    /// Guesses the benchmark from column names; `None` when no known layout fits.
    pub fn detect(table: &Table) -> Option<Self> {
        let has = |name: &str| table.column_index(name).is_some();
        if has("preference") && has("generator_2") && has("output_2") {
            Some(Self::AlpacaEval)
        } else if has("games") && has("model") {
            Some(Self::ArenaHard)
        } else if has("score") && has("turn") && has("model") {
            Some(Self::MtBench)
        } else {
            None
        }
    }
}

/// Everything `benchlens judge` can compute, in one serde value for the worker and the CLI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum JudgeReport {
    AlpacaEval {
        baseline: String,
        rows: Vec<AlpacaEvalRow>,
        length_controlled: LcResult,
        warnings: Vec<String>,
    },
    ArenaHard(ArenaHardResult),
    MtBench(MtBenchResult),
}

impl JudgeReport {
    /// What the analysis could not use, as sentences.
    pub fn warnings(&self) -> &[String] {
        match self {
            Self::AlpacaEval { warnings, .. } => warnings,
            Self::ArenaHard(r) => &r.warnings,
            Self::MtBench(r) => &r.warnings,
        }
    }
}

/// Settings shared by all judge analyses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JudgeSettings {
    /// Benchmark; detected from the first table's columns when `None`.
    pub kind: Option<JudgeKind>,
    /// Baseline model; read from the files when `None`.
    pub baseline: Option<String>,
    /// Seed of every random draw (bootstrap).
    pub seed: u64,
    /// Length-controlled AlpacaEval settings.
    pub lc: LcSettings,
    /// Arena-Hard settings (bootstrap rounds, CI level, `>>` weight).
    pub arena_hard: ArenaHardSettings,
    /// MT-Bench confidence level of the per-turn intervals.
    pub mt_bench_ci_level: f64,
}

impl Default for JudgeSettings {
    fn default() -> Self {
        Self {
            kind: None,
            baseline: None,
            seed: 0,
            lc: LcSettings::default(),
            arena_hard: ArenaHardSettings::default(),
            mt_bench_ci_level: 0.95,
        }
    }
}

/// Runs the benchmark's metrics on named tables (one per file, in any order): what
/// `benchlens judge` prints, and the report of the page's [`run()`].
pub fn judge(
    tables: &[(&str, &Table)],
    settings: &JudgeSettings,
) -> Result<JudgeReport, JudgeError> {
    let first = tables.first().ok_or(JudgeError::NoInput)?;
    let kind = match settings.kind {
        Some(k) => k,
        None => tables
            .iter()
            .find_map(|(_, t)| JudgeKind::detect(t))
            .ok_or_else(|| JudgeError::UnknownKind { file: first.0.to_owned() })?,
    };
    match kind {
        JudgeKind::AlpacaEval => Ok(alpaca_eval::alpaca_eval_run(tables, settings)?.into_report()),
        JudgeKind::ArenaHard => {
            let mut s = settings.arena_hard.clone();
            if settings.baseline.is_some() {
                s.baseline.clone_from(&settings.baseline);
            }
            // Answer files (with style metadata) ride along with the judgment files.
            let (answers, judgments): (Vec<_>, Vec<_>) =
                tables.iter().copied().partition(|(_, t)| arena_hard_style::is_answer_table(t));
            Ok(JudgeReport::ArenaHard(arena_hard_leaderboard(
                &judgments,
                &answers,
                &s,
                settings.seed,
            )?))
        }
        JudgeKind::MtBench => {
            Ok(JudgeReport::MtBench(mt_bench_scores(tables, settings.mt_bench_ci_level)?))
        }
    }
}
