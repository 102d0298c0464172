//! Model disagreement: bring your own predictions. When at least k of m models agree on one
//! answer that is not the key (the "Platinum benchmarks" rule), the key is suspect; no surface
//! rule can see a wrong key, and this screen is cheap.
//!
//! Predictions come as a wide table (one column per model, like MMLU-Redux's HELM outputs), a
//! long table or JSONL (`item`/`id`/`question`, `model`, `answer`), or lm-evaluation-harness
//! per-sample JSONL (`doc_id`, `doc.question`, `filtered_resps`). They are matched to items by id
//! when both sides have one, else by normalised question text (plus the options when the
//! predictions carry them). A confident-learning-style score (normalised margin of the most
//! voted wrong answer over the key, against per-class thresholds) ranks every item.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::items::{parse_list, ItemSet};
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

/// All predictions of one file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PredictionTable {
    pub name: String,
    pub rows: Vec<Prediction>,
}

const ITEM_COLS: [&str; 7] = ["item", "item_id", "id", "question_id", "qid", "uid", "doc_id"];
const ANSWER_COLS: [&str; 7] =
    ["answer", "prediction", "pred", "predicted", "response", "output", "model_answer"];
const META_COLS: [&str; 12] = [
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
];

impl PredictionTable {
    /// Reads predictions out of a loaded table.
    pub fn from_table(name: &str, t: &Table) -> Result<Self, PredictionsError> {
        let find = |names: &[&str]| names.iter().find_map(|n| t.column_index(n));
        let question = find(&["question", "doc.question", "prompt"]);
        let choices = find(&["choices", "options", "doc.choices"]);
        let id = find(&ITEM_COLS);
        let mut rows = Vec::new();
        let cell = |r: usize, c: Option<usize>| {
            c.map(|c| t.cell(r, c).trim().to_owned()).filter(|s| !s.is_empty())
        };
        let options_of = |r: usize| {
            choices
                .and_then(|c| parse_list(t.cell(r, c)))
                .map(|o| o.iter().map(|x| normalize(x)).collect::<Vec<_>>().join("\u{1f}"))
        };
        if let Some(resps) = find(&["filtered_resps", "resps"]) {
            let model =
                name.rsplit(['/', '\\']).next().unwrap_or(name).split('.').next().unwrap_or(name);
            for r in 0..t.n_rows() {
                if let Some(best) = argmax_loglik(t.cell(r, resps)) {
                    rows.push(Prediction {
                        id: cell(r, id),
                        question: cell(r, question).map(|q| normalize(&q)),
                        options: options_of(r),
                        model: model.to_owned(),
                        answer: best.to_string(),
                    });
                }
            }
        } else if let (Some(model), Some(answer)) =
            (find(&["model", "model_name", "system"]), find(&ANSWER_COLS))
        {
            for r in 0..t.n_rows() {
                let a = t.cell(r, answer).trim();
                if a.is_empty() {
                    continue;
                }
                rows.push(Prediction {
                    id: cell(r, id),
                    question: cell(r, question).map(|q| normalize(&q)),
                    options: options_of(r),
                    model: t.cell(r, model).trim().to_owned(),
                    answer: a.to_owned(),
                });
            }
        } else {
            let model_cols: Vec<usize> = (0..t.n_cols())
                .filter(|&c| !META_COLS.iter().any(|m| t.columns[c].trim().eq_ignore_ascii_case(m)))
                .filter(|&c| answer_like_share(t, c) >= 0.9)
                .collect();
            for r in 0..t.n_rows() {
                for &c in &model_cols {
                    let a = t.cell(r, c).trim();
                    if a.is_empty() {
                        continue;
                    }
                    rows.push(Prediction {
                        id: cell(r, id),
                        question: cell(r, question).map(|q| normalize(&q)),
                        options: options_of(r),
                        model: t.columns[c].trim().to_owned(),
                        answer: a.to_owned(),
                    });
                }
            }
        }
        if rows.is_empty() {
            return Err(PredictionsError::NoAnswers { file: name.to_owned() });
        }
        Ok(Self { name: name.to_owned(), rows })
    }
}

