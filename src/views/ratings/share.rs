//! What of the ratings view goes into a share link, and back.

use benchlens_engine::ratings::RatingsSettings;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{CompareWith, RatingsViewState};

/// The ratings view's part of the link.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RatingsShare {
    pub settings: RatingsSettings,
    /// Links written before `compare` existed: a language subset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare_language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare: Option<CompareWith>,
}

impl RatingsShare {
    /// The comparison subset, from `compare` or, in older links, `compare_language`.
    pub fn comparison(&self) -> Option<CompareWith> {
        self.compare.clone().or_else(|| self.compare_language.clone().map(CompareWith::Language))
    }
}

impl RatingsViewState {
    /// The current settings (tracked: a change rewrites the link).
    pub fn snapshot(&self) -> RatingsShare {
        RatingsShare {
            settings: self.settings.get(),
            compare_language: None,
            compare: self.compare.get(),
        }
    }

    /// Applies a link's settings.
    pub fn restore(&self, share: RatingsShare) {
        self.compare.set(share.comparison());
        self.settings.set(share.settings);
    }
}

#[cfg(test)]
mod tests {
    use super::{CompareWith, RatingsShare};

    #[test]
    fn links_from_before_compare_still_open_their_language_subset() {
        let old: RatingsShare =
            serde_json::from_str(r#"{"settings":{},"compare_language":"English"}"#)
                .expect("parses");
        assert_eq!(old.comparison(), Some(CompareWith::Language("English".into())));
        let new = RatingsShare { compare: Some(CompareWith::Anonymous), ..RatingsShare::default() };
        let text = serde_json::to_string(&new).expect("serialises");
        assert!(!text.contains("compare_language"), "{text}");
        let back: RatingsShare = serde_json::from_str(&text).expect("parses");
        assert_eq!(back.comparison(), Some(CompareWith::Anonymous));
    }
}
