//! Collects load problems, folding repeats into one line with a count so a file with a million
//! bad rows yields a readable list ("412 rows skipped: …"), not a million messages.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::dataset::{Severity, Warning};

/// Distinct problems kept; later distinct ones are only counted.
const MAX_DISTINCT: usize = 50;

/// What groups repeats of one problem: (severity, field, message class).
type WarningKey = (Severity, Option<String>, String);

/// Warnings keyed by (severity, field, message class).
#[derive(Default)]
pub struct WarningSet {
    list: Vec<Warning>,
    index: HashMap<WarningKey, usize>,
    overflow: u64,
}

/// A [`WarningSet`] as plain data, so a segment parsed in another worker can send its warnings
/// to the one that merges (each warning with its grouping key, or None for file-level notes).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct WarningsPart {
    list: Vec<Warning>,
    keys: Vec<Option<WarningKey>>,
    overflow: u64,
}

impl WarningSet {
    /// Records one occurrence. `class` groups repeats (e.g. the message without the row's value).
    pub fn add(
        &mut self,
        severity: Severity,
        line: Option<u64>,
        field: Option<&str>,
        class: &str,
        message: impl FnOnce() -> String,
    ) {
        let key = (severity, field.map(str::to_owned), class.to_owned());
        if let Some(&i) = self.index.get(&key) {
            self.list[i].count += 1;
            return;
        }
        if self.list.len() >= MAX_DISTINCT {
            self.overflow += 1;
            return;
        }
        self.index.insert(key, self.list.len());
        self.list.push(Warning {
            severity,
            line,
            field: field.map(str::to_owned),
            message: message(),
            count: 1,
        });
    }

    /// The set in a form that crosses between workers (see [`WarningsPart`]).
    pub fn into_part(self) -> WarningsPart {
        let mut keys: Vec<Option<WarningKey>> = vec![None; self.list.len()];
        for (key, i) in self.index {
            if let Some(slot) = keys.get_mut(i) {
                *slot = Some(key);
            }
        }
        WarningsPart { list: self.list, keys, overflow: self.overflow }
    }

    /// Adds the warnings of a later segment of the same file (as a [`WarningsPart`]), its lines
    /// moved down by `line_offset`. Keeps the first occurrence's line and the first-seen order,
    /// as if one set had seen every row in order.
    pub fn absorb_part(&mut self, later: WarningsPart, line_offset: u64) {
        for (warning, key) in later.list.into_iter().zip(later.keys) {
            let Some(key) = key else {
                self.list.push(warning);
                continue;
            };
            if let Some(&i) = self.index.get(&key) {
                if let Some(kept) = self.list.get_mut(i) {
                    kept.count += warning.count;
                }
            } else if self.list.len() >= MAX_DISTINCT {
                self.overflow += warning.count;
            } else {
                self.index.insert(key, self.list.len());
                self.list.push(Warning { line: warning.line.map(|l| l + line_offset), ..warning });
            }
        }
        self.overflow += later.overflow;
    }

    /// A file-level message.
    pub fn file(&mut self, severity: Severity, message: impl Into<String>) {
        self.list.push(Warning::file(severity, message));
    }

    /// The warnings, most severe first, then by line.
    pub fn into_vec(mut self) -> Vec<Warning> {
        if self.overflow > 0 {
            self.list.push(Warning::file(
                Severity::Warning,
                format!("{} more problems of other kinds not listed", self.overflow),
            ));
        }
        self.list.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.line.cmp(&b.line)));
        self.list
    }

    /// The closing lines every loader adds about its rows: how many were skipped, or that there
    /// were none (unless the file already failed for a stated reason).
    pub fn close_rows(&mut self, rows: u64, skipped: u64, failed: bool) {
        if skipped > 0 {
            self.file(
                Severity::Warning,
                format!(
                    "{} skipped (reasons above)",
                    crate::wording::counted(skipped, "row", "rows")
                ),
            );
        }
        if rows == 0 && !failed {
            self.file(Severity::Error, "no data rows found");
        }
    }
}
