//! Merging builders: parallel intake (`formats::parallel`) builds each segment of a file with
//! its own [`BattleBuilder`], then appends them in file order; Parquet does the same with row
//! groups (`formats::parquet::groups`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::builder::{BattleBuilder, UnknownWinner};
use super::{category_index, Battles, NumericColumn};

/// What [`BattleBuilder::absorb`] takes from a later builder, as plain data: a segment parsed in
/// another worker (the page's pool) sends this to the worker that merges.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct BuilderPart {
    battles: Battles,
    /// Battles in the part, also while its per-battle columns travel apart from it.
    rows: usize,
    unknown: BTreeMap<String, UnknownWinner>,
    category_overflow: bool,
    /// Where the part's first kept battle sat ("line" or "row", and its number).
    first_kept: Option<(String, u64)>,
}

/// A per-battle column of [`Battles`], as a [`ColumnSource`] is asked for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BattleColumn {
    Outcome,
    ModelA,
    ModelB,
    Language,
    Judge,
    CategoryBits,
    Tstamp,
    Turn,
    Anony,
    DedupSampled,
    Style,
}

/// Where a [`BuilderPart`]'s per-battle columns come from when it arrives without them. The
/// page's pool copies each column of a helper's part from its typed array straight onto the
/// merged column: decoded into a vector of its own first, the part's column sat beside the merged
/// ones in the merging worker's memory (which never shrinks).
pub trait ColumnSource {
    /// Appends the part's `column` to the same column of `merged`, taking it from `part` when it
    /// is there (it is left empty); false when it cannot (the merge then stops, and the builder
    /// it was merging into must be discarded).
    fn append(&mut self, column: BattleColumn, part: &mut Battles, merged: &mut Battles) -> bool;
}

/// The columns are in the part already.
pub(crate) struct InPart;

impl ColumnSource for InPart {
    fn append(&mut self, column: BattleColumn, part: &mut Battles, merged: &mut Battles) -> bool {
        merged.take_column(column, part);
        true
    }
}

impl BuilderPart {
    /// [`BattleBuilder::shift_positions`] for a part: it was read counting lines from its own
    /// segment's start.
    pub fn shift_positions(&mut self, offset: u64) {
        if let Some((_, position)) = &mut self.first_kept {
            *position += offset;
        }
        super::numeric::shift_first_invalid(&mut self.battles.numeric, offset);
        for unknown in self.unknown.values_mut() {
            unknown.first.1 += offset;
        }
    }

    /// The part's battles: the page's pool moves their columns out to send them as typed arrays
    /// (a memory copy each, where bincode walked every value), and back in on arrival.
    pub fn battles_mut(&mut self) -> &mut Battles {
        &mut self.battles
    }
}

/// Appends the part's `column` through `source` and checks that it brought `total - mine` rows
/// (the merged column then holds `total`).
fn take(
    source: &mut dyn ColumnSource,
    column: BattleColumn,
    part: &mut Battles,
    merged: &mut Battles,
    total: usize,
) -> bool {
    source.append(column, part, merged) && merged.column_len(column) == total
}

/// The merged id column for `column`, if it is one.
fn id_column(b: &mut Battles, column: BattleColumn) -> Option<&mut Vec<u32>> {
    match column {
        BattleColumn::ModelA => Some(&mut b.model_a),
        BattleColumn::ModelB => Some(&mut b.model_b),
        BattleColumn::Language => Some(&mut b.language),
        BattleColumn::Judge => Some(&mut b.judge),
        _ => None,
    }
}

/// Re-maps the part's ids, appended as they were, through `table` (the part's id → merged id);
/// false when one is not in the table (a source's fault), which stops the merge instead of
/// panicking.
fn remap_ids(appended: &mut [u32], table: &[u32]) -> bool {
    if appended.iter().any(|&i| i as usize >= table.len()) {
        return false;
    }
    if table.iter().enumerate().any(|(i, &t)| t as usize != i) {
        for id in appended {
            *id = table[*id as usize];
        }
    }
    true
}

/// The unit names a builder writes (`at_line`, `at_row`, or a record count), as `'static`.
fn unit_name(unit: &str) -> &'static str {
    match unit {
        "line" => "line",
        "row" => "row",
        _ => "record",
    }
}

impl BattleBuilder {
    /// Appends the battles of `later`, built from the records that follow this builder's in the
    /// same file (parallel intake splits a file into segments). The result equals one builder fed
    /// every record in order: names keep first-appearance ids and categories their bit order.
    pub fn absorb(&mut self, later: BattleBuilder) {
        self.absorb_part(later.into_part());
    }

