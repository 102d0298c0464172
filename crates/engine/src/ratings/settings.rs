//! What a rating analysis is asked to do. Serde-serialisable because these settings are the
//! page's URL state and cross the Web Worker boundary; every default names its reference.

use serde::{Deserialize, Serialize};

use super::filters::Filters;

/// Rating method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Bradley–Terry maximum likelihood on deduplicated counts (FastChat since 2024, arena-rank).
    #[default]
    Bt,
    /// Online Elo in timestamp order (FastChat `compute_elo`).
    Elo,
}

/// How ties (`tie`, `tie (bothbad)`, `both_bad`) enter the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TieRule {
    /// Half a win each: one row with outcome 0.5 (FastChat `preprocess_for_bt` since 2024-09).
    #[default]
    Half,
    /// Ties are removed before fitting.
    Drop,
    /// Davidson (1970) tie model: P(tie) = ν√(πᵢπⱼ) / (πᵢ + πⱼ + ν√(πᵢπⱼ)), ν fitted.
    Davidson,
}

/// How the confidence interval is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CiMethod {
    /// Percentiles of refits on multinomially resampled counts.
    #[default]
    Bootstrap,
    /// Closed-form H⁻¹GH⁻¹ covariance as arena-rank computes it.
    Sandwich,
    /// No interval.
    None,
}

/// Pins one model's rating; the others shift with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Anchor {
    pub model: String,
    pub rating: f64,
    /// When false, an absent model is not an error (the FastChat preset anchors its baseline
    /// "when present").
    pub required: bool,
}

/// Settings of one rating analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RatingsSettings {
    pub method: Method,
    pub ties: TieRule,
    pub anchor: Option<Anchor>,
    pub ci: CiMethod,
    /// Bootstrap rounds. 1000: FastChat's `elo_analysis.py --num-bootstrap` default in its
    /// published notebooks and the requirement.
    pub bootstrap_rounds: u32,
    /// Seed of every random draw (bootstrap). 42: FastChat's `np.random.seed(42)`.
    pub seed: u64,
    /// The 2023–24 FastChat / GenAI-Arena fit: duplicated battles, scikit-learn's default L2
    /// logistic regression (C = 1, lbfgs, tol 1e-4), llama-13b anchored at 800.
    pub legacy_l2: bool,
    /// Contextual Bradley–Terry with the four `conv_metadata` style features.
    pub style_control: bool,
    /// Weak prior for models without a finite MLE: each model plays this many virtual tie games
    /// against an average opponent. 0 = none (the MLE, as every reference computes it).
    pub prior_games: f64,
    /// Rating points per factor of `base` in odds. 400: Elo's and FastChat's scale.
    pub scale: f64,
    /// 10: FastChat `BASE`.
    pub base: f64,
    /// Mean rating of a graph without an anchor, and the Elo start. 1000: FastChat `INIT_RATING`.
    pub init_rating: f64,
    /// Online Elo step. 4: FastChat `compute_elo(K=4)`.
    pub elo_k: f64,
    pub filters: Filters,
    /// The numeric column whose values weight each battle (arena-rank's `weights`); None =
    /// every battle weighs 1. Left out of the serialised settings when None, so the page's
    /// share tokens of unweighted views are unchanged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weights: Option<String>,
    /// Threads for bootstrap rounds (0 = every core; default 1, which reports progress after
    /// every round; the CLI uses every core). Not part of the analysis: intervals are identical
    /// for any count (each round seeds from (seed, round)), so it stays out of the page's URL
    /// state; wasm32 always runs on one.
    #[serde(skip, default = "one_thread")]
    pub threads: usize,
}

fn one_thread() -> usize {
    1
}

impl Default for RatingsSettings {
    fn default() -> Self {
        Self {
            method: Method::Bt,
            ties: TieRule::Half,
            anchor: None,
            ci: CiMethod::Bootstrap,
            bootstrap_rounds: 1000,
            seed: 42,
            legacy_l2: false,
            style_control: false,
            prior_games: 0.0,
            scale: 400.0,
            base: 10.0,
            init_rating: 1000.0,
            elo_k: 4.0,
            filters: Filters::default(),
            weights: None,
            threads: 1,
        }
    }
}

/// FastChat's leaderboard baseline: `scale_and_offset(baseline_model="mixtral-8x7b-instruct-v0.1",
/// baseline_rating=1114)` in `fastchat/serve/monitor/rating_systems.py`.
pub const FASTCHAT_ANCHOR_MODEL: &str = "mixtral-8x7b-instruct-v0.1";
/// See [`FASTCHAT_ANCHOR_MODEL`].
pub const FASTCHAT_ANCHOR_RATING: f64 = 1114.0;
/// The 2023 FastChat `compute_mle_elo` calibration: "calibrate llama-13b to 800".
pub const LEGACY_ANCHOR_MODEL: &str = "llama-13b";
/// See [`LEGACY_ANCHOR_MODEL`].
pub const LEGACY_ANCHOR_RATING: f64 = 800.0;

impl RatingsSettings {
    /// Applies the "fastchat" preset: anchor `mixtral-8x7b-instruct-v0.1` at 1114 when present.
    pub fn with_fastchat_preset(mut self) -> Self {
        self.anchor = Some(Anchor {
            model: FASTCHAT_ANCHOR_MODEL.into(),
            rating: FASTCHAT_ANCHOR_RATING,
            required: false,
        });
        self
    }

    /// Rating points per natural-log unit of odds: scale / ln(base).
    pub fn points_per_logit(&self) -> f64 {
        self.scale / self.base.ln()
    }

    /// The anchor in effect: the user's, or llama-13b = 800 in legacy mode.
    pub fn effective_anchor(&self) -> Option<Anchor> {
        match (&self.anchor, self.legacy_l2) {
            (Some(a), _) => Some(a.clone()),
            (None, true) => Some(Anchor {
                model: LEGACY_ANCHOR_MODEL.into(),
                rating: LEGACY_ANCHOR_RATING,
                required: false,
            }),
            (None, false) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RatingsSettings;

    #[test]
    fn weights_enter_the_serialised_settings_only_when_set() {
        let plain = serde_json::to_string(&RatingsSettings::default()).expect("serialises");
        assert!(!plain.contains("weights"), "{plain}");
        let weighted =
            RatingsSettings { weights: Some("ipw".into()), ..RatingsSettings::default() };
        let text = serde_json::to_string(&weighted).expect("serialises");
        let back: RatingsSettings = serde_json::from_str(&text).expect("parses");
        assert_eq!(back.weights.as_deref(), Some("ipw"));
    }
}
