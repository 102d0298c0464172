//! Loaded files: kind (with a picker to correct it), shape, encoding, warnings and a preview.

use benchlens_engine::dataset::{DatasetKind, Severity};
use leptos::prelude::*;

use super::client;
use super::embed::{embeddable, EmbedToggle};
use super::mapping::ColumnMapper;
use super::source::DataSource;
use crate::format;
use crate::state::{use_app_state, DatasetEntry};

/// All loaded datasets, in load order.
#[component]
pub fn DatasetPanel() -> impl IntoView {
    let state = use_app_state();
    view! {
        <section class="dataset-panel" data-testid="dataset-panel">
            <Show when=move || state.datasets.with(Vec::is_empty)>
                <p class="empty">
                    "No data yet. Drop files or a folder anywhere on this page, or try a sample."
                </p>
            </Show>
            <For
                each=move || state.datasets.get()
                key=|d| (d.id, d.summary.kind, d.summary.rows)
                let(entry)
            >
                <DatasetCard entry=entry />
            </For>
        </section>
    }
}

/// One file's card.
#[component]
pub fn DatasetCard(
    /// The dataset to describe.
    entry: DatasetEntry,
) -> impl IntoView {
    let state = use_app_state();
    let id = entry.id;
    let s = entry.summary;
    let failed = s.failed();
    let kind_options = DatasetKind::ALL
        .iter()
        .map(|k| {
            view! {
                <option value=k.id() selected=*k == s.kind>
                    {k.label()}
                </option>
            }
        })
        .collect_view();
    let on_kind = move |ev: leptos::ev::Event| {
        let select: web_sys::HtmlSelectElement = event_target(&ev);
        if let Some(kind) = DatasetKind::from_id(&select.value()) {
            client::reparse(state, id, kind);
        }
    };
    let mut facts = vec![
        format!("{} rows", format::count(s.rows)),
        format!("{} columns", format::count(s.columns.len() as u64)),
        format::bytes(s.bytes as f64),
    ];
    if let Some(f) = s.format {
        facts.push(f.label().to_string());
    }
    if let Some(d) = s.delimiter {
        facts.push(format!(
            "delimiter {}",
            if d == '\t' { "tab".to_string() } else { format!("'{d}'") }
        ));
    }
    if s.format == Some(benchlens_engine::dataset::Format::Csv) {
        facts.push(if s.header { "header row".into() } else { "no header".into() });
    }
    facts.push(s.encoding.clone());
    if let Some(subject) = &s.subject {
        if s.kind == DatasetKind::BenchmarkItems {
            facts.push(format!("subject {subject}"));
        }
    }
    let warnings = s
        .warnings
        .iter()
        .map(|w| {
            let class = match w.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            };
            view! {
                <li class=class data-testid="dataset-warning">
                    {w.render(&s.name)}
                </li>
            }
        })
        .collect_view();
    let header = s.columns.iter().map(|c| view! { <th>{c.clone()}</th> }).collect_view();
    let rows = s
        .preview
        .iter()
        .map(|r| {
            let cells = r
                .iter()
                .map(|c| view! { <td title=c.clone()>{truncate(c, 80)}</td> })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    // Only files the sender holds locally can be embedded; samples and URLs are links already.
    let local = client::provenance().into_iter().any(|(i, src, _)| {
        i == id && matches!(src, DataSource::Local { .. } | DataSource::Inline { .. })
    });
    let embed = (local && !failed && embeddable(s.bytes, &s.encoding))
        .then(|| view! { <EmbedToggle id=id /> });
    let confidence = format!("{:.0}% sure: {}", s.kind_confidence * 100.0, s.kind_reason);
    view! {
        <article
            class="dataset-card"
            class:failed=failed
            data-testid="dataset-card"
            data-kind=s.kind.id()
        >
            <header>
                <h3 data-testid="dataset-name">{s.name.clone()}</h3>
                <select class="kind" data-testid="dataset-kind" title=confidence on:change=on_kind>
                    {kind_options}
                </select>
                <button
                    class="remove"
                    data-testid="remove-dataset"
                    title="Remove"
                    on:click=move |_| client::remove(state, id)
                >
                    "×"
                </button>
            </header>
            <p class="facts" data-testid="dataset-facts">
                {facts.join(" · ")}
                <span class="origin" data-testid="dataset-origin">
                    {format!(" · {}", entry.origin)}
                </span>
                {embed}
            </p>
            <ul class="warnings">{warnings}</ul>
            {(!failed || !s.columns.is_empty())
                .then(|| view! { <ColumnMapper id=id columns=s.columns.clone() kind=s.kind /> })}
            {(!s.preview.is_empty())
                .then(|| {
                    view! {
                        <div class="preview">
                            <table>
                                <thead>
                                    <tr>{header}</tr>
                                </thead>
                                <tbody>{rows}</tbody>
                            </table>
                        </div>
                    }
                })}
        </article>
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max).collect();
        format!("{cut}…")
    }
}
