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

use super::items::ItemSet;
use super::text::normalize;
use crate::wording::counted;

pub use super::predictions::{
    left_out_note, LeftOut, LeftOutReason, Prediction, PredictionTable, PredictionsError,
};

/// A column agreeing with the key on every one of at least this many matched items is taken for
/// a copy of the key, not a model: no real model is perfect on a benchmark with wrong keys, and
/// one such column vetoes every flag of the default rule.
pub const KEY_COPY_MIN_ITEMS: usize = 20;

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
    /// Columns not counted as models (the files' own, plus any that copy the key), once per
    /// name and reason, in file and column order.
    #[serde(default)]
    pub left_out: Vec<LeftOut>,
    pub warnings: Vec<String>,
}

impl Disagreement {
    /// The sentence naming the columns left out, for the page and the CLI.
    pub fn left_out_note(&self) -> Option<String> {
        left_out_note(&self.left_out)
    }
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
    let mut left_out: Vec<LeftOut> = tables.iter().flat_map(|t| t.left_out.clone()).collect();
    drop_key_copies(set, tables, &mut answers, &mut models, &mut left_out);
    // Column order of the files (already deterministic) reads better than alphabetical.
    let mut seen = std::collections::BTreeSet::new();
    left_out.retain(|l| seen.insert((l.reason, l.column.clone())));
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
            "{} matched no item by id or question text; {} ignored.",
            counted(unmatched, "prediction row", "prediction rows"),
            if unmatched == 1 { "it was" } else { "they were" }
        ));
    }
    if unreadable > 0 {
        warnings.push(format!(
            "{} not a letter, index or option text of {} item; ignored.",
            counted(unreadable, "answer was", "answers were"),
            if unreadable == 1 { "its" } else { "their" }
        ));
    }
    Disagreement {
        models,
        matched_items: items.len(),
        unmatched,
        thresholds,
        items,
        left_out,
        warnings,
    }
}

/// Removes the models that chose the key on every one of at least [`KEY_COPY_MIN_ITEMS`] keyed
/// items (a key column under a model-like name, e.g. letters in `answer_letter`).
fn drop_key_copies(
    set: &ItemSet,
    tables: &[PredictionTable],
    answers: &mut BTreeMap<(usize, String), usize>,
    models: &mut Vec<String>,
    left_out: &mut Vec<LeftOut>,
) {
    let mut record: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for ((i, model), a) in answers.iter() {
        if let Some(key) = set.items.get(*i).and_then(|it| it.key) {
            let r = record.entry(model.as_str()).or_default();
            r.0 += 1;
            r.1 += usize::from(*a == key);
        }
    }
    let copies: Vec<String> = record
        .into_iter()
        .filter(|&(_, (n, agree))| n >= KEY_COPY_MIN_ITEMS && agree == n)
        .map(|(m, _)| m.to_owned())
        .collect();
    if copies.is_empty() {
        return;
    }
    answers.retain(|(_, m), _| !copies.contains(m));
    models.retain(|m| !copies.contains(m));
    for m in copies {
        let file = tables
            .iter()
            .find(|t| t.rows.iter().any(|p| p.model == m))
            .map_or_else(String::new, |t| t.name.clone());
        left_out.push(LeftOut { reason: LeftOutReason::CopiesKey, column: m, file });
    }
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
    use crate::table::Table;

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
        let empty = Table::new(vec!["question".into()]);
        assert!(PredictionTable::from_table("e.csv", &empty).is_err());
    }
}
