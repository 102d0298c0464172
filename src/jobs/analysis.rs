//! Analyses the worker runs on the datasets it holds. Each capability adds one request and one
//! result variant; the functions here only gather inputs and call the engine.

use benchlens_engine::judge::JudgeSettings;
use benchlens_engine::progress::Ticker;
use benchlens_engine::ratings::{self, Extras, NamedFile, RatingsJob, RatingsSettings};
use serde::{Deserialize, Serialize};

use super::protocol::JobId;

// The views name these from here.
pub use benchlens_engine::ratings::{BattleFacets, RatingsOutcome, MAX_JUDGES_LISTED};

/// Page → worker: what to compute, on which datasets.
// Sent once per analysis through the worker bridge: variant size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AnalysisRequest {
    /// Rate every battle log and pair-count dataset among `datasets` as one input; with
    /// `compare_with`, also rate under those settings and line the two up; `leaderboards` are
    /// published leaderboards to line the ratings up with; `extras`: what else to compute.
    Ratings {
        datasets: Vec<JobId>,
        settings: RatingsSettings,
        compare_with: Option<RatingsSettings>,
        #[serde(default)]
        leaderboards: Vec<JobId>,
        extras: Extras,
    },
    /// Judge benchmark on the judge files among `datasets`; `leaderboards` are published
    /// leaderboards to line AlpacaEval results up with.
    Judge { datasets: Vec<JobId>, leaderboards: Vec<JobId>, settings: JudgeSettings },
    /// The instruction and both answers of one AlpacaEval judgment (row of a dataset).
    JudgeAnswers { dataset: JobId, row: u32 },
    /// Scaling-law fit, per-model allocation and score trend on one scaling table.
    Scaling(Box<super::scaling::ScalingRequest>),
    /// Defect checks on the benchmark-items datasets (see `super::defects`).
    Defects(Box<super::defects::DefectsRequest>),
}

/// Worker → page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AnalysisResult {
    Ratings(Box<RatingsOutcome>),
    Judge(Box<super::judge::JudgeOutcome>),
    JudgeAnswers(Box<super::judge::AnswerPair>),
    Scaling(Box<super::scaling::ScalingOutcome>),
    Defects(Box<super::defects::DefectsAnswer>),
}

/// Runs one analysis; the long ones (bootstraps, full-grid starts) tell `ticker` how far they
/// are and pause or stop when it says so.
pub async fn analyse(
    datasets: &super::Datasets,
    request: &AnalysisRequest,
    ticker: &mut Ticker<'_>,
) -> Result<AnalysisResult, String> {
    match request {
        AnalysisRequest::Ratings {
            datasets: ids,
            settings,
            compare_with,
            leaderboards,
            extras,
        } => rate(datasets, ids, leaderboards, settings, compare_with.as_ref(), *extras, ticker)
            .await
            .map(|o| AnalysisResult::Ratings(Box::new(o))),
        AnalysisRequest::Judge { datasets: ids, leaderboards, settings } => {
            Ok(AnalysisResult::Judge(Box::new(super::judge::analyse(
                datasets,
                ids,
                leaderboards,
                settings,
            ))))
        }
        AnalysisRequest::JudgeAnswers { dataset, row } => {
            super::judge::answers(datasets, *dataset, *row)
                .map(|a| AnalysisResult::JudgeAnswers(Box::new(a)))
        }
        AnalysisRequest::Scaling(req) => super::scaling::analyse(datasets, req, ticker)
            .await
            .map(|o| AnalysisResult::Scaling(Box::new(o))),
        AnalysisRequest::Defects(r) => {
            super::defects::answer(datasets, r).map(|a| AnalysisResult::Defects(Box::new(a)))
        }
    }
}

/// The chosen datasets as named files (ids that are gone are skipped).
fn named<'a>(datasets: &'a super::Datasets, ids: &[JobId]) -> Vec<NamedFile<'a>> {
    ids.iter()
        .filter_map(|id| datasets.get(id))
        .map(|p| NamedFile { name: p.summary.name.as_str(), parsed: p })
        .collect()
}

async fn rate(
    datasets: &super::Datasets,
    ids: &[JobId],
    leaderboards: &[JobId],
    settings: &RatingsSettings,
    compare_with: Option<&RatingsSettings>,
    extras: Extras,
    ticker: &mut Ticker<'_>,
) -> Result<RatingsOutcome, String> {
    let (files, boards) = (named(datasets, ids), named(datasets, leaderboards));
    // Bootstrap rounds also run on the worker pool's helpers, which end with this analysis.
    #[cfg(target_arch = "wasm32")]
    let pool = super::round_pool::RoundPool::new();
    #[cfg(target_arch = "wasm32")]
    let rounds = Some(&pool as &dyn ratings::RoundExecutor);
    #[cfg(not(target_arch = "wasm32"))]
    let rounds = None;
    let job =
        RatingsJob { files: &files, leaderboards: &boards, settings, compare_with, extras, rounds };
    ratings::run_async(job, ticker).await.map_err(|e| e.to_string())
}
