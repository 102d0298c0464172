//! Analyses the worker runs on the datasets it holds. Each capability adds one request and one
//! result variant; the functions here only gather inputs and call the engine.

use benchlens_engine::judge::JudgeSettings;
use benchlens_engine::progress::Ticker;
use benchlens_engine::ratings::{self, RatingsInput, RatingsResult, RatingsSettings};
use benchlens_engine::{Battles, DatasetKind, ParsedFile};
use serde::{Deserialize, Serialize};

use super::protocol::JobId;

/// Page → worker: what to compute, on which datasets.
// Sent once per analysis through the worker bridge: variant size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AnalysisRequest {
    /// Rate every battle log and pair-count dataset among `datasets` as one input; with
    /// `compare_with`, also rate under those settings and line the two up; `leaderboards` are
    /// published leaderboards to line the ratings up with.
    Ratings {
        datasets: Vec<JobId>,
        settings: RatingsSettings,
        compare_with: Option<RatingsSettings>,
        #[serde(default)]
        leaderboards: Vec<JobId>,
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

/// A rating run and what the filter controls can offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingsOutcome {
    pub result: RatingsResult,
    pub comparison: Option<ratings::compare::Comparison>,
    pub facets: BattleFacets,
    /// Each model's rank per language (when the log has several languages).
    #[serde(default)]
    pub languages: Option<ratings::compare::LanguageOverview>,
    /// Cumulative Bradley–Terry at the end of each month (when the log spans several months).
    #[serde(default)]
    pub monthly: Vec<ratings::history::MonthlyRatings>,
    /// Our ratings against the loaded published leaderboard, when one names our models.
    #[serde(default)]
    pub published: Option<ratings::published::PublishedComparison>,
}

/// Values present in the battle logs, for the filter controls.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BattleFacets {
    /// (language, battles), most battles first.
    pub languages: Vec<(String, u64)>,
    pub models: Vec<String>,
    pub categories: Vec<String>,
    /// (category, battles tagged with it), sorted by name.
    #[serde(default)]
    pub category_counts: Vec<(String, u64)>,
    pub judges: usize,
    /// (judge, battles), most battles first; at most [`MAX_JUDGES_LISTED`].
    #[serde(default)]
    pub judge_counts: Vec<(String, u64)>,
    /// Battles of each model, in `models` order.
    #[serde(default)]
    pub model_battles: Vec<u64>,
    pub max_turn: u32,
    /// Unix seconds of the first and last battle, when timestamps exist.
    pub date_range: Option<(f64, f64)>,
    pub battles: u64,
    pub with_style: u64,
    pub has_anony: bool,
}

/// Judges listed for the judge filter (a big log has hundreds of thousands).
pub const MAX_JUDGES_LISTED: usize = 2_000;

/// Runs one analysis; the long ones (bootstraps, full-grid starts) tell `ticker` how far they
/// are and pause or stop when it says so.
pub async fn run(
    datasets: &super::Datasets,
    request: &AnalysisRequest,
    ticker: &mut Ticker<'_>,
) -> Result<AnalysisResult, String> {
    match request {
        AnalysisRequest::Ratings { datasets: ids, settings, compare_with, leaderboards } => {
            rate(datasets, ids, leaderboards, settings, compare_with.as_ref(), ticker)
                .await
                .map(|o| AnalysisResult::Ratings(Box::new(o)))
        }
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
            super::defects::run(datasets, r).map(|a| AnalysisResult::Defects(Box::new(a)))
        }
    }
}

