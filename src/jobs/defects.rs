//! Worker side of the defects view: maps the page's dataset ids to loaded files, runs the
//! engine's `defects::run` (the same entry point as `benchlens defects`), keeps the last run so
//! paging, filtering, item look-ups and exports do not re-run the checks, and posts the page only
//! what it draws: the summary, one page of flagged items, one item, or an export plan.

use std::cell::RefCell;
use std::rc::Rc;

use benchlens_engine::defects::{self, DefectsRun, Settings, Severity};
use benchlens_engine::{DatasetKind, ParsedFile};
use serde::{Deserialize, Serialize};

pub use benchlens_engine::defects::review::{
    mark_key, FlagRow, GroupView, ItemDetail, ItemFlag, NearView, PredictionsSummary, SortBy,
    TableQuery, SHOWN_DUPLICATE_GROUPS, SHOWN_NEAR_DUPLICATES,
};

use super::defects_labels::LabelChoice;
use super::protocol::JobId;

/// The summary of a run and one page of its flags.
pub type DefectsOverview = defects::review::DefectsOverview<JobId>;
/// A benchmark file that can be exported.
pub type FileInfo = defects::review::FileInfo<JobId>;
/// How to write the cleaned copy of one file, and the flag report of the whole run.
pub type ExportPlan = defects::review::ExportPlan<JobId>;

/// Which datasets to check, and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DefectsInput {
    pub benchmarks: Vec<JobId>,
    pub predictions: Vec<JobId>,
    pub settings: Settings,
    /// Expert labels to score the checks against.
    #[serde(default)]
    pub labels: LabelChoice,
}

/// What the page wants from the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum DefectsAsk {
    /// Summary, statistics, duplicates and one page of the flagged-items table.
    Overview(TableQuery),
    /// Everything about one item (index into the report's items).
    Item(usize),
    /// What the page needs to write a cleaned copy of `dataset` and the flag report.
    Export { dataset: JobId, severities: Vec<Severity> },
}

/// One request of the defects view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DefectsRequest {
    pub input: DefectsInput,
    pub ask: DefectsAsk,
}

/// The worker's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum DefectsAnswer {
    Overview(Box<DefectsOverview>),
    Item(Box<ItemDetail>),
    Export(Box<ExportPlan>),
}

struct Cached {
    key: (DefectsInput, Vec<(JobId, u64, u64, DatasetKind)>),
    run: DefectsRun,
    /// Dataset id of each benchmark input given to the run.
    input_ids: Vec<JobId>,
}

thread_local! {
    static CACHE: RefCell<Option<Rc<Cached>>> = const { RefCell::new(None) };
}

fn fingerprint(
    datasets: &super::Datasets,
    input: &DefectsInput,
) -> Vec<(JobId, u64, u64, DatasetKind)> {
    input
        .benchmarks
        .iter()
        .chain(&input.predictions)
        .filter_map(|id| {
            datasets.get(id).map(|p| (*id, p.summary.rows, p.summary.bytes, p.summary.kind))
        })
        .collect()
}

fn run_for(datasets: &super::Datasets, input: &DefectsInput) -> Result<Rc<Cached>, String> {
    let key = (input.clone(), fingerprint(datasets, input));
    if let Some(c) = CACHE.with(|c| c.borrow().clone()).filter(|c| c.key == key) {
        return Ok(c);
    }
    let loaded = |ids: &[JobId]| -> Vec<(JobId, Rc<ParsedFile>)> {
        ids.iter().filter_map(|id| Some((*id, datasets.get(id)?.clone()))).collect()
    };
    let benchmarks = loaded(&input.benchmarks);
    let predictions = loaded(&input.predictions);
    let run = defects::run(
        &benchmarks.iter().map(|(_, p)| p.as_ref()).collect::<Vec<_>>(),
        &predictions.iter().map(|(_, p)| (p.summary.name.as_str(), p.as_ref())).collect::<Vec<_>>(),
        &input.settings,
        &input.labels,
    )
    .map_err(|_| "None of the loaded benchmark files has question and option columns.")?;
    let input_ids = benchmarks.iter().map(|(id, _)| *id).collect();
    let cached = Rc::new(Cached { key, run, input_ids });
    CACHE.with(|c| *c.borrow_mut() = Some(cached.clone()));
    Ok(cached)
}

/// Answers one request of the defects view.
pub fn answer(
    datasets: &super::Datasets,
    request: &DefectsRequest,
) -> Result<DefectsAnswer, String> {
    let c = run_for(datasets, &request.input)?;
    match &request.ask {
        DefectsAsk::Overview(q) => {
            Ok(DefectsAnswer::Overview(Box::new(c.run.overview(&c.input_ids, q))))
        }
        DefectsAsk::Item(i) => c.run.item_detail(*i).map(|d| DefectsAnswer::Item(Box::new(d))),
        DefectsAsk::Export { dataset, severities } => {
            let input = c
                .input_ids
                .iter()
                .position(|id| id == dataset)
                .ok_or("that file is not among the checked benchmark files")?;
            let parsed = datasets.get(dataset).ok_or("that file is no longer loaded")?;
            c.run
                .export_plan(input, *dataset, parsed, severities)
                .map(|p| DefectsAnswer::Export(Box::new(p)))
        }
    }
}

/// Dataset ids of the benchmark-items and model-prediction datasets among `entries`.
pub fn pick_datasets<'a>(
    entries: impl Iterator<Item = (JobId, &'a benchlens_engine::FileSummary)>,
) -> (Vec<JobId>, Vec<JobId>) {
    let mut bench = Vec::new();
    let mut preds = Vec::new();
    for (id, s) in entries {
        if s.failed() {
            continue;
        }
        match s.kind {
            DatasetKind::BenchmarkItems => bench.push(id),
            DatasetKind::ModelPredictions => preds.push(id),
            _ => {}
        }
    }
    (bench, preds)
}
