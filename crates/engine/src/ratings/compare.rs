//! Subset comparison: the same battles under two filter sets (say all vs English only), as a
//! Δ-rank table and slope chart, and an overview of every model's rank per language.

use serde::{Deserialize, Serialize};

use crate::battles::Battles;

use super::error::RatingsError;
use super::facets::most_battles_first;
use super::results::RatingsResult;
use super::settings::RatingsSettings;
use super::{rate, RatingsInput};

/// One model on both sides of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonRow {
    pub model: String,
    pub rating_a: Option<f64>,
    pub rank_a: Option<u32>,
    pub rating_b: Option<f64>,
    pub rank_b: Option<u32>,
    /// rank_a − rank_b (Rank (UB)): positive means the model ranks better in subset b.
    pub delta_rank: Option<i64>,
}

/// Two analyses of the same input and their per-model differences.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub a: RatingsResult,
    pub b: RatingsResult,
    /// Sorted by rank in a (models only in b last), then name.
    pub rows: Vec<ComparisonRow>,
}

/// Rates the input under `a` and `b` and lines the models up.
pub fn compare(
    input: RatingsInput<'_>,
    a: &RatingsSettings,
    b: &RatingsSettings,
) -> Result<Comparison, RatingsError> {
    Ok(line_up(rate(input, a)?, rate(input, b)?))
}

/// Lines up two finished analyses of the same input (what [`compare`] does after rating both).
pub fn line_up(ra: RatingsResult, rb: RatingsResult) -> Comparison {
    let mut models: Vec<&str> =
        ra.ratings.iter().chain(&rb.ratings).map(|r| r.model.as_str()).collect();
    models.sort();
    models.dedup();
    let mut rows: Vec<ComparisonRow> = models
        .into_iter()
        .map(|m| {
            let x = ra.rating_of(m);
            let y = rb.rating_of(m);
            ComparisonRow {
                model: m.to_owned(),
                rating_a: x.map(|r| r.rating),
                rank_a: x.map(|r| r.rank_ub),
                rating_b: y.map(|r| r.rating),
                rank_b: y.map(|r| r.rank_ub),
                delta_rank: match (x, y) {
                    (Some(x), Some(y)) => Some(x.rank_ub as i64 - y.rank_ub as i64),
                    _ => None,
                },
            }
        })
        .collect();
    rows.sort_by(|x, y| {
        x.rank_a
            .unwrap_or(u32::MAX)
            .cmp(&y.rank_a.unwrap_or(u32::MAX))
            .then_with(|| x.model.cmp(&y.model))
    });
    Comparison { a: ra, b: rb, rows }
}

/// Each model's Rank (UB) in each language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LanguageOverview {
    pub languages: Vec<String>,
    /// Battles per language (after the other filters).
    pub battles: Vec<u64>,
    /// Sorted by name.
    pub models: Vec<String>,
    /// `ranks[model][language]`; None when the model has no rating in that language.
    pub ranks: Vec<Vec<Option<u32>>>,
    /// Languages that could not be rated, with the reason.
    pub skipped: Vec<(String, String)>,
}

/// Rates each language on its own (the settings' other filters still apply). With an empty
/// `languages`, every language with at least `min_battles` battles is used, most battles first.
pub fn ranks_by_language(
    battles: &Battles,
    s: &RatingsSettings,
    languages: &[String],
    min_battles: u64,
) -> Result<LanguageOverview, RatingsError> {
    let chosen: Vec<String> = if languages.is_empty() {
        most_battles_first(&battles.languages, &battles.language, usize::MAX)
            .into_iter()
            .filter(|(_, n)| *n >= min_battles.max(1))
            .map(|(language, _)| language)
            .collect()
    } else {
        languages.to_vec()
    };
    let input = RatingsInput { battles: Some(battles), pair_counts: None };
    let mut results = Vec::new();
    let mut skipped = Vec::new();
    for lang in &chosen {
        let mut settings = s.clone();
        settings.filters.languages = vec![lang.clone()];
        match rate(input, &settings) {
            Ok(r) => results.push((lang.clone(), r)),
            Err(e) => skipped.push((lang.clone(), e.to_string())),
        }
    }
    let mut models: Vec<String> =
        results.iter().flat_map(|(_, r)| r.ratings.iter().map(|x| x.model.clone())).collect();
    models.sort();
    models.dedup();
    let ranks = models
        .iter()
        .map(|m| results.iter().map(|(_, r)| r.rating_of(m).map(|x| x.rank_ub)).collect())
        .collect();
    Ok(LanguageOverview {
        languages: results.iter().map(|(l, _)| l.clone()).collect(),
        battles: results.iter().map(|(_, r)| r.battles_used).collect(),
        models,
        ranks,
        skipped,
    })
}
