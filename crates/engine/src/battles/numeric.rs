//! Numeric side columns of a battle log (a weight, a score): the fields beyond the battle
//! fields that `--weights COLUMN` and the page's Weights select pick from. Weights are chosen
//! after loading, so the loader keeps every numeric top-level field (up to
//! [`MAX_NUMERIC_COLUMNS`]) and remembers where the first value that cannot be a weight sat, to
//! name its file and line when a weighted run skips it.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

use super::builder::BattleBuilder;
use super::Battles;

/// One numeric field a battle log carries beyond the battle fields. At most
/// [`MAX_NUMERIC_COLUMNS`] are kept (a log with more is not a weighted log).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NumericColumn {
    pub name: String,
    /// One per battle; NaN where the record lacked the field or its value was not a number.
    pub values: Vec<f64>,
    /// The first battle whose value cannot be a weight (missing, not a number, negative or
    /// infinite): weights are chosen after loading, so the loader remembers where it was.
    pub first_invalid: Option<InvalidValue>,
}

/// Where a value that cannot be a weight sits in its file, and what it was.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvalidValue {
    /// The file, once the loader has named it.
    #[serde(default)]
    pub file: String,
    /// `line` for text files, `row` for Parquet.
    pub unit: String,
    pub position: u64,
    /// "missing", "not a number", or the value itself.
    pub problem: String,
}

impl NumericColumn {
    /// A column absent from the first `len` battles, the first of which sat at `first`.
    pub(crate) fn absent(name: &str, len: usize, first: Option<(&str, u64)>) -> Self {
        let first_invalid = (len > 0).then(|| {
            let (unit, position) = first.unwrap_or(("record", 1));
            InvalidValue {
                file: String::new(),
                unit: unit.into(),
                position,
                problem: "missing".into(),
            }
        });
        Self { name: name.to_owned(), values: vec![f64::NAN; len], first_invalid }
    }
}

impl std::fmt::Display for InvalidValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.file.is_empty() {
            write!(f, "{}, ", self.file)?;
        }
        write!(f, "{} {}: {}", self.unit, self.position, self.problem)
    }
}

/// More numeric side columns than this are ignored: each costs 8 bytes per battle.
pub const MAX_NUMERIC_COLUMNS: usize = 16;

/// True for a value usable as a weight.
pub fn is_valid_weight(w: f64) -> bool {
    w.is_finite() && w >= 0.0
}

impl Battles {
    /// Appends `other`'s numeric columns by name (NaN where one side lacks a column); call
    /// before the other columns grow, while `self.len()` is still the count before appending.
    pub(crate) fn append_numeric(&mut self, other: &Battles) {
        self.append_numeric_rows(other, self.len(), other.len());
    }

    /// [`Self::append_numeric`] for a merge that appends the per-battle columns apart, so
    /// neither side's length says where the numeric columns stand: `before` rows are here and
    /// `other` adds `added`.
    pub(crate) fn append_numeric_rows(&mut self, other: &Battles, before: usize, added: usize) {
        if self.numeric.is_empty() && other.numeric.is_empty() {
            return;
        }
        for theirs in &other.numeric {
            if self.numeric.len() < MAX_NUMERIC_COLUMNS
                && self.numeric.iter().all(|c| c.name != theirs.name)
            {
                self.numeric.push(NumericColumn::absent(&theirs.name, before, None));
            }
        }
        for mine in &mut self.numeric {
            match other.numeric.iter().find(|c| c.name == mine.name) {
                Some(theirs) => {
                    mine.values.extend_from_slice(&theirs.values);
                    if mine.first_invalid.is_none() {
                        mine.first_invalid = theirs.first_invalid.clone();
                    }
                }
                None => {
                    mine.values.resize(before + added, f64::NAN);
                    if mine.first_invalid.is_none() && added > 0 {
                        mine.first_invalid = NumericColumn::absent("", added, None).first_invalid;
                    }
                }
            }
        }
        self.numeric.sort_by(|a, b| a.name.cmp(&b.name));
    }

    /// Names of the numeric side columns, sorted.
    pub fn numeric_names(&self) -> Vec<String> {
        self.numeric.iter().map(|c| c.name.clone()).collect()
    }

