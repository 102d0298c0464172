//! Collects load problems, folding repeats into one line with a count so a file with a million
//! bad rows yields a readable list ("412 rows skipped: …"), not a million messages.

use std::collections::HashMap;

use crate::dataset::{Severity, Warning};

/// Distinct problems kept; later distinct ones are only counted.
const MAX_DISTINCT: usize = 50;

/// Warnings keyed by (severity, field, message class).
#[derive(Default)]
pub struct WarningSet {
    list: Vec<Warning>,
    index: HashMap<(Severity, Option<String>, String), usize>,
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
}
