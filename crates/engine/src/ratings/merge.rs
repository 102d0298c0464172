//! Several battle files rated as one: concatenates [`Battles`], re-interning names so ids stay
//! dense and every per-battle column keeps its meaning.

use std::collections::{BTreeMap, HashMap};

use crate::battles::{category_index, reintern, Battles};

/// Concatenates battle logs in the given order. Returns the merged log and warnings (category
/// tags beyond the 64 a log can hold are dropped, and said so).
pub fn concat(parts: &[&Battles]) -> (Battles, Vec<String>) {
    let mut out = Battles::default();
    let (mut models, mut languages, mut judges) = (HashMap::new(), HashMap::new(), HashMap::new());
    // The unknown language and judge stay id 0, as the loader guarantees.
    out.languages.push(String::new());
    languages.insert(String::new(), 0);
    out.judges.push(String::new());
    judges.insert(String::new(), 0);
    let mut unknown: BTreeMap<String, u64> = BTreeMap::new();
    let mut warnings = Vec::new();
    for b in parts {
        let mid = reintern(&mut models, &mut out.models, &b.models);
        let lid = reintern(&mut languages, &mut out.languages, &b.languages);
        let jid = reintern(&mut judges, &mut out.judges, &b.judges);
        let mut cat_map = Vec::with_capacity(b.categories.len());
        for c in &b.categories {
            let idx = category_index(&mut out.categories, c);
            if idx.is_none() {
                warnings.push(format!(
                    "category `{c}` dropped: more than 64 category tags across the files"
                ));
            }
            cat_map.push(idx);
        }
        for i in 0..b.len() {
            out.model_a.push(mid[b.model_a[i] as usize]);
            out.model_b.push(mid[b.model_b[i] as usize]);
            out.language.push(lid[b.language[i] as usize]);
            out.judge.push(jid[b.judge[i] as usize]);
            let mut bits = 0u64;
            for (k, target) in cat_map.iter().enumerate() {
                if let Some(t) = target {
                    if b.category_bits[i] & (1 << k) != 0 {
                        bits |= 1 << t;
                    }
                }
            }
            out.category_bits.push(bits);
        }
        out.append_plain_columns(b);
        for (w, n) in &b.unknown_winners {
            *unknown.entry(w.clone()).or_default() += n;
        }
    }
    out.unknown_winners = unknown.into_iter().collect();
    (out, warnings)
}
