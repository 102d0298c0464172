//! XY plot with optional log axes: lines (curves, fitted frontiers, contours), shaded bands
//! (bootstrap intervals) and scatter points with optional labels (outliers, named models). Used by
//! the scaling view for loss vs compute, iso-loss contours, tokens per parameter and score vs
//! compute.
//!
//! Log axes are drawn in log10 space on a linear coordinate system so that ticks land on whole
//! decades and read "1B", "1T", "1e21" instead of plotters' raw numbers.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use super::{area_err, Area, Painted};

use super::labels::text_width;
use super::theme::{px, tick_label, ACCENT, FONT, GRID, INK, LIGHT_LINES, MUTED};

mod axis_text;
mod grid;

use axis_text::log_tick;
pub use axis_text::{decade_label, si};

/// Series colours, by index.
pub const PALETTE: [RGBColor; 6] = [
    ACCENT,
    RGBColor(222, 107, 30),
    RGBColor(24, 145, 96),
    RGBColor(200, 45, 60),
    RGBColor(128, 78, 190),
    MUTED,
];

fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// One axis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct XyAxis {
    pub label: String,
    /// Log10 scale (non-positive values are left out).
    pub log: bool,
    /// Named ticks (position, label), e.g. calendar months; when empty the axis gets numeric
    /// ticks.
    #[serde(default)]
    pub ticks: Vec<(f64, String)>,
}

impl XyAxis {
    /// An axis with numeric ticks.
    pub fn new(label: impl Into<String>, log: bool) -> Self {
        Self { label: label.into(), log, ticks: Vec::new() }
    }
}

/// One thing drawn on the plot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum XySeries {
    /// A polyline; `end_label` is written at its last point, or at its first with `label_start`
    /// (e.g. "N = 1B" on an iso-N curve).
    Line {
        legend: Option<String>,
        colour: usize,
        width: f64,
        /// Opacity 0–1.
        opacity: f64,
        points: Vec<(f64, f64)>,
        end_label: Option<String>,
        #[serde(default)]
        label_start: bool,
    },
    /// A shaded band: (x, lower, upper) per x.
    Band { legend: Option<String>, colour: usize, points: Vec<(f64, f64, f64)> },
    /// Scatter points; `labels[i]` (when present and non-empty) is written next to point i.
    Points {
        legend: Option<String>,
        colour: usize,
        radius: f64,
        hollow: bool,
        points: Vec<(f64, f64)>,
        labels: Vec<String>,
    },
}

/// Where the legend goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LegendAt {
    UpperLeft,
    UpperRight,
    LowerLeft,
    LowerRight,
}

/// The chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct XyPlot {
    pub x: XyAxis,
    pub y: XyAxis,
    pub series: Vec<XySeries>,
    pub legend: LegendAt,
    pub width: u32,
    pub height: u32,
}

/// A value on an axis in drawing space (log10 for log axes); None when it cannot be drawn.
fn to_axis(v: f64, log: bool) -> Option<f64> {
    if !v.is_finite() {
        return None;
    }
    if log {
        (v > 0.0).then(|| v.log10())
    } else {
        Some(v)
    }
}

impl XyPlot {
    /// CSS size.
    pub fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    fn xy(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        Some((to_axis(x, self.x.log)?, to_axis(y, self.y.log)?))
    }

    /// Data range in drawing space, padded.
    fn ranges(&self) -> Option<((f64, f64), (f64, f64))> {
        let mut xs = Vec::new();
        let mut ys = Vec::new();
        let mut push = |x: f64, y: f64| {
            if let Some((a, b)) = self.xy(x, y) {
                xs.push(a);
                ys.push(b);
            }
        };
        for s in &self.series {
            match s {
                XySeries::Line { points, .. } | XySeries::Points { points, .. } => {
                    points.iter().for_each(|&(x, y)| push(x, y))
                }
                XySeries::Band { points, .. } => points.iter().for_each(|&(x, lo, hi)| {
                    push(x, lo);
                    push(x, hi);
                }),
            }
        }
        let span = |v: &[f64], log: bool| -> Option<(f64, f64)> {
            let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if !lo.is_finite() || !hi.is_finite() {
                return None;
            }
            let width = hi - lo;
            let pad = if width > 0.0 {
                width * 0.04
            } else if log {
                0.5
            } else {
                lo.abs().max(1.0) * 0.1
            };
            Some((lo - pad, hi + pad))
        };
        Some((span(&xs, self.x.log)?, span(&ys, self.y.log)?))
    }

