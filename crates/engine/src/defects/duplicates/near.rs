//! Near duplicates: MinHash signatures over word 3-grams, banded into LSH buckets, each candidate
//! pair confirmed by its exact Jaccard similarity.

use std::collections::HashMap;

use super::{item_text, token_diff, DuplicateGroup, NearDuplicate, NearSettings};
use crate::defects::items::ItemSet;
use crate::defects::text::mix64;

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
pub(super) fn shingles(set: &ItemSet, i: usize, buf: &mut Vec<u64>) -> Vec<u64> {
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
pub(super) fn shingle_set(sh: &[u64]) -> Vec<u64> {
    let mut v = sh.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}

pub(super) fn jaccard(a: &[u64], b: &[u64]) -> f64 {
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
pub(super) const MAX_BUCKET_PAIRS: usize = 64;

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
