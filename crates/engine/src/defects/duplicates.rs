//! Duplicate items: exact (same normalised question and option set) and near (MinHash/LSH over
//! word 3-grams, confirmed by exact Jaccard). Duplicates inflate a benchmark and, across splits,
//! leak test items into training; duplicates whose keys disagree mean one of the keys is wrong.
//!
//! Shingles keep operators and digits as tokens of their own (see [`super::text::tokens`]), so
//! "√2+√3" and "√2·√3" do not collide. MinHash uses one-permutation hashing with rotation
//! densification (one hash per shingle rather than one per shingle and permutation), seeded, so
//! results are bit-identical run to run.

mod diff;
mod near;

pub use diff::token_diff;
pub use near::near_duplicates;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::items::ItemSet;
use super::text::{mix64, normalized_hash};
#[cfg(test)]
use near::{jaccard, shingle_set, shingles, MAX_BUCKET_PAIRS};

/// Where the members of a duplicate group live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    WithinFile,
    /// Different files of the same subject and split.
    AcrossFiles,
    AcrossSubjects,
    AcrossSplits,
}

/// Items that are the same after normalisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DuplicateGroup {
    /// Item indices, ascending.
    pub items: Vec<usize>,
    /// Every scope the group spans (a group can be within one file and across subjects at once).
    pub scopes: Vec<Scope>,
    /// True when members' keys point at different answer texts.
    pub key_conflict: bool,
}

/// One operation of a token diff from `a` to `b`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiffOp {
    Same(String),
    /// Only in `a`.
    Removed(String),
    /// Only in `b`.
    Added(String),
}

/// Two items that are nearly, but not exactly, the same.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearDuplicate {
    pub a: usize,
    pub b: usize,
    /// Exact Jaccard similarity of the two 3-gram sets.
    pub jaccard: f64,
    pub diff: Vec<DiffOp>,
}

/// Settings of the near-duplicate search.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NearSettings {
    /// Minimum exact Jaccard over word 3-grams to report a pair (default 0.9).
    pub threshold: f64,
    /// LSH bands × rows per band = MinHash signature length (default 12 × 6: a pair at Jaccard
    /// 0.9 becomes a candidate with probability 0.9999, at 0.5 with 0.17).
    pub bands: usize,
    pub rows: usize,
    pub seed: u64,
}

impl Default for NearSettings {
    fn default() -> Self {
        Self { threshold: 0.9, bands: 12, rows: 6, seed: 0x5eed }
    }
}

/// The text an item is compared by: question then options.
fn item_text(set: &ItemSet, i: usize) -> String {
    let it = &set.items[i];
    let mut s = it.question.clone();
    for o in &it.options {
        s.push('\n');
        s.push_str(o);
    }
    s
}

/// Exact-duplicate groups (question + option set, order-insensitive for options).
pub fn exact_groups(set: &ItemSet) -> Vec<DuplicateGroup> {
    let mut by_hash: HashMap<u64, Vec<usize>> = HashMap::new();
    let mut opts: Vec<u64> = Vec::new();
    for (i, it) in set.items.iter().enumerate() {
        opts.clear();
        opts.extend(it.options.iter().map(|o| normalized_hash(o, 1)));
        opts.sort_unstable();
        let key = opts.iter().fold(normalized_hash(&it.question, 0), |a, &o| mix64(a ^ o));
        by_hash.entry(key).or_default().push(i);
    }
    let mut groups: Vec<DuplicateGroup> = by_hash
        .into_values()
        .filter(|g| g.len() > 1)
        .map(|items| {
            let scopes = scopes(set, &items);
            let mut keys: Vec<u64> = items
                .iter()
                .filter_map(|&i| {
                    let it = &set.items[i];
                    it.key.and_then(|k| it.options.get(k)).map(|o| normalized_hash(o, 1))
                })
                .collect();
            keys.sort_unstable();
            keys.dedup();
            DuplicateGroup { items, scopes, key_conflict: keys.len() > 1 }
        })
        .collect();
    groups.sort_by_key(|g| g.items[0]);
    groups
}

