//! Charts: each kind is a plain data struct with a `draw` function generic over plotters
//! backends, so the same code paints the HiDPI canvas on screen and the SVG export.

pub mod forest;
pub mod heatmap;
pub mod scatter;
pub mod slope;
pub mod stacked;
pub mod xy;

use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use serde::{Deserialize, Serialize};

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
    /// Size in CSS pixels.
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

    /// Paints the chart; `scale` multiplies every length (device pixel ratio on screen).
    pub fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        scale: f64,
    ) -> Result<(), String> {
        root.fill(&WHITE).map_err(|e| e.to_string())?;
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

/// A canvas that redraws whenever `spec` changes, crisp on HiDPI screens, with PNG and SVG
/// export buttons (`{testid}-png`, `{testid}-svg`).
#[component]
pub fn ChartCanvas(
    /// What to draw; nothing is drawn while `None`.
    #[prop(into)]
    spec: Signal<Option<ChartSpec>>,
    /// `data-testid` of the canvas.
    testid: &'static str,
    /// Accessible description.
    #[prop(into)]
    label: String,
) -> impl IntoView {
    let canvas_ref = NodeRef::<leptos::html::Canvas>::new();
    let (error, set_error) = signal(None::<String>);
    // The view's report draws this chart from its spec (as SVG) while it is on the page.
    if let Some(registry) = use_context::<crate::export::ExportRegistry>() {
        let id = registry.register(testid, spec);
        on_cleanup(move || registry.unregister(id));
    }
    Effect::new(move |_| {
        let Some(canvas) = canvas_ref.get() else { return };
        let Some(chart) = spec.get() else { return };
        let (w, h) = chart.size();
        let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()).max(1.0);
        canvas.set_width((f64::from(w) * dpr).round() as u32);
        canvas.set_height((f64::from(h) * dpr).round() as u32);
        let style = AsRef::<web_sys::HtmlElement>::as_ref(&canvas).style();
        let _ = style.set_property("width", &format!("{w}px"));
        let _ = style.set_property("height", &format!("{h}px"));
        let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) else {
            set_error.set(Some("this browser gives no 2D canvas".into()));
            return;
        };
        let root = backend.into_drawing_area();
        let outcome =
            chart.draw(&root, dpr).and_then(|_| root.present().map_err(|e| e.to_string()));
        set_error.set(outcome.err());
    });
    view! {
        <figure class="chart" data-export-chart=testid>
            <crate::export::ChartExportBar spec=spec testid=testid/>
            <canvas node_ref=canvas_ref data-testid=testid role="img" aria-label=label></canvas>
            <Show when=move || error.get().is_some()>
                <figcaption class="error">{move || error.get().unwrap_or_default()}</figcaption>
            </Show>
        </figure>
    }
}
