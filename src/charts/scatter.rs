//! Labelled scatter plot: one point per item, a third quantity encoded by point size and colour,
//! optionally the y = x diagonal (same scale on both axes) and lines joining points of a group.
//! Used for raw vs length-controlled win rate, with average answer length encoded.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use super::{area_err, Area, Painted};

use super::labels::{text_width, LabelPlacer, Rect};
use super::theme::{px, tick_label, FONT, GRID, INK, LIGHT_LINES, MUTED};

/// One point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScatterPoint {
    pub label: String,
    pub x: f64,
    pub y: f64,
    /// Encoded by point size and colour (e.g. average answer length).
    pub size: f64,
    /// Points of the same group are joined by a line, in order of `size`.
    pub group: Option<String>,
}

/// The whole chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scatter {
    pub points: Vec<ScatterPoint>,
    pub x_label: String,
    pub y_label: String,
    /// What `size` means, for the legend.
    pub size_label: String,
    /// Draw y = x and use the same range on both axes.
    pub diagonal: bool,
}

/// Light to dark blue: small to large `size`.
const LOW: (f64, f64, f64) = (150.0, 190.0, 250.0);
const HIGH: (f64, f64, f64) = (24.0, 42.0, 150.0);
const GROUP_LINE: RGBColor = RGBColor(150, 158, 172);

fn ramp(t: f64) -> RGBColor {
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.5 };
    let mix = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    RGBColor(mix(LOW.0, HIGH.0), mix(LOW.1, HIGH.1), mix(LOW.2, HIGH.2))
}

/// Radius in CSS pixels for a normalised size.
fn radius(t: f64) -> f64 {
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.5 };
    4.0 + 7.0 * t
}

impl Scatter {
    /// CSS size.
    pub fn size(&self) -> (u32, u32) {
        (760, 540)
    }

