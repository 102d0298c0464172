//! Reviewer marks ("confirmed broken" / "fine"), kept in the browser's local storage under one
//! key as a JSON object keyed by `file:row:question-hash`, so a mark survives reloads and
//! re-runs with other settings, and follows the item, not its position in the table.
//!
//! Marks are hours of a reviewer's work, so storage is treated as precious: what cannot be read
//! is never overwritten (the page says so and offers the stored text as a download), a failed
//! save is shown instead of ignored, and marks move between browsers as a file
//! ([`export_json`] / [`parse_import`]; the panel is in `marks_panel.rs`).

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

/// Whether the marks on the page are safe in local storage.
#[derive(Debug, Clone, PartialEq)]
pub enum MarksStore {
    /// Every change is saved.
    Saved,
    /// The browser gives the page no local storage (disabled, or some private modes).
    Unavailable,
    /// What is stored could not be read; it is left untouched and nothing is saved until the
    /// user chooses to replace it. `raw` is the stored text when it could be fetched.
    Unreadable { why: String, raw: Option<String> },
    /// The last save failed (storage full or blocked); the marks exist only on this page.
    SaveFailed(String),
}

/// The marks and their storage, from context.
#[derive(Clone, Copy)]
pub struct Marks(pub RwSignal<BTreeMap<String, Mark>>, pub RwSignal<MarksStore>);

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The stored marks, or why they cannot be read.
pub fn parse_stored(text: &str) -> Result<BTreeMap<String, Mark>, String> {
    serde_json::from_str(text).map_err(|e| {
        format!("local storage key `{STORAGE_KEY}`, line {}, column {}: {e}", e.line(), e.column())
    })
}

/// Reads local storage: the marks, and how safe they are there.
fn load() -> (BTreeMap<String, Mark>, MarksStore) {
    let Some(s) = storage() else { return (BTreeMap::new(), MarksStore::Unavailable) };
    match s.get_item(STORAGE_KEY) {
        Err(e) => {
            let why = format!("the browser refused to read local storage ({e:?})");
            (BTreeMap::new(), MarksStore::Unreadable { why, raw: None })
        }
        Ok(None) => (BTreeMap::new(), MarksStore::Saved),
        Ok(Some(text)) => match parse_stored(&text) {
            Ok(marks) => (marks, MarksStore::Saved),
            Err(why) => (BTreeMap::new(), MarksStore::Unreadable { why, raw: Some(text) }),
        },
    }
}

/// Writes every mark to local storage, replacing what is there.
fn save(marks: &BTreeMap<String, Mark>) -> MarksStore {
    let Some(s) = storage() else { return MarksStore::Unavailable };
    let text = match serde_json::to_string(marks) {
        Ok(text) => text,
        Err(e) => return MarksStore::SaveFailed(e.to_string()),
    };
    match s.set_item(STORAGE_KEY, &text) {
        Ok(()) => MarksStore::Saved,
        Err(e) => MarksStore::SaveFailed(format!(
            "the browser refused to save {} marks ({} bytes) in local storage, which may be \
             full or blocked ({e:?})",
            marks.len(),
            text.len()
        )),
    }
}

/// Loads the marks from local storage, provides them as context and saves every change, unless
/// what is stored could not be read.
pub fn provide_marks() {
    let (loaded, store) = load();
    let marks = RwSignal::new(loaded);
    let store = RwSignal::new(store);
    Effect::new(move |first: Option<()>| {
        marks.track();
        // The first run is the load itself: nothing changed, nothing to write.
        if first.is_none() {
            return;
        }
        if matches!(store.get_untracked(), MarksStore::Unreadable { .. }) {
            return;
        }
        let outcome = marks.with_untracked(save);
        if store.get_untracked() != outcome {
            store.set(outcome);
        }
    });
    provide_context(Marks(marks, store));
}

/// Replaces unreadable stored marks with the page's: the user chose to, after downloading them.
pub fn overwrite_unreadable(marks: Marks) {
    let outcome = marks.0.with_untracked(save);
    marks.1.set(outcome);
}

/// The marks from context.
pub fn use_marks() -> Marks {
    expect_context::<Marks>()
}

/// One mark as a file record: the key split into its parts, so the file is readable and other
/// tools can join it with the dataset.
#[derive(Serialize, Deserialize)]
struct Record {
    file: String,
    row: String,
    question_hash: String,
    mark: Mark,
}

/// The marks as pretty JSON records, for the download.
pub fn export_json(marks: &BTreeMap<String, Mark>) -> String {
    let records: Vec<Record> = marks
        .iter()
        .map(|(k, &mark)| {
            let mut parts = k.rsplitn(3, ':');
            let question_hash = parts.next().unwrap_or("").to_owned();
            let row = parts.next().unwrap_or("").to_owned();
            let file = parts.next().unwrap_or("").to_owned();
            Record { file, row, question_hash, mark }
        })
        .collect();
    serde_json::to_string_pretty(&records).unwrap_or_else(|_| "[]".into())
}

