//! Where a dataset came from: recorded by intake for every load and carried by share links,
//! so it lives here, below both.

use serde::{Deserialize, Serialize};

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
