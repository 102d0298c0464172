//! What a rating analysis returns: everything the leaderboard, forest plot, heatmaps, slope chart
//! and trajectory charts draw, serde-serialisable for the worker and the CLI's `--format json`.
//! A leaf of the ratings modules: the fits ([`super::elo`], [`super::style_control`], …) fill
//! these types in, and nothing here depends on a fit.

use serde::{Deserialize, Serialize};

use super::filters::FilterReport;
use super::settings::{CiMethod, Method, TieRule};

/// Ratings of every model after some battle, for the trajectory chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EloSnapshot {
    /// Battles processed so far.
    pub battles: u64,
    /// Timestamp of the last processed battle (NaN when the log has none).
    pub tstamp: f64,
    /// One rating per model in [`EloHistory::models`]; NaN before a model's first battle.
    pub ratings: Vec<f64>,
}

/// Online Elo trajectory at up to [`super::elo::MAX_SNAPSHOTS`] evenly spaced points.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EloHistory {
    pub models: Vec<String>,
    pub snapshots: Vec<EloSnapshot>,
}

/// One style coefficient: change in log-odds of winning per standard deviation of the feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StyleCoefficient {
    pub feature: String,
    pub coefficient: f64,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// How one model moves when style is controlled for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StyleRankChange {
    pub model: String,
    /// Plain Bradley–Terry (ties as half) on the same battles.
    pub raw_rating: f64,
    pub raw_rank: u32,
    pub style_rating: f64,
    pub style_rank: u32,
    /// raw_rank − style_rank: positive means the model climbs once style is controlled.
    pub rank_change: i64,
}

/// Style-control extras of a [`RatingsResult`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StyleReport {
    pub coefficients: Vec<StyleCoefficient>,
    /// Sorted by style-controlled rating (highest first), then name.
    pub rank_changes: Vec<StyleRankChange>,
    /// Selected battles left out because they carry no `conv_metadata`.
    pub battles_without_style: u64,
    /// Feature means and standard deviations used for z-scoring (raw ratio scale).
    pub feature_mean: Vec<f64>,
    pub feature_std: Vec<f64>,
}

/// One leaderboard row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelRating {
    pub model: String,
    /// Full-data fit (never a bootstrap median), in rating points.
    pub rating: f64,
    /// Interval bounds; None with `ci = none`.
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    /// 1 + number of models in the same component whose lower bound exceeds this upper bound.
    pub rank_ub: u32,
    /// Battles this model took part in (after filters and the tie rule).
    pub battles: u64,
    /// Index into [`RatingsResult::components`].
    pub component: u32,
}

/// One connected part of the comparison graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentReport {
    pub models: Vec<String>,
    pub battles: u64,
    /// False when the component has no finite MLE (see `never_lose` / `never_win`).
    pub rated: bool,
    /// Models in groups that never lost to the rest of the component (no finite MLE).
    pub never_lose: Vec<String>,
    /// Models in groups that never won or tied against the rest (no finite MLE).
    pub never_win: Vec<String>,
    /// Bootstrap replicates of this component without a finite MLE, left out of the interval.
    pub failed_replicates: u32,
    /// Davidson tie parameter ν, when fitted.
    pub davidson_nu: Option<f64>,
}

/// Battle tallies of one model pair (a < b by name), for the heatmaps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairStat {
    pub model_a: String,
    pub model_b: String,
    pub wins_a: u64,
    pub wins_b: u64,
    pub ties: u64,
    /// With weights: the weighted wins of a, of b and ties (what win rates use); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weighted: Option<[f64; 3]>,
}

/// The result of [`super::rate`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingsResult {
    pub method: Method,
    pub ties: TieRule,
    pub ci: CiMethod,
    pub legacy_l2: bool,
    /// Sorted by component, then rating (highest first), then name.
    pub ratings: Vec<ModelRating>,
    pub components: Vec<ComponentReport>,
    /// Sorted by (model_a, model_b).
    pub pairs: Vec<PairStat>,
    /// Bootstrap rounds run (0 without a bootstrap).
    pub bootstrap_rounds: u32,
    /// Present with style control.
    pub style: Option<StyleReport>,
    /// Present with the Elo method.
    pub elo_history: Option<EloHistory>,
    pub battles_used: u64,
    pub ties_dropped: u64,
    pub filter: FilterReport,
    pub warnings: Vec<String>,
    /// The weight column the battles were weighted by (`--weights`); absent without weights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<String>,
}

impl RatingsResult {
    /// Predicted probability that `a` beats `b` from their ratings (ties as half), on the
    /// analysis' scale: 1 / (1 + base^((r_b − r_a) / scale)).
    pub fn predicted_win_rate(rating_a: f64, rating_b: f64, scale: f64, base: f64) -> f64 {
        1.0 / (1.0 + base.powf((rating_b - rating_a) / scale))
    }

    /// The row of one model.
    pub fn rating_of(&self, model: &str) -> Option<&ModelRating> {
        self.ratings.iter().find(|r| r.model == model)
    }
}

/// Fills `rank_ub` within each component: 1 + the number of models whose lower bound exceeds
/// this model's upper bound (the rating itself stands in for both bounds without an interval).
pub(crate) fn assign_rank_ub(rows: &mut [ModelRating]) {
    let bounds: Vec<(u32, f64, f64)> = rows
        .iter()
        .map(|r| (r.component, r.lower.unwrap_or(r.rating), r.upper.unwrap_or(r.rating)))
        .collect();
    for (i, row) in rows.iter_mut().enumerate() {
        let (c, _, upper) = bounds[i];
        // Differences below 1e-9 points are solver noise (equal records give ratings that differ
        // in the last bits), not evidence that one model is better.
        let above =
            bounds.iter().filter(|(cj, lower, _)| *cj == c && *lower > upper + 1e-9).count();
        row.rank_ub = 1 + above as u32;
    }
}

/// Sorts rows by component, rating (descending), name.
pub(crate) fn sort_rows(rows: &mut [ModelRating]) {
    rows.sort_by(|x, y| {
        x.component
            .cmp(&y.component)
            .then(y.rating.total_cmp(&x.rating))
            .then_with(|| x.model.cmp(&y.model))
    });
}

/// The components of a fit that rates every model it sees (online Elo, penalised style
/// control), from [`super::graph::components`] over `names` (with each model's battles), and
/// each model's component.
pub(crate) fn rated_components(
    comps: &[Vec<u32>],
    names: &[String],
    per_model: &[u64],
) -> (Vec<ComponentReport>, Vec<u32>) {
    let mut comp_of = vec![0u32; names.len()];
    for (c, members) in comps.iter().enumerate() {
        for &m in members {
            if let Some(slot) = comp_of.get_mut(m as usize) {
                *slot = c as u32;
            }
        }
    }
    let battles_of = |m: u32| per_model.get(m as usize).copied().unwrap_or(0);
    let reports = comps
        .iter()
        .map(|members| ComponentReport {
            models: members.iter().filter_map(|&m| names.get(m as usize).cloned()).collect(),
            battles: members.iter().map(|&m| battles_of(m)).sum::<u64>() / 2,
            rated: true,
            never_lose: Vec::new(),
            never_win: Vec::new(),
            failed_replicates: 0,
            davidson_nu: None,
        })
        .collect();
    (reports, comp_of)
}