/// Share of non-empty cells of a column that look like an answer letter or small index.
fn answer_like_share(t: &Table, c: usize) -> f64 {
    let (mut n, mut ok) = (0usize, 0usize);
    for r in 0..t.n_rows() {
        let v = t.cell(r, c).trim();
        if v.is_empty() {
            continue;
        }
        n += 1;
        let b = v.as_bytes();
        ok += usize::from(b.len() == 1 && (b[0].is_ascii_uppercase() || b[0].is_ascii_digit()));
    }
    if n == 0 {
        0.0
    } else {
        ok as f64 / n as f64
    }
}

/// lm-evaluation-harness `filtered_resps`: `[["-1.5", "False"], …]` or `[[-1.5, false], …]`.
fn argmax_loglik(cell: &str) -> Option<usize> {
    let v: serde_json::Value = serde_json::from_str(cell).ok()?;
    let arr = v.as_array()?;
    let mut best: Option<(usize, f64)> = None;
    for (i, x) in arr.iter().enumerate() {
        let first = x.as_array().and_then(|a| a.first()).unwrap_or(x);
        let ll = first.as_f64().or_else(|| first.as_str().and_then(|s| s.parse().ok()))?;
        if best.is_none_or(|(_, b)| ll > b) {
            best = Some((i, ll));
        }
    }
    best.map(|(i, _)| i)
}

/// Votes on one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemVotes {
    pub item: usize,
    /// Models choosing each option.
    pub votes: Vec<u32>,
    /// Models with a readable answer for this item.
    pub models: u32,
    /// The most chosen non-key option and how many chose it.
    pub top_other: Option<(usize, u32)>,
    /// Normalised margin: share for `top_other` minus share for the key (−1..1).
    pub margin: f64,
    /// Confident-learning rule: the top other option clears its class threshold while the key
    /// falls below its own.
    pub cl_issue: bool,
}

/// Matched predictions and what they say.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Disagreement {
    /// Models seen, sorted.
    pub models: Vec<String>,
    /// Items with at least one matched answer.
    pub matched_items: usize,
    /// Prediction rows that matched no item.
    pub unmatched: usize,
    /// Per-class confident-learning thresholds (mean share of the key's class among items keyed
    /// to it).
    pub thresholds: Vec<f64>,
    pub items: Vec<ItemVotes>,
    pub warnings: Vec<String>,
}

