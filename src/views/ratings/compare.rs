//! The second filter set of the Δ-rank comparison: the view's own filters plus one more
//! restriction (one language, anonymous battles, first turns, one category…), so "does this rank
//! survive if I keep only X?" is one pick away.

use benchlens_engine::ratings::{Filters, RatingsSettings};
use serde::{Deserialize, Serialize};

use crate::jobs::analysis::BattleFacets;

/// What the comparison subset keeps, on top of the view's filters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompareWith {
    /// Battles in this language.
    Language(String),
    /// Anonymous battles (the arena's leaderboard view).
    Anonymous,
    /// Single-turn conversations.
    FirstTurn,
    /// Conversations of two turns or more.
    MultiTurn,
    /// Battles whose `dedup_tag.sampled` is true.
    Deduplicated,
    /// Battles tagged with this category.
    Category(String),
    /// Decisive battles only (ties dropped).
    NoTies,
}

impl CompareWith {
    /// The comparison's settings: `base` narrowed by this restriction, through the same
    /// [`Filters::narrowed_by`] the CLI's `--compare` uses. The turn restrictions keep the other
    /// end of the view's range (and the stricter lower bound).
    pub fn apply(&self, base: &RatingsSettings) -> RatingsSettings {
        let now = &base.filters;
        let mut extra = Filters::default();
        match self {
            Self::Language(l) => extra.languages = vec![l.clone()],
            Self::Anonymous => extra.anony = Some(true),
            Self::FirstTurn => (extra.turn_min, extra.turn_max) = (now.turn_min, Some(1)),
            Self::MultiTurn => {
                (extra.turn_min, extra.turn_max) =
                    (Some(now.turn_min.unwrap_or(0).max(2)), now.turn_max)
            }
            Self::Deduplicated => extra.dedup_sampled = true,
            Self::Category(c) => extra.categories = vec![c.clone()],
            Self::NoTies => extra.exclude_ties = true,
        }
        RatingsSettings { filters: now.narrowed_by(&extra), ..base.clone() }
    }

    /// Option text.
    pub fn label(&self) -> String {
        match self {
            Self::Language(l) => format!("{l} only"),
            Self::Anonymous => "anonymous battles only".into(),
            Self::FirstTurn => "single-turn only".into(),
            Self::MultiTurn => "multi-turn only".into(),
            Self::Deduplicated => "deduplicated (sampled) only".into(),
            Self::Category(c) => format!("category {c} only"),
            Self::NoTies => "without ties".into(),
        }
    }

    /// `<select>` value.
    pub fn value(&self) -> String {
        match self {
            Self::Language(l) => format!("lang:{l}"),
            Self::Category(c) => format!("cat:{c}"),
            Self::Anonymous => "anony".into(),
            Self::FirstTurn => "turn1".into(),
            Self::MultiTurn => "multiturn".into(),
            Self::Deduplicated => "dedup".into(),
            Self::NoTies => "noties".into(),
        }
    }

    /// Inverse of [`Self::value`].
    pub fn parse(value: &str) -> Option<Self> {
        if let Some(l) = value.strip_prefix("lang:") {
            return Some(Self::Language(l.into()));
        }
        if let Some(c) = value.strip_prefix("cat:") {
            return Some(Self::Category(c.into()));
        }
        Some(match value {
            "anony" => Self::Anonymous,
            "turn1" => Self::FirstTurn,
            "multiturn" => Self::MultiTurn,
            "dedup" => Self::Deduplicated,
            "noties" => Self::NoTies,
            _ => return None,
        })
    }

    /// The choices the loaded logs support: languages (most battles first), then the other
    /// restrictions, then categories.
    pub fn options(facets: &BattleFacets) -> Vec<Self> {
        let mut out: Vec<Self> =
            facets.languages.iter().take(40).map(|(l, _)| Self::Language(l.clone())).collect();
        out.extend([
            Self::Anonymous,
            Self::FirstTurn,
            Self::MultiTurn,
            Self::Deduplicated,
            Self::NoTies,
        ]);
        out.extend(facets.category_counts.iter().map(|(c, _)| Self::Category(c.clone())));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::CompareWith;
    use benchlens_engine::ratings::RatingsSettings;

    #[test]
    fn values_round_trip_and_narrow_the_filters() {
        let all = [
            CompareWith::Language("English".into()),
            CompareWith::Category("math_v0.1.math".into()),
            CompareWith::Anonymous,
            CompareWith::FirstTurn,
            CompareWith::MultiTurn,
            CompareWith::Deduplicated,
            CompareWith::NoTies,
        ];
        for c in &all {
            assert_eq!(CompareWith::parse(&c.value()).as_ref(), Some(c));
        }
        assert_eq!(CompareWith::parse("lang:"), Some(CompareWith::Language(String::new())));
        assert_eq!(CompareWith::parse("nonsense"), None);
        let mut base = RatingsSettings::default();
        base.filters.turn_min = Some(3);
        base.filters.anony = Some(true);
        let multi = CompareWith::MultiTurn.apply(&base);
        assert_eq!(multi.filters.turn_min, Some(3), "keeps the stricter bound");
        assert_eq!(multi.filters.anony, Some(true), "keeps the view's filters");
        assert_eq!(CompareWith::FirstTurn.apply(&base).filters.turn_max, Some(1));
    }
}
