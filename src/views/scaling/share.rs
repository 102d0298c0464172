//! What of the scaling view goes into a share link, and back. The chosen table is stored by
//! its position in load order, since job ids are not stable across pages.

use benchlens_engine::scaling::{ColumnChoice, FitSettings};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{LossChoice, ScalingViewState};
use crate::jobs::protocol::JobId;

/// The scaling view's part of the link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScalingShare {
    /// Position of the chosen table among the loaded datasets.
    #[serde(default)]
    pub dataset: Option<usize>,
    #[serde(default)]
    pub columns: ColumnChoice,
    pub loss: LossChoice,
    pub delta: f64,
    pub fit: FitSettings,
    pub inference_law: String,
    #[serde(default)]
    pub target_loss: Option<f64>,
    pub inference_tokens: f64,
}

impl ScalingViewState {
    /// The current settings (tracked: a change rewrites the link).
    pub fn snapshot(&self, position_of: impl Fn(JobId) -> Option<usize>) -> ScalingShare {
        ScalingShare {
            dataset: self.dataset.get().and_then(position_of),
            columns: self.columns.get(),
            loss: self.loss.get(),
            delta: self.delta.get(),
            fit: self.fit.get(),
            inference_law: self.inference_law.get(),
            target_loss: self.target_loss.get(),
            inference_tokens: self.inference_tokens.get(),
        }
    }

    /// Applies a link's settings; `id_at` maps a load position to this page's dataset id.
    pub fn restore(&self, share: ScalingShare, id_at: impl Fn(usize) -> Option<JobId>) {
        self.dataset.set(share.dataset.and_then(id_at));
        self.columns.set(share.columns);
        self.loss.set(share.loss);
        self.delta.set(share.delta);
        self.fit.set(share.fit);
        self.inference_law.set(share.inference_law);
        self.target_loss.set(share.target_loss);
        self.inference_tokens.set(share.inference_tokens);
    }
}