    fn finite_points(&self) -> impl Iterator<Item = &ScatterPoint> + '_ {
        self.points.iter().filter(|p| p.x.is_finite() && p.y.is_finite())
    }

    /// Paints it.
    pub fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, s: f64) -> Painted {
        let pts: Vec<&ScatterPoint> = self.finite_points().collect();
        if pts.is_empty() {
            return Ok(());
        }
        let xs = pts.iter().map(|p| p.x);
        let ys = pts.iter().map(|p| p.y);
        let (mut x_lo, mut x_hi) = bounds(xs);
        let (mut y_lo, mut y_hi) = bounds(ys);
        if self.diagonal {
            let lo = x_lo.min(y_lo);
            let hi = x_hi.max(y_hi);
            (x_lo, x_hi, y_lo, y_hi) = (lo, hi, lo, hi);
        }
        let pad = |lo: f64, hi: f64| {
            let span = (hi - lo).max(1.0);
            let lo = if lo >= 0.0 && lo - 0.08 * span < 0.0 { 0.0 } else { lo - 0.08 * span };
            (lo, hi + 0.08 * span)
        };
        let (x_lo, x_hi) = pad(x_lo, x_hi);
        let (y_lo, y_hi) = pad(y_lo, y_hi);
        let sizes: Vec<f64> = pts.iter().map(|p| p.size).filter(|v| v.is_finite()).collect();
        let (s_lo, s_hi) = bounds(sizes.iter().copied());
        let norm = |v: f64| if s_hi > s_lo { (v - s_lo) / (s_hi - s_lo) } else { 0.5 };

        let mut chart = ChartBuilder::on(root)
            .margin(px(14.0, s))
            .x_label_area_size(px(44.0, s))
            .y_label_area_size(px(56.0, s))
            .build_cartesian_2d(x_lo..x_hi, y_lo..y_hi)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .light_line_style(GRID.mix(0.5))
            .bold_line_style(GRID)
            .max_light_lines(LIGHT_LINES)
            .x_label_formatter(&|v| tick_label(*v, x_hi - x_lo))
            .y_label_formatter(&|v| tick_label(*v, y_hi - y_lo))
            .axis_style(MUTED)
            .x_desc(self.x_label.as_str())
            .y_desc(self.y_label.as_str())
            .label_style((FONT, px(12.0, s)).into_font().color(&INK))
            .axis_desc_style((FONT, px(13.0, s)).into_font().color(&MUTED))
            .draw()
            .map_err(|e| e.to_string())?;

        if self.diagonal {
            let lo = x_lo.max(y_lo);
            let hi = x_hi.min(y_hi);
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(lo, lo), (hi, hi)],
                    ShapeStyle::from(MUTED.mix(0.7)).stroke_width(px(1.2, s).max(1) as u32),
                )))
                .map_err(|e| e.to_string())?;
            let (dx, dy) = chart.backend_coord(&(hi, hi));
            root.draw(&Text::new(
                "y = x",
                (dx - px(6.0, s), dy + px(6.0, s)),
                (FONT, px(12.0, s)).into_font().color(&MUTED).pos(Pos::new(HPos::Right, VPos::Top)),
            ))
            .map_err(area_err)?;
        }

        // Groups: a line through the members, smallest to largest.
        let mut groups: Vec<(&str, Vec<&ScatterPoint>)> = Vec::new();
        for p in &pts {
            let Some(g) = p.group.as_deref() else { continue };
            match groups.iter_mut().find(|(name, _)| *name == g) {
                Some((_, members)) => members.push(p),
                None => groups.push((g, vec![p])),
            }
        }
        for (_, members) in &mut groups {
            if members.len() < 2 {
                continue;
            }
            members.sort_by(|a, b| a.size.total_cmp(&b.size));
            chart
                .draw_series(std::iter::once(PathElement::new(
                    members.iter().map(|p| (p.x, p.y)).collect::<Vec<_>>(),
                    ShapeStyle::from(GROUP_LINE).stroke_width(px(1.5, s).max(1) as u32),
                )))
                .map_err(|e| e.to_string())?;
        }

        // Largest first, so small points stay visible on top.
        let mut order: Vec<&ScatterPoint> = pts.clone();
        order.sort_by(|a, b| b.size.total_cmp(&a.size));
        for p in &order {
            let t = norm(p.size);
            let r = px(radius(t), s);
            chart
                .draw_series([
                    Circle::new((p.x, p.y), r, ramp(t).mix(0.85).filled()),
                    Circle::new((p.x, p.y), r, ShapeStyle::from(WHITE).stroke_width(1)),
                ])
                .map_err(|e| e.to_string())?;
        }

        // Labels: the first free spot around each point (greedy, in x order), inside the plot and
        // off every point, the legend and every label already placed; a label with no free spot
        // is left out rather than printed over another.
        let (x_range, y_range) = chart.plotting_area().get_pixel_range();
        let area: Rect = (x_range.start, y_range.start, x_range.end, y_range.end);
        let font_px = 12.0;
        let text_h = px(font_px + 2.0, s);
        let mut placer = LabelPlacer::new(Some(area));
        placer.block(self.legend_box(area, s, (s_lo, s_hi)));
        for p in &pts {
            let (cx, cy) = chart.backend_coord(&(p.x, p.y));
            let r = px(radius(norm(p.size)), s);
            placer.block((cx - r, cy - r, cx + r, cy + r));
        }
        let mut by_x: Vec<&ScatterPoint> = pts.clone();
        by_x.sort_by(|a, b| a.x.total_cmp(&b.x).then(b.y.total_cmp(&a.y)));
        let label_font = (FONT, px(font_px, s)).into_font().color(&INK);
        for p in by_x {
            let (cx, cy) = chart.backend_coord(&(p.x, p.y));
            let r = px(radius(norm(p.size)), s);
            let text: String = p.label.chars().take(36).collect();
            let w = text_width(&text, font_px * s);
            let Some(spot) = placer.around((cx, cy), r, (w, text_h), px(4.0, s)) else { continue };
            let b = spot.rect;
            if spot.leader {
                // A leader line from the point's edge to the label's nearest side.
                let tx = if b.0 > cx { b.0 - px(2.0, s) } else { b.2 + px(2.0, s) };
                let ty = (b.1 + b.3) / 2;
                let (dx, dy) = (f64::from(tx - cx), f64::from(ty - cy));
                let len = (dx * dx + dy * dy).sqrt().max(1.0);
                let start = (
                    cx + (dx / len * f64::from(r)).round() as i32,
                    cy + (dy / len * f64::from(r)).round() as i32,
                );
                root.draw(&PathElement::new(
                    vec![start, (tx, ty)],
                    ShapeStyle::from(MUTED).stroke_width(1),
                ))
                .map_err(area_err)?;
            }
            root.draw(&Text::new(
                text,
                (b.0, b.1 + text_h / 2),
                label_font.clone().pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(area_err)?;
        }

        self.legend(root, area, s, (s_lo, s_hi))
    }

    /// Where the legend goes: the plot's lower right corner.
    fn legend_box(&self, area: Rect, s: f64, (lo, hi): (f64, f64)) -> Rect {
        let steps = if hi > lo { 3 } else { 1 };
        let (w, h) = legend_size(steps, s);
        let (x0, y0) = (area.2 - w - px(10.0, s), area.3 - h - px(10.0, s));
        (x0, y0, x0 + w, y0 + h)
    }

    /// Size/colour legend in the plot's lower right corner.
    fn legend<DB: DrawingBackend>(
        &self,
        root: &Area<DB>,
        area: Rect,
        s: f64,
        (lo, hi): (f64, f64),
    ) -> Result<(), String> {
        if !(lo.is_finite() && hi.is_finite()) {
            return Ok(());
        }
        let steps: Vec<f64> = if hi > lo { vec![0.0, 0.5, 1.0] } else { vec![0.5] };
        let (x0, y0, _, _) = self.legend_box(area, s, (lo, hi));
        let (w, h) = legend_size(steps.len(), s);
        root.draw(&Rectangle::new(
            [(x0, y0), (x0 + w, y0 + h)],
            ShapeStyle::from(WHITE.mix(0.92)).filled(),
        ))
        .map_err(area_err)?;
        root.draw(&Rectangle::new([(x0, y0), (x0 + w, y0 + h)], ShapeStyle::from(GRID)))
            .map_err(area_err)?;
        root.draw(&Text::new(
            self.size_label.clone(),
            (x0 + px(10.0, s), y0 + px(8.0, s)),
            (FONT, px(12.0, s)).into_font().color(&MUTED).pos(Pos::new(HPos::Left, VPos::Top)),
        ))
        .map_err(area_err)?;
        for (i, t) in steps.iter().enumerate() {
            let cy = y0 + px(38.0 + 22.0 * i as f64, s);
            let cx = x0 + px(24.0, s);
            let r = px(radius(*t), s);
            root.draw(&Circle::new((cx, cy), r, ramp(*t).mix(0.85).filled())).map_err(area_err)?;
            let value = lo + (hi - lo) * t;
            root.draw(&Text::new(
                format!("{value:.0}"),
                (cx + px(20.0, s), cy),
                (FONT, px(12.0, s)).into_font().color(&INK).pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(area_err)?;
        }
        Ok(())
    }
}

/// Legend width and height for `steps` sample sizes.
fn legend_size(steps: usize, s: f64) -> (i32, i32) {
    (px(200.0, s), px(30.0 + 22.0 * steps as f64, s))
}

/// (min, max) of finite values; (0, 1) when there are none.
fn bounds(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if lo.is_finite() {
        (lo, hi)
    } else {
        (0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_to_svg_with_labels_and_diagonal() {
        let chart = Scatter {
            points: vec![
                ScatterPoint { label: "a".into(), x: 10.0, y: 20.0, size: 500.0, group: None },
                ScatterPoint {
                    label: "b_verbose".into(),
                    x: 12.0,
                    y: 22.0,
                    size: 1500.0,
                    group: Some("b".into()),
                },
                ScatterPoint {
                    label: "b".into(),
                    x: 9.0,
                    y: 19.0,
                    size: 900.0,
                    group: Some("b".into()),
                },
                ScatterPoint { label: "nan".into(), x: f64::NAN, y: 1.0, size: 1.0, group: None },
            ],
            x_label: "raw".into(),
            y_label: "LC".into(),
            size_label: "avg length".into(),
            diagonal: true,
        };
        let svg = super::super::ChartSpec::Scatter(chart).to_svg().expect("svg");
        assert!(svg.contains("b_verbose"));
        assert!(svg.contains("y = x"));
        assert!(!svg.contains(">nan<"));
    }
}
