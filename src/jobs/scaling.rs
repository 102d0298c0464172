//! The scaling analysis the worker runs: column detection on one scaling table, the Approach-3
//! fit with its bootstrap (when the table has a loss), the per-model table under the fitted and
//! the published laws, the inference-aware optimum and the score-vs-compute trend. Only gathers
//! inputs and calls `benchlens_engine::scaling`, the same calls `benchlens scaling fit` makes.

use std::cell::RefCell;

use benchlens_engine::progress::{Tick, Ticker};
use benchlens_engine::scaling::approach2::Approach2;
use benchlens_engine::scaling::inference::{default_demands, inference_curve, InferencePoint};
use benchlens_engine::scaling::law::fit_law_async;
use benchlens_engine::scaling::models::{models_table, FitChoice, ModelsTable};
use benchlens_engine::scaling::report::gated_approach2;
use benchlens_engine::scaling::score_trend::{fit_score_trend, ScoreTrend, ScoreTrendSettings};
use benchlens_engine::scaling::table::DetectedColumns;
use benchlens_engine::scaling::{
    extract, ColumnChoice, FitSettings, LawFit, LawParams, ReferenceFit, ScalingData, ScalingError,
};
use serde::{Deserialize, Serialize};

use super::protocol::JobId;

/// What the scaling view asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScalingRequest {
    /// The scaling table to analyse.
    pub dataset: JobId,
    /// Explicit column choices (None: detected from the headers).
    pub columns: ColumnChoice,
    /// Approach-3 fit settings (used only when the table has a loss column).
    pub fit: FitSettings,
    /// Law of the inference-aware optimum: `fit` (the fit of this table) or a reference fit id.
    pub inference_law: String,
    /// Target loss of the inference-aware optimum; None: the loss of a compute-optimal 7B model
    /// under that law.
    pub target_loss: Option<f64>,
    /// The user's expected inference tokens, shown next to the default demands.
    pub inference_tokens: f64,
}

/// Where one model's numbers come from (the citation columns of models.csv).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceRow {
    pub name: String,
    /// (column, text) for every column whose name ends in `source`.
    pub sources: Vec<(String, String)>,
}

/// The inference-aware optimum under one law.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InferenceOutcome {
    /// Id of the law used (`fit` or a reference id) and its label.
    pub law: String,
    pub law_label: String,
    pub target_loss: f64,
    /// Optima for the default demands and the user's, sorted by demand.
    pub points: Vec<InferencePoint>,
    /// The user's demand (one of `points`).
    pub chosen: f64,
}

/// Everything the scaling view shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScalingOutcome {
    pub dataset_name: String,
    /// Columns of the table, for the override selects.
    pub table_columns: Vec<String>,
    /// Columns in use (detected or chosen).
    pub columns: DetectedColumns,
    pub rows: usize,
    /// Rows without parameters or tokens (not on any compute axis).
    pub off_compute: Vec<String>,
    /// Rows whose token count is a lower bound ("15T+"), with the value read.
    pub lower_bounds: Vec<(String, f64)>,
    /// Reading problems, one sentence each.
    pub warnings: Vec<String>,
    /// The Approach-3 fit, when the table has a loss column and the fit succeeded.
    pub fit: Option<LawFit>,
    /// Why there is no fit although the table has a loss column.
    pub fit_error: Option<String>,
    /// Every model under the fitted law (first, when present) and the published ones.
    pub models: ModelsTable,
    pub inference: Result<InferenceOutcome, String>,
    /// Score vs compute, when the table has a score column.
    pub trend: Option<Result<ScoreTrend, String>>,
    pub sources: Vec<SourceRow>,
    /// Chinchilla Approach 2, when the table holds isoFLOP groups (runs at one compute budget).
    #[serde(default)]
    pub approach2: Option<Approach2>,
    /// Why Approach 2 is not shown for a table with losses that is not an isoFLOP grid.
    #[serde(default)]
    pub approach2_note: Option<String>,
}

