//! Battle logs in columnar form: the dataset behind every rating.
//!
//! A FastChat `clean_battle` record is ~600 bytes of JSON; a million of them must fit comfortably in
//! a browser tab, so each battle is reduced to interned ids and a few numbers as it is parsed. The
//! analyses aggregate further (pair × outcome counts) but filters need these per-battle columns.

use serde::{Deserialize, Serialize};

mod builder;
// Parallel intake (native threads, the page's worker pool) and Parquet row groups.
mod merge;
mod name_hash;
mod name_ids;
mod numeric;
mod record;

pub(crate) use builder::reintern;
pub use builder::{BattleBuilder, BattleRowError, CsvBattleFields, TypedBattle};
pub(crate) use merge::InPart;
pub use merge::{BattleColumn, BuilderPart, ColumnSource};
pub use numeric::{is_valid_weight, InvalidValue, NumericColumn, MAX_NUMERIC_COLUMNS};

/// Who won one battle, exactly as the log says (the tie rule is applied later, by the analysis).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Outcome {
    /// `model_a`
    ModelA,
    /// `model_b`
    ModelB,
    /// `tie`
    Tie,
    /// `tie (bothbad)` or `both_bad`
    TieBothBad,
}

impl Outcome {
    /// Parses a winner label. Accepts the FastChat spellings and the preference-release ones.
    pub fn parse(label: &str) -> Option<Self> {
        match label.trim() {
            "model_a" | "a" | "A" => Some(Self::ModelA),
            "model_b" | "b" | "B" => Some(Self::ModelB),
            "tie" | "Tie" | "TIE" => Some(Self::Tie),
            "tie (bothbad)" | "both_bad" | "bothbad" | "tie(bothbad)" => Some(Self::TieBothBad),
            _ => None,
        }
    }

    /// The label used in exports.
    pub fn label(self) -> &'static str {
        match self {
            Self::ModelA => "model_a",
            Self::ModelB => "model_b",
            Self::Tie => "tie",
            Self::TieBothBad => "tie (bothbad)",
        }
    }

    /// The outcome after swapping the two sides.
    pub fn mirrored(self) -> Self {
        match self {
            Self::ModelA => Self::ModelB,
            Self::ModelB => Self::ModelA,
            other => other,
        }
    }
}

/// Index of each style feature in [`Battles::style`]: raw counts for side a then side b.
pub mod style_index {
    /// `conv_metadata.sum_assistant_a_tokens`
    pub const TOKENS_A: usize = 0;
    /// `conv_metadata.sum_assistant_b_tokens`
    pub const TOKENS_B: usize = 1;
    /// sum of `header_count_a.h1..h6`
    pub const HEADERS_A: usize = 2;
    /// sum of `header_count_b.h1..h6`
    pub const HEADERS_B: usize = 3;
    /// `list_count_a.ordered + unordered`
    pub const LISTS_A: usize = 4;
    /// `list_count_b.ordered + unordered`
    pub const LISTS_B: usize = 5;
    /// `bold_count_a["**"] + ["__"]`
    pub const BOLD_A: usize = 6;
    /// `bold_count_b["**"] + ["__"]`
    pub const BOLD_B: usize = 7;
}

