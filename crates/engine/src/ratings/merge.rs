//! Several battle files rated as one: concatenates [`Battles`], re-interning names so ids stay
//! dense and every per-battle column keeps its meaning.

use std::collections::{BTreeMap, HashMap};

use crate::battles::Battles;

fn remap(names: &[String], target: &mut Vec<String>, index: &mut HashMap<String, u32>) -> Vec<u32> {
    names
        .iter()
        .map(|n| {
            *index.entry(n.clone()).or_insert_with(|| {
                target.push(n.clone());
                (target.len() - 1) as u32
            })
        })
        .collect()
}

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
        let mid = remap(&b.models, &mut out.models, &mut models);
        let lid = remap(&b.languages, &mut out.languages, &mut languages);
        let jid = remap(&b.judges, &mut out.judges, &mut judges);
        let mut cat_map = Vec::with_capacity(b.categories.len());
        for c in &b.categories {
            let idx = match out.categories.iter().position(|x| x == c) {
                Some(i) => Some(i),
                None if out.categories.len() < 64 => {
                    out.categories.push(c.clone());
                    Some(out.categories.len() - 1)
                }
                None => {
                    warnings.push(format!(
                        "category `{c}` dropped: more than 64 category tags across the files"
                    ));
                    None
                }
            };
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
        out.outcome.extend_from_slice(&b.outcome);
        out.tstamp.extend_from_slice(&b.tstamp);
        out.turn.extend_from_slice(&b.turn);
        out.anony.extend_from_slice(&b.anony);
        out.dedup_sampled.extend_from_slice(&b.dedup_sampled);
        out.style.extend_from_slice(&b.style);
        out.n_with_style += b.n_with_style;
        out.self_battles += b.self_battles;
        out.self_battle_rows.extend_from_slice(&b.self_battle_rows);
        for (w, n) in &b.unknown_winners {
            *unknown.entry(w.clone()).or_default() += n;
        }
    }
    out.unknown_winners = unknown.into_iter().collect();
    (out, warnings)
}
