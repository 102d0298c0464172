//! Stacked horizontal bars: one row per category (e.g. subject), one coloured segment per series
//! (e.g. check), with a legend on top and a note (e.g. "14 / 100") after each bar.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use super::{area_err, Area, Painted};

use super::theme::{px, FONT, GRID, INK, MUTED};

/// One bar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StackedRow {
    pub label: String,
    /// One value per series (same order as [`StackedBars::series`]).
    pub values: Vec<f64>,
    /// Text after the bar.
    pub note: String,
}

/// Bars top to bottom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StackedBars {
    pub rows: Vec<StackedRow>,
    /// Series names with their colour index in [`PALETTE`].
    pub series: Vec<(String, usize)>,
    pub x_label: String,
}

/// Distinct, print-safe colours (Tableau 20 order, darker first).
pub const PALETTE: [RGBColor; 18] = [
    RGBColor(214, 39, 40),
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
    RGBColor(174, 199, 232),
    RGBColor(255, 187, 120),
    RGBColor(152, 223, 138),
    RGBColor(255, 152, 150),
    RGBColor(197, 176, 213),
    RGBColor(196, 156, 148),
    RGBColor(219, 219, 141),
    RGBColor(158, 218, 229),
];

const WIDTH: u32 = 960;
const ROW_PX: u32 = 18;
const LABEL_CHARS: usize = 36;
const LEGEND_COLUMN_PX: u32 = 235;

/// Decimals that tell apart the ticks of a 0..`range` percent axis with about `ticks` ticks:
/// TruthfulQA's defects span 0–1 %, where whole percents read "0% 0% 0% 0% 1%".
pub fn percent_decimals(range: f64, ticks: u32) -> usize {
    let step = range / f64::from(ticks.max(1));
    if !step.is_finite() || step <= 0.0 || step >= 1.0 {
        return 0;
    }
    // Ticks fall on 1, 2 or 5 × 10^k with 10^k ≤ step: k decimals show them all.
    (-step.log10().floor()).clamp(0.0, 4.0) as usize
}

/// A percent tick label with `decimals` decimals; zero is plain "0%".
pub fn percent_tick(v: f64, decimals: usize) -> String {
    if v == 0.0 {
        "0%".into()
    } else {
        format!("{v:.decimals$}%")
    }
}

impl StackedBars {
    /// Legend entries per row at a CSS width: four on a desktop, fewer on a phone.
    fn legend_columns(width: u32) -> usize {
        (width.saturating_sub(20) / LEGEND_COLUMN_PX).clamp(1, 4) as usize
    }

    fn legend_lines(&self, width: u32) -> u32 {
        self.series.len().div_ceil(Self::legend_columns(width)).max(1) as u32
    }

    /// CSS size.
    pub fn size(&self) -> (u32, u32) {
        (WIDTH, self.height_at(WIDTH))
    }

    /// CSS height when drawn `width` CSS pixels wide (the legend wraps onto more lines).
    pub fn height_at(&self, width: u32) -> u32 {
        20 + 20 * self.legend_lines(width) + 44 + ROW_PX * self.rows.len().max(1) as u32
    }

