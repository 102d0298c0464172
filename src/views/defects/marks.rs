//! Reviewer marks ("confirmed broken" / "fine"), kept in the browser's local storage under one
//! key as a JSON object keyed by `file:row:question-hash`, so a mark survives reloads and
//! re-runs with other settings, and follows the item, not its position in the table.

use std::collections::BTreeMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Local-storage key holding every mark.
pub const STORAGE_KEY: &str = "benchlens.defects.marks";

/// A reviewer's verdict on an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    ConfirmedBroken,
    Fine,
}

impl Mark {
    /// Label shown on badges.
    pub fn label(self) -> &'static str {
        match self {
            Mark::ConfirmedBroken => "confirmed broken",
            Mark::Fine => "fine",
        }
    }
}

/// The marks, from context.
#[derive(Clone, Copy)]
pub struct Marks(pub RwSignal<BTreeMap<String, Mark>>);

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// Loads the marks from local storage, provides them as context and saves every change.
pub fn provide_marks() {
    let loaded: BTreeMap<String, Mark> = storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default();
    let marks = RwSignal::new(loaded);
    Effect::new(move |_| {
        let text = marks.with(|m| serde_json::to_string(m).unwrap_or_default());
        if let Some(s) = storage() {
            // A full or disabled storage only loses persistence; the marks stay on the page.
            let _ = s.set_item(STORAGE_KEY, &text);
        }
    });
    provide_context(Marks(marks));
}

/// The marks from context.
pub fn use_marks() -> Marks {
    expect_context::<Marks>()
}

/// The marks as pretty JSON records, for the download.
pub fn export_json(marks: &BTreeMap<String, Mark>) -> String {
    #[derive(Serialize)]
    struct Record<'a> {
        file: &'a str,
        row: &'a str,
        question_hash: &'a str,
        mark: Mark,
    }
    let records: Vec<Record> = marks
        .iter()
        .map(|(k, &mark)| {
            let mut parts = k.rsplitn(3, ':');
            let question_hash = parts.next().unwrap_or("");
            let row = parts.next().unwrap_or("");
            let file = parts.next().unwrap_or("");
            Record { file, row, question_hash, mark }
        })
        .collect();
    serde_json::to_string_pretty(&records).unwrap_or_else(|_| "[]".into())
}
