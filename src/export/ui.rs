//! The export buttons: a CSV/JSON bar over every results table, a PNG/SVG bar over every chart,
//! and a Report button per view. Failures show next to the buttons, never a panic.

use leptos::prelude::*;

use super::dom::{chart_caption, collect_blocks, read_table, table_in};
use super::download::{chart_png, chart_svg, save_blob, save_bytes};
use super::html::{Provenance, Report};
use super::{current_view_id, file_name, ExportFormat, ExportRegistry};
use crate::charts::ChartSpec;
use crate::state::View;

/// A short error next to export buttons.
fn error_note(error: ReadSignal<Option<String>>) -> impl IntoView {
    move || {
        error.get().map(|e| {
            view! {
                <span class="export-error" role="alert">
                    {e}
                </span>
            }
        })
    }
}

/// One download button (`{testid}-{extension}`), labelled with its format.
#[component]
fn ExportButton(
    /// Test id of the table or chart; the button's is this plus the format's extension.
    testid: &'static str,
    format: ExportFormat,
    /// What the download holds.
    title: &'static str,
    /// Greys the button out while true.
    #[prop(optional, into)]
    disabled: Signal<bool>,
    on_click: impl Fn() + 'static,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="export"
            data-testid=format!("{testid}-{}", format.extension())
            title=title
            disabled=move || disabled.get()
            on:click=move |_| on_click()
        >
            {format.label()}
        </button>
    }
}

/// Wraps a results table with CSV and JSON buttons (`{testid}-csv`, `{testid}-json`). The
/// export reads the table back from the page: header text for column names, `data-value` for
/// the full-precision number behind a rounded cell.
#[component]
pub fn ExportTable(
    /// Test id of the table inside; names the buttons and the file.
    testid: &'static str,
    /// What the buttons export when it is less than the whole result (a paged table), shown
    /// next to them so nobody mistakes one page for everything.
    #[prop(optional_no_strip)]
    scope: Option<&'static str>,
    /// The `<table>` (and anything that goes with it, e.g. a scroll box).
    children: Children,
) -> impl IntoView {
    let holder = NodeRef::<leptos::html::Div>::new();
    let (error, set_error) = signal(None::<String>);
    let view_id = current_view_id();
    let run = move |format: ExportFormat| {
        let outcome = holder
            .get_untracked()
            .and_then(|h| table_in(&h))
            .ok_or_else(|| "the table is not on the page".to_string())
            .and_then(|table| {
                let data = read_table(&table);
                let text = match format {
                    ExportFormat::Csv => data.to_csv(),
                    _ => data.to_json(),
                };
                save_bytes(text.as_bytes(), format, &file_name(view_id, testid, format))
            });
        set_error.set(outcome.err());
    };
    view! {
        <div class="exportable" data-export-table=testid node_ref=holder>
            <div class="export-bar">
                {error_note(error)}
                {scope
                    .map(|s| {
                        view! {
                            <span class="export-scope" data-testid=format!("{testid}-scope")>
                                {s}
                            </span>
                        }
                    })}
                <ExportButton
                    testid=testid
                    format=ExportFormat::Csv
                    title="Download this table as CSV (full-precision numbers)"
                    on_click=move || run(ExportFormat::Csv)
                />
                <ExportButton
                    testid=testid
                    format=ExportFormat::Json
                    title="Download this table as JSON records (numbers as numbers)"
                    on_click=move || run(ExportFormat::Json)
                />
            </div>
            {children()}
        </div>
    }
}

