//! Judge benchmarks in the worker: AlpacaEval (raw and length-controlled win rates, with the
//! per-judgment data the drill-down needs and the published leaderboard lined up), Arena-Hard
//! and MT-Bench. The answer texts stay here; the page fetches one pair at a time.

use std::collections::{BTreeMap, BTreeSet};

use benchlens_engine::judge::alpaca_notes::{alpaca_notes, JudgeNote, NoteInputs};
pub use benchlens_engine::judge::published::{Published, PublishedRow};
use benchlens_engine::judge::{
    self, alpaca_eval_leaderboard, arena_hard_style, length_controlled, published,
    AlpacaAnnotations, JudgeKind, JudgeReport, JudgeSettings, Judgment,
};
use benchlens_engine::Table;
use serde::{Deserialize, Serialize};

use super::protocol::JobId;

/// One judge analysis and what the controls can offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JudgeOutcome {
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
    pub alpaca: Option<AlpacaDetail>,
}

/// What the AlpacaEval drill-down and comparison need besides the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlpacaDetail {
    /// Judged models, sorted by name (the `model` index of each judgment).
    pub models: Vec<String>,
    /// Instruction texts (the `instruction` index of each judgment).
    pub instructions: Vec<String>,
    pub judgments: Vec<Judgment>,
    /// Dataset of each `file` index of a judgment, to fetch the answer texts from.
    pub files: Vec<JobId>,
    /// The published leaderboard's values for our models, when one is loaded.
    pub published: Option<Published>,
    /// The notes above the leaderboard, computed by the engine from the rows shown.
    pub notes: Vec<JudgeNote>,
}

/// One judgment's texts, fetched on demand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerPair {
    pub dataset: JobId,
    pub row: u32,
    pub instruction: String,
    pub generator_1: String,
    pub output_1: String,
    pub generator_2: String,
    pub output_2: String,
}

/// Detects the benchmark of each judge file and runs the chosen one. `leaderboards` are
/// published leaderboards to compare AlpacaEval results with.
pub fn analyse(
    datasets: &super::Datasets,
    ids: &[JobId],
    leaderboards: &[JobId],
    settings: &JudgeSettings,
) -> JudgeOutcome {
    let mut by_kind: BTreeMap<&'static str, Vec<(JobId, &str, &Table)>> = BTreeMap::new();
    let mut answers: Vec<(JobId, &str, &Table)> = Vec::new();
    let mut kinds_found = Vec::new();
    for id in ids {
        let Some(p) = datasets.get(id) else { continue };
        let Some(t) = p.table() else { continue };
        let entry = (*id, p.summary.name.as_str(), t);
        if arena_hard_style::is_answer_table(t) {
            answers.push(entry);
        } else if let Some(k) = JudgeKind::detect(t) {
            if !kinds_found.contains(&k) {
                kinds_found.push(k);
            }
            by_kind.entry(k.id()).or_default().push(entry);
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
    let named: Vec<(&str, &Table)> = files.iter().map(|(_, n, t)| (*n, *t)).collect();
    let settings = JudgeSettings { kind: Some(kind), ..settings.clone() };
    match kind {
        JudgeKind::AlpacaEval => {
            out.baselines = distinct(&named, "generator_1");
            out.models = distinct(&named, "generator_2");
            // The same steps as `judge::judge`, kept apart so the drill-down gets the judgments.
            let annotations =
                match AlpacaAnnotations::from_tables(&named, settings.baseline.as_deref()) {
                    Ok(a) => a,
                    Err(e) => {
                        out.report = Err(e.to_string());
                        return out;
                    }
                };
            let rows = alpaca_eval_leaderboard(&annotations);
            let lc = match length_controlled(&annotations, &settings.lc) {
                Ok(lc) => lc,
                Err(e) => {
                    out.report = Err(e.to_string());
                    return out;
                }
            };
            let published = leaderboards.iter().filter_map(|id| datasets.get(id)).find_map(|p| {
                published::published_rows(
                    &p.summary.name,
                    p.table()?,
                    &annotations.models,
                    &annotations.aliases,
                )
            });
            let notes = alpaca_notes(&NoteInputs {
                baseline: &annotations.baseline,
                judgments: annotations.judgments.len(),
                instructions: annotations.instructions.len(),
                files: files.len(),
                rows: &rows,
                lc: &lc,
                published: published.as_ref(),
            });
            out.alpaca = Some(AlpacaDetail {
                models: annotations.models.clone(),
                instructions: annotations.instructions.clone(),
                judgments: annotations.judgments.clone(),
                files: files.iter().map(|f| f.0).collect(),
                published,
                notes,
            });
            out.report = Ok(JudgeReport::AlpacaEval {
                baseline: annotations.baseline.clone(),
                rows,
                length_controlled: lc,
                warnings: annotations.warnings,
            });
        }
        JudgeKind::ArenaHard => {
            out.baselines = distinct(&named, "baseline");
            out.models = distinct(&named, "model");
            let mut all = named.clone();
            all.extend(answers.iter().map(|(_, n, t)| (*n, *t)));
            out.report = judge::judge(&all, &settings).map_err(|e| e.to_string());
        }
        JudgeKind::MtBench => {
            out.models = distinct(&named, "model");
            out.report = judge::judge(&named, &settings).map_err(|e| e.to_string());
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

/// The texts of one AlpacaEval judgment.
pub fn answers(datasets: &super::Datasets, dataset: JobId, row: u32) -> Result<AnswerPair, String> {
    let p = datasets.get(&dataset).ok_or("that file is no longer loaded")?;
    let t = p.table().ok_or("that file holds no table")?;
    let r = row as usize;
    if r >= t.n_rows() {
        return Err(format!("{} has no row {}", p.summary.name, row + 1));
    }
    let cell =
        |name: &str| t.column_index(name).map(|c| t.cell(r, c).to_owned()).unwrap_or_default();
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
