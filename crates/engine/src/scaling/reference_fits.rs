//! Published Approach-3 fits to overlay and to apply to a table of models.

use serde::{Deserialize, Serialize};

use super::objective::LawParams;

/// A published fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReferenceFit {
    /// Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models", eq. 10 (rounded).
    Hoffmann,
    /// The same fit with the unrounded values (Besiroglu et al. 2024, "Chinchilla Scaling: A
    /// replication attempt", recovered from Hoffmann et al.'s reported numbers).
    HoffmannUnrounded,
    /// Epoch AI's replication: Besiroglu et al. 2024, "Chinchilla Scaling: A replication attempt".
    Epoch,
}

impl ReferenceFit {
    pub const ALL: [ReferenceFit; 3] = [Self::Hoffmann, Self::HoffmannUnrounded, Self::Epoch];

    /// Stable id (CLI `--fit` value).
    pub fn id(self) -> &'static str {
        match self {
            Self::Hoffmann => "hoffmann",
            Self::HoffmannUnrounded => "hoffmann-unrounded",
            Self::Epoch => "epoch",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.id() == id)
    }

    /// Human label with its source.
    pub fn label(self) -> &'static str {
        match self {
            Self::Hoffmann => "Hoffmann et al. 2022 (published, rounded)",
            Self::HoffmannUnrounded => "Hoffmann et al. 2022 (unrounded)",
            Self::Epoch => "Epoch AI replication (Besiroglu et al. 2024)",
        }
    }

    /// The parameters.
    pub fn params(self) -> LawParams {
        match self {
            Self::Hoffmann => LawParams { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 },
            Self::HoffmannUnrounded => LawParams {
                E: 1.69337368,
                A: 406.401018,
                B: 410.722827,
                alpha: 0.33917084,
                beta: 0.2849083,
            },
            Self::Epoch => {
                LawParams { E: 1.8169, A: 482.01, B: 2085.43, alpha: 0.3478, beta: 0.3659 }
            }
        }
    }
}
