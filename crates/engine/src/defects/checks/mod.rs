//! Per-item rules, one file per family. Each rule looks at one [`Item`] (plus its file's modal
//! option count) and returns flags with evidence spans; none of them needs the rest of the data.

mod encoding;
mod lost_context;
mod references;
mod structure;
mod truthfulqa;
mod wording;

use super::text::{any_word, char_range};
use super::{CheckId, Field, Flag, ItemSet, Span};
use crate::defects::items::Item;

pub use encoding::garbage_spans;

/// An item for the rules' unit tests: question, options, key A, nothing else.
#[cfg(test)]
fn test_item(question: &str, options: &[&str], key: Option<usize>) -> Item {
    Item {
        file: 0,
        row: 0,
        id: None,
        question: question.into(),
        options: options.iter().map(|s| (*s).to_owned()).collect(),
        key,
        key_text: "A".into(),
        tqa: None,
        label: None,
    }
}
pub use lost_context::{is_statement_combination, lost_context};

/// Runs every enabled per-item check over all items, appending flags in item order.
pub fn run(set: &ItemSet, enabled: &dyn Fn(CheckId) -> bool, flags: &mut Vec<Flag>) {
    for (idx, item) in set.items.iter().enumerate() {
        let modal = set.files.get(item.file).map_or(0, |f| f.modal_options);
        let mut out = Vec::new();
        if let Some(tqa) = &item.tqa {
            truthfulqa::check(idx, item, tqa, &mut out);
        } else {
            structure::check(idx, item, modal, &mut out);
            if let Some(f) = lost_context::check(idx, item) {
                out.push(f);
            }
            // One pass over the lowercased question decides which phrase checks can match.
            let lower = item.question.to_ascii_lowercase();
            let (mut dangling, mut time) = (false, false);
            any_word(&lower, |w, rest| {
                dangling |= references::dangling_hint(w);
                time |= wording::time_hint(w, rest);
                dangling && time
            });
            references::check(idx, item, dangling, &mut out);
            wording::check(idx, item, time, &mut out);
        }
        if let Some(f) = encoding::check(idx, item) {
            out.push(f);
        }
        flags.extend(out.into_iter().filter(|f| enabled(f.check)));
    }
}

/// Span over byte range `start..end` of a field's text.
fn span(text: &str, field: Field, start: usize, end: usize) -> Span {
    let (start, end) = char_range(text, start, end);
    Span { field, start, end }
}

/// Span over a whole option.
fn whole_option(item: &Item, i: usize) -> Span {
    let text = item.options.get(i).map_or("", String::as_str);
    span(text, Field::Option(i), 0, text.len())
}

fn flag(item: usize, check: CheckId, reason: String, evidence: Vec<Span>) -> Flag {
    Flag::new(item, check, reason, evidence)
}

/// "A", "B", … for option `i` (numbers past J).
pub fn letter(i: usize) -> String {
    if i < 26 {
        ((b'A' + i as u8) as char).to_string()
    } else {
        (i + 1).to_string()
    }
}
