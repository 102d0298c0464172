//! The Approach-3 pipeline on a scaling table: select points, drop outliers on request, fit,
//! bootstrap, derive allocation and frontier, and flag what not to trust.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::allocation::{at_compute, compute_grid, AllocationLaw, AllocationPoint};
use super::bootstrap::{bootstrap_async, interval, BootstrapDraws, DEFAULT_ROUNDS};
use super::diagnostics::{high_loss_outliers, interval_flags, outlier_flag, Outliers};
use super::fit::fit_points_async;
use super::flags::{count_flag, parameter_flags, Flag};
use super::lbfgs::{LbfgsOptions, Stop};
use super::objective::{log_prediction, LawParams, LossKind, Points};
use super::starts::StartMode;
use super::table::ScalingData;
use super::ScalingError;
use crate::progress::{block_on, Tick, Ticker};

/// Settings of an Approach-3 fit (also the URL state of the scaling view).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FitSettings {
    pub loss: LossKind,
    pub starts: StartMode,
    /// Drop the K highest-loss points before fitting (Epoch AI's replication drops 5).
    pub drop_top: usize,
    /// Bootstrap rounds; 0 disables intervals.
    pub bootstrap: usize,
    pub seed: u64,
}

impl Default for FitSettings {
    fn default() -> Self {
        Self {
            loss: LossKind::default(),
            starts: StartMode::Varpro,
            drop_top: 0,
            bootstrap: DEFAULT_ROUNDS,
            seed: 0,
        }
    }
}

/// Fewest points we fit 5 parameters to at all.
pub const MIN_POINTS: usize = 5;

/// One input point with its fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitPoint {
    pub name: String,
    pub line: u64,
    pub params: f64,
    pub tokens: f64,
    pub compute: f64,
    pub loss: f64,
    pub predicted: f64,
    /// ln(predicted) − ln(loss).
    pub log_residual: f64,
    /// Dropped by --drop-top (not in the fit).
    pub dropped: bool,
}

/// Everything the scaling view and `benchlens scaling fit` show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LawFit {
    pub params: LawParams,
    /// Unscaled Σ ρ(rᵢ) over the fitted points (Huber: r²/2 for |r| ≤ δ, else δ(|r| − δ/2)).
    pub objective: f64,
    /// 95 % bootstrap intervals of E, A, B, alpha, beta and of a, b, G; empty without bootstrap.
    pub ci: BTreeMap<String, [f64; 2]>,
    /// N_opt, D_opt, tokens per parameter and frontier loss across compute (with bands).
    pub allocation: Vec<AllocationPoint>,
    pub flags: Vec<Flag>,
    pub allocation_law: Option<AllocationLaw>,
    pub points: Vec<FitPoint>,
    pub n_points: usize,
    pub settings: FitSettings,
    pub iterations: usize,
    pub starts: usize,
    pub stop: Stop,
    pub bootstrap_rounds: usize,
    pub bootstrap_failed: usize,
    /// Bootstrap θ = (ln A, ln B, ln E, α, β) per round, for bands the view draws itself.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub bootstrap_thetas: Vec<[f64; 5]>,
    /// High-loss outliers among the fitted points and the fit without them (see
    /// [`super::diagnostics`]); None when no point sits far above the law.
    #[serde(default)]
    pub outliers: Option<Outliers>,
}

/// Fits the law with no progress reporting.
pub fn fit_law(data: &ScalingData, settings: &FitSettings) -> Result<LawFit, ScalingError> {
    fit_law_with_progress(data, settings, &mut |_, _| true)
}

/// Fits the law; `progress(done, total)` follows the bootstrap and may cancel it.
pub fn fit_law_with_progress(
    data: &ScalingData,
    settings: &FitSettings,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<LawFit, ScalingError> {
    block_on(fit_law_async(data, settings, &mut bootstrap_ticker(progress)))
}

/// A ticker for the older synchronous callback, which follows the bootstrap only:
/// `progress(done, total)`, false to stop.
pub fn bootstrap_ticker<'a>(progress: &'a mut dyn FnMut(usize, usize) -> bool) -> Ticker<'a> {
    Ticker::new(move |stage, d, t| {
        // The older callback follows the bootstrap only.
        if stage != "bootstrap" {
            return Tick::Continue;
        }
        let keep_going = progress(
            usize::try_from(d).unwrap_or(usize::MAX),
            usize::try_from(t).unwrap_or(usize::MAX),
        );
        if keep_going {
            Tick::Continue
        } else {
            Tick::Stop
        }
    })
}