    /// Paints it.
    pub fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, s: f64) -> Painted {
        let Some(((x0, x1), (y0, y1))) = self.ranges() else {
            let style = (FONT, px(13.0, s)).into_font().color(&MUTED);
            root.draw(&Text::new("nothing to draw", (px(20.0, s), px(20.0, s)), style))
                .map_err(|e| e.to_string())?;
            return Ok(());
        };
        let (xspan, yspan) = (x1 - x0, y1 - y0);
        let (xlog, ylog) = (self.x.log, self.y.log);
        let x_fmt = move |v: &f64| if xlog { log_tick(*v, xspan) } else { tick_label(*v, xspan) };
        let y_fmt = move |v: &f64| if ylog { log_tick(*v, yspan) } else { tick_label(*v, yspan) };
        let named_x = !self.x.ticks.is_empty();
        // No more tick labels than fit side by side at the width the chart is drawn (a phone
        // gets four or five, not twelve printed over each other).
        let css_width = f64::from(root.dim_in_pixel().0) / s.max(1e-9);
        let fit = (((css_width - 100.0) / 56.0).floor() as usize).max(3);
        let x_ticks = match (named_x, xlog) {
            (true, _) => 0,
            (false, true) => ((xspan.ceil() as usize) + 1).clamp(3, 12).min(fit),
            (false, false) => 8.min(fit),
        };
        let y_ticks = if ylog { ((yspan.ceil() as usize) + 1).clamp(3, 12) } else { 8 };
        // Log axes get their own minor lines at 2…9 × 10^k below; plotters' would be evenly
        // spaced in log space, which reads as the wrong values.
        let light = |log: bool| if log { 0 } else { LIGHT_LINES };
        let mut chart = ChartBuilder::on(root)
            .margin(px(12.0, s))
            .margin_right(px(24.0, s))
            .x_label_area_size(px(44.0, s))
            .y_label_area_size(px(64.0, s))
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(area_err)?;
        chart
            .configure_mesh()
            .light_line_style(GRID.mix(0.5))
            .bold_line_style(GRID)
            .x_max_light_lines(if named_x { 0 } else { light(xlog) })
            .y_max_light_lines(light(ylog))
            .axis_style(MUTED)
            .x_labels(x_ticks)
            .y_labels(y_ticks)
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .x_desc(self.x.label.as_str())
            .y_desc(self.y.label.as_str())
            .label_style((FONT, px(12.0, s)).into_font().color(&INK))
            .axis_desc_style((FONT, px(12.0, s)).into_font().color(&MUTED))
            .draw()
            .map_err(area_err)?;
        self.draw_minor_and_named_ticks(&mut chart, root, s, ((x0, x1), (y0, y1)))
            .map_err(area_err)?;
        let mut has_legend = false;
        let mut placer = self.label_placer(&chart, s);
        // Curve labels are written last, on a light backing, so points never hide them.
        let mut pending_labels = Vec::new();
        // Bands first, then lines, then points on top.
        for layer in 0..3 {
            for series in &self.series {
                match (layer, series) {
                    (0, XySeries::Band { legend, colour: c, points }) => {
                        let mut upper: Vec<(f64, f64)> = Vec::new();
                        let mut lower: Vec<(f64, f64)> = Vec::new();
                        for &(x, lo, hi) in points {
                            if let (Some(a), Some(b)) = (self.xy(x, lo), self.xy(x, hi)) {
                                lower.push(a);
                                upper.push(b);
                            }
                        }
                        if lower.len() < 2 {
                            continue;
                        }
                        let col = colour(*c);
                        lower.extend(upper.into_iter().rev());
                        let anno = chart
                            .draw_series(std::iter::once(Polygon::new(
                                lower,
                                col.mix(0.18).filled(),
                            )))
                            .map_err(area_err)?;
                        if let Some(l) = legend {
                            has_legend = true;
                            let size = px(10.0, s);
                            anno.label(l.as_str()).legend(move |(x, y)| {
                                Rectangle::new(
                                    [(x, y - size / 2), (x + 2 * size, y + size / 2)],
                                    col.mix(0.25).filled(),
                                )
                            });
                        }
                    }
                    (
                        1,
                        XySeries::Line {
                            legend,
                            colour: c,
                            width,
                            opacity,
                            points,
                            end_label,
                            label_start,
                        },
                    ) => {
                        let pts: Vec<(f64, f64)> =
                            points.iter().filter_map(|&(x, y)| self.xy(x, y)).collect();
                        if pts.len() < 2 {
                            continue;
                        }
                        let col = colour(*c).mix(*opacity);
                        let w = px(*width, s).max(1) as u32;
                        let style = ShapeStyle::from(col).stroke_width(w);
                        let anno = chart
                            .draw_series(std::iter::once(PathElement::new(pts.clone(), style)))
                            .map_err(area_err)?;
                        if let Some(l) = legend {
                            has_legend = true;
                            let size = px(10.0, s);
                            anno.label(l.as_str()).legend(move |(x, y)| {
                                PathElement::new(vec![(x, y), (x + 2 * size, y)], style)
                            });
                        }
                        let at = if *label_start { pts.first() } else { pts.last() };
                        if let (Some(text), Some(&at)) = (end_label, at) {
                            let (bx, by) = chart.backend_coord(&at);
                            let (h, dx) = if *label_start {
                                (HPos::Left, px(4.0, s))
                            } else {
                                (HPos::Right, -px(2.0, s))
                            };
                            let (x, y) = (bx + dx, by - px(3.0, s));
                            let width = text_width(text, 11.0 * s);
                            let left = if *label_start { x } else { x - width };
                            if let Some(y) = placer.shifted(left, y, width, px(12.0, s)) {
                                pending_labels.push((text.clone(), x, y, left, width, *c, h));
                            }
                        }
                    }
                    (2, XySeries::Points { legend, colour: c, radius, hollow, points, labels }) => {
                        let col = colour(*c);
                        let r = px(*radius, s).max(1);
                        let style = if *hollow {
                            ShapeStyle::from(col).stroke_width(px(1.5, s).max(1) as u32)
                        } else {
                            col.mix(0.85).filled()
                        };
                        let pts: Vec<((f64, f64), Option<&String>)> = points
                            .iter()
                            .enumerate()
                            .filter_map(|(i, &(x, y))| Some((self.xy(x, y)?, labels.get(i))))
                            .collect();
                        if pts.is_empty() {
                            continue;
                        }
                        let anno = chart
                            .draw_series(pts.iter().map(|(p, _)| Circle::new(*p, r, style)))
                            .map_err(area_err)?;
                        if let Some(l) = legend {
                            has_legend = true;
                            let size = px(10.0, s);
                            anno.label(l.as_str())
                                .legend(move |(x, y)| Circle::new((x + size, y), r, style));
                        }
                        for (p, label) in &pts {
                            let Some(text) = label.filter(|t| !t.is_empty()) else { continue };
                            let (bx, by) = chart.backend_coord(p);
                            let size = (text_width(text, 11.0 * s), px(13.0, s));
                            let Some(spot) = placer.around((bx, by), r, size, px(3.0, s)) else {
                                continue;
                            };
                            let (l, t, rt, b) = spot.rect;
                            if spot.leader {
                                let tx = if l > bx {
                                    l
                                } else if rt < bx {
                                    rt
                                } else {
                                    bx
                                };
                                let ty = if t > by {
                                    t
                                } else if b < by {
                                    b
                                } else {
                                    (t + b) / 2
                                };
                                root.draw(&PathElement::new(
                                    vec![(bx, by), (tx, ty)],
                                    ShapeStyle::from(MUTED.mix(0.8)).stroke_width(1),
                                ))
                                .map_err(area_err)?;
                            }
                            let font = (FONT, px(11.0, s))
                                .into_font()
                                .color(&INK)
                                .pos(Pos::new(HPos::Left, VPos::Center));
                            root.draw(&Text::new(text.clone(), (l, (t + b) / 2), font))
                                .map_err(area_err)?;
                        }
                    }
                    _ => {}
                }
            }
        }
        for (text, x, y, left, width, c, h) in pending_labels {
            let backing = [(left - px(1.0, s), y - px(12.0, s)), (left + width, y + px(1.0, s))];
            root.draw(&Rectangle::new(backing, WHITE.mix(0.75).filled())).map_err(area_err)?;
            let font =
                (FONT, px(11.0, s)).into_font().color(&colour(c)).pos(Pos::new(h, VPos::Bottom));
            root.draw(&Text::new(text, (x, y), font)).map_err(area_err)?;
        }
        if has_legend {
            let pos = match self.legend {
                LegendAt::UpperLeft => SeriesLabelPosition::UpperLeft,
                LegendAt::UpperRight => SeriesLabelPosition::UpperRight,
                LegendAt::LowerLeft => SeriesLabelPosition::LowerLeft,
                LegendAt::LowerRight => SeriesLabelPosition::LowerRight,
            };
            chart
                .configure_series_labels()
                .position(pos)
                .margin(px(8.0, s))
                .legend_area_size(px(28.0, s))
                .label_font((FONT, px(12.0, s)).into_font().color(&INK))
                .background_style(WHITE.mix(0.9))
                .border_style(GRID)
                .draw()
                .map_err(area_err)?;
        }
        Ok(())
    }
}
