//! Duplicate items: exact (same normalised question and option set) and near (MinHash/LSH over
//! word 3-grams, confirmed by exact Jaccard). Duplicates inflate a benchmark and, across splits,
//! leak test items into training; duplicates whose keys disagree mean one of the keys is wrong.
//!
//! Shingles keep operators and digits as tokens of their own (see [`super::text::tokens`]), so
//! "√2+√3" and "√2·√3" do not collide. MinHash uses one-permutation hashing with rotation
//! densification (one hash per shingle rather than one per shingle and permutation), seeded, so
//! results are bit-identical run to run.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::items::ItemSet;
use super::text::{mix64, normalized_hash, tokens};

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

/// Appends the hashes of the tokens of `text`, computed without allocating token strings.
fn token_hashes(text: &str, out: &mut Vec<u64>) {
    let mut h: Option<u64> = None;
    let mut digit = false;
    const P: u64 = 0x0000_0100_0000_01b3;
    if text.is_ascii() {
        for &b in text.as_bytes() {
            if b.is_ascii_alphanumeric() {
                let d = b.is_ascii_digit();
                if let Some(v) = h {
                    if d != digit {
                        out.push(mix64(v));
                        h = None;
                    }
                }
                digit = d;
                let v = h.unwrap_or(0xcbf2_9ce4_8422_2325);
                h = Some((v ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(P));
            } else {
                if let Some(v) = h.take() {
                    out.push(mix64(v));
                }
                if !b.is_ascii_whitespace() {
                    out.push(mix64((0x8422_2325 ^ u64::from(b)).wrapping_mul(P)));
                }
            }
        }
        if let Some(v) = h {
            out.push(mix64(v));
        }
        return;
    }
    for c in text.chars() {
        if c.is_alphanumeric() {
            let d = c.is_ascii_digit();
            if let Some(v) = h {
                if d != digit {
                    out.push(mix64(v));
                    h = None;
                }
            }
            digit = d;
            let mut v = h.unwrap_or(0xcbf2_9ce4_8422_2325);
            for l in c.to_lowercase() {
                v = (v ^ u64::from(u32::from(l))).wrapping_mul(P);
            }
            h = Some(v);
        } else {
            if let Some(v) = h.take() {
                out.push(mix64(v));
            }
            if !c.is_whitespace() {
                out.push(mix64((0x8422_2325 ^ u64::from(u32::from(c))).wrapping_mul(P)));
            }
        }
    }
    if let Some(v) = h {
        out.push(mix64(v));
    }
}

/// Hashes of the word 3-grams (the whole token list when shorter), unsorted, with repeats.
fn shingles(set: &ItemSet, i: usize, buf: &mut Vec<u64>) -> Vec<u64> {
    let it = &set.items[i];
    buf.clear();
    token_hashes(&it.question, buf);
    for o in &it.options {
        token_hashes(o, buf);
    }
    if buf.len() < 3 {
        vec![buf.iter().fold(0u64, |a, &t| mix64(a.rotate_left(21) ^ t))]
    } else {
        buf.windows(3).map(|w| mix64(w[0] ^ w[1].rotate_left(21) ^ w[2].rotate_left(42))).collect()
    }
}

/// Sorted, deduplicated copy of a shingle list (the set exact Jaccard is computed on).
fn shingle_set(sh: &[u64]) -> Vec<u64> {
    let mut v = sh.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}

fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - inter;
    if union == 0 {
        1.0
    } else {
        inter as f64 / union as f64
    }
}

