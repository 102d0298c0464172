//! What of the ratings view goes into a share link, and back.

use benchlens_engine::ratings::RatingsSettings;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::RatingsViewState;

/// The ratings view's part of the link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingsShare {
    pub settings: RatingsSettings,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare_language: Option<String>,
}

impl RatingsViewState {
    /// The current settings (tracked: a change rewrites the link).
    pub fn snapshot(&self) -> RatingsShare {
        RatingsShare {
            settings: self.settings.get(),
            compare_language: self.compare_language.get(),
        }
    }

    /// Applies a link's settings.
    pub fn restore(&self, share: RatingsShare) {
        self.settings.set(share.settings);
        self.compare_language.set(share.compare_language);
    }
}
