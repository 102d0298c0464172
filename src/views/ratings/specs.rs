//! Chart data from a rating run: pure functions, so what the canvas draws is what the SVG export
//! and the tests see.

use std::collections::HashMap;

use benchlens_engine::ratings::compare::Comparison;
use benchlens_engine::ratings::RatingsResult;
use benchlens_engine::sorting::stable_sort_by;

use benchlens_engine::wording::plural;

use crate::charts::forest::{Forest, ForestGroups, ForestRow};
use crate::charts::heatmap::Heatmap;
use crate::charts::slope::Slope;
use crate::charts::xy::{XyAxis, XyPlot, XySeries};
use crate::charts::ChartSpec;
use benchlens_engine::ratings::elo::EloHistory;
use benchlens_engine::ratings::history::MonthlyRatings;

/// Models in leaderboard order (the result is sorted by rating).
fn order(r: &RatingsResult) -> Vec<String> {
    r.ratings.iter().map(|m| m.model.clone()).collect()
}

/// Forest plot of ratings and intervals; one plot per comparison graph when the battles fall
/// into several graphs that never met.
pub fn forest(r: &RatingsResult) -> ChartSpec {
    let plot = |component: Option<u32>| Forest {
        rows: r
            .ratings
            .iter()
            .filter(|m| component.is_none_or(|c| m.component == c))
            .map(|m| ForestRow {
                label: m.model.clone(),
                value: m.rating,
                lower: m.lower,
                upper: m.upper,
            })
            .collect(),
        x_label: "rating".into(),
    };
    if r.components.len() < 2 {
        return ChartSpec::Forest(plot(None));
    }
    let groups = r
        .components
        .iter()
        .enumerate()
        .map(|(c, report)| {
            let n = report.models.len() as u64;
            let title = format!(
                "Group {} of {}: {} {}, {} {}",
                c + 1,
                r.components.len(),
                n,
                plural(n, "model", "models"),
                crate::format::count(report.battles),
                plural(report.battles, "battle", "battles"),
            );
            (title, plot(Some(c as u32)))
        })
        .collect();
    ChartSpec::ForestGroups(ForestGroups {
        groups,
        note: "No battle connects these groups: each is rated on its own scale, so ratings \
               across groups are not comparable."
            .into(),
    })
}

/// Per-pair matrix of `cell(wins, losses, ties)` of the row model; `weighted` reads the weighted
/// tallies when the run had weights (win rates), else the battle counts.
fn pair_matrix(
    r: &RatingsResult,
    weighted: bool,
    cell: impl Fn(f64, f64, f64) -> Option<f64>,
) -> Vec<Vec<Option<f64>>> {
    // Row of each model (the first, as a search from the top would find): a lookup per pair
    // end, not a scan of the models (31,125 pairs × 250 models at 250 models).
    let mut rows: HashMap<&str, usize> = HashMap::with_capacity(r.ratings.len());
    for (i, m) in r.ratings.iter().enumerate() {
        rows.entry(m.model.as_str()).or_insert(i);
    }
    let index = |m: &str| rows.get(m).copied();
    let n = r.ratings.len();
    let mut out = vec![vec![None; n]; n];
    for p in &r.pairs {
        let (Some(a), Some(b)) = (index(&p.model_a), index(&p.model_b)) else { continue };
        let counted = [p.wins_a as f64, p.wins_b as f64, p.ties as f64];
        let [wa, wb, t] = if weighted { p.weighted.unwrap_or(counted) } else { counted };
        out[a][b] = cell(wa, wb, t);
        out[b][a] = cell(wb, wa, t);
    }
    out
}

/// Observed fraction of decisive battles the row model won (ties excluded; weighted when the
/// battles are).
pub fn win_fraction(r: &RatingsResult) -> ChartSpec {
    ChartSpec::Heatmap(Heatmap {
        labels: order(r),
        values: pair_matrix(r, true, |w, l, _| (w + l > 0.0).then(|| w / (w + l))),
        min: 0.0,
        max: 1.0,
        decimals: 2,
        title: "Win fraction of row over column (ties excluded)".into(),
    })
}

