//! The contextual Bradley–Terry model behind style control: its rows (one per battle, four
//! z-scored style differences), penalised objective with gradient and Hessian, and the Newton
//! fit. [`super::style_control`] turns fits into ratings and intervals; the sandwich
//! ([`super::style_sandwich`]) reuses the same objective.

use crate::battles::{style_index, Battles, Outcome};

use super::settings::TieRule;
use crate::stats::linalg::solve_spd;

/// Feature names, in coefficient order (FastChat `STYLE_CONTROL_ELEMENTS_V1`, a/b paired).
pub const FEATURES: [&str; 4] =
    ["sum_assistant_tokens", "header_count", "list_count", "bold_count"];

/// FastChat `fit_contextual_bt(reg=0.5)`: penalty (reg / 2)·‖params‖².
pub const REG: f64 = 0.5;

/// One battle as the contextual model sees it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Row {
    pub(super) a: u32,
    pub(super) b: u32,
    pub(super) y: f64,
    pub(super) x: [f64; 4],
    /// The battle's weight (1 without weights): it scales the battle's loss, score and Hessian.
    pub(super) w: f64,
}

/// Penalised objective (only when `with_loss`: it costs a logarithm per row), gradient and
/// Hessian at `params`, in one pass over the rows.
pub(super) fn evaluate(
    m: usize,
    rows: &[Row],
    weights: Option<&[u32]>,
    alpha: f64,
    params: &[f64],
    with_loss: bool,
) -> (f64, Vec<f64>, Vec<f64>) {
    let p = m + 4;
    let mut h = vec![0.0; p * p];
    let mut g: Vec<f64> = params.iter().map(|v| REG * v).collect();
    let mut hff = [[0.0; 4]; 4];
    let mut loss = 0.0;
    for (i, r) in rows.iter().enumerate() {
        // × 1.0 without weights: unchanged to the bit.
        let c = weights.map_or(1.0, |w| w[i] as f64) * r.w;
        if c == 0.0 {
            continue;
        }
        let z = logit(r, params, m, alpha);
        // One exponential serves both the logistic and the log-loss.
        let e = (-z.abs()).exp();
        let q = if z >= 0.0 { 1.0 / (1.0 + e) } else { e / (1.0 + e) };
        if with_loss {
            loss += c * (z.max(0.0) + e.ln_1p() - r.y * z);
        }
        let resid = c * (q - r.y);
        let w = c * q * (1.0 - q);
        let (a, b) = (r.a as usize, r.b as usize);
        g[a] += alpha * resid;
        g[b] -= alpha * resid;
        let aw = alpha * alpha * w;
        h[a * p + a] += aw;
        h[b * p + b] += aw;
        h[a * p + b] -= aw;
        h[b * p + a] -= aw;
        for k in 0..4 {
            g[m + k] += resid * r.x[k];
            let cross = alpha * w * r.x[k];
            h[a * p + m + k] += cross;
            h[b * p + m + k] -= cross;
            for (l, &xl) in r.x.iter().enumerate().skip(k) {
                hff[k][l] += w * r.x[k] * xl;
            }
        }
    }
    for k in 0..4 {
        for l in k..4 {
            h[(m + k) * p + m + l] += hff[k][l];
            h[(m + l) * p + m + k] = h[(m + k) * p + m + l];
        }
        for a in 0..m {
            h[(m + k) * p + a] = h[a * p + m + k];
        }
    }
    for i in 0..p {
        h[i * p + i] += REG;
    }
    (loss + 0.5 * REG * params.iter().map(|v| v * v).sum::<f64>(), g, h)
}

