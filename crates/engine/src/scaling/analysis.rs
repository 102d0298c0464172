//! The scaling analysis's one entry point, [`run`] (and [`run_async`], which can pause and be
//! cancelled): what the scaling view's worker and `benchlens scaling fit` both call, so the page
//! and the terminal agree by construction. Column detection on one table, the Approach-3 fit with
//! its bootstrap (when the table has a loss), Approach 2 on isoFLOP groups, the per-model table
//! under the fitted and the published laws, the inference-aware optimum, the score-vs-compute
//! trend and the citation columns. The outcome writes its own reports (see `output.rs`).

use serde::{Deserialize, Serialize};

use super::allocation::AllocationLaw;
use super::approach2::Approach2;
use super::inference::{default_demands, inference_curve, InferencePoint};
use super::law::{fit_law_async, FitSettings, LawFit};
use super::models::{models_table, FitChoice, ModelsTable};
use super::reference_fits::ReferenceFit;
use super::report::{fitted_choice, gated_approach2, ScalingSettings};
use super::score_trend::{fit_score_trend, ScoreTrend};
use super::table::{extract, ColumnChoice, DetectedColumns, ScalingData};
use super::ScalingError;
use crate::dataset::Warning;
use crate::progress::{block_on, Tick, Ticker};
use crate::table::Table;

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

/// Everything the scaling analysis found in one table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScalingOutcome {
    pub dataset_name: String,
    /// The settings this is the answer to.
    #[serde(default)]
    pub settings: ScalingSettings,
    /// Columns of the table, for the override selects.
    pub table_columns: Vec<String>,
    /// Columns in use (detected or chosen).
    pub columns: DetectedColumns,
    pub rows: usize,
    /// Rows without parameters or tokens (not on any compute axis).
    pub off_compute: Vec<String>,
    /// Rows whose token count is a lower bound ("15T+"), with the value read.
    pub lower_bounds: Vec<(String, f64)>,
    /// Reading problems, one sentence each, naming the dataset.
    pub warnings: Vec<String>,
    /// The same problems as records (line, column, count), for machine-readable reports.
    #[serde(default)]
    pub warning_records: Vec<Warning>,
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

/// The last fit and what it was computed from: a caller that keeps this between runs (the
/// worker) does not re-run a 1,000-round bootstrap when only the inference controls change.
#[derive(Debug, Clone, Default)]
pub struct FitMemo {
    last: Option<((ColumnChoice, FitSettings), Result<LawFit, String>)>,
}

/// Runs the scaling analysis to its end on the current thread (see [`run_async`]).
pub fn run(
    dataset_name: &str,
    table: &Table,
    settings: &ScalingSettings,
    ticker: &mut Ticker<'_>,
) -> Result<ScalingOutcome, ScalingError> {
    block_on(run_async(dataset_name, table, settings, &mut FitMemo::default(), ticker))
}

/// Runs every analysis the table supports. Fails only when the columns cannot be resolved, or
/// with [`ScalingError::Cancelled`] when the ticker stops it; a part that cannot be computed
/// carries its error sentence instead.
pub async fn run_async(
    dataset_name: &str,
    table: &Table,
    settings: &ScalingSettings,
    memo: &mut FitMemo,
    ticker: &mut Ticker<'_>,
) -> Result<ScalingOutcome, ScalingError> {
    let data = extract(table, &settings.columns)?;
    let (fit, fit_error) = if data.columns.loss.is_some() {
        match memo_fit(memo, settings, &data, ticker).await {
            Ok(f) => (Some(f), None),
            Err(e) => (None, Some(e)),
        }
    } else {
        (None, None)
    };
    if ticker.ask("tables", 0, 1) == Tick::Stop {
        // Cancelled: nobody wants the tables of a stopped fit.
        return Err(ScalingError::Cancelled);
    }
    let (approach2, approach2_note) = gated_approach2(&data);
    let mut fits: Vec<FitChoice> =
        ReferenceFit::ALL.into_iter().map(FitChoice::reference).collect();
    if let Some(f) = &fit {
        // The fitted law first, with its bootstrap draws.
        fits.insert(0, fitted_choice(f, "fit"));
    }
    let models = models_table(&data, &fits);
    let inference = inference(&fits, settings);
    let trend = data
        .columns
        .score
        .is_some()
        .then(|| fit_score_trend(&data, &settings.score).map_err(|e| e.to_string()));
    let lower_bounds = data
        .rows
        .iter()
        .filter(|r| r.tokens_lower_bound)
        .filter_map(|r| r.tokens.map(|t| (r.name.clone(), t)))
        .collect();
    Ok(ScalingOutcome {
        dataset_name: dataset_name.to_owned(),
        settings: settings.clone(),
        table_columns: data.table_columns.clone(),
        columns: data.columns.clone(),
        rows: data.rows.len(),
        off_compute: data.off_compute.clone(),
        lower_bounds,
        warnings: data.warnings.iter().map(|w| w.render(dataset_name)).collect(),
        warning_records: data.warnings.clone(),
        fit,
        fit_error,
        models,
        inference,
        trend,
        sources: sources(table, &data),
        approach2,
        approach2_note,
    })
}

