//! The judge view's entry point: sorts the loaded files by benchmark, runs the chosen one through
//! [`super::judge`] (the CLI's path, so the numbers agree by construction), and adds what the
//! page's controls and AlpacaEval drill-down need: the benchmarks and baselines found, each
//! judgment, and the published leaderboard lined up. `Id` is however the caller names its files.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::alpaca_notes::{alpaca_notes, JudgeNote, NoteInputs};
use super::published::{published_rows, Published};
use super::{
    alpaca_eval, arena_hard_style, judge, JudgeKind, JudgeReport, JudgeSettings, Judgment,
};
use crate::table::Table;

/// One judge analysis and what the controls can offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JudgeOutcome<Id> {
    /// The benchmark analysed (detected, or the one picked).
    pub kind: Option<JudgeKind>,
    /// Every benchmark found among the loaded files, for the picker.
    pub kinds_found: Vec<JudgeKind>,
    /// Baselines named in the files (AlpacaEval `generator_1`, Arena-Hard `baseline`).
    pub baselines: Vec<String>,
    /// Models judged (for the baseline picker when the files name none).
    pub models: Vec<String>,
    /// Whether Arena-Hard answer files (style metadata) are loaded.
    pub has_answer_files: bool,
    /// The result, or why there is none.
    pub report: Result<JudgeReport, String>,
    /// AlpacaEval only: per-judgment data and the published comparison.
    pub alpaca: Option<AlpacaDetail<Id>>,
}

/// What the AlpacaEval drill-down and comparison need besides the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlpacaDetail<Id> {
    /// Judged models, sorted by name (the `model` index of each judgment).
    pub models: Vec<String>,
    /// Instruction texts (the `instruction` index of each judgment).
    pub instructions: Vec<String>,
    pub judgments: Vec<Judgment>,
    /// File of each `file` index of a judgment, to fetch the answer texts from.
    pub files: Vec<Id>,
    /// The published leaderboard's values for our models, when one is loaded.
    pub published: Option<Published>,
    /// The notes above the leaderboard, computed from the rows shown.
    pub notes: Vec<JudgeNote>,
}

/// One judgment's texts, fetched on demand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerPair<Id> {
    pub dataset: Id,
    pub row: u32,
    pub instruction: String,
    pub generator_1: String,
    pub output_1: String,
    pub generator_2: String,
    pub output_2: String,
}

/// Detects the benchmark of each file (`(id, name, table)`) and runs the one `settings` picks
/// (or the first found); `leaderboards` are published leaderboards (`(name, table)`) to line
/// AlpacaEval results up with.
pub fn run<Id: Copy>(
    files: &[(Id, &str, &Table)],
    leaderboards: &[(&str, &Table)],
    settings: &JudgeSettings,
) -> JudgeOutcome<Id> {
    let mut by_kind: BTreeMap<&'static str, Vec<(Id, &str, &Table)>> = BTreeMap::new();
    let mut answers: Vec<(&str, &Table)> = Vec::new();
    let mut kinds_found = Vec::new();
    for &(id, name, t) in files {
        if arena_hard_style::is_answer_table(t) {
            answers.push((name, t));
        } else if let Some(k) = JudgeKind::detect(t) {
            if !kinds_found.contains(&k) {
                kinds_found.push(k);
            }
            by_kind.entry(k.id()).or_default().push((id, name, t));
        }
    }
    kinds_found.sort_by_key(|k| k.id());
    let kind = settings.kind.filter(|k| kinds_found.contains(k)).or(kinds_found.first().copied());
    let mut out = JudgeOutcome {
        kind,
        kinds_found,
        baselines: Vec::new(),
        models: Vec::new(),
        has_answer_files: !answers.is_empty(),
        report: Err("Load judge annotation files (AlpacaEval annotations.json, Arena-Hard \
                     judgment JSONL or MT-Bench grades) to see a leaderboard."
            .into()),
        alpaca: None,
    };
    let Some(kind) = kind else { return out };
    let files = by_kind.remove(kind.id()).unwrap_or_default();
    let named: Vec<(&str, &Table)> = files.iter().map(|&(_, n, t)| (n, t)).collect();
    let settings = JudgeSettings { kind: Some(kind), ..settings.clone() };
    match kind {
        JudgeKind::AlpacaEval => {
            out.baselines = distinct(&named, "generator_1");
            out.models = distinct(&named, "generator_2");
            match alpaca_eval::alpaca_eval_run(&named, &settings) {
                Ok(run) => {
                    let published = leaderboards.iter().find_map(|&(name, t)| {
                        published_rows(name, t, &run.annotations.models, &run.annotations.aliases)
                    });
                    let notes = alpaca_notes(&NoteInputs {
                        baseline: &run.annotations.baseline,
                        judgments: run.annotations.judgments.len(),
                        instructions: run.annotations.instructions.len(),
                        files: files.len(),
                        rows: &run.rows,
                        lc: &run.lc,
                        published: published.as_ref(),
                    });
                    out.alpaca = Some(AlpacaDetail {
                        models: run.annotations.models.clone(),
                        instructions: run.annotations.instructions.clone(),
                        judgments: run.annotations.judgments.clone(),
                        files: files.iter().map(|f| f.0).collect(),
                        published,
                        notes,
                    });
                    out.report = Ok(run.into_report());
                }
                Err(e) => out.report = Err(e.to_string()),
            }
        }
        JudgeKind::ArenaHard => {
            out.baselines = distinct(&named, "baseline");
            out.models = distinct(&named, "model");
            let mut all = named.clone();
            all.extend(answers);
            out.report = judge(&all, &settings).map_err(|e| e.to_string());
        }
        JudgeKind::MtBench => {
            out.models = distinct(&named, "model");
            out.report = judge(&named, &settings).map_err(|e| e.to_string());
        }
    }
    out
}

/// Distinct non-empty values of a column over the tables, sorted.
fn distinct(tables: &[(&str, &Table)], column: &str) -> Vec<String> {
    let mut found = BTreeSet::new();
    for (_, t) in tables {
        let Some(c) = t.column_index(column) else { continue };
        for r in 0..t.n_rows() {
            let v = t.cell(r, c).trim();
            if !v.is_empty() && !found.contains(v) {
                found.insert(v.to_owned());
            }
        }
    }
    found.into_iter().collect()
}

/// The texts of one AlpacaEval judgment: row `row` of the file `dataset` named `name`.
pub fn answer_pair<Id>(
    dataset: Id,
    name: &str,
    table: &Table,
    row: u32,
) -> Result<AnswerPair<Id>, String> {
    let r = row as usize;
    if r >= table.n_rows() {
        return Err(format!("{name} has no row {}", u64::from(row) + 1));
    }
    let cell = |column: &str| {
        table.column_index(column).map(|c| table.cell(r, c).to_owned()).unwrap_or_default()
    };
    Ok(AnswerPair {
        dataset,
        row,
        instruction: cell("instruction"),
        generator_1: cell("generator_1"),
        output_1: cell("output_1"),
        generator_2: cell("generator_2"),
        output_2: cell("output_2"),
    })
}
