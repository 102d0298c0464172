//! Share links: the whole analysis state (view, where each dataset came from and how it was
//! read, every view's settings and selection) lives in the URL, so a link shows the receiver the
//! sender's numbers, bit for bit (same data, settings and seed; the engine is deterministic).
//!
//! - `location`: reads and writes the URL (readable query parameters + a compressed fragment).
//! - `sync`: keeps the URL in step with the page, restores a link on load, back/forward.
//! - `link`: the Copy-link button, the notes a link can produce, and embedding small files.

pub mod link;
pub mod location;
pub mod sync;

use benchlens_engine::formats::LoadOptions;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::views::defects::{DefectsShare, DefectsViewState};
use crate::views::judge::{JudgeShare, JudgeViewState};
use crate::views::ratings::{RatingsShare, RatingsViewState};
use crate::views::scaling::{ScalingShare, ScalingViewState};
use crate::views::View;

/// Where a dataset came from, as far as a link can say.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum DataSource {
    /// A file of a bundled sample set (`samples/index.json`).
    Sample { set: String, file: String },
    /// Fetched from a URL (`?data=`).
    Url { url: String },
    /// A small file embedded in the link itself (opt-in, ≤ 64 KB compressed).
    Inline { name: String, text: String },
    /// Dropped, picked or pasted by the sender: not in the link; the receiver is told.
    Local { name: String },
}

impl DataSource {
    /// File name to show.
    pub fn name(&self) -> &str {
        match self {
            Self::Sample { file, .. } => file.rsplit('/').next().unwrap_or(file),
            Self::Url { url } => {
                let path = url.split(['?', '#']).next().unwrap_or(url);
                path.trim_end_matches('/').rsplit('/').next().unwrap_or(url)
            }
            Self::Inline { name, .. } | Self::Local { name } => name,
        }
    }
}

/// One dataset of a link, with the options it was read with (kind, column mapping).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedDataset {
    #[serde(flatten)]
    pub source: DataSource,
    #[serde(default, skip_serializing_if = "is_default")]
    pub options: LoadOptions,
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// Everything a link carries. Views whose settings are the defaults are left out, so links
/// stay short; the fields are optional so older links still open.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ShareState {
    /// Format version, for a future migration.
    #[serde(default)]
    pub v: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<View>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data: Vec<SharedDataset>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratings: Option<RatingsShare>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaling: Option<ScalingShare>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defects: Option<DefectsShare>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub judge: Option<JudgeShare>,
}

impl ShareState {
    /// Nothing to say: the page as it opens.
    pub fn is_empty(&self) -> bool {
        self.view.is_none()
            && self.data.is_empty()
            && self.ratings.is_none()
            && self.scaling.is_none()
            && self.defects.is_none()
            && self.judge.is_none()
    }
}

/// Current link format.
pub const SHARE_VERSION: u32 = 1;

/// Every view's state, held by the app so it outlives tab switches and can be linked.
#[derive(Clone, Copy)]
pub struct ViewStates {
    pub ratings: RatingsViewState,
    pub scaling: ScalingViewState,
    pub defects: DefectsViewState,
    pub judge: JudgeViewState,
}

/// Link-related page state: messages for the user and a counter bumped when something a
/// link depends on changes outside any signal (embedding a file).
#[derive(Clone, Copy)]
pub struct ShareContext {
    pub notes: RwSignal<Vec<String>>,
    pub revision: RwSignal<u64>,
}

impl ShareContext {
    /// Fresh context.
    pub fn new() -> Self {
        Self { notes: RwSignal::new(Vec::new()), revision: RwSignal::new(0) }
    }

    /// Something the link depends on changed.
    pub fn touch(&self) {
        self.revision.update(|r| *r = r.wrapping_add(1));
    }
}

impl Default for ShareContext {
    fn default() -> Self {
        Self::new()
    }
}

/// The context (provided by `App`).
pub fn use_share() -> ShareContext {
    expect_context::<ShareContext>()
}
