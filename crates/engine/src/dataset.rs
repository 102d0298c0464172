//! The one currency between intake and analyses: a parsed file, its kind, and what went wrong.
//!
//! The worker keeps `Dataset`s and sends `FileSummary`s to the page; the CLI prints summaries as
//! JSON (`benchlens inspect`). Both are serde types so the same struct crosses every boundary.

use serde::{Deserialize, Serialize};

use crate::battles::Battles;
use crate::table::Table;

/// What a file holds, as far as analyses are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatasetKind {
    /// Pairwise battles: model_a, model_b, winner.
    BattleLog,
    /// Pre-aggregated pair counts: model_a, model_b, wins_a, wins_b, ties.
    PairCounts,
    /// Multiple-choice or free-form benchmark items (question, options, answer).
    BenchmarkItems,
    /// Per-item answers of one or more models.
    ModelPredictions,
    /// Models or training runs with parameters, tokens, compute, loss or scores.
    ScalingTable,
    /// LLM-judge annotations (AlpacaEval, Arena-Hard, MT-Bench).
    JudgeAnnotations,
    /// A published leaderboard (ratings or win rates) to compare against.
    Leaderboard,
    /// Parsed, but no known kind fits; the user picks one and maps columns.
    Unknown,
}

impl DatasetKind {
    /// Every kind, for pickers.
    pub const ALL: [DatasetKind; 8] = [
        Self::BattleLog,
        Self::PairCounts,
        Self::BenchmarkItems,
        Self::ModelPredictions,
        Self::ScalingTable,
        Self::JudgeAnnotations,
        Self::Leaderboard,
        Self::Unknown,
    ];

    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Self::BattleLog => "battle log",
            Self::PairCounts => "pair counts",
            Self::BenchmarkItems => "benchmark items",
            Self::ModelPredictions => "model predictions",
            Self::ScalingTable => "models / training runs",
            Self::JudgeAnnotations => "judge annotations",
            Self::Leaderboard => "leaderboard",
            Self::Unknown => "unknown",
        }
    }

    /// Stable machine name (the serde name).
    pub fn id(self) -> &'static str {
        match self {
            Self::BattleLog => "battle_log",
            Self::PairCounts => "pair_counts",
            Self::BenchmarkItems => "benchmark_items",
            Self::ModelPredictions => "model_predictions",
            Self::ScalingTable => "scaling_table",
            Self::JudgeAnnotations => "judge_annotations",
            Self::Leaderboard => "leaderboard",
            Self::Unknown => "unknown",
        }
    }

    /// The column names analyses look for in this kind (required ones first); the
    /// column-mapping form offers one picker per name.
    pub fn expected_columns(self) -> &'static [&'static str] {
        match self {
            Self::BattleLog => {
                &["model_a", "model_b", "winner", "language", "tstamp", "turn", "anony", "judge"]
            }
            Self::PairCounts => &["model_a", "model_b", "wins_a", "wins_b", "ties"],
            Self::BenchmarkItems => &["question", "choices", "answer", "subject"],
            Self::ModelPredictions => &["question", "model", "answer"],
            Self::ScalingTable => &["model", "params", "tokens", "compute", "loss"],
            Self::JudgeAnnotations => {
                &["instruction", "output_1", "generator_1", "output_2", "generator_2", "preference"]
            }
            Self::Leaderboard => &["model", "win_rate"],
            Self::Unknown => &[],
        }
    }

    /// Inverse of [`DatasetKind::id`].
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.id() == id)
    }
}

/// Physical format of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    JsonArray,
    /// A single JSON object (records are looked for in its first array-valued field).
    JsonObject,
    Jsonl,
    Csv,
    /// Apache Parquet (the Hugging Face hub's format), read by columns rather than streamed.
    Parquet,
}

impl Format {
    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Self::JsonArray => "JSON array",
            Self::JsonObject => "JSON object",
            Self::Jsonl => "JSONL",
            Self::Csv => "CSV",
            Self::Parquet => "Parquet",
        }
    }
}

/// How bad a warning is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Informational: the file loaded, this is worth knowing (e.g. decoded as MacRoman).
    Info,
    /// Some rows were skipped or altered.
    Warning,
    /// The file could not be used.
    Error,
}