async fn rate(
    datasets: &super::Datasets,
    ids: &[JobId],
    leaderboards: &[JobId],
    settings: &RatingsSettings,
    compare_with: Option<&RatingsSettings>,
    ticker: &mut Ticker<'_>,
) -> Result<RatingsOutcome, String> {
    let chosen: Vec<&ParsedFile> =
        ids.iter().filter_map(|id| datasets.get(id)).map(|p| &**p).collect();
    let logs: Vec<&Battles> = chosen.iter().filter_map(|p| p.battles()).collect();
    let mut notes = Vec::new();
    let merged = match logs.len() {
        0 => None,
        1 => Some(std::borrow::Cow::Borrowed(logs[0])),
        _ => {
            let (b, w) = ratings::merge::concat(&logs);
            notes.extend(w);
            Some(std::borrow::Cow::Owned(b))
        }
    };
    let mut pair_counts: Option<ratings::Aggregate> = None;
    for p in chosen.iter().filter(|p| p.summary.kind == DatasetKind::PairCounts) {
        if let Some(table) = p.table() {
            let (agg, w) = ratings::pair_counts::from_table(table)
                .map_err(|e| format!("{}: {e}", p.summary.name))?;
            notes.extend(w.into_iter().map(|m| format!("{}: {m}", p.summary.name)));
            pair_counts = Some(match pair_counts.take() {
                None => agg,
                Some(prev) => prev.merged(&agg),
            });
        }
    }
    let input = RatingsInput { battles: merged.as_deref(), pair_counts: pair_counts.as_ref() };
    if input.battles.is_none() && input.pair_counts.is_none() {
        return Err("load a battle log or a pair-count file first".into());
    }
    let mut result =
        ratings::rate_async(input, settings, ticker).await.map_err(|e| e.to_string())?;
    let comparison = match compare_with {
        Some(other) => {
            // The second filter set's bootstrap, reported as such.
            let mut second = Ticker::new(|stage, done, total| {
                ticker.ask(
                    if stage == "bootstrap" { "comparison bootstrap" } else { stage },
                    done,
                    total,
                )
            });
            let b =
                ratings::rate_async(input, other, &mut second).await.map_err(|e| e.to_string())?;
            Some(ratings::compare::line_up(result.clone(), b))
        }
        None => None,
    };
    result.warnings.splice(0..0, notes);
    let facets = merged.as_deref().map(facets).unwrap_or_default();
    // Intervals are not needed for ranks per language or month: skip the bootstrap there.
    let quick =
        RatingsSettings { ci: ratings::CiMethod::None, style_control: false, ..settings.clone() };
    let languages = match merged.as_deref() {
        Some(b) if facets.languages.len() >= 2 && !settings.legacy_l2 => {
            ratings::compare::ranks_by_language(b, &quick, &[], 100).ok()
        }
        _ => None,
    };
    let spans_months = facets.date_range.is_some_and(|(lo, hi)| hi - lo > 40.0 * 86_400.0);
    let monthly = match merged.as_deref() {
        Some(b)
            if spans_months && settings.method == ratings::Method::Bt && !settings.legacy_l2 =>
        {
            ratings::history::monthly(b, &quick).map(|(m, _)| m).unwrap_or_default()
        }
        _ => Vec::new(),
    };
    let boards: Vec<ratings::published::PublishedTable<'_>> = leaderboards
        .iter()
        .filter_map(|id| datasets.get(id))
        .filter_map(|p| {
            p.table().map(|table| ratings::published::PublishedTable {
                name: p.summary.name.as_str(),
                table,
            })
        })
        .collect();
    let published = if boards.is_empty() {
        None
    } else {
        ratings::published::compare(input, settings, &result, &boards)
    };
    Ok(RatingsOutcome { result, comparison, facets, languages, monthly, published })
}

fn facets(b: &Battles) -> BattleFacets {
    let mut counts = vec![0u64; b.languages.len()];
    for &l in &b.language {
        if let Some(c) = counts.get_mut(l as usize) {
            *c += 1;
        }
    }
    let mut languages: Vec<(String, u64)> = b
        .languages
        .iter()
        .zip(counts)
        .filter(|(name, n)| !name.is_empty() && *n > 0)
        .map(|(name, n)| (name.clone(), n))
        .collect();
    languages.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
    let mut per_model = vec![0u64; b.models.len()];
    for (&x, &y) in b.model_a.iter().zip(&b.model_b) {
        for m in [x, y] {
            if let Some(c) = per_model.get_mut(m as usize) {
                *c += 1;
            }
        }
    }
    let mut models: Vec<(String, u64)> = b.models.iter().cloned().zip(per_model).collect();
    models.sort();
    let (models, model_battles) = models.into_iter().unzip();
    let mut per_judge = vec![0u64; b.judges.len()];
    for &j in &b.judge {
        if let Some(c) = per_judge.get_mut(j as usize) {
            *c += 1;
        }
    }
    let mut judge_counts: Vec<(String, u64)> = b
        .judges
        .iter()
        .cloned()
        .zip(per_judge)
        .filter(|(name, n)| !name.is_empty() && *n > 0)
        .collect();
    judge_counts.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
    judge_counts.truncate(MAX_JUDGES_LISTED);
    let mut categories = b.categories.clone();
    categories.sort();
    let mut per_category = vec![0u64; b.categories.len()];
    for &bits in &b.category_bits {
        // Only the set bits: most battles carry none or a few of up to 64 tags.
        let mut rest = bits;
        while rest != 0 {
            if let Some(c) = per_category.get_mut(rest.trailing_zeros() as usize) {
                *c += 1;
            }
            rest &= rest - 1;
        }
    }
    let mut category_counts: Vec<(String, u64)> =
        b.categories.iter().cloned().zip(per_category).collect();
    category_counts.sort();
    let times = b.tstamp.iter().copied().filter(|t| t.is_finite());
    let date_range = times.clone().fold(None, |acc: Option<(f64, f64)>, t| match acc {
        None => Some((t, t)),
        Some((lo, hi)) => Some((lo.min(t), hi.max(t))),
    });
    BattleFacets {
        languages,
        models,
        categories,
        category_counts,
        judges: b.judges.len().saturating_sub(1),
        judge_counts,
        model_battles,
        max_turn: b.turn.iter().copied().max().unwrap_or(0),
        date_range,
        battles: b.len() as u64,
        with_style: b.n_with_style as u64,
        has_anony: b.anony.iter().any(Option::is_some),
    }
}