/// [`fit_law`] as a computation that can pause (see [`crate::progress`]): the ticker hears the
/// full-grid starts ("grid starts", stopping there fails with [`ScalingError::Cancelled`]) and
/// the bootstrap rounds ("bootstrap", stopping there keeps the rounds done, as
/// [`fit_law_with_progress`], unless the ticker also says stop when asked about "intervals"
/// right after: then [`ScalingError::Cancelled`]). Between the two, the refit without high-loss
/// outliers ("outliers", then its own "grid starts" in full-grid mode; a stop during that refit
/// only drops the outlier report). Same numbers however often it pauses.
pub async fn fit_law_async(
    data: &ScalingData,
    settings: &FitSettings,
    ticker: &mut Ticker<'_>,
) -> Result<LawFit, ScalingError> {
    if let LossKind::Huber { delta } = settings.loss {
        if !(delta > 0.0 && delta.is_finite()) {
            return Err(ScalingError::BadDelta(delta));
        }
    }
    if data.columns.loss.is_none() {
        return Err(ScalingError::NoLossColumn { columns: data.table_columns.join(", ") });
    }
    let mut usable: Vec<FitPoint> = data
        .rows
        .iter()
        .filter_map(|r| {
            let (n, d, l) = (r.params?, r.tokens?, r.loss?);
            Some(FitPoint {
                name: r.name.clone(),
                line: r.line,
                params: n,
                tokens: d,
                compute: r.compute.unwrap_or(6.0 * n * d),
                loss: l,
                predicted: f64::NAN,
                log_residual: f64::NAN,
                dropped: false,
            })
        })
        .collect();
    if usable.len() < MIN_POINTS {
        let detail: Vec<String> = data
            .warnings
            .iter()
            .map(|w| {
                let mut s = String::new();
                if let Some(line) = w.line {
                    s.push_str(&format!("line {line}, "));
                }
                if let Some(field) = &w.field {
                    s.push_str(&format!("column `{field}`: "));
                }
                s.push_str(&w.message);
                if w.count > 1 {
                    s.push_str(&format!(" ({} rows like this)", w.count));
                }
                s
            })
            .collect();
        let detail =
            if detail.is_empty() { String::new() } else { format!(". {}", detail.join("; ")) };
        return Err(ScalingError::TooFewPoints {
            usable: usable.len(),
            needed: MIN_POINTS,
            detail,
        });
    }
    if settings.drop_top > 0 {
        let left = usable.len().saturating_sub(settings.drop_top);
        if left < MIN_POINTS {
            return Err(ScalingError::DropTooMany {
                drop: settings.drop_top,
                total: usable.len(),
                left,
                needed: MIN_POINTS,
            });
        }
        let mut order: Vec<usize> = (0..usable.len()).collect();
        // Highest loss first; ties by input order so the choice is deterministic.
        order.sort_by(|&x, &y| usable[y].loss.total_cmp(&usable[x].loss).then(x.cmp(&y)));
        for &i in order.iter().take(settings.drop_top) {
            usable[i].dropped = true;
        }
    }
    let kept: Vec<&FitPoint> = usable.iter().filter(|p| !p.dropped).collect();
    let n: Vec<f64> = kept.iter().map(|p| p.params).collect();
    let d: Vec<f64> = kept.iter().map(|p| p.tokens).collect();
    let l: Vec<f64> = kept.iter().map(|p| p.loss).collect();
    let pts = Points::new(&n, &d, &l);
    let opts = LbfgsOptions::default();
    let best = fit_points_async(&pts, settings.loss, settings.starts, &[], &opts, ticker)
        .await
        .ok_or(ScalingError::Cancelled)?
        .ok_or(ScalingError::NoFiniteFit)?;
    let params = LawParams::from_theta(&best.theta);
    for p in usable.iter_mut() {
        let lp = log_prediction(&best.theta, p.params.ln(), p.tokens.ln());
        p.predicted = lp.exp();
        p.log_residual = lp - p.loss.ln();
    }

    let mut flags = Vec::new();
    if let Some(f) = count_flag(pts.len()) {
        flags.push(f);
    }
    flags.extend(parameter_flags(&params, &pts, &best.start_theta));
    if !best.stop.converged() {
        flags.push(Flag::new(
            "not_converged",
            format!(
                "the optimiser stopped after {} iterations without converging",
                best.iterations
            ),
        ));
    }
    let lower_bound: Vec<&str> = data
        .rows
        .iter()
        .filter(|r| r.tokens_lower_bound && r.loss.is_some())
        .map(|r| r.name.as_str())
        .collect();
    if !lower_bound.is_empty() {
        flags.push(Flag::new(
            "lower_bound_tokens",
            format!("token counts are lower bounds for: {}", lower_bound.join(", ")),
        ));
    }

    // One more fit without the outliers, when there are any: cancellable before it starts.
    if !ticker.tick("outliers", 0, 1).await {
        return Err(ScalingError::Cancelled);
    }
    let outliers = high_loss_outliers(
        &usable,
        &params,
        settings.loss,
        settings.starts,
        settings.drop_top,
        ticker,
    )
    .await;
    let draws = if settings.bootstrap > 0 {
        let (rounds, seed) = (settings.bootstrap, settings.seed);
        bootstrap_async(&pts, settings.loss, best.theta, rounds, seed, ticker).await
    } else {
        BootstrapDraws::default()
    };
    // After a stopped bootstrap the intervals come from the rounds done; a caller that still
    // answers "stop" at this point (the worker: the user cancelled) gets no fit rather than
    // waiting for those tables.
    if draws.cancelled && ticker.ask("intervals", 0, 1) == Tick::Stop {
        return Err(ScalingError::Cancelled);
    }
    if draws.failed > 0 {
        flags.push(Flag::new(
            "bootstrap_failures",
            format!("{} of {} bootstrap rounds found no finite fit", draws.failed, draws.rounds),
        ));
    }
    let draw_params: Vec<LawParams> = draws.thetas.iter().map(LawParams::from_theta).collect();
    let ci = parameter_intervals(&draw_params);
    flags.extend(interval_flags(&params, &ci));
    flags.extend(outliers.as_ref().and_then(|o| outlier_flag(o, &params)));
    let allocation_law = AllocationLaw::of(&params);
    let (lo, hi) = usable
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(lo, hi), p| (lo.min(p.compute), hi.max(p.compute)));
    let allocation = match &allocation_law {
        Some(al) => allocation_table(&params, al, &draw_params, &compute_grid(lo, hi)),
        None => Vec::new(),
    };
    Ok(LawFit {
        params,
        objective: best.objective,
        ci,
        allocation,
        flags,
        allocation_law,
        n_points: pts.len(),
        points: usable,
        settings: settings.clone(),
        iterations: best.iterations,
        starts: best.starts,
        stop: best.stop,
        bootstrap_rounds: draws.rounds,
        bootstrap_failed: draws.failed,
        bootstrap_thetas: draws.thetas,
        outliers,
    })
}