/// A problem found while loading, located as precisely as the format allows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Warning {
    pub severity: Severity,
    /// 1-based physical line, when known.
    pub line: Option<u64>,
    /// Field (column) name, when known.
    pub field: Option<String>,
    pub message: String,
    /// How many rows this same problem hit (the first one's line is given).
    pub count: u64,
}

impl Warning {
    /// A file-level note with no location.
    pub fn file(severity: Severity, message: impl Into<String>) -> Self {
        Self { severity, line: None, field: None, message: message.into(), count: 1 }
    }

    /// One line: "file.csv:12: field `winner`: …".
    pub fn render(&self, file: &str) -> String {
        let mut s = file.to_owned();
        if let Some(line) = self.line {
            s.push_str(&format!(":{line}"));
        }
        s.push_str(": ");
        if let Some(field) = &self.field {
            s.push_str(&format!("field `{field}`: "));
        }
        s.push_str(&self.message);
        if self.count > 1 {
            s.push_str(&format!(" ({} rows like this)", self.count));
        }
        s
    }
}

/// What the page and `benchlens inspect` show about one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileSummary {
    pub name: String,
    pub kind: DatasetKind,
    /// 0..1: how sure kind detection is.
    pub kind_confidence: f32,
    /// Why that kind (the columns that decided it).
    pub kind_reason: String,
    pub format: Option<Format>,
    /// `utf-8`, `utf-8 (BOM)`, `windows-1252`, `macintosh`.
    pub encoding: String,
    /// CSV delimiter, when CSV.
    pub delimiter: Option<char>,
    /// CSV header present (JSON records always have names).
    pub header: bool,
    /// Data rows loaded.
    pub rows: u64,
    /// Data rows skipped, with reasons in `warnings`.
    pub skipped_rows: u64,
    pub columns: Vec<String>,
    pub bytes: u64,
    pub warnings: Vec<Warning>,
    /// The first few rows, as text, for the dataset panel.
    pub preview: Vec<Vec<String>>,
    /// Subject, when the kind is benchmark items and the file name gives it (MMLU layout).
    pub subject: Option<String>,
    /// Split from the file name (train/dev/val/test).
    pub split: Option<String>,
    /// A battle log's numeric side columns, sorted (what can weight its battles).
    #[serde(default)]
    pub numeric_columns: Vec<String>,
}

impl FileSummary {
    /// The summary of a file called `name` before any of it is read: kind unknown, nothing
    /// counted, subject and split taken from the name (MMLU layout).
    pub fn unread(name: &str) -> Self {
        let (subject, split) = crate::formats::kind::subject_and_split(name);
        Self {
            name: name.to_owned(),
            kind: DatasetKind::Unknown,
            kind_confidence: 0.0,
            kind_reason: String::new(),
            format: None,
            encoding: "utf-8".into(),
            delimiter: None,
            header: false,
            rows: 0,
            skipped_rows: 0,
            columns: Vec::new(),
            bytes: 0,
            warnings: Vec::new(),
            preview: Vec::new(),
            subject,
            split,
            numeric_columns: Vec::new(),
        }
    }

    /// True when an error-severity warning means the file holds nothing usable.
    pub fn failed(&self) -> bool {
        self.warnings.iter().any(|w| w.severity == Severity::Error) && self.rows == 0
    }
}

/// Parsed contents.
#[derive(Debug, Clone, Serialize, Deserialize)]
// One value per loaded file, moved rarely: boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Dataset {
    Battles(Battles),
    Table(Table),
    /// Nothing usable.
    Empty,
}

/// A file after intake.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub summary: FileSummary,
    pub data: Dataset,
}

impl ParsedFile {
    /// The table, for tabular kinds.
    pub fn table(&self) -> Option<&Table> {
        match &self.data {
            Dataset::Table(t) => Some(t),
            _ => None,
        }
    }

    /// The battles, for battle logs.
    pub fn battles(&self) -> Option<&Battles> {
        match &self.data {
            Dataset::Battles(b) => Some(b),
            _ => None,
        }
    }
}