fn scopes(set: &ItemSet, items: &[usize]) -> Vec<Scope> {
    let file = |i: usize| &set.files[set.items[i].file];
    let mut out = Vec::new();
    let mut per_file: HashMap<usize, usize> = HashMap::new();
    for &i in items {
        *per_file.entry(set.items[i].file).or_default() += 1;
    }
    if per_file.values().any(|&n| n > 1) {
        out.push(Scope::WithinFile);
    }
    if per_file.len() > 1 {
        let first = file(items[0]);
        let mut pushed_files = false;
        for &i in &items[1..] {
            let f = file(i);
            if f.split != first.split && !out.contains(&Scope::AcrossSplits) {
                out.push(Scope::AcrossSplits);
            }
            if f.subject != first.subject && !out.contains(&Scope::AcrossSubjects) {
                out.push(Scope::AcrossSubjects);
            }
            if f.subject == first.subject && f.split == first.split && f.name != first.name {
                pushed_files = true;
            }
        }
        if pushed_files {
            out.push(Scope::AcrossFiles);
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Table;

    fn set(rows: &[(&str, &str, [&str; 4], &str)]) -> ItemSet {
        let mut s = ItemSet::default();
        let mut by_file: Vec<(&str, Table)> = Vec::new();
        for (file, q, o, k) in rows {
            if !by_file.iter().any(|(f, _)| f == file) {
                by_file.push((
                    file,
                    Table::new(
                        ["question", "A", "B", "C", "D", "answer"].map(String::from).to_vec(),
                    ),
                ));
            }
            let t = &mut by_file.iter_mut().find(|(f, _)| f == file).expect("file").1;
            let line = t.n_rows() as u64 + 2;
            t.push_row([*q, o[0], o[1], o[2], o[3], *k], line);
        }
        for (f, t) in &by_file {
            s.add_table(
                f,
                t,
                crate::defects::items::subject_from_name(f),
                crate::defects::items::split_from_name(f),
                None,
            );
        }
        s
    }

    #[test]
    fn exact_groups_ignore_case_whitespace_and_option_order() {
        let s = set(&[
            ("a_test.csv", "What is  2+2?", ["3", "4", "5", "6"], "B"),
            ("b_test.csv", "what is 2+2", ["4", "3", "5", "6"], "A"),
            ("a_test.csv", "What is 2+3?", ["3", "4", "5", "6"], "C"),
            ("b_dev.csv", "What is 2+3?", ["3", "4", "5", "6"], "D"),
        ]);
        let g = exact_groups(&s);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].items, [0, 2]);
        assert!(!g[0].key_conflict);
        assert_eq!(g[0].scopes, [Scope::AcrossSubjects]);
        assert!(g[1].key_conflict);
        assert_eq!(g[1].scopes, [Scope::AcrossSubjects, Scope::AcrossSplits]);
    }

    #[test]
    fn near_duplicates_need_high_jaccard_and_keep_operators() {
        let long = "Let x be the sum of the first twenty positive integers that are divisible by three \
                    and by five in the usual sense, and let y be the product of the last seven odd \
                    primes below one hundred that are congruent to one modulo four. Assume that both \
                    numbers are written in base ten without leading zeros and that every digit \
                    counts once toward the total length of the resulting decimal string. Then";
        let s = set(&[
            ("a_test.csv", long, ["a", "b", "c", "d"], "A"),
            ("a_test.csv", &long.replace("seven", "eight"), ["a", "b", "c", "d"], "A"),
            ("a_test.csv", "Simplify √2+√3", ["1", "2", "3", "4"], "A"),
            ("a_test.csv", "Simplify √2·√3", ["1", "2", "3", "4"], "A"),
        ]);
        let g = exact_groups(&s);
        let mut buf = Vec::new();
        let j = jaccard(
            &shingle_set(&shingles(&s, 0, &mut buf)),
            &shingle_set(&shingles(&s, 1, &mut buf)),
        );
        assert!(j >= 0.9, "{j}");
        let near = near_duplicates(&s, &g, &NearSettings::default());
        assert_eq!(near.len(), 1, "{near:?}");
        assert_eq!((near[0].a, near[0].b), (0, 1));
        assert!(near[0].jaccard >= 0.9);
        assert!(near[0].diff.contains(&DiffOp::Added("eight".into())), "{:?}", near[0].diff);
    }

    #[test]
    fn huge_near_duplicate_clusters_stay_linear() {
        // 80 distinct alphabetic words, then a case number: pairs differ in 3 of ~88 shingles.
        let base: Vec<String> = (0..80u8)
            .map(|i| format!("{}{}x", (b'a' + i % 26) as char, (b'a' + i / 26) as char))
            .collect();
        let base = base.join(" ");
        let rows: Vec<(String, String)> =
            (0..400).map(|i| ("a_test.csv".to_owned(), format!("{base} case {i}"))).collect();
        let refs: Vec<(&str, &str, [&str; 4], &str)> =
            rows.iter().map(|(f, q)| (f.as_str(), q.as_str(), ["a", "b", "c", "d"], "A")).collect();
        let s = set(&refs);
        let near = near_duplicates(&s, &[], &NearSettings::default());
        let mut seen = vec![false; 400];
        for p in &near {
            seen[p.a] = true;
            seen[p.b] = true;
        }
        assert!(seen.iter().all(|&x| x));
        assert!(near.len() <= 400 * MAX_BUCKET_PAIRS * 12);
        assert!(near.len() < 400 * 399 / 2, "the cap must bind in this test");
    }

    /// LSH against brute force: every pair of five MMLU subjects (704 items, where the test split's
    /// near-duplicates live) with exact Jaccard ≥ 0.9 must be found, and nothing else.
    #[test]
    fn lsh_finds_every_pair_brute_force_finds() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples/mmlu/test/");
        let mut s = ItemSet::default();
        for subject in [
            "abstract_algebra",
            "college_computer_science",
            "college_physics",
            "high_school_european_history",
            "high_school_world_history",
        ] {
            let path = std::path::PathBuf::from(format!("{dir}{subject}_test.csv"));
            let parsed = crate::formats::load_path(&path, &Default::default()).expect("load");
            let t = parsed.table().expect("table");
            s.add_table(&parsed.summary.name, t, Some(subject.to_owned()), None, None);
        }
        assert_eq!(s.items.len(), 704);
        let groups = exact_groups(&s);
        let near = near_duplicates(&s, &groups, &NearSettings::default());
        let found: Vec<(usize, usize)> = near.iter().map(|p| (p.a, p.b)).collect();
        let mut skip = vec![false; s.items.len()];
        for g in &groups {
            for &i in &g.items[1..] {
                skip[i] = true;
            }
        }
        let mut buf = Vec::new();
        let sets: Vec<Vec<u64>> =
            (0..s.items.len()).map(|i| shingle_set(&shingles(&s, i, &mut buf))).collect();
        let mut brute = Vec::new();
        for a in 0..s.items.len() {
            for b in a + 1..s.items.len() {
                if !skip[a] && !skip[b] && jaccard(&sets[a], &sets[b]) >= 0.9 {
                    brute.push((a, b));
                }
            }
        }
        assert!(brute.len() >= 5, "{brute:?}");
        assert_eq!(found, brute);
    }

    #[test]
    fn diff_marks_changes() {
        let d = token_diff("the cat sat", "the dog sat");
        assert_eq!(
            d,
            [
                DiffOp::Same("the".into()),
                DiffOp::Removed("cat".into()),
                DiffOp::Added("dog".into()),
                DiffOp::Same("sat".into())
            ]
        );
    }
}
