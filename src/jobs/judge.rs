//! Judge benchmarks in the worker: maps the page's dataset ids to loaded tables and runs the
//! engine's `judge::run` (AlpacaEval, Arena-Hard, MT-Bench, through the same `judge::judge` as
//! `benchlens judge`). The answer texts stay here; the page fetches one pair at a time.

pub use benchlens_engine::judge::published::{Published, PublishedRow};
use benchlens_engine::judge::{self, JudgeSettings};
use benchlens_engine::Table;

use super::protocol::JobId;

/// One judge analysis and what the controls can offer.
pub type JudgeOutcome = judge::JudgeOutcome<JobId>;
/// What the AlpacaEval drill-down and comparison need besides the report.
pub type AlpacaDetail = judge::AlpacaDetail<JobId>;
/// One judgment's texts, fetched on demand.
pub type AnswerPair = judge::AnswerPair<JobId>;

/// Runs the judge analysis on the datasets `ids`; `leaderboards` are published leaderboards to
/// compare AlpacaEval results with.
pub fn analyse(
    datasets: &super::Datasets,
    ids: &[JobId],
    leaderboards: &[JobId],
    settings: &JudgeSettings,
) -> JudgeOutcome {
    let files: Vec<(JobId, &str, &Table)> = ids
        .iter()
        .filter_map(|id| {
            let p = datasets.get(id)?;
            Some((*id, p.summary.name.as_str(), p.table()?))
        })
        .collect();
    let leaderboards: Vec<(&str, &Table)> = leaderboards
        .iter()
        .filter_map(|id| datasets.get(id))
        .filter_map(|p| Some((p.summary.name.as_str(), p.table()?)))
        .collect();
    judge::run(&files, &leaderboards, settings)
}

/// The texts of one AlpacaEval judgment.
pub fn answers(datasets: &super::Datasets, dataset: JobId, row: u32) -> Result<AnswerPair, String> {
    let p = datasets.get(&dataset).ok_or("that file is no longer loaded")?;
    let t = p.table().ok_or("that file holds no table")?;
    judge::answer_pair(dataset, &p.summary.name, t, row)
}
