//! Forest plot: one row per model, the rating as a dot and its confidence interval as a bar.
//! [`ForestGroups`] stacks one plot per disconnected comparison graph, each with its own axis
//! and title, because ratings from graphs that never met are not on a common scale.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use super::{area_err, Area, Painted};

use super::theme::{px, tick_label, ACCENT, FONT, GRID, INK, LIGHT_LINES, MUTED};

/// One row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForestRow {
    pub label: String,
    pub value: f64,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// Rows top to bottom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forest {
    pub rows: Vec<ForestRow>,
    pub x_label: String,
}

const ROW_PX: u32 = 22;
/// Longest row label drawn in full (characters); longer ones end in "…".
const MAX_LABEL_CHARS: usize = 48;

/// Characters of the longest label, capped.
fn label_chars(rows: &[ForestRow]) -> usize {
    rows.iter().map(|r| r.label.chars().count()).max().unwrap_or(4).min(MAX_LABEL_CHARS)
}

/// A label cut to `max_chars` with an ellipsis when longer.
fn shown_label(label: &str, max_chars: usize) -> String {
    if label.chars().count() <= max_chars {
        return label.to_owned();
    }
    let mut s: String = label.chars().take(max_chars.saturating_sub(1)).collect();
    s.push('…');
    s
}

impl Forest {
    /// CSS size.
    pub fn size(&self) -> (u32, u32) {
        (760, 60 + ROW_PX * self.rows.len().max(1) as u32)
    }

    /// Paints it.
    pub fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, s: f64) -> Painted {
        self.draw_with_labels(root, s, label_chars(&self.rows))
    }

    /// Paints it with room for labels of `longest` characters (so stacked plots align).
    fn draw_with_labels<DB: DrawingBackend>(
        &self,
        root: &Area<DB>,
        s: f64,
        longest: usize,
    ) -> Result<(), String> {
        let finite = |v: &f64| v.is_finite();
        let values: Vec<f64> = self
            .rows
            .iter()
            .flat_map(|r| [Some(r.value), r.lower, r.upper])
            .flatten()
            .filter(finite)
            .collect();
        if values.is_empty() {
            return Ok(());
        }
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let pad = ((hi - lo) * 0.05).max(1.0);
        let n = self.rows.len();
        // Row labels take at most 40 % of the width drawn (a phone), cut with "…".
        let css_width = f64::from(root.dim_in_pixel().0) / s.max(1e-9);
        let max_chars = (((css_width * 0.4 - 12.0) / 6.6) as usize).clamp(8, MAX_LABEL_CHARS);
        let longest = longest.min(max_chars);
        let mut chart = ChartBuilder::on(root)
            .margin(px(10.0, s))
            .x_label_area_size(px(36.0, s))
            .y_label_area_size(px(12.0 + 6.6 * longest as f64, s))
            .build_cartesian_2d((lo - pad)..(hi + pad), 0f64..n as f64)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .light_line_style(GRID.mix(0.5))
            .bold_line_style(GRID)
            .max_light_lines(LIGHT_LINES)
            .x_label_formatter(&|v| tick_label(*v, hi - lo + 2.0 * pad))
            .axis_style(MUTED)
            .x_desc(self.x_label.as_str())
            .label_style((FONT, px(12.0, s)).into_font().color(&INK))
            .axis_desc_style((FONT, px(12.0, s)).into_font().color(&MUTED))
            .draw()
            .map_err(|e| e.to_string())?;
        let base = root.get_base_pixel();
        // Row labels drawn by hand: plotters' numeric y labels cannot land on row centres.
        let label_font =
            (FONT, px(12.0, s)).into_font().color(&INK).pos(Pos::new(HPos::Right, VPos::Center));
        for (i, row) in self.rows.iter().enumerate() {
            // backend_coord is absolute; `root` may be one group's part of a taller canvas.
            let (x, y) = chart.backend_coord(&(lo - pad, n as f64 - i as f64 - 0.5));
            let (x, y) = (x - base.0, y - base.1);
            let text = shown_label(&row.label, max_chars);
            root.draw(&Text::new(text, (x - px(6.0, s), y), label_font.clone()))
                .map_err(|e| e.to_string())?;
        }
        for (i, row) in self.rows.iter().enumerate() {
            let y = n as f64 - i as f64 - 0.5;
            if let (Some(l), Some(u)) = (row.lower, row.upper) {
                if l.is_finite() && u.is_finite() {
                    chart
                        .draw_series(std::iter::once(PathElement::new(
                            vec![(l, y), (u, y)],
                            ShapeStyle::from(ACCENT.mix(0.55))
                                .stroke_width(px(3.0, s).max(1) as u32),
                        )))
                        .map_err(|e| e.to_string())?;
                }
            }
            if row.value.is_finite() {
                chart
                    .draw_series(std::iter::once(Circle::new(
                        (row.value, y),
                        px(4.0, s),
                        ACCENT.filled(),
                    )))
                    .map_err(|e| e.to_string())?;
            }
        }
        Ok(())
    }
}

/// One forest plot per disconnected comparison graph, stacked, with a title each and a note
/// that ratings across them are not comparable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForestGroups {
    /// (title, plot) per group, top to bottom.
    pub groups: Vec<(String, Forest)>,
    /// Printed under the plots.
    pub note: String,
}

/// Height of a group's title line and of the note.
const TITLE_PX: u32 = 26;

impl ForestGroups {
    /// CSS size.
    pub fn size(&self) -> (u32, u32) {
        let plots: u32 = self.groups.iter().map(|(_, f)| TITLE_PX + f.size().1).sum();
        (760, plots + TITLE_PX)
    }

    /// Paints it.
    pub fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, s: f64) -> Painted {
        let longest = self.groups.iter().map(|(_, f)| label_chars(&f.rows)).max().unwrap_or(4);
        let title_font = (FONT, px(13.0, s)).into_font().color(&INK);
        let mut rest = root.clone();
        for (i, (title, forest)) in self.groups.iter().enumerate() {
            let (head, below) = rest.split_vertically(px(f64::from(TITLE_PX), s));
            if i > 0 {
                // A rule between groups: the eye should not run one axis into the next.
                let (w, _) = head.dim_in_pixel();
                head.draw(&PathElement::new(
                    vec![(px(8.0, s), px(2.0, s)), (w as i32 - px(8.0, s), px(2.0, s))],
                    ShapeStyle::from(GRID).stroke_width(px(2.0, s).max(1) as u32),
                ))
                .map_err(area_err)?;
            }
            head.draw(&Text::new(title.clone(), (px(10.0, s), px(8.0, s)), title_font.clone()))
                .map_err(area_err)?;
            let (plot, next) = below.split_vertically(px(f64::from(forest.size().1), s));
            forest.draw_with_labels(&plot, s, longest)?;
            rest = next;
        }
        rest.draw(&Text::new(
            self.note.clone(),
            (px(10.0, s), px(6.0, s)),
            (FONT, px(12.0, s)).into_font().color(&MUTED),
        ))
        .map_err(area_err)?;
        Ok(())
    }
}
