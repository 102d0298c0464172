//! The column-mapping form: when detection is unsure (or wrong), the user picks the kind and says
//! which of the file's columns is which expected field; the file is re-parsed with those names.

use benchlens_engine::dataset::DatasetKind;
use leptos::prelude::*;

use crate::intake::client;
use crate::jobs::protocol::JobId;
use crate::state::use_app_state;

/// A disclosure under a dataset card.
#[component]
pub fn ColumnMapper(
    /// The dataset to re-parse.
    id: JobId,
    /// Its columns as currently shown.
    columns: Vec<String>,
    /// Its current kind (the form starts there).
    kind: DatasetKind,
) -> impl IntoView {
    let state = use_app_state();
    let target =
        RwSignal::new(if kind == DatasetKind::Unknown { DatasetKind::BattleLog } else { kind });
    // Chosen file column per expected field ("" = none).
    let choices = RwSignal::new(Vec::<(String, String)>::new());
    let columns = StoredValue::new(columns);
    let pick_for = move |field: &str| {
        choices
            .with(|c| c.iter().find(|(f, _)| f == field).map(|(_, col)| col.clone()))
            .unwrap_or_else(|| {
                columns.with_value(|cols| {
                    cols.iter().find(|c| c.eq_ignore_ascii_case(field)).cloned().unwrap_or_default()
                })
            })
    };
    let kinds = DatasetKind::ALL
        .iter()
        .filter(|k| **k != DatasetKind::Unknown)
        .map(|k| {
            view! {
                <option value=k.id() selected=move || target.get() == *k>
                    {k.label()}
                </option>
            }
        })
        .collect_view();
    let fields = move || {
        target
            .get()
            .expected_columns()
            .iter()
            .map(|&field| {
                let current = pick_for(field);
                let options = columns.with_value(|cols| {
                    cols.iter()
                        .map(|c| {
                            view! {
                                <option value=c.clone() selected=*c == current>
                                    {c.clone()}
                                </option>
                            }
                        })
                        .collect_view()
                });
                view! {
                    <label>
                        {field}
                        <select
                            data-testid=format!("map-{field}")
                            on:change=move |ev| {
                                let value = event_target_value(&ev);
                                choices
                                    .update(|c| {
                                        c.retain(|(f, _)| f != field);
                                        c.push((field.to_string(), value));
                                    });
                            }
                        >
                            <option value="" selected=current.is_empty()>
                                "—"
                            </option>
                            {options}
                        </select>
                    </label>
                }
            })
            .collect_view()
    };
    let apply = move |_| {
        let kind = target.get_untracked();
        let mapping: Vec<(String, String)> = kind
            .expected_columns()
            .iter()
            .filter_map(|&field| {
                let col = pick_for(field);
                (!col.is_empty()).then(|| (col, field.to_string()))
            })
            .collect();
        client::apply_mapping(state, id, kind, mapping);
    };
    view! {
        <details class="mapper" data-testid="map-columns" open=kind == DatasetKind::Unknown>
            <summary>"Map columns…"</summary>
            <div class="controls">
                <label>
                    "Kind"
                    <select
                        data-testid="map-kind"
                        on:change=move |ev| {
                            if let Some(k) = DatasetKind::from_id(&event_target_value(&ev)) {
                                target.set(k);
                                choices.set(Vec::new());
                            }
                        }
                    >
                        {kinds}
                    </select>
                </label>
                {fields}
                <button class="button primary" data-testid="map-apply" on:click=apply>
                    "Re-read with this mapping"
                </button>
            </div>
        </details>
    }
}
