//! Benchmark defect checks: find the broken items of a multiple-choice benchmark, with evidence.
//!
//! MMLU and its kin ship items whose options point at statements the question never gives, two
//! identical options, mojibake, duplicates within and across subjects, and wrong keys. This module
//! turns loaded tables into [`Item`]s ([`items`]), runs per-item rules ([`checks`]), dataset-wide
//! checks ([`duplicates`], [`statistics`]), and, given per-model answers, a disagreement screen
//! ([`disagreement`]) that is the only cheap way to catch wrong keys. [`analyze`] runs them all and
//! returns one serialisable [`Report`]. [`run()`] is the entry point the CLI and the page's worker
//! share: loaded files in, a [`DefectsRun`] out that the CLI prints and the page queries
//! ([`review`]); [`export`] writes the cleaned dataset back in the input's own format, and
//! [`evaluation`] scores the flags against expert labels (MMLU-Redux) so quality claims can be
//! re-derived.

pub mod checks;
pub mod disagreement;
pub mod duplicates;
pub mod evaluation;
pub mod export;
pub mod items;
pub mod labels;
pub mod lm_eval;
pub mod predictions;
pub mod report;
pub mod review;
mod review_table;
pub mod run;
pub mod statistics;
pub mod text;

pub use items::{Item, ItemSet, Layout, SourceFile};
pub use labels::{LabelChoice, LabelsView};
pub use report::{analyze, Report, Settings};
pub use run::{run, DefectsRun, NoItems};

use serde::{Deserialize, Serialize};

/// How sure a flag is, and so how a reviewer should treat it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Structural and near certain: the item is broken as written.
    Error,
    /// Evidence from model answers that the key may be wrong: needs a human look.
    Suspect,
    /// Worth a look; often fine.
    Warning,
}

impl Severity {
    /// Every severity, most certain first.
    pub const ALL: [Severity; 3] = [Self::Error, Self::Suspect, Self::Warning];

    /// The name used in CSV output and URLs.
    pub fn id(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Suspect => "suspect",
            Self::Warning => "warning",
        }
    }
}

/// Every check, with a stable id (the serde name) used in `--checks`, CSV output and URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckId {
    /// Options combine numbered statements ("1,2,3", "I and II only") the question never gives.
    LostContext,
    /// Two options are the same text after normalising case, whitespace and end punctuation.
    DuplicateOptions,
    /// An option is empty.
    EmptyOption,
    /// The answer key is missing, unreadable or out of range.
    KeyInvalid,
    /// The item has a different number of options than the rest of its file.
    OptionCount,
    /// Mojibake, U+FFFD, stray byte-order marks or control characters.
    Encoding,
    /// Option labels such as "(A)" or "(E)" leaked into the question or an option.
    ParseBleed,
    /// "question 15", "the figure above": a reference to something the item does not contain.
    DanglingReference,
    /// Options that refer to other options ("all of the above", "A and B").
    OptionReference,
    /// Time-relative wording ("currently", "the latest") with no year to anchor it.
    TimeRelative,
    /// A question with no question, instruction or continuation (e.g. "Demand reduction,").
    Fragment,
    /// TruthfulQA: an answer listed as both correct and incorrect.
    TqaContradiction,
    /// TruthfulQA: the same answer twice within one list.
    TqaDuplicateAnswer,
    /// TruthfulQA: the best answer is not among the correct answers.
    TqaBestMissing,
    /// The same item (normalised question and options) appears more than once.
    ExactDuplicate,
    /// Duplicated items whose keys point at different answers.
    DuplicateKeyConflict,
    /// Items that are near-identical (Jaccard ≥ threshold over word 3-grams) but not equal.
    NearDuplicate,
    /// At least k of m models agree on one answer that is not the key.
    ModelDisagreement,
}

impl CheckId {
    /// Every check, in report order.
    pub const ALL: [CheckId; 18] = [
        Self::LostContext,
        Self::DuplicateOptions,
        Self::EmptyOption,
        Self::KeyInvalid,
        Self::OptionCount,
        Self::Encoding,
        Self::ParseBleed,
        Self::DanglingReference,
        Self::OptionReference,
        Self::TimeRelative,
        Self::Fragment,
        Self::TqaContradiction,
        Self::TqaDuplicateAnswer,
        Self::TqaBestMissing,
        Self::ExactDuplicate,
        Self::DuplicateKeyConflict,
        Self::NearDuplicate,
        Self::ModelDisagreement,
    ];

    /// Stable machine name.
    pub fn id(self) -> &'static str {
        match self {
            Self::LostContext => "lost_context",
            Self::DuplicateOptions => "duplicate_options",
            Self::EmptyOption => "empty_option",
            Self::KeyInvalid => "key_invalid",
            Self::OptionCount => "option_count",
            Self::Encoding => "encoding",
            Self::ParseBleed => "parse_bleed",
            Self::DanglingReference => "dangling_reference",
            Self::OptionReference => "option_reference",
            Self::TimeRelative => "time_relative",
            Self::Fragment => "fragment",
            Self::TqaContradiction => "tqa_contradiction",
            Self::TqaDuplicateAnswer => "tqa_duplicate_answer",
            Self::TqaBestMissing => "tqa_best_missing",
            Self::ExactDuplicate => "exact_duplicate",
            Self::DuplicateKeyConflict => "duplicate_key_conflict",
            Self::NearDuplicate => "near_duplicate",
            Self::ModelDisagreement => "model_disagreement",
        }
    }

    /// Inverse of [`CheckId::id`]; also accepts dashes for underscores.
    pub fn from_id(id: &str) -> Option<Self> {
        let id = id.trim().replace('-', "_").to_ascii_lowercase();
        Self::ALL.into_iter().find(|c| c.id() == id)
    }

    /// The severity every flag of this check carries.
    pub fn severity(self) -> Severity {
        match self {
            Self::LostContext
            | Self::DuplicateOptions
            | Self::EmptyOption
            | Self::KeyInvalid
            | Self::OptionCount
            | Self::Encoding
            | Self::ParseBleed
            | Self::DanglingReference
            | Self::TqaContradiction
            | Self::TqaBestMissing
            | Self::DuplicateKeyConflict => Severity::Error,
            Self::ModelDisagreement => Severity::Suspect,
            Self::OptionReference
            | Self::TimeRelative
            | Self::Fragment
            | Self::TqaDuplicateAnswer
            | Self::ExactDuplicate
            | Self::NearDuplicate => Severity::Warning,
        }
    }
}

/// Which text of an item a highlighted span lies in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "field", content = "index")]
pub enum Field {
    Question,
    /// Option by 0-based position (for TruthfulQA: the correct answers, then the incorrect ones).
    Option(usize),
    /// TruthfulQA best answer.
    BestAnswer,
}

/// A highlighted range: `start..end` in characters (Unicode scalar values) of the field's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    #[serde(flatten)]
    pub field: Field,
    pub start: usize,
    pub end: usize,
}

/// One finding about one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    /// Index into [`ItemSet::items`].
    pub item: usize,
    pub check: CheckId,
    pub severity: Severity,
    /// One line a reviewer can act on.
    pub reason: String,
    /// Strength in [0, 1] (1 for structural certainties; agreement share for disagreement).
    pub score: f64,
    pub evidence: Vec<Span>,
}

impl Flag {
    pub(crate) fn new(item: usize, check: CheckId, reason: String, evidence: Vec<Span>) -> Self {
        Self { item, check, severity: check.severity(), reason, score: 1.0, evidence }
    }
}