    /// Paints it.
    pub fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, s: f64) -> Painted {
        if self.rows.is_empty() {
            return Ok(());
        }
        // Legend.
        let css_width = (f64::from(root.dim_in_pixel().0) / s.max(1e-9)).round() as u32;
        let columns = Self::legend_columns(css_width);
        let legend_h = 12.0 + 20.0 * f64::from(self.legend_lines(css_width));
        let font = (FONT, px(12.0, s)).into_font().color(&INK);
        for (k, (name, colour)) in self.series.iter().enumerate() {
            let x = 10.0 + (k % columns) as f64 * f64::from(LEGEND_COLUMN_PX);
            let y = 10.0 + (k / columns) as f64 * 20.0;
            let c = PALETTE[colour % PALETTE.len()];
            root.draw(&Rectangle::new(
                [(px(x, s), px(y + 2.0, s)), (px(x + 12.0, s), px(y + 14.0, s))],
                c.filled(),
            ))
            .map_err(area_err)?;
            root.draw(&Text::new(
                name.clone(),
                (px(x + 18.0, s), px(y + 8.0, s)),
                font.clone().pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(area_err)?;
        }
        let body = root.margin(px(legend_h, s), 0, 0, 0);
        let max = self
            .rows
            .iter()
            .map(|r| r.values.iter().filter(|v| v.is_finite()).sum::<f64>())
            .fold(0.0f64, f64::max)
            .max(1e-9);
        let decimals = percent_decimals(max * 1.04, 12);
        let n = self.rows.len();
        // Labels take at most 40 % of the width (a phone), cut with "…".
        let label_chars =
            (((f64::from(css_width) * 0.4 - 14.0) / 6.7) as usize).clamp(8, LABEL_CHARS);
        let longest = self.rows.iter().map(|r| r.label.chars().count()).max().unwrap_or(4);
        let mut chart = ChartBuilder::on(&body)
            .margin_left(px(6.0, s))
            .margin_right(px(70.0, s))
            .margin_top(px(4.0, s))
            .margin_bottom(px(6.0, s))
            .x_label_area_size(px(34.0, s))
            .y_label_area_size(px(14.0 + 6.7 * longest.min(label_chars) as f64, s))
            .build_cartesian_2d(0f64..max * 1.04, 0f64..n as f64)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .light_line_style(WHITE)
            .x_labels(12)
            .bold_line_style(GRID)
            .axis_style(MUTED)
            .x_desc(self.x_label.as_str())
            .x_label_formatter(&|v| percent_tick(*v, decimals))
            .label_style((FONT, px(12.0, s)).into_font().color(&INK))
            .axis_desc_style((FONT, px(12.0, s)).into_font().color(&MUTED))
            .draw()
            .map_err(|e| e.to_string())?;
        let label_font =
            (FONT, px(12.0, s)).into_font().color(&INK).pos(Pos::new(HPos::Right, VPos::Center));
        let note_font =
            (FONT, px(11.0, s)).into_font().color(&MUTED).pos(Pos::new(HPos::Left, VPos::Center));
        for (i, row) in self.rows.iter().enumerate() {
            let y = n as f64 - i as f64 - 0.5;
            let (x0, yc) = chart.backend_coord(&(0.0, y));
            let mut text: String = row.label.chars().take(label_chars).collect();
            if row.label.chars().count() > label_chars {
                text.pop();
                text.push('…');
            }
            root.draw(&Text::new(text, (x0 - px(6.0, s), yc), label_font.clone()))
                .map_err(area_err)?;
            let mut start = 0.0;
            for (k, v) in row.values.iter().enumerate() {
                if !v.is_finite() || *v <= 0.0 {
                    continue;
                }
                let colour = self.series.get(k).map_or(0, |c| c.1);
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(start, y - 0.36), (start + v, y + 0.36)],
                        PALETTE[colour % PALETTE.len()].filled(),
                    )))
                    .map_err(|e| e.to_string())?;
                start += v;
            }
            if !row.note.is_empty() {
                let (xe, _) = chart.backend_coord(&(start, y));
                root.draw(&Text::new(row.note.clone(), (xe + px(5.0, s), yc), note_font.clone()))
                    .map_err(area_err)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(max: f64, ticks: &[f64]) -> Vec<String> {
        let d = percent_decimals(max * 1.04, 12);
        ticks.iter().map(|&v| percent_tick(v, d)).collect()
    }

    #[test]
    fn small_percentages_get_the_decimals_that_tell_ticks_apart() {
        // TruthfulQA: the worst category flags about 1.2 % of its items.
        assert_eq!(labels(1.2, &[0.0, 0.1, 0.2, 0.5, 1.0]), ["0%", "0.1%", "0.2%", "0.5%", "1.0%"]);
        assert_eq!(labels(0.06, &[0.0, 0.005, 0.01]), ["0%", "0.005%", "0.010%"]);
        // MMLU-scale shares keep whole percents.
        assert_eq!(labels(40.0, &[0.0, 5.0, 10.0]), ["0%", "5%", "10%"]);
        assert_eq!(labels(12.0, &[0.0, 1.0, 2.0]), ["0%", "1%", "2%"]);
        let d = percent_decimals(1.04 * 1.2, 12);
        let ticks: Vec<String> = (0..=12).map(|i| percent_tick(f64::from(i) * 0.1, d)).collect();
        let distinct: std::collections::BTreeSet<&String> = ticks.iter().collect();
        assert_eq!(distinct.len(), ticks.len(), "{ticks:?}");
    }
}