/// Matches predictions to items and counts votes.
pub fn tally(set: &ItemSet, tables: &[PredictionTable]) -> Disagreement {
    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_question: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, it) in set.items.iter().enumerate() {
        if it.tqa.is_some() {
            continue;
        }
        if let Some(id) = &it.id {
            by_id.entry(id.as_str()).or_default().push(i);
        }
        by_question.entry(normalize(&it.question)).or_default().push(i);
    }
    let options_key = |i: usize| {
        set.items[i].options.iter().map(|o| normalize(o)).collect::<Vec<_>>().join("\u{1f}")
    };
    // (item, model) → answer index; later files override earlier ones.
    let mut answers: BTreeMap<(usize, String), usize> = BTreeMap::new();
    let mut unmatched = 0usize;
    let mut unreadable = 0usize;
    let mut models: Vec<String> = Vec::new();
    for t in tables {
        for p in &t.rows {
            let mut targets: Vec<usize> =
                p.id.as_deref()
                    .and_then(|id| by_id.get(id))
                    .cloned()
                    .or_else(|| p.question.as_ref().and_then(|q| by_question.get(q)).cloned())
                    .unwrap_or_default();
            if targets.len() > 1 {
                if let Some(o) = &p.options {
                    targets.retain(|&i| &options_key(i) == o);
                }
            }
            if targets.is_empty() {
                unmatched += 1;
                continue;
            }
            if !models.contains(&p.model) {
                models.push(p.model.clone());
            }
            for i in targets {
                match answer_index(&p.answer, &set.items[i].options) {
                    Some(a) => {
                        answers.insert((i, p.model.clone()), a);
                    }
                    None => unreadable += 1,
                }
            }
        }
    }
    models.sort();
    let mut per_item: BTreeMap<usize, Vec<u32>> = BTreeMap::new();
    for ((i, _), a) in &answers {
        let v = per_item.entry(*i).or_insert_with(|| vec![0; set.items[*i].options.len()]);
        if let Some(slot) = v.get_mut(*a) {
            *slot += 1;
        }
    }
    let k_max = set.items.iter().map(|i| i.options.len()).max().unwrap_or(0);
    // Confident-learning thresholds per key class: mean vote share of the class among items
    // keyed to it.
    let mut sums = vec![(0.0f64, 0usize); k_max];
    for (&i, v) in &per_item {
        let m: u32 = v.iter().sum();
        if let (Some(key), true) = (set.items[i].key, m > 0) {
            sums[key].0 += f64::from(v[key]) / f64::from(m);
            sums[key].1 += 1;
        }
    }
    let thresholds: Vec<f64> =
        sums.iter().map(|&(s, n)| if n == 0 { 1.0 } else { s / n as f64 }).collect();
    let items = per_item
        .into_iter()
        .map(|(i, votes)| {
            let m: u32 = votes.iter().sum();
            let key = set.items[i].key;
            let top_other = votes
                .iter()
                .enumerate()
                .filter(|&(j, &c)| Some(j) != key && c > 0)
                .max_by_key(|&(j, &c)| (c, std::cmp::Reverse(j)))
                .map(|(j, &c)| (j, c));
            let share = |c: u32| if m == 0 { 0.0 } else { f64::from(c) / f64::from(m) };
            let key_share = key.map_or(0.0, |k| share(votes[k]));
            let margin = top_other.map_or(-key_share, |(_, c)| share(c) - key_share);
            let cl_issue = match (key, top_other) {
                (Some(k), Some((j, c))) => share(c) >= thresholds[j] && key_share < thresholds[k],
                _ => false,
            };
            ItemVotes { item: i, votes, models: m, top_other, margin, cl_issue }
        })
        .collect::<Vec<_>>();
    let mut warnings = Vec::new();
    if unmatched > 0 {
        warnings.push(format!(
            "{unmatched} prediction rows matched no item by id or question text; they were ignored."
        ));
    }
    if unreadable > 0 {
        warnings.push(format!(
            "{unreadable} answers were not a letter, index or option text of their item; ignored."
        ));
    }
    Disagreement { models, matched_items: items.len(), unmatched, thresholds, items, warnings }
}

/// A letter ("C", "(c)"), a 0-based index, or the option text itself.
fn answer_index(answer: &str, options: &[String]) -> Option<usize> {
    let a = answer.trim().trim_start_matches('(').trim_end_matches([')', '.']).trim();
    let b = a.as_bytes();
    if b.len() == 1 && b[0].is_ascii_alphabetic() {
        let i = usize::from(b[0].to_ascii_uppercase() - b'A');
        return (i < options.len()).then_some(i);
    }
    if let Some(i) = a.parse::<usize>().ok().filter(|&i| i < options.len()) {
        return Some(i);
    }
    let want = normalize(answer);
    options.iter().position(|o| normalize(o) == want)
}

/// Models that answered but did not choose the key.
pub fn missing(v: &ItemVotes, key: Option<usize>) -> u32 {
    v.models.saturating_sub(key.and_then(|k| v.votes.get(k).copied()).unwrap_or(0))
}

/// The share of answering models that must miss the key when neither threshold is set. Chosen by
/// leave-one-subject-out cross-validation on MMLU-Redux (14 models): every fold picked
/// "all of them" (BENCHMARKS.md, "Rules + predictions"); lower shares add many more hard items
/// that models get wrong together than wrong keys.
pub const DEFAULT_MIN_MISS_SHARE: f64 = 1.0;