/// Runs the scaling analysis on one dataset.
pub async fn analyse(
    datasets: &super::Datasets,
    req: &ScalingRequest,
    ticker: &mut Ticker<'_>,
) -> Result<ScalingOutcome, String> {
    let parsed = datasets
        .get(&req.dataset)
        .ok_or_else(|| "the chosen table is no longer loaded".to_string())?;
    let name = parsed.summary.name.clone();
    let table = parsed
        .table()
        .ok_or_else(|| format!("{name}: this is a battle log, not a table of models or runs"))?;
    let data = extract(table, &req.columns).map_err(|e| format!("{name}: {e}"))?;
    let (fit, fit_error) = if data.columns.loss.is_some() {
        match cached_fit(req, &data, ticker).await {
            Ok(f) => (Some(f), None),
            Err(e) => (None, Some(e)),
        }
    } else {
        (None, None)
    };
    if ticker.ask("tables", 0, 1) == Tick::Stop {
        // Cancelled: the page does not want the tables of a stopped fit.
        return Err("cancelled".to_owned());
    }
    let (approach2, approach2_note) = gated_approach2(&data);
    let mut fits: Vec<FitChoice> =
        ReferenceFit::ALL.into_iter().map(FitChoice::reference).collect();
    if let Some(f) = &fit {
        // As `benchlens scaling fit`: the fitted law first, with its bootstrap draws.
        fits.insert(
            0,
            FitChoice {
                id: "fit".to_owned(),
                label: "fitted here".to_owned(),
                params: f.params,
                draws: f.bootstrap_thetas.iter().map(LawParams::from_theta).collect(),
            },
        );
    }
    let models = models_table(&data, &fits);
    let inference = inference(&fits, req);
    let trend =
        data.columns.score.is_some().then(|| {
            fit_score_trend(&data, &ScoreTrendSettings::default()).map_err(|e| e.to_string())
        });
    let lower_bounds = data
        .rows
        .iter()
        .filter(|r| r.tokens_lower_bound)
        .filter_map(|r| r.tokens.map(|t| (r.name.clone(), t)))
        .collect();
    let source_cols: Vec<(usize, String)> = table
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.to_ascii_lowercase().ends_with("source"))
        .map(|(i, c)| (i, c.clone()))
        .collect();
    let name_col = data.columns.name.as_deref().and_then(|c| table.column_index(c));
    let sources = if source_cols.is_empty() {
        Vec::new()
    } else {
        (0..table.n_rows())
            .map(|r| SourceRow {
                name: name_col
                    .map_or_else(|| format!("row {}", r + 1), |c| table.cell(r, c).to_owned()),
                sources: source_cols
                    .iter()
                    .map(|(i, c)| (c.clone(), table.cell(r, *i).to_owned()))
                    .filter(|(_, t)| !t.trim().is_empty())
                    .collect(),
            })
            .collect()
    };
    Ok(ScalingOutcome {
        dataset_name: name.clone(),
        table_columns: data.table_columns.clone(),
        columns: data.columns.clone(),
        rows: data.rows.len(),
        off_compute: data.off_compute.clone(),
        lower_bounds,
        warnings: data.warnings.iter().map(|w| w.render(&name)).collect(),
        fit,
        fit_error,
        models,
        inference,
        trend,
        approach2,
        approach2_note,
        sources,
    })
}

/// What the last fit was computed from, and its answer.
type FitKey = (JobId, ColumnChoice, FitSettings);

thread_local! {
    /// The worker's last fit: changing only the inference controls must not re-run a
    /// 1,000-round bootstrap.
    static LAST_FIT: RefCell<Option<(FitKey, Result<LawFit, String>)>> = const { RefCell::new(None) };
}

async fn cached_fit(
    req: &ScalingRequest,
    data: &ScalingData,
    ticker: &mut Ticker<'_>,
) -> Result<LawFit, String> {
    let key: FitKey = (req.dataset, req.columns.clone(), req.fit.clone());
    if let Some(hit) =
        LAST_FIT.with(|c| c.borrow().as_ref().filter(|(k, _)| *k == key).map(|(_, v)| v.clone()))
    {
        return hit;
    }
    let result = fit_law_async(data, &req.fit, ticker).await;
    // A cancelled fit (stopped in the grid, or with fewer bootstrap rounds than asked) is not the
    // answer to these settings: never reuse it.
    let complete = match &result {
        Ok(f) => f.bootstrap_rounds == req.fit.bootstrap || req.fit.bootstrap == 0,
        Err(e) => *e != ScalingError::Cancelled,
    };
    let result = result.map_err(|e| e.to_string());
    if complete {
        LAST_FIT.with(|c| *c.borrow_mut() = Some((key, result.clone())));
    }
    result
}

/// The inference-aware optimum for the default demands plus the user's.
fn inference(fits: &[FitChoice], req: &ScalingRequest) -> Result<InferenceOutcome, String> {
    let law = fits
        .iter()
        .find(|f| f.id == req.inference_law)
        .or_else(|| fits.first())
        .ok_or_else(|| "no law to apply".to_string())?;
    let p = &law.params;
    let target = match req.target_loss {
        Some(t) => t,
        None => {
            // A compute-optimal 7B model under this law: a familiar, always reachable target.
            let n = 7e9;
            let d = benchlens_engine::scaling::allocation::AllocationLaw::of(p)
                .map(|a| a.d_opt_for_params(n))
                .ok_or_else(|| format!("{}: no compute-optimal allocation", law.label))?;
            p.loss(n, d)
        }
    };
    let mut demands = default_demands();
    let chosen = req.inference_tokens;
    if !demands.contains(&chosen) {
        demands.push(chosen);
        demands.sort_by(f64::total_cmp);
    }
    let points = inference_curve(p, target, &demands).map_err(|e| e.to_string())?;
    Ok(InferenceOutcome {
        law: law.id.clone(),
        law_label: law.label.clone(),
        target_loss: target,
        points,
        chosen,
    })
}
