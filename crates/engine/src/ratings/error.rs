//! Why a rating analysis refused to run. Each message is a sentence a user can act on.

/// Errors of the ratings engine.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RatingsError {
    #[error("unknown winner values (map them to model_a, model_b, tie or both_bad, or remove those rows): {}", list_counts(.0))]
    UnknownWinners(Vec<(String, u64)>),
    #[error("no battles left to rate after filtering ({0})")]
    NoBattles(String),
    #[error("filter `{spec}`: {why}")]
    BadFilter { spec: String, why: String },
    #[error("anchor model `{0}` is not among the rated models")]
    AnchorMissing(String),
    #[error("filter `{0}` needs a battle log, but some input holds pre-aggregated pair counts")]
    FilterNeedsBattles(&'static str),
    #[error("{0}")]
    Unsupported(String),
    #[error("pair counts, line {line}: field `{field}`: {why}")]
    PairCounts { line: u64, field: String, why: String },
    #[error("pair counts: missing column `{0}` (expected model_a, model_b, wins_a, wins_b, ties)")]
    PairCountsColumn(String),
    #[error("style control needs `conv_metadata` on the battles, and {}", lacking(*.0))]
    NoStyle(u64),
    #[error("cancelled")]
    Cancelled,
    #[error("no model has a finite rating: {0}")]
    NothingRated(String),
    #[error("load a battle log or a pair-count file first")]
    NoInput,
    #[error("{file}: {error}")]
    InFile { file: String, error: Box<RatingsError> },
    #[error("{file}: neither a battle log (model_a, model_b, winner) nor pair counts (model_a, model_b, wins_a, wins_b, ties); detected {detected}")]
    NotRatable { file: String, detected: String },
    #[error("{0}: no usable rows")]
    EmptyFile(String),
    #[error("weights: {0}")]
    Weights(String),
}

fn lacking(n: u64) -> String {
    if n == 1 {
        "the one selected battle has none".to_owned()
    } else {
        format!("none of the {n} selected battles has it")
    }
}

fn list_counts(items: &[(String, u64)]) -> String {
    items.iter().map(|(v, n)| format!("{v:?} ×{n}")).collect::<Vec<_>>().join(", ")
}
