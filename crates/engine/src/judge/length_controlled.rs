//! Length-controlled AlpacaEval win rates (Dubois et al. 2024, "Length-Controlled AlpacaEval").
//!
//! Judges prefer longer answers, so a model can buy win rate with verbosity. The LC win rate
//! answers "what would the judge prefer if both answers had the same length?": fit a logistic
//! GLM per model against the baseline, then predict with the length difference set to zero.
//!
//! Facts carried from tatsu-lab/alpaca_eval (`metrics/glm_winrate.py`, GLM `length_controlled_v1`):
//! - formula `tanh(std_delta_len) + instruction_difficulty + not_gamed_baseline − 1` (no
//!   intercept; the `not_gamed_baseline` indicator is the model's bias), where
//!   `std_delta_len = (len(output_1) − len(output_2)) / std(…)` over the model's own judgments,
//!   lengths in code points, std with ddof = 1;
//! - targets are the soft preferences (preference − 1, legacy 0 read as 1.5) fitted by
//!   cross-entropy; rows with no preference are left out of the fit;
//! - regularisation towards the baseline: the baseline's annotations against its own verbose and
//!   concise rewrites are added with `not_gamed_baseline = 0` and weight
//!   `regularize_to_baseline_lambda / 2` per row (λ = 0.2), sharing the length and difficulty
//!   coefficients with the model;
//! - LC win rate = mean over all the model's instructions of σ(w_diff · γ_i + w_bias) × 100, and
//!   its standard error is the `sem` (ddof = 1) of those per-instruction predictions × 100.
//!
//! Where benchlens differs (see docs/judge.md):
//! - instruction difficulty γ is estimated jointly from the loaded files (see `difficulty.rs`),
//!   not downloaded;
//! - the baseline's verbose/concise annotations are used when they are among the loaded files
//!   (models named `<baseline>_verbose`, `<baseline>_concise`, …); otherwise the regularisation
//!   rows are the other loaded models' judgments, each with its bias fixed at the joint fit's
//!   value, at the same total weight λ × (the model's judgments). With a single model loaded
//!   there is nothing to regularise towards and the fit is unregularised; with fewer than three
//!   models the difficulty term is dropped (γ would restate the model's own verdicts).
//! - the reference adds an L1 penalty whose strength is cross-validated over
//!   `logspace(-4, 4, 10)`; we fit the maximum-likelihood GLM with a 1e-6 ridge that only keeps
//!   it finite (along the L1 path the coefficients reach the unpenalised ones for C ≥ 2.8 on
//!   claude-2.1).

use serde::{Deserialize, Serialize};

use super::alpaca_eval::mean_and_sem;
use super::annotations::AlpacaAnnotations;
use super::difficulty::{fit_joint, Obs};
use super::glm::{fit, fit_from, Design, Quadratic};
use super::JudgeError;
use crate::stats::logistic::sigmoid;

/// Settings of the LC GLM.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LcSettings {
    /// Total weight of the regularisation rows relative to the model's own judgments.
    /// Source: alpaca_eval `GLM_INFO["length_controlled_v1"]["regularize_to_baseline_lambda"] = 0.2`.
    pub regularize_to_baseline_lambda: f64,
    /// Precision of the zero-mean Gaussian prior on instruction difficulty in the joint fit
    /// (benchlens' choice: a unit-variance prior on the logit scale).
    pub difficulty_ridge: f64,
    /// Include the instruction-difficulty term (the reference's `length_controlled_minimal` GLM
    /// leaves it out).
    pub instruction_difficulty: bool,
}

impl Default for LcSettings {
    fn default() -> Self {
        Self {
            regularize_to_baseline_lambda: 0.2,
            difficulty_ridge: 1.0,
            instruction_difficulty: true,
        }
    }
}

/// Where the regularisation rows came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum LcRegularization {
    /// The baseline's own rewrites were loaded (as the reference does).
    GamedBaseline { variants: Vec<String> },
    /// The other loaded models' judgments, biases fixed at the joint fit.
    PooledModels,
    /// Only one model loaded, or λ = 0.
    None,
}