/// A battle log, one entry per battle in every per-battle vector.
///
/// Optional fields the file lacked hold a neutral value: `tstamp` NaN, `turn` 0, `anony` None,
/// language/judge id 0 pointing at `""`, style row all NaN.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Battles {
    /// Interned model names; ids index into this.
    pub models: Vec<String>,
    /// Interned languages (`""` = unknown, always id 0).
    pub languages: Vec<String>,
    /// Interned judges (`""` = unknown, always id 0).
    pub judges: Vec<String>,
    /// Category names (true boolean leaves of `category_tag`, e.g. `math_v0.1.math`), at most 64.
    pub categories: Vec<String>,
    pub model_a: Vec<u32>,
    pub model_b: Vec<u32>,
    pub outcome: Vec<Outcome>,
    /// Unix seconds; NaN when absent.
    pub tstamp: Vec<f64>,
    pub language: Vec<u32>,
    pub judge: Vec<u32>,
    /// Number of turns; 0 when absent.
    pub turn: Vec<u32>,
    pub anony: Vec<Option<bool>>,
    /// `dedup_tag.sampled`; None when absent.
    pub dedup_sampled: Vec<Option<bool>>,
    /// Bit i set = `categories[i]` is true for this battle.
    pub category_bits: Vec<u64>,
    /// Raw style counts, see [`style_index`]; NaN row when `conv_metadata` was absent.
    pub style: Vec<[f32; 8]>,
    /// Battles that carried `conv_metadata`.
    pub n_with_style: usize,
    /// Winner labels that are not a known outcome, with their counts, sorted by label. These rows
    /// are not in the vectors above; an analysis must refuse to run silently past them.
    pub unknown_winners: Vec<(String, u64)>,
    /// Rows whose model_a equals model_b (dropped, as FastChat's cleaning does).
    pub self_battles: u64,
    /// Those dropped rows themselves: only the legacy leaderboard fit uses them.
    #[serde(default)]
    pub self_battle_rows: Vec<SelfBattle>,
    /// Numeric top-level fields beyond the battle fields (a weight, a score), sorted by name:
    /// what `--weights COLUMN` and the page's Weights select pick from.
    #[serde(default)]
    pub numeric: Vec<NumericColumn>,
}

/// A battle of a model against itself, set aside. The 2023–24 leaderboard fit saw such rows
/// (scikit-learn's design matrix turned each into a lone −ln 10 entry), so reproducing those
/// published numbers needs them; every other analysis ignores them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SelfBattle {
    pub model: String,
    pub outcome: Outcome,
    pub anony: Option<bool>,
    pub language: String,
    pub judge: String,
    pub turn: u32,
    pub tstamp: f64,
}

impl Battles {
    /// Number of battles kept.
    pub fn len(&self) -> usize {
        self.outcome.len()
    }

    /// True when no battle was kept.
    pub fn is_empty(&self) -> bool {
        self.outcome.is_empty()
    }

    /// Id of a model by name.
    pub fn model_id(&self, name: &str) -> Option<u32> {
        self.models.iter().position(|m| m == name).map(|i| i as u32)
    }

    /// Appends the per-battle columns of `other` that hold no interned ids (outcome, time,
    /// turn, flags, style) and its self-battles: what concatenating logs copies as is, once it
    /// has re-mapped the ids.
    pub(crate) fn append_plain_columns(&mut self, other: &Battles) {
        self.append_numeric(other);
        self.outcome.extend_from_slice(&other.outcome);
        self.tstamp.extend_from_slice(&other.tstamp);
        self.turn.extend_from_slice(&other.turn);
        self.anony.extend_from_slice(&other.anony);
        self.dedup_sampled.extend_from_slice(&other.dedup_sampled);
        self.style.extend_from_slice(&other.style);
        self.n_with_style += other.n_with_style;
        self.self_battles += other.self_battles;
        self.self_battle_rows.extend_from_slice(&other.self_battle_rows);
    }

    /// What [`Self::append_plain_columns`] appends besides the per-battle columns (numeric side
    /// columns, style and self-battle counts, the self-battles), taking `other` by value, when
    /// `before` rows were here and `other` added `added`; the merge appends the per-battle
    /// columns one at a time ([`Self::take_column`]).
    pub(crate) fn take_side_columns(&mut self, other: Battles, before: usize, added: usize) {
        self.append_numeric_rows(&other, before, added);
        self.n_with_style += other.n_with_style;
        self.self_battles += other.self_battles;
        append_moved(&mut self.self_battle_rows, other.self_battle_rows);
    }

