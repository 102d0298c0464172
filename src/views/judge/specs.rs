//! Chart data from judge results: pure functions, so the canvas, the SVG export and the tests see
//! the same thing.

use benchlens_engine::judge::{ArenaHardResult, MtBenchResult};

use super::AlpacaView;
use crate::charts::forest::{Forest, ForestRow};
use crate::charts::scatter::{Scatter, ScatterPoint};
use crate::charts::ChartSpec;

/// z for a two-sided 95 % normal interval.
const Z95: f64 = 1.959963984540054;

/// Raw vs LC win rate per model, average length encoded, variants of one model joined.
pub fn raw_vs_lc(a: &AlpacaView) -> ChartSpec {
    let points =
        a.lc.models
            .iter()
            .filter(|m| m.model != a.baseline)
            .map(|m| {
                let raw = a.rows.iter().find(|r| r.model == m.model);
                ScatterPoint {
                    label: m.model.clone(),
                    x: m.win_rate,
                    y: m.lc_win_rate,
                    size: raw.map_or(f64::NAN, |r| r.mean_length),
                    group: Some(m.variant_of.clone().unwrap_or_else(|| m.model.clone())),
                }
            })
            .collect();
    ChartSpec::Scatter(Scatter {
        points,
        x_label: "raw win rate vs baseline (%)".into(),
        y_label: "length-controlled win rate (%)".into(),
        size_label: "avg length (characters)".into(),
        diagonal: true,
    })
}

/// A forest row at `value` with its 95 % normal interval (± 1.96 `se`); no interval when the
/// standard error is not finite.
fn normal_interval_row(label: String, value: f64, se: f64) -> ForestRow {
    let (lower, upper) = if se.is_finite() {
        (Some(value - Z95 * se), Some(value + Z95 * se))
    } else {
        (None, None)
    };
    ForestRow { label, value, lower, upper }
}

/// LC and raw win rates with 95 % normal intervals (± 1.96 SE), in LC order.
pub fn win_rate_forest(a: &AlpacaView) -> ChartSpec {
    let mut rows = Vec::new();
    for m in a.lc.models.iter().filter(|m| m.model != a.baseline) {
        rows.push(normal_interval_row(
            format!("{} · LC", m.model),
            m.lc_win_rate,
            m.lc_standard_error,
        ));
        if let Some(r) = a.rows.iter().find(|r| r.model == m.model) {
            rows.push(normal_interval_row(
                format!("{} · raw", m.model),
                r.win_rate,
                r.standard_error,
            ));
        }
    }
    ChartSpec::Forest(Forest {
        rows,
        x_label: "win rate vs baseline (%), 95 % interval = ± 1.96 SE".into(),
    })
}

/// Arena-Hard scores with their bootstrap intervals.
pub fn arena_forest(r: &ArenaHardResult) -> ChartSpec {
    ChartSpec::Forest(Forest {
        rows: r
            .rows
            .iter()
            .map(|m| ForestRow {
                label: m.model.clone(),
                value: m.score,
                lower: Some(m.lower),
                upper: Some(m.upper),
            })
            .collect(),
        x_label: format!(
            "score: win probability vs {} (%), {:.0} % bootstrap interval",
            r.baseline,
            r.ci_level * 100.0
        ),
    })
}

/// MT-Bench means per model (overall, then each turn) with their intervals.
pub fn mt_forest(r: &MtBenchResult) -> ChartSpec {
    ChartSpec::Forest(Forest {
        rows: r
            .rows
            .iter()
            .map(|m| ForestRow {
                label: match m.turn {
                    None => format!("{} · all", m.model),
                    Some(t) => format!("{} · turn {t}", m.model),
                },
                value: m.mean,
                lower: Some(m.lower),
                upper: Some(m.upper),
            })
            .collect(),
        x_label: format!("mean judge score (1–10), {:.0} % interval", r.ci_level * 100.0),
    })
}