/// One model's length-controlled result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LcModel {
    pub model: String,
    /// Percent.
    pub lc_win_rate: f64,
    /// Percent: sem of the per-instruction predictions (the reference's definition).
    pub lc_standard_error: f64,
    /// Raw win rate, percent, for the raw-vs-LC view.
    pub win_rate: f64,
    /// Coefficient of tanh(standardised baseline-minus-model length): negative when the judge
    /// rewards this model's extra length.
    pub length_coef: f64,
    /// Coefficient of instruction difficulty.
    pub difficulty_coef: f64,
    /// The model's bias (`not_gamed_baseline` coefficient).
    pub bias: f64,
    /// Standard deviation (ddof = 1) of baseline-minus-model length, in code points.
    pub delta_len_sd: f64,
    /// Judgments used in the fit (with a preference).
    pub n: u64,
    /// Base model for `_verbose` / `_concise` style variants, to show them side by side.
    pub variant_of: Option<String>,
}

/// LC results for every loaded model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LcResult {
    /// Sorted by LC win rate, highest first, then by name.
    pub models: Vec<LcModel>,
    /// γ per instruction, aligned with [`AlpacaAnnotations::instructions`]; the drill-down's
    /// predicted preference for model m on instruction i is σ(difficulty_coef · γ_i + bias).
    pub instruction_difficulty: Vec<f64>,
    pub regularization: LcRegularization,
    /// Sweeps the joint difficulty fit took.
    pub difficulty_sweeps: u32,
    /// False when the difficulty term was left out (asked for, or fewer than three models).
    pub difficulty_used: bool,
    pub settings: LcSettings,
}

impl LcResult {
    /// The GLM's length-controlled preference for `model` on instruction `instruction` (an index
    /// into [`AlpacaAnnotations::instructions`]): what the per-instruction drill-down shows next
    /// to the judge's raw preference. `None` for an unknown model or instruction.
    pub fn predicted_preference(&self, model: &str, instruction: usize) -> Option<f64> {
        let m = self.models.iter().find(|m| m.model == model)?;
        let gamma = *self.instruction_difficulty.get(instruction)?;
        Some(sigmoid(m.difficulty_coef * gamma + m.bias))
    }
}

/// Fewest non-baseline models for which instruction difficulty is estimated (benchlens' choice:
/// with three, each model's own verdicts are at most a third of what γ is fitted on).
const MIN_MODELS_FOR_DIFFICULTY: usize = 3;

/// Suffixes that mark a prompted variant of the same model in AlpacaEval's result names.
const VARIANT_SUFFIXES: [&str; 2] = ["_verbose", "_concise"];

fn variant_of(model: &str) -> Option<String> {
    VARIANT_SUFFIXES.iter().find_map(|s| model.strip_suffix(s)).map(str::to_owned)
}

/// Per-model features: (instruction, tanh(Δ/sd), preference in [0,1] if any).
struct ModelRows {
    rows: Vec<(u32, f64, Option<f64>)>,
    sd: f64,
}

fn model_rows(a: &AlpacaAnnotations) -> Vec<ModelRows> {
    let k = a.models.len();
    let mut deltas: Vec<Vec<(u32, f64, Option<f64>)>> = vec![Vec::new(); k];
    for j in &a.judgments {
        let d = f64::from(j.baseline_len) - f64::from(j.model_len);
        deltas[j.model as usize].push((j.instruction, d, j.preference.map(|p| p - 1.0)));
    }
    deltas
        .into_iter()
        .map(|rows| {
            let d: Vec<f64> = rows.iter().map(|r| r.1).collect();
            let (_, sem) = mean_and_sem(&d);
            let sd = sem * (d.len() as f64).sqrt();
            let scale = if sd.is_finite() && sd > 0.0 { sd } else { f64::INFINITY };
            ModelRows {
                rows: rows.into_iter().map(|(i, d, y)| (i, (d / scale).tanh(), y)).collect(),
                sd,
            }
        })
        .collect()
}

