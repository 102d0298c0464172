//! Which column of a scaling table holds parameters, tokens, compute, loss, a benchmark score and
//! the names: detection by header name (exact names first, then unit-suffixed ones); the user's
//! explicit choices always win.

use super::cells::norm;
use super::name_column::detect_name_column;
use super::table::{ColumnChoice, DetectedColumns};
use super::ScalingError;
use crate::table::Table;

fn stem(n: &str) -> &str {
    // Drop a unit suffix so "params_b" matches "params".
    match n.rsplit_once('_') {
        Some((
            head,
            "b" | "t" | "m" | "k" | "bn" | "tn" | "billions" | "trillions" | "millions",
        )) => head,
        _ => n,
    }
}

const PARAMS_NAMES: &[&str] = &[
    "params",
    "param",
    "n",
    "parameters",
    "num_params",
    "n_params",
    "model_size",
    "size",
    "parameter_count",
    "nparams",
    "non_embedding_params",
    "model_params",
];
const TOKENS_NAMES: &[&str] = &[
    "tokens",
    "d",
    "training_tokens",
    "train_tokens",
    "n_tokens",
    "num_tokens",
    "data",
    "dataset_size",
    "tokens_seen",
    "data_size",
];
const COMPUTE_NAMES: &[&str] = &[
    "compute",
    "c",
    "flops",
    "flop",
    "training_flop",
    "training_flops",
    "training_compute",
    "compute_6nd",
    "train_flops",
    "compute_flops",
    "training_compute_flop",
];
const LOSS_NAMES: &[&str] =
    &["loss", "final_loss", "eval_loss", "val_loss", "validation_loss", "test_loss", "train_loss"];
const SCORE_HINTS: &[&str] =
    &["mmlu", "score", "accuracy", "acc", "gsm8k", "hellaswag", "arc", "bbh", "winogrande"];

fn find_column(table: &Table, names: &[&str]) -> Option<String> {
    // Exact matches first (in the order of `names`), then unit-suffixed headers.
    for want in names {
        if let Some(c) = table.columns.iter().find(|c| norm(c) == *want) {
            return Some(c.clone());
        }
    }
    for want in names {
        if let Some(c) = table.columns.iter().find(|c| stem(&norm(c)) == *want) {
            return Some(c.clone());
        }
    }
    None
}

fn find_score(table: &Table) -> Option<String> {
    for hint in SCORE_HINTS {
        if let Some(c) = table.columns.iter().find(|c| norm(c).split('_').any(|w| w == *hint)) {
            return Some(c.clone());
        }
    }
    // Substring matches only for hints too long to occur by accident ("arc" is in "search").
    for hint in SCORE_HINTS.iter().filter(|h| h.len() >= 4) {
        if let Some(c) = table.columns.iter().find(|c| norm(c).contains(*hint)) {
            return Some(c.clone());
        }
    }
    None
}

fn resolve(
    table: &Table,
    chosen: &Option<String>,
    detect: impl FnOnce() -> Option<String>,
) -> Result<Option<String>, ScalingError> {
    match chosen {
        Some(name) => match table.column_index(name) {
            Some(i) => Ok(Some(table.columns[i].clone())),
            None => Err(ScalingError::NoSuchColumn {
                column: name.clone(),
                available: table.columns.join(", "),
            }),
        },
        None => Ok(detect()),
    }
}

/// Picks columns: explicit choices first, then header detection.
pub fn detect_columns(
    table: &Table,
    choice: &ColumnChoice,
) -> Result<DetectedColumns, ScalingError> {
    Ok(DetectedColumns {
        params: resolve(table, &choice.params, || find_column(table, PARAMS_NAMES))?,
        tokens: resolve(table, &choice.tokens, || find_column(table, TOKENS_NAMES))?,
        compute: resolve(table, &choice.compute, || find_column(table, COMPUTE_NAMES))?,
        loss: resolve(table, &choice.loss, || find_column(table, LOSS_NAMES))?,
        score: resolve(table, &choice.score, || find_score(table))?,
        name: resolve(table, &choice.name, || {
            detect_name_column(table, |names| find_column(table, names))
        })?,
    })
}
