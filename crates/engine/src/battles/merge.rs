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
/// page's pool decodes each column of a helper's part from its typed array just before the merge
/// appends it: decoded all at once, a 1.5M-battle part put 107 MB into the merging worker's
/// memory (which never shrinks) beside the merged columns.
pub trait ColumnSource {
    /// Puts `column` into `battles` (where it is empty until then); false when it cannot (the
    /// merge then stops, and the builder it was merging into must be discarded).
    fn fill(&mut self, column: BattleColumn, battles: &mut Battles) -> bool;
}

/// The columns are in the part already.
pub(crate) struct InPart;

impl ColumnSource for InPart {
    fn fill(&mut self, _: BattleColumn, _: &mut Battles) -> bool {
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

/// Appends `src` to `dst` through the id `table` (old id → new id). A column that lands in an
/// empty one under an identity table (the first segment merged into a fresh loader) is moved,
/// not copied: at 3M battles each copy was another 12 MB per column at the merge's peak.
fn append_ids(dst: &mut Vec<u32>, table: &[u32], src: Vec<u32>) {
    let identity = table.iter().enumerate().all(|(i, &t)| t as usize == i);
    if identity && dst.is_empty() {
        *dst = src;
    } else if identity {
        dst.extend_from_slice(&src);
    } else {
        dst.extend(src.iter().map(|&i| table[i as usize]));
    }
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

    /// [`Self::absorb_part`] for a part whose per-battle columns `source` fills one at a time,
    /// each just before it is appended. False when the source failed: this builder is then half
    /// merged and must be discarded.
    pub fn absorb_part_from(
        &mut self,
        mut later: BuilderPart,
        source: &mut dyn ColumnSource,
    ) -> bool {
        // The part's length is its outcome column's.
        if !source.fill(BattleColumn::Outcome, &mut later.battles) {
            return false;
        }
        let later_first = later.first_kept.as_ref().map(|(unit, at)| (unit_name(unit), *at));
        // A numeric column only one side met is missing from the other side's first battle on.
        let (mine, theirs) = (self.battles.len(), later.battles.len());
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
        for (column, ids, table) in [
            (BattleColumn::ModelA, &mut b.model_a, &models),
            (BattleColumn::ModelB, &mut b.model_b, &models),
            (BattleColumn::Language, &mut b.language, &languages),
            (BattleColumn::Judge, &mut b.judge, &judges),
        ] {
            if !source.fill(column, &mut other) {
                return false;
            }
            let theirs = match column {
                BattleColumn::ModelA => &mut other.model_a,
                BattleColumn::ModelB => &mut other.model_b,
                BattleColumn::Language => &mut other.language,
                _ => &mut other.judge,
            };
            // An id the part never named (a source's fault) stops the merge instead of panicking.
            if theirs.iter().any(|&i| i as usize >= table.len()) {
                return false;
            }
            append_ids(ids, table, std::mem::take(theirs));
        }
        if !source.fill(BattleColumn::CategoryBits, &mut other) {
            return false;
        }
        // Segments of one file usually meet the same tags in the same order: then bits carry over.
        if category_bit.iter().enumerate().all(|(i, &bit)| bit == 1u64 << i) {
            super::append_moved(&mut b.category_bits, std::mem::take(&mut other.category_bits));
        } else {
            b.category_bits.extend(other.category_bits.iter().map(|&bits| {
                let mut out = 0u64;
                let mut rest = bits;
                while rest != 0 {
                    out |= category_bit.get(rest.trailing_zeros() as usize).copied().unwrap_or(0);
                    rest &= rest - 1;
                }
                out
            }));
        }
        for column in [
            BattleColumn::Tstamp,
            BattleColumn::Turn,
            BattleColumn::Anony,
            BattleColumn::DedupSampled,
            BattleColumn::Style,
        ] {
            if !source.fill(column, &mut other) {
                return false;
            }
            b.take_plain_column(column, &mut other);
        }
        b.take_plain_columns(other);
        // The earlier segment's first occurrence stands; a value it never met keeps the later's.
        for (label, unknown) in later.unknown {
            let entry = self.unknown.entry(label).or_insert(UnknownWinner { count: 0, ..unknown });
            entry.count += unknown.count;
        }
        self.category_overflow |= later.category_overflow;
        true
    }
}
