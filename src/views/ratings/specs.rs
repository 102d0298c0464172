//! Chart data from a rating run: pure functions, so what the canvas draws is what the SVG export
//! and the tests see.

use benchlens_engine::ratings::compare::Comparison;
use benchlens_engine::ratings::RatingsResult;

use crate::charts::forest::{Forest, ForestRow};
use crate::charts::heatmap::Heatmap;
use crate::charts::slope::Slope;
use crate::charts::xy::{LegendAt, XyAxis, XyPlot, XySeries};
use crate::charts::ChartSpec;
use benchlens_engine::ratings::elo::EloHistory;
use benchlens_engine::ratings::history::MonthlyRatings;

/// Models in leaderboard order (the result is sorted by rating).
fn order(r: &RatingsResult) -> Vec<String> {
    r.ratings.iter().map(|m| m.model.clone()).collect()
}

/// Forest plot of ratings and intervals.
pub fn forest(r: &RatingsResult) -> ChartSpec {
    ChartSpec::Forest(Forest {
        rows: r
            .ratings
            .iter()
            .map(|m| ForestRow {
                label: m.model.clone(),
                value: m.rating,
                lower: m.lower,
                upper: m.upper,
            })
            .collect(),
        x_label: "rating".into(),
    })
}

fn pair_matrix(
    r: &RatingsResult,
    cell: impl Fn(u64, u64, u64) -> Option<f64>,
) -> Vec<Vec<Option<f64>>> {
    let models = order(r);
    let index = |m: &str| models.iter().position(|x| x == m);
    let n = models.len();
    let mut out = vec![vec![None; n]; n];
    for p in &r.pairs {
        let (Some(a), Some(b)) = (index(&p.model_a), index(&p.model_b)) else { continue };
        out[a][b] = cell(p.wins_a, p.wins_b, p.ties);
        out[b][a] = cell(p.wins_b, p.wins_a, p.ties);
    }
    out
}

/// Observed fraction of decisive battles the row model won (ties excluded).
pub fn win_fraction(r: &RatingsResult) -> ChartSpec {
    ChartSpec::Heatmap(Heatmap {
        labels: order(r),
        values: pair_matrix(r, |w, l, _| (w + l > 0).then(|| w as f64 / (w + l) as f64)),
        min: 0.0,
        max: 1.0,
        decimals: 2,
        title: "Win fraction of row over column (ties excluded)".into(),
    })
}

/// Battles per pair (ties included).
pub fn battle_counts(r: &RatingsResult) -> ChartSpec {
    let values = pair_matrix(r, |w, l, t| (w + l + t > 0).then(|| (w + l + t) as f64));
    let max = values.iter().flatten().flatten().copied().fold(1.0, f64::max);
    ChartSpec::Heatmap(Heatmap {
        labels: order(r),
        values,
        min: -max,
        max,
        decimals: 0,
        title: "Battles per pair".into(),
    })
}

/// Win rate the fitted ratings predict.
pub fn predicted(r: &RatingsResult) -> ChartSpec {
    let models = &r.ratings;
    let values = models
        .iter()
        .map(|a| {
            models
                .iter()
                .map(|b| {
                    (a.model != b.model && a.component == b.component)
                        .then(|| RatingsResult::predicted_win_rate(a.rating, b.rating, 400.0, 10.0))
                })
                .collect()
        })
        .collect();
    ChartSpec::Heatmap(Heatmap {
        labels: order(r),
        values,
        min: 0.0,
        max: 1.0,
        decimals: 2,
        title: "Predicted win rate of row over column".into(),
    })
}

/// Rank under each filter set.
pub fn slope(c: &Comparison) -> ChartSpec {
    ChartSpec::Slope(Slope {
        left_title: "all selected battles".into(),
        right_title: "comparison subset".into(),
        rows: c.rows.iter().map(|r| (r.model.clone(), r.rank_a, r.rank_b)).collect(),
    })
}

/// Cumulative monthly Bradley–Terry of the models leading at the end, one line each.
pub fn monthly(months: &[MonthlyRatings]) -> Option<ChartSpec> {
    let last = months.last()?;
    // As many lines as the palette has distinct colours.
    let leaders: Vec<&String> = last.ratings.iter().take(6).map(|(m, _)| m).collect();
    let series = leaders
        .iter()
        .enumerate()
        .map(|(i, model)| XySeries::Line {
            legend: Some((*model).clone()),
            colour: i,
            width: 2.0,
            opacity: 1.0,
            points: months
                .iter()
                .enumerate()
                .filter_map(|(k, m)| {
                    m.ratings
                        .iter()
                        .find(|(name, _)| name == *model)
                        .map(|(_, r)| ((k + 1) as f64, *r))
                })
                .collect(),
            end_label: None,
            label_start: false,
        })
        .collect();
    Some(ChartSpec::Xy(XyPlot {
        x: XyAxis {
            label: format!("month (1 = {}, {} = {})", months[0].month, months.len(), last.month),
            log: false,
        },
        y: XyAxis { label: "rating (cumulative Bradley–Terry)".into(), log: false },
        series,
        legend: LegendAt::LowerLeft,
        width: 760,
        height: 380,
    }))
}

/// The online Elo trajectory of the six models rated highest at the end.
pub fn elo_trajectory(history: &EloHistory) -> Option<ChartSpec> {
    let last = history.snapshots.last()?;
    let mut order: Vec<usize> = (0..history.models.len())
        .filter(|&i| last.ratings.get(i).is_some_and(|r| r.is_finite()))
        .collect();
    order.sort_by(|&a, &b| {
        last.ratings[b]
            .total_cmp(&last.ratings[a])
            .then_with(|| history.models[a].cmp(&history.models[b]))
    });
    let series = order
        .iter()
        .take(6)
        .enumerate()
        .map(|(colour, &m)| XySeries::Line {
            legend: Some(history.models[m].clone()),
            colour,
            width: 2.0,
            opacity: 1.0,
            points: history
                .snapshots
                .iter()
                .filter_map(|s| {
                    s.ratings.get(m).filter(|r| r.is_finite()).map(|r| (s.battles as f64, *r))
                })
                .collect(),
            end_label: None,
            label_start: false,
        })
        .collect();
    Some(ChartSpec::Xy(XyPlot {
        x: XyAxis { label: "battles processed (timestamp order)".into(), log: false },
        y: XyAxis { label: "online Elo rating".into(), log: false },
        series,
        legend: LegendAt::LowerLeft,
        width: 760,
        height: 380,
    }))
}