/// Intervals of E, A, B, alpha, beta, a, b, G over bootstrap draws.
pub fn parameter_intervals(draws: &[LawParams]) -> BTreeMap<String, [f64; 2]> {
    let mut out = BTreeMap::new();
    let allocs: Vec<Option<AllocationLaw>> = draws.iter().map(AllocationLaw::of).collect();
    let getters: [(&str, &dyn Fn(usize) -> f64); 8] = [
        ("E", &|i| draws[i].E),
        ("A", &|i| draws[i].A),
        ("B", &|i| draws[i].B),
        ("alpha", &|i| draws[i].alpha),
        ("beta", &|i| draws[i].beta),
        ("a", &|i| allocs[i].map_or(f64::NAN, |a| a.a)),
        ("b", &|i| allocs[i].map_or(f64::NAN, |a| a.b)),
        ("G", &|i| allocs[i].map_or(f64::NAN, |a| a.g)),
    ];
    for (name, get) in getters {
        let mut v: Vec<f64> = (0..draws.len()).map(get).collect();
        if let Some(ci) = interval(&mut v) {
            out.insert(name.to_owned(), ci);
        }
    }
    out
}

/// Allocation rows across compute, with bootstrap bands when draws are given.
pub fn allocation_table(
    params: &LawParams,
    alloc: &AllocationLaw,
    draws: &[LawParams],
    computes: &[f64],
) -> Vec<AllocationPoint> {
    let draw_allocs: Vec<(LawParams, AllocationLaw)> =
        draws.iter().filter_map(|p| AllocationLaw::of(p).map(|a| (*p, a))).collect();
    computes
        .iter()
        .map(|&c| {
            let [n, d, tpp, loss] = at_compute(params, alloc, c);
            let mut cols: [Vec<f64>; 4] = Default::default();
            for (p, a) in &draw_allocs {
                let v = at_compute(p, a, c);
                for k in 0..4 {
                    cols[k].push(v[k]);
                }
            }
            let [mut cn, mut cd, mut ct, mut cl] = cols;
            AllocationPoint {
                compute: c,
                n_opt: n,
                d_opt: d,
                tokens_per_param: tpp,
                loss,
                n_opt_ci: interval(&mut cn),
                d_opt_ci: interval(&mut cd),
                tokens_per_param_ci: interval(&mut ct),
                loss_ci: interval(&mut cl),
            }
        })
        .collect()
}

impl LawFit {
    /// A parameter by its JSON name (`E`, `A`, `B`, `alpha`, `beta`); NaN for other names.
    pub fn params_value(&self, name: &str) -> f64 {
        match name {
            "E" => self.params.E,
            "A" => self.params.A,
            "B" => self.params.B,
            "alpha" => self.params.alpha,
            "beta" => self.params.beta,
            _ => f64::NAN,
        }
    }
}