/// Fits the LC GLM for every model in `a`.
pub fn length_controlled(a: &AlpacaAnnotations, s: &LcSettings) -> Result<LcResult, JudgeError> {
    if !(s.regularize_to_baseline_lambda >= 0.0 && s.regularize_to_baseline_lambda.is_finite()) {
        return Err(JudgeError::BadSetting {
            what: "regularize_to_baseline_lambda",
            rule: "a finite number ≥ 0",
            value: s.regularize_to_baseline_lambda.to_string(),
        });
    }
    if !(s.difficulty_ridge > 0.0 && s.difficulty_ridge.is_finite()) {
        return Err(JudgeError::BadSetting {
            what: "difficulty_ridge",
            rule: "a finite number > 0",
            value: s.difficulty_ridge.to_string(),
        });
    }
    let k = a.models.len();
    let per_model = model_rows(a);
    let is_self: Vec<bool> = a.models.iter().map(|m| *m == a.baseline).collect();

    // Joint fit over every model that is not the baseline itself.
    let mut obs = Vec::with_capacity(a.judgments.len());
    for (m, mr) in per_model.iter().enumerate() {
        if is_self[m] {
            continue;
        }
        for &(i, t, y) in &mr.rows {
            if let Some(y) = y {
                obs.push(Obs { model: m as u32, instruction: i, t, y });
            }
        }
    }
    let joint = fit_joint(&obs, k, a.instructions.len(), s.difficulty_ridge);
    let fitted_models = (0..k).filter(|&m| !is_self[m]).count();
    // With one or two models, γ would mostly restate the fitted model's own verdicts and the
    // GLM would "explain" them with themselves; drop the term then, which is the reference's
    // `length_controlled_minimal` GLM.
    let difficulty_used = s.instruction_difficulty && fitted_models >= MIN_MODELS_FOR_DIFFICULTY;
    let gamma: Vec<f64> =
        if difficulty_used { joint.gamma.clone() } else { vec![0.0; a.instructions.len()] };

    let gamed: Vec<usize> = (0..k)
        .filter(|&m| {
            a.models[m].strip_prefix(a.baseline.as_str()).is_some_and(|rest| rest.starts_with('_'))
        })
        .collect();
    let fitted: Vec<usize> = (0..k).filter(|&m| !is_self[m]).collect();
    let regularization = if s.regularize_to_baseline_lambda == 0.0 {
        LcRegularization::None
    } else if !gamed.is_empty() {
        LcRegularization::GamedBaseline {
            variants: gamed.iter().map(|&m| a.models[m].clone()).collect(),
        }
    } else if fitted.len() > 1 {
        LcRegularization::PooledModels
    } else {
        LcRegularization::None
    };

    let pooled = (regularization == LcRegularization::PooledModels)
        .then(|| pooled_fit(&obs, &joint.bias, &gamma));
    let raw = super::alpaca_eval::alpaca_eval_leaderboard(a);
    let mut models = Vec::with_capacity(k);
    for m in 0..k {
        let mr = &per_model[m];
        let win_rate = raw.iter().find(|r| r.model == a.models[m]).map_or(f64::NAN, |r| r.win_rate);
        let n = mr.rows.iter().filter(|r| r.2.is_some()).count() as u64;
        if is_self[m] {
            // The reference's answer for the baseline against itself, by construction.
            models.push(LcModel {
                model: a.models[m].clone(),
                lc_win_rate: 50.0,
                lc_standard_error: 0.0,
                win_rate,
                length_coef: 0.0,
                difficulty_coef: 0.0,
                bias: 0.0,
                delta_len_sd: mr.sd,
                n,
                variant_of: variant_of(&a.models[m]),
            });
            continue;
        }
        let mut d = Design::<3>::with_capacity(mr.rows.len());
        for &(i, t, y) in &mr.rows {
            if let Some(y) = y {
                d.push([t, gamma[i as usize], 1.0], y, 1.0, 0.0);
            }
        }
        let lambda_total = s.regularize_to_baseline_lambda * n as f64;
        let mut quad: Option<Quadratic<3>> = None;
        match &regularization {
            LcRegularization::GamedBaseline { .. } => {
                let per_variant = lambda_total / gamed.len() as f64;
                for &g in &gamed {
                    let rows = &per_model[g].rows;
                    let used = rows.iter().filter(|r| r.2.is_some()).count().max(1) as f64;
                    for &(i, t, y) in rows {
                        if let Some(y) = y {
                            d.push([t, gamma[i as usize], 0.0], y, per_variant / used, 0.0);
                        }
                    }
                }
            }
            LcRegularization::PooledModels => {
                if let Some(p) = &pooled {
                    quad = Some(p.prior_for(m as u32, lambda_total, &obs, &joint.bias, &gamma));
                }
            }
            LcRegularization::None => {}
        }
        if n == 0 {
            // Nothing to fit: say so rather than predict the 50 % of an all-zero GLM.
            models.push(LcModel {
                model: a.models[m].clone(),
                lc_win_rate: f64::NAN,
                lc_standard_error: f64::NAN,
                win_rate,
                length_coef: f64::NAN,
                difficulty_coef: f64::NAN,
                bias: f64::NAN,
                delta_len_sd: mr.sd,
                n,
                variant_of: variant_of(&a.models[m]),
            });
            continue;
        }
        let mut w = fit(&d, 1e-6, quad.as_ref());
        if quad.is_some() {
            // The expansion is only exact near the pooled optimum: finish with exact Newton
            // steps on the real regularisation rows, from the approximate optimum (two or three
            // passes over them instead of a dozen).
            let others = obs.iter().filter(|o| o.model as usize != m).count().max(1);
            let weight = lambda_total / others as f64;
            for o in obs.iter().filter(|o| o.model as usize != m) {
                let bias = joint.bias[o.model as usize];
                d.push([o.t, gamma[o.instruction as usize], 0.0], o.y, weight, bias);
            }
            w = fit_from(&d, 1e-6, None, w);
        }
        let predictions: Vec<f64> =
            mr.rows.iter().map(|&(i, _, _)| sigmoid(w[1] * gamma[i as usize] + w[2])).collect();
        let (mean, sem) = mean_and_sem(&predictions);
        models.push(LcModel {
            model: a.models[m].clone(),
            lc_win_rate: mean * 100.0,
            lc_standard_error: sem * 100.0,
            win_rate,
            length_coef: w[0],
            difficulty_coef: w[1],
            bias: w[2],
            delta_len_sd: mr.sd,
            n,
            variant_of: variant_of(&a.models[m]),
        });
    }
    models.sort_by(|x, y| {
        super::descending_nan_last(x.lc_win_rate, y.lc_win_rate).then_with(|| x.model.cmp(&y.model))
    });
    Ok(LcResult {
        models,
        instruction_difficulty: gamma,
        regularization,
        difficulty_sweeps: joint.sweeps,
        difficulty_used,
        settings: s.clone(),
    })
}

