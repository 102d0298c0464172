//! Downloads: the cleaned dataset in the input's own format (the engine's exporter on the
//! original bytes, flagged rows removed or a `benchlens_flags` column added), the flag report as
//! CSV and JSON, and the reviewer's marks as JSON. Each becomes a Blob behind an object URL.

use benchlens_engine::defects::export::{export, ExportMode};
use benchlens_engine::defects::Severity;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::marks::{export_json, use_marks};
use super::{request, DefectsViewState};
use crate::export::download::object_url;
use crate::intake::client;
use crate::jobs::analysis::AnalysisResult;
use crate::jobs::defects::{DefectsAnswer, DefectsAsk, DefectsOverview, ExportPlan};
use crate::views::fields::{Check, Field};
use crate::views::form::LabeledSelect;

/// One prepared download.
#[derive(Debug, Clone, PartialEq)]
struct Download {
    url: String,
    file: String,
    label: String,
    testid: &'static str,
}

async fn read_bytes(blob: web_sys::Blob) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(blob.array_buffer())
        .await
        .map_err(|_| "the browser could not read the original file again".to_string())?;
    let buffer: js_sys::ArrayBuffer =
        buffer.dyn_into().map_err(|_| "the browser returned no bytes".to_string())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

fn with_suffix(name: &str, suffix: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}.{suffix}.{ext}"),
        _ => format!("{name}.{suffix}"),
    }
}

async fn build(
    plan: ExportPlan,
    mode: ExportMode,
    marks_json: String,
) -> Result<Vec<Download>, String> {
    let blob = client::source_blob(plan.dataset)
        .ok_or("the original file is no longer loaded; load it again")?;
    let bytes = read_bytes(blob).await?;
    let cleaned =
        export(&plan.name, &bytes, plan.format, plan.delimiter, plan.header, &plan.flagged, mode)
            .map_err(|e| e.to_string())?;
    let (suffix, what) = match mode {
        ExportMode::Remove => (
            "cleaned",
            format!(
                "{} rows kept of {} ({} flagged removed)",
                plan.rows - plan.flagged_rows,
                plan.rows,
                plan.flagged_rows
            ),
        ),
        ExportMode::FlagColumn => (
            "flagged",
            format!("{} rows, {} with flags in benchlens_flags", plan.rows, plan.flagged_rows),
        ),
    };
    let mime = match plan.format {
        benchlens_engine::dataset::Format::Csv => "text/csv",
        benchlens_engine::dataset::Format::Jsonl => "application/x-ndjson",
        _ => "application/json",
    };
    let file = with_suffix(&plan.name, suffix);
    Ok(vec![
        Download {
            url: object_url(&cleaned, mime)?,
            label: format!("{file}: {what}"),
            file,
            testid: "export-cleaned",
        },
        Download {
            url: object_url(plan.report_csv.as_bytes(), "text/csv")?,
            file: "benchlens-defects.csv".into(),
            label: "Flag report (CSV, the CLI's columns)".into(),
            testid: "export-report-csv",
        },
        Download {
            url: object_url(plan.report_json.as_bytes(), "application/json")?,
            file: "benchlens-defects.json".into(),
            label: "Flag report (JSON, with evidence spans)".into(),
            testid: "export-report-json",
        },
        Download {
            url: object_url(marks_json.as_bytes(), "application/json")?,
            file: "benchlens-marks.json".into(),
            label: "Your marks (JSON)".into(),
            testid: "export-marks",
        },
    ])
}

/// Whether warnings count as flagged in the exported files (a signal of its own).
const WARNINGS: Check<bool> = Check::new(
    "warnings count as flagged (default: error and suspect only)",
    "export-warnings",
    |w| *w,
    |w, c| *w = c,
);