    /// Names the file the battles came from in the positions of unusable side values.
    pub fn name_source(&mut self, file: &str) {
        for c in &mut self.numeric {
            if let Some(bad) = &mut c.first_invalid {
                file.clone_into(&mut bad.file);
            }
        }
    }
}

impl BattleBuilder {
    /// Says where the next record sits (its line in a text file), for messages about its
    /// numeric side columns.
    pub fn at_line(&mut self, line: u64) -> &mut Self {
        self.position = ("line", line);
        self
    }

    /// [`Self::at_line`] for a Parquet row (1-based).
    pub fn at_row(&mut self, row: u64) {
        self.position = ("row", row);
    }

    /// Where the record being pushed sits: as the caller said, else its index among records.
    pub(super) fn here(&self) -> (&'static str, u64) {
        match self.position {
            ("", _) => ("record", self.records),
            told => told,
        }
    }

    /// Moves the lines (or rows) this builder remembers by `offset`: a later segment of a
    /// file, or a later Parquet row group, was read counting from its own start.
    pub fn shift_positions(&mut self, offset: u64) {
        if let Some((_, position)) = &mut self.first_kept {
            *position += offset;
        }
        shift_first_invalid(&mut self.battles.numeric, offset);
        for unknown in self.unknown.values_mut() {
            unknown.first.1 += offset;
        }
    }

    /// True when pushing a battle with these numeric fields records where it sits: the first
    /// battle, or a column's first unusable or missing value. The fused JSON scan does not count
    /// lines, so it leaves such a record to the path that does.
    pub(super) fn needs_position(&self, numbers: &[(Cow<'_, str>, f64)]) -> bool {
        let unmarked = |c: &&NumericColumn| c.first_invalid.is_none();
        self.first_kept.is_none()
            || self.battles.numeric.iter().filter(unmarked).any(|c| {
                match numbers.iter().find(|(name, _)| *name == c.name) {
                    Some((_, v)) => !is_valid_weight(*v),
                    None => true,
                }
            })
    }

    /// The numeric side fields of the battle just kept: each known column gets its value (NaN
    /// when absent), a new field becomes a column (NaN for the battles before it) unless
    /// [`MAX_NUMERIC_COLUMNS`] are taken. Text (`Err`) in a CSV cell counts as a number only for
    /// a column that already is one; a CSV column of text never becomes a column.
    pub(super) fn push_numbers<'t>(
        &mut self,
        fields: impl Iterator<Item = (&'t str, Result<f64, &'t str>)>,
    ) {
        let Some(index) = self.battles.len().checked_sub(1) else { return };
        let here = self.here();
        if self.first_kept.is_none() {
            self.first_kept = Some(here);
        }
        for (name, value) in fields {
            let column = match self.battles.numeric.iter().position(|c| c.name == name) {
                Some(i) => i,
                None if value.is_ok() && self.battles.numeric.len() < MAX_NUMERIC_COLUMNS => {
                    self.battles.numeric.push(NumericColumn::absent(name, index, self.first_kept));
                    self.battles.numeric.len() - 1
                }
                None => continue,
            };
            let c = &mut self.battles.numeric[column];
            let (v, problem) = match value {
                Ok(v) => (v, (!is_valid_weight(v)).then(|| v.to_string())),
                Err("") => (f64::NAN, Some("missing".to_owned())),
                Err(text) => (f64::NAN, Some(format!("not a number: {text:?}"))),
            };
            c.values.truncate(index);
            c.values.resize(index, f64::NAN);
            c.values.push(v);
            if let (None, Some(problem)) = (&c.first_invalid, problem) {
                let (unit, position) = here;
                let file = String::new();
                c.first_invalid = Some(InvalidValue { file, unit: unit.into(), position, problem });
            }
        }
        for c in &mut self.battles.numeric {
            if c.values.len() <= index {
                c.values.resize(index + 1, f64::NAN);
                if c.first_invalid.is_none() {
                    let (unit, position) = here;
                    let (file, problem) = (String::new(), "missing".to_owned());
                    c.first_invalid =
                        Some(InvalidValue { file, unit: unit.into(), position, problem });
                }
            }
        }
    }
}

/// Moves each column's first unusable value down by `offset` lines (or rows).
pub(super) fn shift_first_invalid(columns: &mut [NumericColumn], offset: u64) {
    for c in columns {
        if let Some(bad) = &mut c.first_invalid {
            bad.position += offset;
        }
    }
}
