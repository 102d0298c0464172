//! Share links: the whole analysis state (view, where each dataset came from and how it was
//! read, every view's settings and selection) lives in the URL, so a link shows the receiver the
//! sender's numbers, bit for bit (same data, settings and seed; the engine is deterministic).
//!
//! - `location`: reads and writes the URL (readable query parameters + a compressed fragment).
//! - `sync`: keeps the URL in step with the page, restores a link on load, back/forward.
//! - `link`: the Copy-link button and the notes a link can produce.

pub mod link;
pub mod location;
pub mod sync;

use benchlens_engine::formats::LoadOptions;
use serde::{Deserialize, Serialize};

use crate::state::View;
use crate::views::defects::{DefectsShare, DefectsViewState};
use crate::views::judge::{JudgeShare, JudgeViewState};
use crate::views::ratings::{RatingsShare, RatingsViewState};
use crate::views::scaling::{ScalingShare, ScalingViewState};

/// Defined in `intake`, which records it for every load; a link carries it.
pub use crate::intake::source::DataSource;
/// Page state, so that intake can note a change a link depends on; re-exported for the link code.
pub use crate::state::{use_share, ShareContext};

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