    /// Moves one per-battle column of `other` onto this one's, as it is (ids are re-mapped by
    /// the merge afterwards); `other`'s is left empty.
    pub(crate) fn take_column(&mut self, column: merge::BattleColumn, other: &mut Battles) {
        use merge::BattleColumn as C;
        use std::mem::take;
        match column {
            C::Outcome => append_moved(&mut self.outcome, take(&mut other.outcome)),
            C::ModelA => append_moved(&mut self.model_a, take(&mut other.model_a)),
            C::ModelB => append_moved(&mut self.model_b, take(&mut other.model_b)),
            C::Language => append_moved(&mut self.language, take(&mut other.language)),
            C::Judge => append_moved(&mut self.judge, take(&mut other.judge)),
            C::CategoryBits => {
                append_moved(&mut self.category_bits, take(&mut other.category_bits));
            }
            C::Tstamp => append_moved(&mut self.tstamp, take(&mut other.tstamp)),
            C::Turn => append_moved(&mut self.turn, take(&mut other.turn)),
            C::Anony => append_moved(&mut self.anony, take(&mut other.anony)),
            C::DedupSampled => {
                append_moved(&mut self.dedup_sampled, take(&mut other.dedup_sampled))
            }
            C::Style => append_moved(&mut self.style, take(&mut other.style)),
        }
    }

    /// Room for `additional` more rows in one per-battle column, exactly.
    pub(crate) fn reserve_column(&mut self, column: merge::BattleColumn, additional: usize) {
        use merge::BattleColumn as C;
        match column {
            C::Outcome => self.outcome.reserve_exact(additional),
            C::ModelA => self.model_a.reserve_exact(additional),
            C::ModelB => self.model_b.reserve_exact(additional),
            C::Language => self.language.reserve_exact(additional),
            C::Judge => self.judge.reserve_exact(additional),
            C::CategoryBits => self.category_bits.reserve_exact(additional),
            C::Tstamp => self.tstamp.reserve_exact(additional),
            C::Turn => self.turn.reserve_exact(additional),
            C::Anony => self.anony.reserve_exact(additional),
            C::DedupSampled => self.dedup_sampled.reserve_exact(additional),
            C::Style => self.style.reserve_exact(additional),
        }
    }

    /// Rows in one per-battle column (all are as long as the outcome column once a merge ends).
    pub(crate) fn column_len(&self, column: merge::BattleColumn) -> usize {
        use merge::BattleColumn as C;
        match column {
            C::Outcome => self.outcome.len(),
            C::ModelA => self.model_a.len(),
            C::ModelB => self.model_b.len(),
            C::Language => self.language.len(),
            C::Judge => self.judge.len(),
            C::CategoryBits => self.category_bits.len(),
            C::Tstamp => self.tstamp.len(),
            C::Turn => self.turn.len(),
            C::Anony => self.anony.len(),
            C::DedupSampled => self.dedup_sampled.len(),
            C::Style => self.style.len(),
        }
    }

    /// Approximate heap bytes held (for memory reporting).
    pub fn heap_bytes(&self) -> usize {
        self.len() * (4 + 4 + 1 + 8 + 4 + 4 + 4 + 2 + 2 + 8 + 32)
    }
}

/// Appends `src` to `dst`, moving it when `dst` is empty.
pub(crate) fn append_moved<T: Clone>(dst: &mut Vec<T>, src: Vec<T>) {
    if dst.is_empty() {
        *dst = src;
    } else {
        dst.extend_from_slice(&src);
    }
}

/// The index of a category, registering it on first use: a log holds at most 64 (one bit each
/// in [`Battles::category_bits`]), so None once they are taken.
pub(crate) fn category_index(categories: &mut Vec<String>, name: &str) -> Option<usize> {
    match categories.iter().position(|c| c == name) {
        Some(i) => Some(i),
        None if categories.len() < 64 => {
            categories.push(name.to_owned());
            Some(categories.len() - 1)
        }
        None => None,
    }
}