async fn memo_fit(
    memo: &mut FitMemo,
    settings: &ScalingSettings,
    data: &ScalingData,
    ticker: &mut Ticker<'_>,
) -> Result<LawFit, String> {
    let key = (settings.columns.clone(), settings.fit.clone());
    if let Some((_, hit)) = memo.last.as_ref().filter(|(k, _)| *k == key) {
        return hit.clone();
    }
    let result = fit_law_async(data, &settings.fit, ticker).await;
    // A cancelled fit (stopped in the grid, or with fewer bootstrap rounds than asked) is not the
    // answer to these settings: never reuse it.
    let complete = match &result {
        Ok(f) => f.bootstrap_rounds == settings.fit.bootstrap || settings.fit.bootstrap == 0,
        Err(e) => *e != ScalingError::Cancelled,
    };
    let result = result.map_err(|e| e.to_string());
    if complete {
        memo.last = Some((key, result.clone()));
    }
    result
}

/// The inference-aware optimum for the default demands plus the user's, under the chosen law
/// (the first one when the id is unknown: the fitted law when there is one).
fn inference(fits: &[FitChoice], settings: &ScalingSettings) -> Result<InferenceOutcome, String> {
    let law = fits
        .iter()
        .find(|f| f.id == settings.inference_law)
        .or_else(|| fits.first())
        .ok_or_else(|| "no law to apply".to_string())?;
    let p = &law.params;
    let target = match settings.target_loss {
        Some(t) => t,
        None => {
            // A compute-optimal 7B model under this law: a familiar, always reachable target.
            let n = 7e9;
            let d = AllocationLaw::of(p)
                .map(|a| a.d_opt_for_params(n))
                .ok_or_else(|| format!("{}: no compute-optimal allocation", law.label))?;
            p.loss(n, d)
        }
    };
    let mut demands = default_demands();
    for extra in &settings.inference_tokens {
        if !demands.contains(extra) {
            demands.push(*extra);
        }
    }
    demands.sort_by(f64::total_cmp);
    let points = inference_curve(p, target, &demands).map_err(|e| e.to_string())?;
    Ok(InferenceOutcome {
        law: law.id.clone(),
        law_label: law.label.clone(),
        target_loss: target,
        points,
        // No demand of one's own: training only (0 is always among the defaults).
        chosen: settings.inference_tokens.first().copied().unwrap_or(0.0),
    })
}

/// The citation columns (names ending in `source`), per row; empty when the table has none.
fn sources(table: &Table, data: &ScalingData) -> Vec<SourceRow> {
    let source_cols: Vec<(usize, String)> = table
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.to_ascii_lowercase().ends_with("source"))
        .map(|(i, c)| (i, c.clone()))
        .collect();
    if source_cols.is_empty() {
        return Vec::new();
    }
    let name_col = data.columns.name.as_deref().and_then(|c| table.column_index(c));
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::ParsedFile;
    use crate::formats::{load_bytes, LoadOptions};

    fn runs_file() -> ParsedFile {
        let bytes = include_bytes!("../../../../samples/synthetic/runs.csv");
        load_bytes("runs.csv", bytes, &LoadOptions::default())
    }

    #[test]
    fn memo_serves_the_second_run_and_inference_follows_the_chosen_law() {
        let file = runs_file();
        let table = file.table().expect("a table");
        let settings = ScalingSettings {
            fit: FitSettings { bootstrap: 5, ..FitSettings::default() },
            inference_law: "epoch".to_owned(),
            inference_tokens: vec![3e12],
            ..ScalingSettings::default()
        };
        let mut memo = FitMemo::default();
        let first =
            block_on(run_async("runs.csv", table, &settings, &mut memo, &mut Ticker::silent()))
                .expect("outcome");
        let mut asked = Vec::new();
        let mut listening = Ticker::new(|stage, _, _| {
            asked.push(stage);
            Tick::Continue
        });
        let again = block_on(run_async("runs.csv", table, &settings, &mut memo, &mut listening))
            .expect("outcome");
        drop(listening);
        assert_eq!(first, again);
        assert_eq!(asked, ["tables"], "no fit the second time");
        assert_eq!(first.models.fits[0].id, "fit");
        let inference = first.inference.as_ref().expect("inference");
        assert_eq!((inference.law.as_str(), inference.chosen), ("epoch", 3e12));
        assert!(inference.points.iter().any(|p| p.inference_tokens == 3e12));
        assert!(first.requested_inference().is_none(), "no --target-loss");
    }

    #[test]
    fn a_stopped_run_is_cancelled() {
        let mut stop = Ticker::new(|_, _, _| Tick::Stop);
        let file = runs_file();
        let table = file.table().expect("a table");
        let result = run("runs.csv", table, &ScalingSettings::default(), &mut stop);
        assert!(matches!(result, Err(ScalingError::Cancelled)), "{result:?}");
    }
}