/// Newton's method. Each trial point costs one pass (gradient and Hessian together). A full step
/// that shrinks the gradient is taken as is (the objective is strictly convex); otherwise the
/// step is halved until the objective drops. Warm-started bootstrap replicates converge in two
/// or three passes: the last step is taken without evaluating where it lands.
pub(super) fn fit(
    m: usize,
    rows: &[Row],
    weights: Option<&[u32]>,
    alpha: f64,
    start: Option<&[f64]>,
) -> Option<Vec<f64>> {
    let p = m + 4;
    let mut params = match start {
        Some(s) if s.len() == p => s.to_vec(),
        _ => vec![0.0; p],
    };
    let inf = |v: &[f64]| v.iter().fold(0.0, |acc: f64, x| acc.max(x.abs()));
    let (_, mut g, mut h) = evaluate(m, rows, weights, alpha, &params, false);
    for _ in 0..100 {
        let step = solve_spd(h.clone(), p, g.clone())?;
        // Newton converges quadratically: once a step is below 1e-5 (base-10 log-odds, 4e-3
        // rating points) the point it lands on is within ~1e-9 of the optimum, so take it
        // without paying a pass to look.
        if inf(&step) < 1e-5 {
            params.iter_mut().zip(&step).for_each(|(x, s)| *x -= s);
            break;
        }
        let full: Vec<f64> = params.iter().zip(&step).map(|(x, s)| x - s).collect();
        let (_, gc, hc) = evaluate(m, rows, weights, alpha, &full, false);
        if inf(&gc) < inf(&g) {
            params = full;
            g = gc;
            h = hc;
            continue;
        }
        let (f0, _, _) = evaluate(m, rows, weights, alpha, &params, true);
        let mut t = 0.5;
        let mut accepted = false;
        for _ in 0..40 {
            let cand: Vec<f64> = params.iter().zip(&step).map(|(x, s)| x - t * s).collect();
            let (fc, gc, hc) = evaluate(m, rows, weights, alpha, &cand, true);
            if fc <= f0 {
                params = cand;
                g = gc;
                h = hc;
                accepted = true;
                break;
            }
            t *= 0.5;
        }
        if !accepted {
            break;
        }
    }
    Some(params)
}

pub(super) fn logit(r: &Row, params: &[f64], m: usize, alpha: f64) -> f64 {
    alpha * (params[r.a as usize] - params[r.b as usize])
        + r.x[0] * params[m]
        + r.x[1] * params[m + 1]
        + r.x[2] * params[m + 2]
        + r.x[3] * params[m + 3]
}

/// Builds the rows: battles with complete style data, features z-scored. Returns the model
/// names (sorted), rows, battles without style, and the feature means and deviations.
pub(super) fn build_rows(
    battles: &Battles,
    selection: &[u32],
    ties: TieRule,
    weights: Option<&[f64]>,
) -> (Vec<String>, Vec<Row>, u64, [f64; 4], [f64; 4]) {
    let mut used: Vec<bool> = vec![false; battles.models.len()];
    let mut keep = Vec::with_capacity(selection.len());
    let mut without = 0u64;
    for &i in selection {
        let i = i as usize;
        if battles.style[i].iter().any(|v| !v.is_finite()) {
            without += 1;
            continue;
        }
        let y = match battles.outcome[i] {
            Outcome::ModelA => 1.0,
            Outcome::ModelB => 0.0,
            Outcome::Tie | Outcome::TieBothBad if ties == TieRule::Drop => continue,
            Outcome::Tie | Outcome::TieBothBad => 0.5,
        };
        used[battles.model_a[i] as usize] = true;
        used[battles.model_b[i] as usize] = true;
        keep.push((i, y));
    }
    let mut names: Vec<String> =
        battles.models.iter().zip(&used).filter(|(_, &u)| u).map(|(n, _)| n.clone()).collect();
    names.sort();
    let local: Vec<u32> = battles
        .models
        .iter()
        .map(|n| names.binary_search(n).map_or(u32::MAX, |i| i as u32))
        .collect();
    let pairs = [
        (style_index::TOKENS_A, style_index::TOKENS_B),
        (style_index::HEADERS_A, style_index::HEADERS_B),
        (style_index::LISTS_A, style_index::LISTS_B),
        (style_index::BOLD_A, style_index::BOLD_B),
    ];
    let mut rows: Vec<Row> = keep
        .iter()
        .map(|&(i, y)| {
            let s = &battles.style[i];
            let mut x = [0.0; 4];
            for (k, &(ia, ib)) in pairs.iter().enumerate() {
                let (a, b) = (s[ia] as f64, s[ib] as f64);
                x[k] = (a - b) / (a + b + 1.0);
            }
            Row {
                a: local[battles.model_a[i] as usize],
                b: local[battles.model_b[i] as usize],
                y,
                x,
                w: weights.and_then(|w| w.get(i)).copied().unwrap_or(1.0),
            }
        })
        .collect();
    let n = rows.len().max(1) as f64;
    let mut mean = [0.0; 4];
    let mut std = [0.0; 4];
    for k in 0..4 {
        mean[k] = rows.iter().map(|r| r.x[k]).sum::<f64>() / n;
        let var = rows.iter().map(|r| (r.x[k] - mean[k]).powi(2)).sum::<f64>() / n;
        // numpy's population std; a constant feature is left unscaled (arena-rank does the same).
        std[k] = if var > 0.0 { var.sqrt() } else { 1.0 };
    }
    for r in &mut rows {
        for k in 0..4 {
            r.x[k] = (r.x[k] - mean[k]) / std[k];
        }
    }
    (names, rows, without, mean, std)
}
