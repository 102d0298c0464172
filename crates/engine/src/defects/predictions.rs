//! Reading model answers out of a loaded table, and deciding which columns are models.
//!
//! Published prediction files carry more than model answers: MMLU-Redux's HELM outputs
//! (`outputs/multi_expert_helm/<subject>.csv`) add the key as `groundtruth_answer`, an expert
//! `binary_error_type`, and majority votes of the top-k models. Counting those as models switches
//! the disagreement screen off (the key "model" always agrees with the key), so a wide column is a
//! model only when it holds answer letters from a run; every other candidate is left out with its
//! reason ([`LeftOut`]) so the page and CLI can say what was dropped.

use serde::{Deserialize, Serialize};

use super::items::parse_list;
use super::text::normalize;
use crate::table::Table;

/// Why a predictions table could not be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PredictionsError {
    #[error(
        "{file}: no model answers found. Expected a wide table (question plus one column of \
         letters per model), a long table with item/question, model and answer columns, or \
         lm-evaluation-harness samples with filtered_resps."
    )]
    NoAnswers { file: String },
}

/// One model's answer to one item, before matching.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    pub id: Option<String>,
    /// Normalised question text.
    pub question: Option<String>,
    /// Normalised options joined, when the predictions carry them.
    pub options: Option<String>,
    pub model: String,
    /// The answer as written (letter, index or option text).
    pub answer: String,
}

/// Why a column that could pass for a model was not counted as one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeftOutReason {
    /// Named like the answer key (`groundtruth_answer`, `gold`, `label`) or agreeing with the key
    /// on every item: a copy of the key, which would veto every disagreement flag.
    CopiesKey,
    /// Named as a combination of other columns (`majority_llm_pred_top_3`, `ensemble`, `vote`).
    Aggregate,
    /// Holds numbers, true/false or text rather than answer letters (`binary_error_type`).
    NotLetters,
}

impl LeftOutReason {
    /// How the reason reads in a sentence after the column names.
    pub fn describe(self) -> &'static str {
        match self {
            Self::CopiesKey => "copies the answer key",
            Self::Aggregate => "aggregates other columns",
            Self::NotLetters => "holds no answer letters",
        }
    }
}

/// A column of a predictions file that was not counted as a model.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LeftOut {
    pub reason: LeftOutReason,
    pub column: String,
    /// The file it came from.
    pub file: String,
}

/// All predictions of one file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PredictionTable {
    pub name: String,
    pub rows: Vec<Prediction>,
    /// Wide-table columns that were not counted as models, with why.
    #[serde(default)]
    pub left_out: Vec<LeftOut>,
}

const ITEM_COLS: [&str; 7] = ["item", "item_id", "id", "question_id", "qid", "uid", "doc_id"];
const ANSWER_COLS: [&str; 7] =
    ["answer", "prediction", "pred", "predicted", "response", "output", "model_answer"];
/// Item fields and expert annotations: never models, and too obvious to list as left out.
const META_COLS: [&str; 15] = [
    "question",
    "choices",
    "options",
    "answer",
    "subject",
    "id",
    "item",
    "item_id",
    "error_type",
    "correct_answer",
    "source",
    "potential_reason",
    "split",
    "category",
    "explanation",
];
/// Column names (or name parts) that hold the key itself.
const KEY_NAMES: [&str; 10] = [
    "groundtruth",
    "ground_truth",
    "gold",
    "gt",
    "label",
    "target",
    "key",
    "answerkey",
    "answer_key",
    "reference",
];
/// Name parts of columns computed from other columns (`top` only when a count follows:
/// `majority_llm_pred_top_3`).
const AGGREGATE_NAMES: [&str; 13] = [
    "majority",
    "ensemble",
    "vote",
    "votes",
    "consensus",
    "aggregate",
    "plurality",
    "agreement",
    "entropy",
    "ratio",
    "mean",
    "avg",
    "average",
];

impl PredictionTable {
    /// Reads predictions out of a loaded table. lm-evaluation-harness samples get the model from
    /// the file name here; [`super::lm_eval::read_predictions`] names them from their run.
    pub fn from_table(name: &str, t: &Table) -> Result<Self, PredictionsError> {
        let model =
            name.rsplit(['/', '\\']).next().unwrap_or(name).split('.').next().unwrap_or(name);
        Self::read(name, t, model)
    }