/// File, mode and severity choices, a "prepare" button and the download links.
#[component]
pub fn ExportPanel(
    /// The latest overview (for the file list).
    overview: Signal<Option<DefectsOverview>>,
) -> impl IntoView {
    let vs = expect_context::<DefectsViewState>();
    let marks = use_marks();
    let file = RwSignal::new(None::<u32>);
    let mode = RwSignal::new(ExportMode::Remove);
    let warnings = RwSignal::new(false);
    let links = RwSignal::new(Vec::<Download>::new());
    let (status, set_status) = signal(None::<Result<String, String>>);
    let replace_links = move |new: Vec<Download>| {
        for old in links.get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&old.url);
        }
        links.set(new);
    };
    // Any change of choice or run makes prepared links stale.
    Effect::new(move |_| {
        file.track();
        mode.track();
        warnings.track();
        vs.input.track();
        replace_links(Vec::new());
        set_status.set(None);
    });
    let chosen = move || {
        file.get().or_else(|| {
            overview.with(|o| o.as_ref().and_then(|o| o.files.first().map(|f| f.dataset)))
        })
    };
    let prepare = move |_| {
        let Ok(input) = vs.input.get_untracked() else { return };
        let Some(dataset) = chosen() else { return };
        let mut severities = vec![Severity::Error, Severity::Suspect];
        if warnings.get_untracked() {
            severities.push(Severity::Warning);
        }
        let mode = mode.get_untracked();
        let marks_json = marks.0.with_untracked(export_json);
        set_status.set(Some(Ok("Preparing…".into())));
        client::analyse(
            request(input, DefectsAsk::Export { dataset, severities }),
            move |result| {
                let plan = match result {
                    Ok(AnalysisResult::Defects(a)) => match *a {
                        DefectsAnswer::Export(p) => *p,
                        _ => return set_status.set(Some(Err("unexpected answer".into()))),
                    },
                    Ok(_) => return set_status.set(Some(Err("unexpected answer".into()))),
                    Err(e) => return set_status.set(Some(Err(e))),
                };
                leptos::task::spawn_local(async move {
                    match build(plan, mode, marks_json).await {
                        Ok(d) => {
                            replace_links(d);
                            set_status.set(None);
                        }
                        Err(e) => set_status.set(Some(Err(e))),
                    }
                });
            },
        );
    };
    let file_options = move || {
        overview.with(|o| {
            o.as_ref().map(|o| {
                o.files
                    .iter()
                    .map(|f| {
                        let id = f.dataset;
                        view! {
                            <option value=id.to_string() selected=move || chosen() == Some(id)>
                                {format!("{} ({} rows)", f.name, f.rows)}
                            </option>
                        }
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <div class="panel export-panel" data-testid="export-panel">
            <h2>"Export"</h2>
            <div class="controls">
                <LabeledSelect
                    label="File"
                    testid="export-file"
                    on_pick=move |v: String| file.set(v.parse().ok())
                >
                    {file_options}
                </LabeledSelect>
                <LabeledSelect
                    label="Flagged items"
                    testid="export-mode"
                    on_pick=move |v| {
                        mode.set(
                            if v == "flag_column" {
                                ExportMode::FlagColumn
                            } else {
                                ExportMode::Remove
                            },
                        )
                    }
                >
                    <option value="remove" selected=true>
                        "removed"
                    </option>
                    <option value="flag_column">"kept, with a benchlens_flags column"</option>
                </LabeledSelect>
                {WARNINGS.render(warnings)}
                <button type="button" class="primary" data-testid="export-prepare" on:click=prepare>
                    "Prepare downloads"
                </button>
            </div>
            {move || {
                status
                    .get()
                    .map(|s| match s {
                        Ok(m) => view! { <p class="hint">{m}</p> }.into_any(),
                        Err(e) => {
                            view! {
                                <p class="error" role="alert" data-testid="export-error">
                                    {e}
                                </p>
                            }
                                .into_any()
                        }
                    })
            }}
            <ul class="downloads">
                {move || {
                    links
                        .get()
                        .into_iter()
                        .map(|d| {
                            view! {
                                <li>
                                    <a href=d.url download=d.file data-testid=d.testid>
                                        {d.label}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}