/// Battles per pair (ties included).
pub fn battle_counts(r: &RatingsResult) -> ChartSpec {
    let values = pair_matrix(r, false, |w, l, t| (w + l + t > 0.0).then_some(w + l + t));
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

/// Rank under each filter set; `subset` names the comparison ("English only").
pub fn slope(c: &Comparison, subset: &str) -> ChartSpec {
    ChartSpec::Slope(Slope {
        left_title: "all selected battles".into(),
        right_title: subset.into(),
        rows: c
            .rows
            .iter()
            .map(|r| {
                let side = |rank: Option<u32>, rating: Option<f64>| {
                    rank.map(|k| (k, rating.unwrap_or(f64::NEG_INFINITY)))
                };
                (r.model.clone(), side(r.rank_a, r.rating_a), side(r.rank_b, r.rating_b))
            })
            .collect(),
    })
}

/// Months since year 0 of a `YYYY-MM` string, so months without battles keep their place.
fn month_number(month: &str) -> Option<i64> {
    let (year, m) = month.split_once('-')?;
    let (year, m): (i64, i64) = (year.parse().ok()?, m.parse().ok()?);
    (1..=12).contains(&m).then_some(year * 12 + m - 1)
}

/// Calendar ticks between two month numbers: every 1, 2, 3, 6, 12… months, whichever first
/// gives at most nine, on months that step divides (quarters start in Jan, Apr, Jul, Oct).
fn month_ticks(first: i64, last: i64) -> Vec<(f64, String)> {
    let span = last - first;
    let step = [1, 2, 3, 6, 12, 24, 60, 120]
        .into_iter()
        .find(|step| span / step < 9)
        .unwrap_or(span.max(1));
    (first..=last)
        .filter(|m| m.rem_euclid(step) == 0)
        .map(|m| (m as f64, format!("{}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1)))
        .collect()
}

/// Cumulative monthly Bradley–Terry of the models leading at the end, one line each, at
/// calendar positions.
pub fn monthly(months: &[MonthlyRatings]) -> Option<ChartSpec> {
    let last = months.last()?;
    // Positions on the calendar; if a label is not `YYYY-MM`, fall back to 1, 2, 3…
    let calendar: Option<Vec<i64>> = months.iter().map(|m| month_number(&m.month)).collect();
    let (positions, x): (Vec<f64>, XyAxis) = match calendar {
        Some(numbers) => {
            let ticks = month_ticks(numbers[0], numbers[numbers.len() - 1]);
            let axis =
                XyAxis { ticks, ..XyAxis::new("month (fit on every battle up to its end)", false) };
            (numbers.iter().map(|&n| n as f64).collect(), axis)
        }
        None => (
            (1..=months.len()).map(|k| k as f64).collect(),
            XyAxis::new(
                format!("month (1 = {}, {} = {})", months[0].month, months.len(), last.month),
                false,
            ),
        ),
    };
    // As many lines as the palette has distinct colours.
    let leaders: Vec<&String> = last.ratings.iter().take(6).map(|(m, _)| m).collect();
    let series: Vec<XySeries> = leaders
        .iter()
        .enumerate()
        .map(|(i, model)| XySeries::Line {
            legend: Some((*model).clone()),
            colour: i,
            width: 2.0,
            opacity: 1.0,
            points: months
                .iter()
                .zip(&positions)
                .filter_map(|(m, &x)| {
                    m.ratings.iter().find(|(name, _)| name == *model).map(|(_, r)| (x, *r))
                })
                .collect(),
            end_label: None,
            label_start: false,
        })
        .collect();
    Some(line_plot(x, XyAxis::new("rating (cumulative Bradley–Terry)", false), series))
}

/// The online Elo trajectory of the six models rated highest at the end.
pub fn elo_trajectory(history: &EloHistory) -> Option<ChartSpec> {
    let last = history.snapshots.last()?;
    let mut order: Vec<usize> = (0..history.models.len())
        .filter(|&i| last.ratings.get(i).is_some_and(|r| r.is_finite()))
        .collect();
    stable_sort_by(&mut order, |&a, &b| {
        last.ratings[b]
            .total_cmp(&last.ratings[a])
            .then_with(|| history.models[a].cmp(&history.models[b]))
    });
    let series: Vec<XySeries> = order
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
    let x = XyAxis::new("battles processed (timestamp order)", false);
    Some(line_plot(x, XyAxis::new("online Elo rating", false), series))
}

/// A 760-pixel-wide plot of rating lines over time, tall enough for its legend.
fn line_plot(x: XyAxis, y: XyAxis, mut series: Vec<XySeries>) -> ChartSpec {
    let (legend, height) = super::legend::place(&mut series, (760, 380));
    ChartSpec::Xy(XyPlot { x, y, series, legend, width: 760, height })
}

#[cfg(test)]
mod tests {
    use super::{month_number, month_ticks};

    #[test]
    fn months_keep_their_calendar_place() {
        assert_eq!(month_number("2023-05"), Some(2023 * 12 + 4));
        assert_eq!(month_number("2023-13"), None);
        assert_eq!(month_number("May 2023"), None);
    }

    #[test]
    fn month_ticks_step_on_the_calendar() {
        let labels = |a: &str, b: &str| -> Vec<String> {
            match (month_number(a), month_number(b)) {
                (Some(a), Some(b)) => month_ticks(a, b).into_iter().map(|(_, l)| l).collect(),
                _ => panic!("bad test month {a} or {b}"),
            }
        };
        assert_eq!(labels("2023-05", "2023-08"), ["2023-05", "2023-06", "2023-07", "2023-08"]);
        // 13 months: every second month, on even month numbers (Jan = 0).
        assert_eq!(
            labels("2023-05", "2024-05"),
            ["2023-05", "2023-07", "2023-09", "2023-11", "2024-01", "2024-03", "2024-05"]
        );
        // Two years: quarters.
        assert_eq!(labels("2023-02", "2025-01")[0], "2023-04");
        assert!(labels("2000-01", "2024-12").len() <= 9);
    }
}
