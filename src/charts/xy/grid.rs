//! The parts of an XY plot drawn around its series: minor grid lines on log axes, the named ticks
//! of an axis that has them, and the label placer that keeps point labels off the points.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{XyPlot, XySeries};
use crate::charts::labels::{text_width, LabelPlacer};
use crate::charts::theme::{px, FONT, GRID, INK};
use crate::charts::Area;

pub(super) type XyChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

impl XyPlot {
    /// Minor grid lines at 2…9 × 10^k on log axes (when they span few enough decades to read),
    /// and the named ticks of an axis that has them (grid line plus label under the axis).
    pub(super) fn draw_minor_and_named_ticks<DB: DrawingBackend>(
        &self,
        chart: &mut XyChart<'_, DB>,
        root: &Area<DB>,
        s: f64,
        ((x0, x1), (y0, y1)): ((f64, f64), (f64, f64)),
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let minor = GRID.mix(0.5);
        let log_minors = |lo: f64, hi: f64| -> Vec<f64> {
            if hi - lo > 6.0 {
                return Vec::new();
            }
            let mut out = Vec::new();
            for decade in (lo.floor() as i32)..=(hi.ceil() as i32) {
                for k in 2..10 {
                    let v = f64::from(decade) + f64::from(k).log10();
                    if v > lo && v < hi {
                        out.push(v);
                    }
                }
            }
            out
        };
        if self.x.log && self.x.ticks.is_empty() {
            chart.draw_series(
                log_minors(x0, x1)
                    .into_iter()
                    .map(|x| PathElement::new(vec![(x, y0), (x, y1)], minor)),
            )?;
        }
        if self.y.log {
            chart.draw_series(
                log_minors(y0, y1)
                    .into_iter()
                    .map(|y| PathElement::new(vec![(x0, y), (x1, y)], minor)),
            )?;
        }
        let named: Vec<&(f64, String)> =
            self.x.ticks.iter().filter(|(x, _)| *x >= x0 && *x <= x1).collect();
        chart.draw_series(
            named.iter().map(|(x, _)| PathElement::new(vec![(*x, y0), (*x, y1)], GRID)),
        )?;
        let font =
            (FONT, px(12.0, s)).into_font().color(&INK).pos(Pos::new(HPos::Center, VPos::Top));
        // Named ticks (months) too close to the previous label are left unlabelled.
        let mut last_right = i32::MIN;
        for (x, text) in named {
            let (bx, by) = chart.backend_coord(&(*x, y0));
            let half = text_width(text, 12.0 * s) / 2;
            if bx - half < last_right + px(4.0, s) {
                continue;
            }
            last_right = bx + half;
            root.draw(&Text::new(text.clone(), (bx, by + px(6.0, s)), font.clone()))?;
        }
        Ok(())
    }
}

impl XyPlot {
    /// A placer for point labels: inside the plot, off every drawn point.
    pub(super) fn label_placer<DB: DrawingBackend>(
        &self,
        chart: &XyChart<'_, DB>,
        s: f64,
    ) -> LabelPlacer {
        let (xr, yr) = chart.plotting_area().get_pixel_range();
        let mut placer = LabelPlacer::new(Some((xr.start, yr.start, xr.end, yr.end)));
        for series in &self.series {
            let XySeries::Points { radius, points, .. } = series else { continue };
            let r = px(*radius, s).max(1);
            for p in points.iter().filter_map(|&(x, y)| self.xy(x, y)) {
                let (bx, by) = chart.backend_coord(&p);
                placer.block((bx - r, by - r, bx + r + 1, by + r + 1));
            }
        }
        placer
    }
}
