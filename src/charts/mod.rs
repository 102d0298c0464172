//! Charts: each kind is a plain data struct with a `draw` function generic over plotters
//! backends, so the same code paints the HiDPI canvas on screen and the SVG export.

pub mod canvas;
pub mod forest;
pub mod heatmap;
pub mod labels;
pub mod scatter;
pub mod slope;
pub mod stacked;
pub mod xy;

use plotters::coord::Shift;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};

pub use canvas::ChartCanvas;

/// The plotters area a chart paints on, whichever the backend (canvas on screen, SVG export).
pub type Area<DB> = DrawingArea<DB, Shift>;

/// What painting a chart gives: nothing, or plotters' error as text for the page to show.
pub type Painted = Result<(), String>;

/// Plotters' drawing error as the text a chart's painting fails with.
pub fn area_err<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> String {
    e.to_string()
}

/// Everything the page can draw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ChartSpec {
    Forest(forest::Forest),
    /// One forest plot per disconnected comparison graph.
    ForestGroups(forest::ForestGroups),
    Heatmap(heatmap::Heatmap),
    Scatter(scatter::Scatter),
    Slope(slope::Slope),
    Xy(xy::XyPlot),
    Stacked(stacked::StackedBars),
}

impl ChartSpec {
    /// Natural size in CSS pixels: the exports' size, and the size on screen when there is room.
    pub fn size(&self) -> (u32, u32) {
        match self {
            Self::Forest(c) => c.size(),
            Self::ForestGroups(c) => c.size(),
            Self::Heatmap(c) => c.size(),
            Self::Scatter(c) => c.size(),
            Self::Slope(c) => c.size(),
            Self::Xy(c) => c.size(),
            Self::Stacked(c) => c.size(),
        }
    }

    /// Size in CSS pixels when `available` CSS pixels of width are free (a phone's panel): charts
    /// whose layout flows (plots, forest, stacked bars) shrink to it, down to [`MIN_WIDTH`], so
    /// they are drawn at the width they are shown instead of squeezed by CSS; charts made of
    /// fixed cells and columns (heatmaps, slope) keep their size and scroll in their frame (a
    /// heat map of many models at its screen size, with smaller cells).
    pub fn size_at(&self, available: u32) -> (u32, u32) {
        // A heat map of many models is shown with smaller cells than it exports (see
        // `Heatmap::screen_cell`), whatever the width.
        if let Self::Heatmap(c) = self {
            return c.screen_size();
        }
        let (w, h) = self.size();
        if available >= w {
            return (w, h);
        }
        let narrow = available.max(MIN_WIDTH).min(w);
        match self {
            // Keep a readable aspect: no flatter than 4:3 unless the chart was.
            Self::Xy(_) => (narrow, h.min((narrow * 3 / 4).max(h * narrow / w))),
            Self::Scatter(_) => (narrow, h.min(narrow * 9 / 10)),
            Self::Forest(_) | Self::ForestGroups(_) => (narrow, h),
            Self::Stacked(c) => (narrow, c.height_at(narrow)),
            Self::Heatmap(_) | Self::Slope(_) => (w, h),
        }
    }

    /// Paints the chart; `scale` multiplies every length (device pixel ratio on screen).
    pub fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, scale: f64) -> Painted {
        root.fill(&WHITE).map_err(area_err)?;
        match self {
            Self::Forest(c) => c.draw(root, scale),
            Self::ForestGroups(c) => c.draw(root, scale),
            Self::Heatmap(c) => c.draw(root, scale),
            Self::Scatter(c) => c.draw(root, scale),
            Self::Slope(c) => c.draw(root, scale),
            Self::Xy(c) => c.draw(root, scale),
            Self::Stacked(c) => c.draw(root, scale),
        }
    }

    /// The chart as an SVG document (the export format; same drawing code as the canvas).
    pub fn to_svg(&self) -> Result<String, String> {
        let mut out = String::new();
        {
            let root = SVGBackend::with_string(&mut out, self.size()).into_drawing_area();
            self.draw(&root, 1.0)?;
            root.present().map_err(|e| e.to_string())?;
        }
        // plotters' SVG backend writes `font-size` as the font's size / 1.24 while the canvas
        // backend paints it at its size: scale back so the SVG matches the canvas and the PNG.
        Ok(scale_font_sizes(&out, 1.24))
    }
}

/// Narrowest width a flowing chart is drawn at (a 320 px phone's panel).
pub const MIN_WIDTH: u32 = 280;

/// Every `font-size="N"` attribute of an SVG document multiplied by `factor`.
fn scale_font_sizes(svg: &str, factor: f64) -> String {
    const KEY: &str = "font-size=\"";
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(at) = rest.find(KEY) {
        let (head, tail) = rest.split_at(at + KEY.len());
        out.push_str(head);
        let end = tail.find('"').unwrap_or(tail.len());
        match tail[..end].parse::<f64>() {
            Ok(size) if size.is_finite() => {
                let scaled = format!("{:.2}", size * factor);
                out.push_str(scaled.trim_end_matches('0').trim_end_matches('.'));
            }
            _ => out.push_str(&tail[..end]),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn svg_font_sizes_match_the_canvas() {
        let svg = "<text font-size=\"10.483870967741936\">a</text><text font-size=\"x\">b</text>";
        assert_eq!(
            super::scale_font_sizes(svg, 1.24),
            "<text font-size=\"13\">a</text><text font-size=\"x\">b</text>"
        );
    }
}

/// Shared look.
pub mod theme {
    use plotters::style::RGBColor;
    pub const INK: RGBColor = RGBColor(29, 35, 48);
    pub const MUTED: RGBColor = RGBColor(93, 102, 117);
    pub const GRID: RGBColor = RGBColor(221, 225, 232);
    pub const ACCENT: RGBColor = RGBColor(47, 91, 234);
    pub const FONT: &str = "sans-serif";

    /// Scaled length in pixels.
    pub fn px(v: f64, scale: f64) -> i32 {
        (v * scale).round() as i32
    }

    /// Label of a tick at `v` on a linear axis spanning `span`: as many decimals as the tick
    /// step can need and no trailing zeros ("750", "2.5", "0.05"), never "750.0". Plotters steps
    /// by 1, 2 or 5 × 10^k with at most a dozen ticks, so the step has at most two decimal
    /// places more than the span's leading digit.
    pub fn tick_label(v: f64, span: f64) -> String {
        let lead = if span > 0.0 && span.is_finite() { span.log10().floor() as i32 } else { 0 };
        let digits = (2 - lead).clamp(0, 12) as usize;
        let text = format!("{v:.digits$}");
        let text = if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            text
        };
        // "-0" after rounding a tiny negative.
        if text == "-0" {
            "0".into()
        } else {
            text
        }
    }

    /// Unlabelled grid lines between two labelled ones on a linear axis: one, halfway. Plotters
    /// draws up to ten by default, which turns a plot into graph paper.
    pub const LIGHT_LINES: usize = 1;

    #[cfg(test)]
    mod tests {
        use super::tick_label;

        #[test]
        fn tick_labels_have_no_trailing_zeros() {
            assert_eq!(tick_label(750.0, 450.0), "750");
            assert_eq!(tick_label(5.0, 35.0), "5");
            assert_eq!(tick_label(2.5, 35.0), "2.5");
            assert_eq!(tick_label(0.30000000000000004, 1.5), "0.3");
            assert_eq!(tick_label(0.05, 0.4), "0.05");
            assert_eq!(tick_label(-0.0000001, 10.0), "0");
            assert_eq!(tick_label(1e6, 0.0), "1000000");
        }
    }
}
