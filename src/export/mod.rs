//! Exports: every results table as CSV and JSON, every chart as PNG (drawn at 2×) and SVG (the
//! same chart code on plotters' SVG backend), and a one-file HTML report of the current view.
//!
//! Pure parts (CSV quoting, JSON records, the report's HTML, file names) are plain functions with
//! native tests; the browser parts read the page, draw offscreen and hand a Blob to the browser.

pub mod caption;
pub mod dom;
pub mod download;
pub mod html;
pub mod table;
mod ui;

use leptos::prelude::*;

use crate::charts::ChartSpec;

/// Defined beside the charts (which register themselves), re-exported where the report uses it.
pub use crate::charts::canvas::{ChartToolbar, ExportRegistry};
pub use table::{full, full_opt};
pub use ui::{ChartExportBar, ExportTable, ReportButton};

/// What a download is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    Csv,
    Json,
    Png,
    Svg,
    Html,
}

impl ExportFormat {
    /// File extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Json => "json",
            Self::Png => "png",
            Self::Svg => "svg",
            Self::Html => "html",
        }
    }

    /// MIME type of the Blob.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Csv => "text/csv;charset=utf-8",
            Self::Json => "application/json",
            Self::Png => "image/png",
            Self::Svg => "image/svg+xml",
            Self::Html => "text/html;charset=utf-8",
        }
    }

    /// Button label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Csv => "CSV",
            Self::Json => "JSON",
            Self::Png => "PNG",
            Self::Svg => "SVG",
            Self::Html => "HTML",
        }
    }
}

/// Lower-case ASCII letters and digits, other runs turned into one `-`, trimmed.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// `benchlens-{view}-{what}.{ext}` from a view id and a table or chart test id ("chart-" and a
/// repeated view prefix dropped): `("ratings", "chart-forest", Svg)` →
/// `benchlens-ratings-forest.svg`.
pub fn file_name(view: &str, testid: &str, format: ExportFormat) -> String {
    let view = slug(view);
    let what = slug(testid);
    let what = what.strip_prefix("chart-").unwrap_or(&what);
    let what = what.strip_prefix(&format!("{view}-")).unwrap_or(what);
    let stem = [view.as_str(), what].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>();
    if stem.is_empty() {
        format!("benchlens.{}", format.extension())
    } else {
        format!("benchlens-{}.{}", stem.join("-"), format.extension())
    }
}

/// The id of the view on screen ("ratings"…), or "" outside the app.
pub fn current_view_id() -> &'static str {
    use_context::<crate::state::AppState>().map_or("", |s| s.view.get_untracked().id())
}

/// Gives the view's charts a registry and their PNG/SVG buttons; call once at the top of a view
/// component.
pub fn provide_export_registry() {
    provide_context(ExportRegistry::new());
    provide_context(ChartToolbar(chart_export_bar));
}

/// The PNG/SVG buttons over a chart, as `charts` asks for them.
fn chart_export_bar(spec: Signal<Option<ChartSpec>>, testid: &'static str) -> AnyView {
    view! { <ChartExportBar spec=spec testid=testid /> }.into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_say_what_they_hold() {
        let cases = [
            ("ratings", "chart-forest", ExportFormat::Svg, "benchlens-ratings-forest.svg"),
            ("judge", "chart-judge-forest", ExportFormat::Png, "benchlens-judge-forest.png"),
            ("ratings", "leaderboard", ExportFormat::Csv, "benchlens-ratings-leaderboard.csv"),
            ("scaling", "scaling-params", ExportFormat::Json, "benchlens-scaling-params.json"),
            ("defects", "report", ExportFormat::Html, "benchlens-defects-report.html"),
            ("", "chart-x", ExportFormat::Png, "benchlens-x.png"),
            ("", "", ExportFormat::Png, "benchlens.png"),
        ];
        for (view, testid, format, expected) in cases {
            assert_eq!(file_name(view, testid, format), expected, "{view} {testid}");
        }
    }

    #[test]
    fn slugs_are_plain_ascii() {
        assert_eq!(slug("Rank (UB) — all"), "rank-ub-all");
        assert_eq!(slug("--x__y--"), "x-y");
        assert_eq!(slug("Ünïcode"), "n-code");
        assert_eq!(ExportFormat::Png.extension(), "png");
        assert_eq!(ExportFormat::Svg.mime(), "image/svg+xml");
    }
}
