//! Why a judge analysis could not run, in sentences a user can act on.

/// Failures of the judge analyses. Row-level problems are warnings, not errors: these are the
/// cases where nothing sensible can be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum JudgeError {
    #[error("no files were given: pass at least one judgment file")]
    NoInput,
    #[error(
        "{file}: cannot tell which judge benchmark this is; pass --kind alpaca-eval, arena-hard or mt-bench"
    )]
    UnknownKind { file: String },
    #[error("{file}: column `{column}` is missing, and the {benchmark} analysis needs it")]
    MissingColumn { file: String, column: String, benchmark: &'static str },
    #[error(
        "the files name several baselines in generator_1 ({found}); pick one with --baseline NAME"
    )]
    AmbiguousBaseline { found: String },
    #[error("no usable judgments: {reason}")]
    NoJudgments { reason: String },
    #[error("{what} must be {rule}, got {value}")]
    BadSetting { what: &'static str, rule: &'static str, value: String },
}