/// Whether the disagreement screen flags an item.
///
/// Two thresholds, each optional; every one that is set must hold:
/// - `min_agree` = k: at least k models agree on one non-key answer (the "Platinum benchmarks"
///   k-of-m rule);
/// - `min_miss_share` = s: at least a share s of the answering models miss the key, whatever
///   they answer instead.
///
/// With neither set the default is `min_miss_share` = [`DEFAULT_MIN_MISS_SHARE`]: no model that
/// answered chose the key. At least two models must have answered either way, so one model's
/// mistake never flags an item.
pub fn rule_fires(
    v: &ItemVotes,
    key: Option<usize>,
    min_agree: Option<usize>,
    min_miss_share: Option<f64>,
) -> bool {
    if v.models < 2 || v.top_other.is_none() {
        return false;
    }
    let share = match (min_agree, min_miss_share) {
        (None, None) => Some(DEFAULT_MIN_MISS_SHARE),
        (_, s) => s,
    };
    let agree_ok = min_agree.is_none_or(|k| {
        v.top_other.is_some_and(|(_, c)| c >= u32::try_from(k.max(1)).unwrap_or(u32::MAX))
    });
    // Compare counts, not floats: "13 of 14 miss" against a share of 13/14 must hold exactly.
    let miss_ok = share.is_none_or(|s| {
        f64::from(missing(v, key)) >= (s.clamp(0.0, 1.0) * f64::from(v.models) - 1e-9).ceil()
    });
    agree_ok && miss_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items() -> ItemSet {
        let mut t =
            Table::new(["question", "A", "B", "C", "D", "answer"].map(String::from).to_vec());
        t.push_row(["What is 2+2?", "3", "4", "5", "6", "B"], 2);
        t.push_row(["Capital of France?", "Paris", "Rome", "Nice", "Lyon", "C"], 3);
        let mut s = ItemSet::default();
        s.add_table("x_test.csv", &t, None, None, None);
        s
    }

    #[test]
    fn wide_predictions_match_by_question() {
        let mut t = Table::new(["question", "m1", "m2", "m3"].map(String::from).to_vec());
        t.push_row(["what is 2+2", "B", "B", "A"], 2);
        t.push_row(["Capital of  France?", "A", "A", "C"], 3);
        t.push_row(["Unknown?", "A", "A", "A"], 4);
        let p = PredictionTable::from_table("p.csv", &t).expect("predictions");
        let d = tally(&items(), &[p]);
        assert_eq!(d.models, ["m1", "m2", "m3"]);
        assert_eq!(d.unmatched, 3);
        assert_eq!(d.items[1].votes, [2, 0, 1, 0]);
        // Item 1 (key C): two of three answer A, one answers the key.
        let key = |i: usize| items().items[i].key;
        assert!(!rule_fires(&d.items[1], key(1), None, None), "the key still has a vote");
        assert!(rule_fires(&d.items[1], key(1), Some(2), None), "2 of 3 agree on A");
        assert!(!rule_fires(&d.items[1], key(1), Some(3), None));
        assert!(rule_fires(&d.items[1], key(1), None, Some(0.6)), "2 of 3 miss");
        assert!(!rule_fires(&d.items[1], key(1), Some(2), Some(0.7)), "both must hold");
        assert!(!rule_fires(&d.items[0], key(0), Some(2), None));
        assert_eq!(missing(&d.items[1], key(1)), 2);
        assert!(d.items[1].margin > 0.0);
    }

    #[test]
    fn long_and_harness_predictions() {
        let mut t = Table::new(["question", "model", "answer"].map(String::from).to_vec());
        t.push_row(["What is 2+2?", "m1", "4"], 2);
        t.push_row(["What is 2+2?", "m2", "C"], 3);
        let p = PredictionTable::from_table("long.csv", &t).expect("long");
        let d = tally(&items(), &[p]);
        assert_eq!(d.items[0].votes, [0, 1, 1, 0]);
        assert_eq!(
            argmax_loglik(r#"[["-3.1", "False"], ["-0.2", "True"], ["-5", "False"]]"#),
            Some(1)
        );
        let empty = Table::new(vec!["question".into()]);
        assert!(PredictionTable::from_table("e.csv", &empty).is_err());
    }
}
