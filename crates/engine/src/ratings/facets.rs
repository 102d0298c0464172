//! What the battle logs hold, for the page's filter controls: languages, models, judges and
//! categories with their battle counts, the turn and date ranges.

use serde::{Deserialize, Serialize};

use crate::battles::Battles;

/// Values present in the battle logs, for the filter controls.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BattleFacets {
    /// (language, battles), most battles first.
    pub languages: Vec<(String, u64)>,
    pub models: Vec<String>,
    pub categories: Vec<String>,
    /// (category, battles tagged with it), sorted by name.
    #[serde(default)]
    pub category_counts: Vec<(String, u64)>,
    pub judges: usize,
    /// (judge, battles), most battles first; at most [`MAX_JUDGES_LISTED`].
    #[serde(default)]
    pub judge_counts: Vec<(String, u64)>,
    /// Battles of each model, in `models` order.
    #[serde(default)]
    pub model_battles: Vec<u64>,
    pub max_turn: u32,
    /// Unix seconds of the first and last battle, when timestamps exist.
    pub date_range: Option<(f64, f64)>,
    pub battles: u64,
    pub with_style: u64,
    pub has_anony: bool,
    /// Numeric side columns (what the Weights select offers), sorted.
    #[serde(default)]
    pub numeric_columns: Vec<String>,
}

/// Judges listed for the judge filter (a big log has hundreds of thousands).
pub const MAX_JUDGES_LISTED: usize = 2_000;

/// (name, battles) of an interned per-battle column (`ids` index `names`), without the unknown
/// `""` and unused names, most battles first, then by name; the first `limit` of them. A big log
/// has hundreds of thousands of judges: only the listed ones are sorted and their names copied
/// (sorting them all, names cloned, was half of the page's first leaderboard run at 3M battles).
pub(crate) fn most_battles_first(
    names: &[String],
    ids: &[u32],
    limit: usize,
) -> Vec<(String, u64)> {
    let mut counts = vec![0u64; names.len()];
    for &id in ids {
        if let Some(c) = counts.get_mut(id as usize) {
            *c += 1;
        }
    }
    let mut used: Vec<(&str, u64)> = names
        .iter()
        .zip(counts)
        .filter(|(name, n)| !name.is_empty() && *n > 0)
        .map(|(name, n)| (name.as_str(), n))
        .collect();
    // Names are distinct (interned), so this order is total and the top `limit` are the same
    // whichever way they are found.
    let order = |x: &(&str, u64), y: &(&str, u64)| y.1.cmp(&x.1).then_with(|| x.0.cmp(y.0));
    if used.len() > limit {
        used.select_nth_unstable_by(limit, order);
        used.truncate(limit);
    }
    used.sort_unstable_by(order);
    used.into_iter().map(|(name, n)| (name.to_owned(), n)).collect()
}

/// The facets of one (merged) battle log.
pub fn facets(b: &Battles) -> BattleFacets {
    let languages = most_battles_first(&b.languages, &b.language, usize::MAX);
    let mut per_model = vec![0u64; b.models.len()];
    for (&x, &y) in b.model_a.iter().zip(&b.model_b) {
        for m in [x, y] {
            if let Some(c) = per_model.get_mut(m as usize) {
                *c += 1;
            }
        }
    }
    let mut models: Vec<(String, u64)> = b.models.iter().cloned().zip(per_model).collect();
    models.sort();
    let (models, model_battles) = models.into_iter().unzip();
    let judge_counts = most_battles_first(&b.judges, &b.judge, MAX_JUDGES_LISTED);
    let mut categories = b.categories.clone();
    categories.sort();
    let mut per_category = vec![0u64; b.categories.len()];
    for &bits in &b.category_bits {
        // Only the set bits: most battles carry none or a few of up to 64 tags.
        let mut rest = bits;
        while rest != 0 {
            if let Some(c) = per_category.get_mut(rest.trailing_zeros() as usize) {
                *c += 1;
            }
            rest &= rest - 1;
        }
    }
    let mut category_counts: Vec<(String, u64)> =
        b.categories.iter().cloned().zip(per_category).collect();
    category_counts.sort();
    let times = b.tstamp.iter().copied().filter(|t| t.is_finite());
    let date_range = times.clone().fold(None, |acc: Option<(f64, f64)>, t| match acc {
        None => Some((t, t)),
        Some((lo, hi)) => Some((lo.min(t), hi.max(t))),
    });
    BattleFacets {
        languages,
        models,
        categories,
        category_counts,
        judges: b.judges.len().saturating_sub(1),
        judge_counts,
        model_battles,
        max_turn: b.turn.iter().copied().max().unwrap_or(0),
        date_range,
        battles: b.len() as u64,
        with_style: b.n_with_style as u64,
        has_anony: b.anony.iter().any(Option::is_some),
        numeric_columns: b.numeric_names(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listed_judges_are_the_head_of_the_full_order() {
        // Many ties in the counts, so the name decides much of the order; "" and an unused name
        // are left out.
        let names: Vec<String> = std::iter::once(String::new())
            .chain((0..500).map(|i| format!("judge_{i:03}")))
            .collect();
        let ids: Vec<u32> = (0..20_000u32).map(|i| (i * 7919 % 9973) % 499).collect();
        let all = most_battles_first(&names, &ids, usize::MAX);
        assert!(all.iter().all(|(name, n)| !name.is_empty() && *n > 0));
        assert!(all.windows(2).all(|w| w[0].1 > w[1].1 || (w[0].1 == w[1].1 && w[0].0 < w[1].0)));
        assert_eq!(all.len(), 498, "ids 1..=498 are used");
        for limit in [0, 1, 7, 100, 498, 1000] {
            let head = most_battles_first(&names, &ids, limit);
            assert_eq!(head[..], all[..limit.min(all.len())], "limit {limit}");
        }
    }
}
