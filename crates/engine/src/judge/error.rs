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

/// The index of the column `column` of `file`'s table, or the error that names the file, the
/// column and the benchmark needing it.
pub(super) fn required_column(
    t: &crate::table::Table,
    file: &str,
    column: &str,
    benchmark: &'static str,
) -> Result<usize, JudgeError> {
    t.column_index(column).ok_or_else(|| JudgeError::MissingColumn {
        file: file.to_owned(),
        column: column.to_owned(),
        benchmark,
    })
}