/// The pooled judge behaviour: one length and one difficulty coefficient shared by every loaded
/// model, each model's bias fixed at the joint fit. Its log-likelihood (without the model's own
/// judgments) is what the regularisation rows add. Its second-order expansion around the pooled
/// optimum gives a cheap approximate fit from which exact Newton needs only two or three passes
/// over the regularisation rows: 50 models × 40,000 rows stays well under a second.
struct Pooled {
    center: [f64; 2],
    gradient: [f64; 2],
    hessian: [[f64; 2]; 2],
    rows: usize,
}

fn pooled_design(obs: &[Obs], bias: &[f64], gamma: &[f64], only: Option<u32>) -> Design<2> {
    let mut d = Design::<2>::with_capacity(obs.len());
    for o in obs.iter().filter(|o| only.is_none_or(|m| o.model == m)) {
        d.push([o.t, gamma[o.instruction as usize]], o.y, 1.0, bias[o.model as usize]);
    }
    d
}

fn pooled_fit(obs: &[Obs], bias: &[f64], gamma: &[f64]) -> Pooled {
    let d = pooled_design(obs, bias, gamma, None);
    let center = fit(&d, 1e-6, None);
    let (gradient, hessian) = d.gradient_hessian(&center);
    Pooled { center, gradient, hessian, rows: obs.len() }
}

impl Pooled {
    /// The regularisation penalty for model `m`: the pooled log-likelihood without `m`'s own
    /// judgments, scaled to total weight `lambda_total`, on (length, difficulty) only.
    fn prior_for(
        &self,
        m: u32,
        lambda_total: f64,
        obs: &[Obs],
        bias: &[f64],
        gamma: &[f64],
    ) -> Quadratic<3> {
        let own = pooled_design(obs, bias, gamma, Some(m));
        let (g_own, h_own) = own.gradient_hessian(&self.center);
        let others = self.rows.saturating_sub(own.x.len()).max(1) as f64;
        let scale = lambda_total / others;
        let mut q = Quadratic {
            center: [self.center[0], self.center[1], 0.0],
            linear: [0.0; 3],
            hessian: [[0.0; 3]; 3],
        };
        for (i, row) in h_own.iter().enumerate() {
            q.linear[i] = scale * (self.gradient[i] - g_own[i]);
            for (j, h) in row.iter().enumerate() {
                q.hessian[i][j] = scale * (self.hessian[i][j] - h);
            }
        }
        q
    }
}