/// Reads a marks file: the records [`export_json`] writes, or the object kept in local storage
/// (what a user may have copied out of the browser). `file` names the file in errors.
pub fn parse_import(file: &str, text: &str) -> Result<BTreeMap<String, Mark>, String> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| format!("{file}: line {}, column {}: {e}", e.line(), e.column()))?;
    if value.is_object() {
        return serde_json::from_value(value).map_err(|e| {
            format!("{file}: not a marks object (`\"file:row:hash\": \"fine\"`): {e}")
        });
    }
    let serde_json::Value::Array(items) = value else {
        return Err(format!("{file}: expected a list of marks (as exported) or an object"));
    };
    let mut marks = BTreeMap::new();
    for (i, item) in items.into_iter().enumerate() {
        let r: Record = serde_json::from_value(item).map_err(|e| {
            format!(
                "{file}: mark {} of the list: {e} (each needs file, row, question_hash and mark)",
                i + 1
            )
        })?;
        if r.row.is_empty() || r.question_hash.is_empty() {
            return Err(format!("{file}: mark {}: empty `row` or `question_hash`", i + 1));
        }
        marks.insert(format!("{}:{}:{}", r.file, r.row, r.question_hash), r.mark);
    }
    Ok(marks)
}

/// How an import changed the marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merged {
    pub added: usize,
    /// Items marked both here and in the file, with another verdict: the file's wins.
    pub changed: usize,
    pub unchanged: usize,
}

/// Adds `imported` to `marks`; on a conflict the imported mark wins (the file is the newer
/// decision: the user just chose to load it).
pub fn merge(marks: &mut BTreeMap<String, Mark>, imported: BTreeMap<String, Mark>) -> Merged {
    let mut merged = Merged { added: 0, changed: 0, unchanged: 0 };
    for (key, mark) in imported {
        match marks.insert(key, mark) {
            None => merged.added += 1,
            Some(old) if old == mark => merged.unchanged += 1,
            Some(_) => merged.changed += 1,
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> BTreeMap<String, Mark> {
        BTreeMap::from([
            ("test/anatomy_test.csv:12:9f2c".to_owned(), Mark::ConfirmedBroken),
            ("c:\\data:odd.csv:7:00ab".to_owned(), Mark::Fine),
        ])
    }

    #[test]
    fn an_export_imports_back_to_the_same_marks() {
        let marks = sample();
        let text = export_json(&marks);
        assert_eq!(parse_import("marks.json", &text), Ok(marks));
    }

    #[test]
    fn the_storage_object_imports_too() {
        let marks = sample();
        let text = serde_json::to_string(&marks).expect("marks serialise");
        assert_eq!(parse_import("copied.json", &text), Ok(marks.clone()));
        assert_eq!(parse_stored(&text), Ok(marks));
    }

    #[test]
    fn bad_files_are_named_with_line_and_record() {
        let e = parse_import("m.json", "[\n{\"file\": \"a\",").expect_err("must be rejected");
        assert!(e.starts_with("m.json: line 2"), "{e}");
        let e = parse_import(
            "m.json",
            r#"[{"file":"a","row":"1","question_hash":"x","mark":"fine"},{"file":"a"}]"#,
        )
        .expect_err("must be rejected");
        assert!(e.contains("mark 2 of the list"), "{e}");
        let e = parse_import("m.json", r#"{"a:1:x": "maybe"}"#).expect_err("must be rejected");
        assert!(e.contains("not a marks object"), "{e}");
        let e = parse_import("m.json", "42").expect_err("must be rejected");
        assert!(e.contains("expected a list"), "{e}");
    }

    #[test]
    fn unreadable_storage_names_the_key_and_position() {
        let e = parse_stored("{\"a:1:x\": \"fine\",").expect_err("must be rejected");
        assert!(e.contains(STORAGE_KEY) && e.contains("line 1"), "{e}");
    }

    #[test]
    fn merge_counts_added_changed_and_unchanged_and_the_file_wins() {
        let mut marks = sample();
        let imported = BTreeMap::from([
            ("test/anatomy_test.csv:12:9f2c".to_owned(), Mark::Fine),
            ("c:\\data:odd.csv:7:00ab".to_owned(), Mark::Fine),
            ("new.csv:3:77".to_owned(), Mark::ConfirmedBroken),
        ]);
        let merged = merge(&mut marks, imported);
        assert_eq!(merged, Merged { added: 1, changed: 1, unchanged: 1 });
        assert_eq!(marks.len(), 3);
        assert_eq!(marks["test/anatomy_test.csv:12:9f2c"], Mark::Fine);
    }
}