    /// Like [`PredictionTable::from_table`], with the model of lm-evaluation-harness samples
    /// given.
    pub(crate) fn read(
        name: &str,
        t: &Table,
        harness_model: &str,
    ) -> Result<Self, PredictionsError> {
        let find = |names: &[&str]| names.iter().find_map(|n| t.column_index(n));
        let question = find(&["question", "doc.question", "prompt"]);
        let choices = find(&["choices", "options", "doc.choices"]);
        let mut rows = Vec::new();
        let mut left_out = Vec::new();
        let cell = |r: usize, c: Option<usize>| {
            c.map(|c| t.cell(r, c).trim().to_owned()).filter(|s| !s.is_empty())
        };
        let options_of = |r: usize| {
            choices
                .and_then(|c| parse_list(t.cell(r, c)))
                .map(|o| o.iter().map(|x| normalize(x)).collect::<Vec<_>>().join("\u{1f}"))
        };
        // One model's answer on row `r`, matched to items by `id` (a column) or the row's text.
        let prediction = |r: usize, id: Option<usize>, model: &str, answer: &str| Prediction {
            id: cell(r, id),
            question: cell(r, question).map(|q| normalize(&q)),
            options: options_of(r),
            model: model.to_owned(),
            answer: answer.to_owned(),
        };
        if let Some(resps) = find(&["filtered_resps", "resps"]) {
            // The harness's doc_id counts docs within its own task, so it names no item of the
            // user's files: match by the doc's content only.
            for r in 0..t.n_rows() {
                if let Some(best) = argmax_loglik(t.cell(r, resps)) {
                    rows.push(prediction(r, None, harness_model, &best.to_string()));
                }
            }
        } else if let (Some(model), Some(answer)) =
            (find(&["model", "model_name", "system"]), find(&ANSWER_COLS))
        {
            let id = find(&ITEM_COLS);
            for r in 0..t.n_rows() {
                let a = t.cell(r, answer).trim();
                if a.is_empty() {
                    continue;
                }
                rows.push(prediction(r, id, t.cell(r, model).trim(), a));
            }
        } else {
            let id = find(&ITEM_COLS);
            let mut model_cols = Vec::new();
            for c in 0..t.n_cols() {
                let column = t.columns[c].trim();
                if META_COLS.iter().any(|m| column.eq_ignore_ascii_case(m))
                    || ITEM_COLS.iter().any(|m| column.eq_ignore_ascii_case(m))
                {
                    continue;
                }
                match screen_column(t, c) {
                    None => model_cols.push(c),
                    Some(reason) => left_out.push(LeftOut {
                        reason,
                        column: column.to_owned(),
                        file: name.to_owned(),
                    }),
                }
            }
            for r in 0..t.n_rows() {
                for &c in &model_cols {
                    let a = t.cell(r, c).trim();
                    if a.is_empty() {
                        continue;
                    }
                    rows.push(prediction(r, id, t.columns[c].trim(), a));
                }
            }
        }
        if rows.is_empty() {
            return Err(PredictionsError::NoAnswers { file: name.to_owned() });
        }
        Ok(Self { name: name.to_owned(), rows, left_out })
    }
}

/// Why a wide-table column is not a model, or `None` when it is one.
fn screen_column(t: &Table, c: usize) -> Option<LeftOutReason> {
    let lower = t.columns[c].trim().to_ascii_lowercase().replace([' ', '-', '.'], "_");
    let parts: Vec<&str> = lower.split('_').filter(|p| !p.is_empty()).collect();
    let top_k = parts.windows(2).any(|w| w[0] == "top" && w[1].parse::<u32>().is_ok());
    if top_k || AGGREGATE_NAMES.iter().any(|k| parts.contains(k)) {
        return Some(LeftOutReason::Aggregate);
    }
    let names_key = KEY_NAMES.iter().any(|k| {
        parts.contains(k) || (k.contains('_') && lower.contains(k)) || parts.first() == Some(k)
    }) || lower.starts_with("groundtruth")
        || lower.starts_with("gold");
    if names_key {
        return Some(LeftOutReason::CopiesKey);
    }
    if letter_share(t, c) < 0.9 {
        return Some(LeftOutReason::NotLetters);
    }
    None
}

/// Share of non-empty cells of a column that are one answer letter ("C" or "(C)").
fn letter_share(t: &Table, c: usize) -> f64 {
    let (mut n, mut ok) = (0usize, 0usize);
    for r in 0..t.n_rows() {
        let v = t.cell(r, c).trim();
        if v.is_empty() {
            continue;
        }
        n += 1;
        let v = v.trim_start_matches('(').trim_end_matches([')', '.']);
        let b = v.as_bytes();
        ok += usize::from(b.len() == 1 && b[0].is_ascii_uppercase());
    }
    if n == 0 {
        0.0
    } else {
        ok as f64 / n as f64
    }
}