/// PNG (drawn at 2×) and SVG buttons for one chart (`{testid}-png`, `{testid}-svg`).
#[component]
pub fn ChartExportBar(
    /// What the chart shows now.
    spec: Signal<Option<ChartSpec>>,
    /// Test id of the canvas; names the buttons and the file.
    testid: &'static str,
) -> impl IntoView {
    let (error, set_error) = signal(None::<String>);
    let (busy, set_busy) = signal(false);
    let view_id = current_view_id();
    let bar = NodeRef::<leptos::html::Div>::new();
    let app = use_context::<crate::state::AppState>();
    let png = move || {
        let Some(chart) = spec.get_untracked() else { return };
        let caption = bar.get_untracked().map(|b| chart_caption(&b, app)).unwrap_or_default();
        set_busy.set(true);
        leptos::task::spawn_local(async move {
            let outcome = match chart_png(&chart, &caption).await {
                Ok(blob) => save_blob(&blob, &file_name(view_id, testid, ExportFormat::Png)),
                Err(e) => Err(e),
            };
            set_error.set(outcome.err());
            set_busy.set(false);
        });
    };
    let svg = move || {
        let Some(chart) = spec.get_untracked() else { return };
        let outcome = chart_svg(&chart).and_then(|svg| {
            save_bytes(
                svg.as_bytes(),
                ExportFormat::Svg,
                &file_name(view_id, testid, ExportFormat::Svg),
            )
        });
        set_error.set(outcome.err());
    };
    let empty = move || spec.with(Option::is_none);
    view! {
        <div class="export-bar" node_ref=bar>
            {error_note(error)}
            <ExportButton
                testid=testid
                format=ExportFormat::Png
                title="Download this chart as PNG (2× pixel ratio, captioned with its title, method and data)"
                disabled=Signal::derive(move || empty() || busy.get())
                on_click=png
            />
            <ExportButton
                testid=testid
                format=ExportFormat::Svg
                title="Download this chart as SVG (vector, same drawing code)"
                disabled=Signal::derive(empty)
                on_click=svg
            />
        </div>
    }
}

/// "Report": one self-contained HTML file of the view around this button: its notes, tables and
/// charts (inline SVG), the settings, the data it rests on and the page's link.
#[component]
pub fn ReportButton(
    /// The view this button sits in.
    view: View,
    /// The view's settings, as JSON.
    #[prop(into)]
    settings: Signal<serde_json::Value>,
) -> impl IntoView {
    let anchor = NodeRef::<leptos::html::Div>::new();
    let (error, set_error) = signal(None::<String>);
    let registry = use_context::<ExportRegistry>();
    let app = use_context::<crate::state::AppState>();
    let write = move |_| {
        let Some(holder) = anchor.get_untracked() else { return };
        let root = holder.closest("section.view").ok().flatten().unwrap_or_else(|| {
            let el: &web_sys::Element = holder.as_ref();
            el.clone()
        });
        let datasets = app
            .map(|a| {
                a.datasets.with_untracked(|d| {
                    d.iter()
                        .map(|e| Provenance {
                            name: e.summary.name.clone(),
                            kind: e.summary.kind.label().to_owned(),
                            format: e.summary.format.map_or("", |f| f.label()).to_owned(),
                            rows: e.summary.rows,
                            bytes: e.summary.bytes,
                            origin: e.origin.clone(),
                        })
                        .collect()
                })
            })
            .unwrap_or_default();
        let report = Report {
            view: view.label().to_owned(),
            generated: String::from(js_sys::Date::new_0().to_iso_string()),
            url: web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default(),
            settings: serde_json::to_string_pretty(&settings.get_untracked())
                .unwrap_or_else(|e| format!("settings could not be written: {e}")),
            datasets,
            blocks: collect_blocks(&root, registry),
        };
        let html = report.render();
        let file = file_name(view.id(), "report", ExportFormat::Html);
        set_error.set(save_bytes(html.as_bytes(), ExportFormat::Html, &file).err());
    };
    view! {
        <div class="view-actions" node_ref=anchor>
            {error_note(error)}
            <button
                type="button"
                class="export report"
                data-testid=format!("report-{}", view.id())
                title="Download this view as one HTML file: tables, charts (SVG), settings, data sources and the link; opens offline"
                on:click=write
            >
                "Report"
            </button>
        </div>
    }
}
