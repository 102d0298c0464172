//! The chart on the page: a canvas that draws a [`ChartSpec`] at the size it is shown, registered
//! so the view's report can draw it again, under the toolbar the view provides (the PNG/SVG
//! buttons). Registry and toolbar come from context, set up by `crate::export`, so that the
//! charts never depend on the exports that use them.

use leptos::prelude::*;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::ChartSpec;

/// A registered chart: registration id, test id, its spec.
type Entry = (u64, &'static str, Signal<Option<ChartSpec>>);

/// Charts of one view, so the report can draw each as SVG from its spec (not a screenshot).
/// Each [`ChartCanvas`] registers its spec under its test id while mounted.
#[derive(Clone, Copy)]
pub struct ExportRegistry {
    charts: StoredValue<Vec<Entry>>,
    next: StoredValue<u64>,
}

impl ExportRegistry {
    /// An empty registry (`crate::export::provide_export_registry` provides one per view).
    pub(crate) fn new() -> Self {
        Self { charts: StoredValue::new(Vec::new()), next: StoredValue::new(0) }
    }

    /// Adds a chart; the id returned unregisters it.
    pub fn register(&self, testid: &'static str, spec: Signal<Option<ChartSpec>>) -> u64 {
        let id = self.next.try_update_value(|n| {
            *n += 1;
            *n
        });
        let id = id.unwrap_or(0);
        self.charts.try_update_value(|c| c.push((id, testid, spec)));
        id
    }

    /// Removes a chart (when its canvas leaves the page).
    pub fn unregister(&self, id: u64) {
        self.charts.try_update_value(|c| c.retain(|(i, _, _)| *i != id));
    }

    /// The current spec of the chart with this test id (the latest registered, if several).
    pub fn spec(&self, testid: &str) -> Option<ChartSpec> {
        let signal = self.charts.try_with_value(|c| {
            c.iter().rev().find(|(_, t, _)| *t == testid).map(|(_, _, s)| *s)
        })??;
        signal.try_get_untracked().flatten()
    }
}

/// What draws the buttons over each chart (given its spec and test id); none, no buttons.
#[derive(Clone, Copy)]
pub struct ChartToolbar(pub fn(Signal<Option<ChartSpec>>, &'static str) -> AnyView);

/// CSS pixels free for a chart in `figure`'s parent (its content box); None while the parent is
/// not laid out (hidden), when the chart keeps its own size.
fn available_width(figure: &web_sys::Element) -> Option<u32> {
    let parent = figure.parent_element()?;
    let style = web_sys::window()?.get_computed_style(&parent).ok()??;
    let padding = |name: &str| {
        style
            .get_property_value(name)
            .ok()
            .and_then(|v| v.trim().trim_end_matches("px").parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let width =
        f64::from(parent.client_width()) - padding("padding-left") - padding("padding-right");
    (width >= 1.0).then(|| width.floor() as u32)
}

/// Paints `chart` on the canvas at `dpr` device pixels per CSS pixel.
fn paint(canvas: &web_sys::HtmlCanvasElement, chart: &ChartSpec, dpr: f64) -> super::Painted {
    // A heat map paints itself: through plotters each of its thousands of values sets font,
    // alignment and colour.
    if let ChartSpec::Heatmap(map) = chart {
        return paint_directly(canvas, |ctx| map.paint(ctx, dpr));
    }
    let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) else {
        return Err("this browser gives no 2D canvas".into());
    };
    let root = backend.into_drawing_area();
    chart.draw(&root, dpr).and_then(|_| root.present().map_err(|e| e.to_string()))
}

/// Runs `f` in a task after the next frame is drawn (`requestAnimationFrame`, then a
/// `setTimeout`); at once when there is no window.
fn after_next_frame(f: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else { return f() };
    let task = Closure::once_into_js(f);
    let later = Closure::once_into_js(move || {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback(task.unchecked_ref());
        }
    });
    if window.request_animation_frame(later.unchecked_ref()).is_err() {
        let _ = window.set_timeout_with_callback(later.unchecked_ref());
    }
}

/// Paints on the canvas's 2D context over a white background (what `ChartSpec::draw` starts
/// with), or says that the browser gives none.
fn paint_directly(
    canvas: &web_sys::HtmlCanvasElement,
    paint: impl FnOnce(&web_sys::CanvasRenderingContext2d) -> super::Painted,
) -> super::Painted {
    let no_2d = || "this browser gives no 2D canvas".to_string();
    let ctx = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        .ok_or_else(no_2d)?;
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, f64::from(canvas.width()), f64::from(canvas.height()));
    paint(&ctx)
}

/// A canvas that redraws whenever `spec` changes or the space around it does (window resized,
/// phone turned), drawn at the width it is shown and crisp on HiDPI screens: its backing store is
/// its CSS size × the device pixel ratio, never scaled by CSS. PNG and SVG export buttons
/// (`{testid}-png`, `{testid}-svg`) sit above it.
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
    let toolbar = use_context::<ChartToolbar>();
    let canvas_ref = NodeRef::<leptos::html::Canvas>::new();
    let figure_ref = NodeRef::<leptos::html::Figure>::new();
    let (error, set_error) = signal(None::<String>);
    // Width free around the chart, in CSS pixels; None until measured.
    let (available, set_available) = signal(None::<u32>);
    // The view's report draws this chart from its spec (as SVG) while it is on the page.
    if let Some(registry) = use_context::<ExportRegistry>() {
        let id = registry.register(testid, spec);
        on_cleanup(move || registry.unregister(id));
    }
    let measure = move || {
        let Some(figure) = figure_ref.get_untracked() else { return };
        let width = available_width(&figure);
        if width != available.get_untracked() {
            set_available.set(width);
        }
    };
    // Measured once the figure is on the page and again whenever the data changes (a view that
    // was hidden is laid out by then), and on every window resize.
    Effect::new(move |_| {
        let _ = figure_ref.get();
        spec.track();
        measure();
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());
    // Each paint gets a number; a scheduled paint that is no longer the latest does nothing.
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        let Some(canvas) = canvas_ref.get() else { return };
        let Some(chart) = spec.get() else { return };
        let (w, h) = match available.get() {
            Some(free) => chart.size_at(free),
            None => chart.size_at(u32::MAX),
        };
        let ticket = generation.get_value().wrapping_add(1);
        generation.set_value(ticket);
        let _ = canvas.remove_attribute("data-painted");
        // The CSS size now, so the page's layout does not wait for the paint.
        let style = AsRef::<web_sys::HtmlElement>::as_ref(&canvas).style();
        let _ = style.set_property("width", &format!("{w}px"));
        let _ = style.set_property("height", &format!("{h}px"));
        // Painted after the next frame, in a task of its own: the tables that came with this
        // data are on screen first. A heat map at 120 models takes 0.4 s to paint, and the
        // leaderboard waited for all three.
        after_next_frame(move || {
            if generation.try_get_value() != Some(ticket) {
                return;
            }
            let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()).max(1.0);
            canvas.set_width((f64::from(w) * dpr).round() as u32);
            canvas.set_height((f64::from(h) * dpr).round() as u32);
            let outcome = paint(&canvas, &chart, dpr);
            let _ = canvas.set_attribute("data-painted", "");
            set_error.try_set(outcome.err());
        });
    });
    view! {
        <figure class="chart" data-export-chart=testid node_ref=figure_ref>
            {toolbar.map(|bar| (bar.0)(spec, testid))}
            <div class="chart-frame">
                <canvas node_ref=canvas_ref data-testid=testid role="img" aria-label=label></canvas>
            </div>
            <Show when=move || error.get().is_some()>
                <figcaption class="error">{move || error.get().unwrap_or_default()}</figcaption>
            </Show>
        </figure>
    }
}