/// lm-evaluation-harness `filtered_resps`: `[["-1.5", "False"], …]` (0.4.1 on, via
/// `sanitize_list`) or `[[-1.5, false], …]` (0.4.0); `resps` nests once more.
pub(crate) fn argmax_loglik(cell: &str) -> Option<usize> {
    let v: serde_json::Value = serde_json::from_str(cell).ok()?;
    let arr = v.as_array()?;
    let mut best: Option<(usize, f64)> = None;
    for (i, x) in arr.iter().enumerate() {
        let mut first = x;
        // `resps` wraps each pair in one more list: [[["-1.5", "False"]], …].
        while let Some(inner) = first.as_array().and_then(|a| a.first()) {
            first = inner;
        }
        let ll = first.as_f64().or_else(|| first.as_str().and_then(|s| s.trim().parse().ok()))?;
        if !ll.is_finite() && ll != f64::NEG_INFINITY {
            return None;
        }
        if best.is_none_or(|(_, b)| ll > b) {
            best = Some((i, ll));
        }
    }
    best.map(|(i, _)| i)
}

/// One sentence naming the columns left out of the model count, grouped by reason, or `None`
/// when every candidate column was a model.
pub fn left_out_note(left_out: &[LeftOut]) -> Option<String> {
    if left_out.is_empty() {
        return None;
    }
    let mut by_reason: std::collections::BTreeMap<LeftOutReason, Vec<&str>> =
        std::collections::BTreeMap::new();
    for l in left_out {
        let names = by_reason.entry(l.reason).or_default();
        if !names.contains(&l.column.as_str()) {
            names.push(&l.column);
        }
    }
    let parts: Vec<String> = by_reason
        .iter()
        .map(|(reason, names)| {
            const SHOWN: usize = 5;
            let mut shown = names.iter().take(SHOWN).copied().collect::<Vec<_>>().join(", ");
            if names.len() > SHOWN {
                shown.push_str(&format!(" and {} more", names.len() - SHOWN));
            }
            format!("{shown} ({})", reason.describe())
        })
        .collect();
    let n = by_reason.values().map(Vec::len).sum::<usize>();
    Some(format!(
        "{n} {} not counted as {}: {}.",
        if n == 1 { "column was" } else { "columns were" },
        if n == 1 { "a model" } else { "models" },
        parts.join("; ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn harness_loglikelihoods_in_both_encodings() {
        assert_eq!(
            argmax_loglik(r#"[["-3.1", "False"], ["-0.2", "True"], ["-5", "False"]]"#),
            Some(1)
        );
        assert_eq!(argmax_loglik(r#"[[-3.1, false], [-0.2, true], [-0.1, false]]"#), Some(2));
        assert_eq!(argmax_loglik(r#"[[["-3.1", "False"]], [["-4.2", "False"]]]"#), Some(0));
        assert_eq!(argmax_loglik(r#"[["x", "False"]]"#), None);
        assert_eq!(argmax_loglik("not json"), None);
    }

    #[test]
    fn only_letter_columns_from_runs_are_models() {
        let cols = [
            "question",
            "groundtruth_answer",
            "error_type",
            "m1",
            "m2",
            "majority_llm_pred_top_3",
            "gt_ratio_agreement_top_3",
            "binary_error_type",
            "gold",
        ];
        let mut t = Table::new(cols.map(String::from).to_vec());
        t.push_row(["q1", "0", "ok", "A", "B", "A", "0.5", "0", "A"], 2);
        t.push_row(["q2", "3", "wrong_groundtruth", "C", "C", "C", "0.0", "1", "D"], 3);
        let p = PredictionTable::from_table("helm.csv", &t).expect("models");
        let models: std::collections::BTreeSet<&str> =
            p.rows.iter().map(|r| r.model.as_str()).collect();
        assert_eq!(models.into_iter().collect::<Vec<_>>(), ["m1", "m2"]);
        let reasons: Vec<(&str, LeftOutReason)> =
            p.left_out.iter().map(|l| (l.column.as_str(), l.reason)).collect();
        assert_eq!(
            reasons,
            [
                ("groundtruth_answer", LeftOutReason::CopiesKey),
                ("majority_llm_pred_top_3", LeftOutReason::Aggregate),
                ("gt_ratio_agreement_top_3", LeftOutReason::Aggregate),
                ("binary_error_type", LeftOutReason::NotLetters),
                ("gold", LeftOutReason::CopiesKey),
            ]
        );
        let note = left_out_note(&p.left_out).expect("note");
        assert!(note.starts_with("5 columns were not counted as models: "), "{note}");
        assert!(note.contains("binary_error_type (holds no answer letters)"), "{note}");
    }
}