    /// The builder's battles for merging in another worker.
    pub fn into_part(self) -> BuilderPart {
        BuilderPart {
            rows: self.battles.len(),
            battles: self.battles,
            unknown: self.unknown,
            category_overflow: self.category_overflow,
            first_kept: self.first_kept.map(|(unit, at)| (unit.to_owned(), at)),
        }
    }

    /// [`Self::absorb`] for a builder that arrived as a [`BuilderPart`].
    pub fn absorb_part(&mut self, later: BuilderPart) {
        self.absorb_part_from(later, &mut InPart);
    }

    /// [`Self::absorb_part`] for a part whose per-battle columns `source` appends one at a
    /// time. False when the source failed: this builder is then half merged and must be
    /// discarded.
    pub fn absorb_part_from(
        &mut self,
        mut later: BuilderPart,
        source: &mut dyn ColumnSource,
    ) -> bool {
        let (mine, theirs) = (self.battles.len(), later.rows);
        let total = mine + theirs;
        // Exactly the room the merged columns need, in the order that leaves the fewest holes (a
        // part merged into an empty builder moves its columns in instead).
        if mine > 0 {
            self.grow_for_merge(theirs);
        }
        let later_first = later.first_kept.as_ref().map(|(unit, at)| (unit_name(unit), *at));
        // A numeric column only one side met is missing from the other side's first battle on.
        for name in later.battles.numeric.iter().map(|c| c.name.clone()).collect::<Vec<_>>() {
            if mine > 0 && self.battles.numeric.iter().all(|c| c.name != name) {
                self.battles.numeric.push(NumericColumn::absent(&name, mine, self.first_kept));
            }
        }
        for name in self.battles.numeric.iter().map(|c| c.name.clone()).collect::<Vec<_>>() {
            if theirs > 0 && later.battles.numeric.iter().all(|c| c.name != name) {
                later.battles.numeric.push(NumericColumn::absent(&name, theirs, later_first));
            }
        }
        self.first_kept = self.first_kept.or(later_first);
        let mut other = later.battles;
        let b = &mut self.battles;
        let models = self.model_ids.reintern(&mut b.models, &other.models);
        let languages = self.language_ids.reintern(&mut b.languages, &other.languages);
        let judges = self.judge_ids.reintern(&mut b.judges, &other.judges);
        let mut category_bit = Vec::with_capacity(other.categories.len());
        for name in &other.categories {
            let idx = category_index(&mut b.categories, name);
            self.category_overflow |= idx.is_none();
            category_bit.push(idx.map_or(0u64, |i| 1u64 << i));
        }
        if !take(source, BattleColumn::Outcome, &mut other, b, total) {
            return false;
        }
        for (column, table) in [
            (BattleColumn::ModelA, &models),
            (BattleColumn::ModelB, &models),
            (BattleColumn::Language, &languages),
            (BattleColumn::Judge, &judges),
        ] {
            if !take(source, column, &mut other, b, total) {
                return false;
            }
            let Some(ids) = id_column(b, column) else { return false };
            if !remap_ids(&mut ids[mine..], table) {
                return false;
            }
        }
        if !take(source, BattleColumn::CategoryBits, &mut other, b, total) {
            return false;
        }
        // Segments of one file usually meet the same tags in the same order: then bits carry over.
        if category_bit.iter().enumerate().any(|(i, &bit)| bit != 1u64 << i) {
            for bits in &mut b.category_bits[mine..] {
                let mut out = 0u64;
                let mut rest = *bits;
                while rest != 0 {
                    out |= category_bit.get(rest.trailing_zeros() as usize).copied().unwrap_or(0);
                    rest &= rest - 1;
                }
                *bits = out;
            }
        }
        for column in [
            BattleColumn::Tstamp,
            BattleColumn::Turn,
            BattleColumn::Anony,
            BattleColumn::DedupSampled,
            BattleColumn::Style,
        ] {
            if !take(source, column, &mut other, b, total) {
                return false;
            }
        }
        b.take_side_columns(other, mine, theirs);
        // The earlier segment's first occurrence stands; a value it never met keeps the later's.
        for (label, unknown) in later.unknown {
            let entry = self.unknown.entry(label).or_insert(UnknownWinner { count: 0, ..unknown });
            entry.count += unknown.count;
        }
        self.category_overflow |= later.category_overflow;
        true
    }
}
