//! Files from a drop: plain files, and folders walked recursively through the File and Directory
//! Entries API (the only way a dropped folder's contents reach a page).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DataTransfer, File, FileSystemDirectoryEntry, FileSystemEntry, FileSystemFileEntry};

/// A dropped item, captured synchronously (a DataTransfer is unreadable after the event).
pub enum Dropped {
    File(File),
    Entry(FileSystemEntry),
}

/// Collects the items of a drop event.
pub fn collect(transfer: &DataTransfer) -> Vec<Dropped> {
    let mut out = Vec::new();
    let items = transfer.items();
    for i in 0..items.length() {
        let Some(item) = items.get(i) else { continue };
        if item.kind() != "file" {
            continue;
        }
        match item.webkit_get_as_entry() {
            Ok(Some(entry)) if entry.is_directory() => out.push(Dropped::Entry(entry)),
            _ => {
                if let Ok(Some(file)) = item.get_as_file() {
                    out.push(Dropped::File(file));
                }
            }
        }
    }
    if out.is_empty() {
        // Some browsers expose only `files`.
        if let Some(files) = transfer.files() {
            for i in 0..files.length() {
                if let Some(f) = files.get(i) {
                    out.push(Dropped::File(f));
                }
            }
        }
    }
    out
}

/// Expands folders into their files, as (path within the drop, file), sorted by path.
pub async fn expand(items: Vec<Dropped>) -> Vec<(String, File)> {
    let mut files = Vec::new();
    let mut stack: Vec<FileSystemEntry> = Vec::new();
    for item in items {
        match item {
            Dropped::File(f) => files.push((f.name(), f)),
            Dropped::Entry(e) => stack.push(e),
        }
    }
    while let Some(entry) = stack.pop() {
        if entry.is_directory() {
            let dir: FileSystemDirectoryEntry = entry.unchecked_into();
            stack.extend(read_all_entries(&dir).await);
        } else if let Some(file) = entry_file(entry.clone().unchecked_into()).await {
            let path = entry.full_path().trim_start_matches('/').to_owned();
            if !path.rsplit('/').next().unwrap_or("").starts_with('.') {
                files.push((path, file));
            }
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

async fn read_all_entries(dir: &FileSystemDirectoryEntry) -> Vec<FileSystemEntry> {
    let reader = dir.create_reader();
    let mut all = Vec::new();
    // readEntries returns batches (100 in Chromium) until an empty one.
    loop {
        let promise = js_sys::Promise::new(&mut |resolve, reject| {
            let ok = Closure::once_into_js(move |entries: JsValue| {
                let _ = resolve.call1(&JsValue::NULL, &entries);
            });
            let err = Closure::once_into_js(move |e: JsValue| {
                let _ = reject.call1(&JsValue::NULL, &e);
            });
            let _ = reader
                .read_entries_with_callback_and_callback(ok.unchecked_ref(), err.unchecked_ref());
        });
        let Ok(batch) = JsFuture::from(promise).await else { break };
        let batch: js_sys::Array = batch.unchecked_into();
        if batch.length() == 0 {
            break;
        }
        for e in batch.iter() {
            all.push(e.unchecked_into());
        }
    }
    all
}

async fn entry_file(entry: FileSystemFileEntry) -> Option<File> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move |file: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &file);
        });
        let err = Closure::once_into_js(move |e: JsValue| {
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        entry.file_with_callback_and_callback(ok.unchecked_ref(), err.unchecked_ref());
    });
    JsFuture::from(promise).await.ok().map(|f| f.unchecked_into())
}