/// One-permutation MinHash with rotation densification.
fn signature(sh: &[u64], k: usize, seed: u64) -> Vec<u64> {
    let mut sig = vec![u64::MAX; k];
    let mut filled = vec![false; k];
    for &x in sh {
        let h = mix64(x ^ seed);
        // Bin from the high half by multiply-shift (no division); the full hash is the value.
        let bin = (((h >> 32) * k as u64) >> 32) as usize;
        if h < sig[bin] || !filled[bin] {
            sig[bin] = h;
            filled[bin] = true;
        }
    }
    // Rotation densification: an empty bin borrows from the next filled bin to its right
    // (circularly), mixed with the distance. One backward sweep, no division.
    let Some(first_filled) = filled.iter().position(|&f| f) else { return sig };
    let orig = sig.clone();
    // Position (possibly past the end, meaning "wrapped") of the next filled bin.
    let mut next = first_filled + k;
    for b in (0..k).rev() {
        if filled[b] {
            next = b;
        } else {
            let d = (next - b) as u64;
            let src = if next >= k { next - k } else { next };
            sig[b] = mix64(orig[src] ^ d.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        }
    }
    sig
}

/// Pairs each bucket member forms at most, per band (see [`near_duplicates`]).
const MAX_BUCKET_PAIRS: usize = 64;

/// Near-duplicate pairs among items that are not exact duplicates of each other (each exact group
/// takes part through its first member), sorted by (a, b).
pub fn near_duplicates(
    set: &ItemSet,
    groups: &[DuplicateGroup],
    s: &NearSettings,
) -> Vec<NearDuplicate> {
    let mut skip = vec![false; set.items.len()];
    for g in groups {
        for &i in &g.items[1..] {
            skip[i] = true;
        }
    }
    let k = s.bands.max(1) * s.rows.max(1);
    let mut buf = Vec::new();
    let reps: Vec<usize> = (0..set.items.len()).filter(|&i| !skip[i]).collect();
    let sh: Vec<Vec<u64>> = reps.iter().map(|&i| shingles(set, i, &mut buf)).collect();
    let mut candidates: Vec<(u32, u32)> = Vec::new();
    let mut keyed: Vec<(u64, u32)> = Vec::with_capacity(sh.len());
    let sigs: Vec<Vec<u64>> = sh.iter().map(|x| signature(x, k, s.seed)).collect();
    for band in 0..s.bands.max(1) {
        keyed.clear();
        for (r, sig) in sigs.iter().enumerate() {
            let part = &sig[band * s.rows..(band + 1) * s.rows];
            keyed.push((part.iter().fold(band as u64, |a, &v| mix64(a ^ v)), r as u32));
        }
        keyed.sort_unstable();
        for run in keyed.chunk_by(|a, b| a.0 == b.0) {
            // A huge bucket (thousands of templated items) would make a quadratic pair list; each
            // member is paired with the next MAX_BUCKET_PAIRS members only, which keeps memory
            // linear and still flags every member of such a cluster.
            for x in 0..run.len() {
                for y in x + 1..run.len().min(x + 1 + MAX_BUCKET_PAIRS) {
                    candidates.push((run[x].1, run[y].1));
                }
            }
        }
    }
    candidates.sort_unstable();
    candidates.dedup();
    let mut sets: HashMap<usize, Vec<u64>> = HashMap::new();
    let mut out = Vec::new();
    for (x, y) in candidates {
        let (x, y) = (x as usize, y as usize);
        // Signature agreement estimates Jaccard (sd ≈ 0.035 at 0.9 over 72 bins); far below the
        // threshold the exact comparison is not worth doing.
        let agree = sigs[x].iter().zip(&sigs[y]).filter(|(p, q)| p == q).count();
        if (agree as f64) < (s.threshold - 0.25) * k as f64 {
            continue;
        }
        for z in [x, y] {
            sets.entry(z).or_insert_with(|| shingle_set(&sh[z]));
        }
        let (sx, sy) = (&sets[&x], &sets[&y]);
        // J ≤ min/max of the set sizes.
        let (la, lb) = (sx.len() as f64, sy.len() as f64);
        if la.min(lb) / la.max(lb) < s.threshold {
            continue;
        }
        let j = jaccard(sx, sy);
        if j >= s.threshold {
            let (a, b) = (reps[x], reps[y]);
            out.push(NearDuplicate {
                a,
                b,
                jaccard: j,
                diff: token_diff(&item_text(set, a), &item_text(set, b)),
            });
        }
    }
    out.sort_by_key(|p| (p.a, p.b));
    out
}

/// Token-level diff (longest common subsequence after trimming the common prefix and suffix),
/// with runs of the same operation merged.
pub fn token_diff(a: &str, b: &str) -> Vec<DiffOp> {
    let ta = tokens(a);
    let tb = tokens(b);
    let pre = ta.iter().zip(&tb).take_while(|(x, y)| x == y).count();
    let suf =
        ta[pre..].iter().rev().zip(tb[pre..].iter().rev()).take_while(|(x, y)| x == y).count();
    let ma = &ta[pre..ta.len() - suf];
    let mb = &tb[pre..tb.len() - suf];
    let mut ops: Vec<(u8, &str)> = ta[..pre].iter().map(|t| (0, t.as_str())).collect();
    if ma.len() * mb.len() <= 4_000_000 {
        let (n, m) = (ma.len(), mb.len());
        let mut lcs = vec![0u32; (n + 1) * (m + 1)];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * (m + 1) + j] = if ma[i] == mb[j] {
                    lcs[(i + 1) * (m + 1) + j + 1] + 1
                } else {
                    lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && ma[i] == mb[j] {
                ops.push((0, &ma[i]));
                i += 1;
                j += 1;
            } else if i < n && (j == m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) {
                ops.push((1, &ma[i]));
                i += 1;
            } else {
                ops.push((2, &mb[j]));
                j += 1;
            }
        }
    } else {
        ops.extend(ma.iter().map(|t| (1, t.as_str())));
        ops.extend(mb.iter().map(|t| (2, t.as_str())));
    }
    ops.extend(ta[ta.len() - suf..].iter().map(|t| (0, t.as_str())));
    let mut out: Vec<DiffOp> = Vec::new();
    let mut cur: Option<(u8, String)> = None;
    for (op, t) in ops {
        match &mut cur {
            Some((o, s)) if *o == op => {
                s.push(' ');
                s.push_str(t);
            }
            _ => {
                if let Some((o, s)) = cur.take() {
                    out.push(make_op(o, s));
                }
                cur = Some((op, t.to_owned()));
            }
        }
    }
    if let Some((o, s)) = cur {
        out.push(make_op(o, s));
    }
    out
}

fn make_op(op: u8, s: String) -> DiffOp {
    match op {
        0 => DiffOp::Same(s),
        1 => DiffOp::Removed(s),
        _ => DiffOp::Added(s),
    }
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
