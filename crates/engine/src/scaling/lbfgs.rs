//! A small L-BFGS with a strong-Wolfe line search, for the 2- to 5-parameter fits of this module.
//!
//! Hand-rolled rather than taken from `argmin`: argmin 0.11 depends on `web-time` (which brings
//! `js-sys`/`wasm-bindgen` into this browser-free crate on wasm32) and its `Vec<f64>` backend
//! (`argmin-math` feature `vec`) requires rand 0.9 → getrandom 0.3, which fails to compile for
//! wasm32-unknown-unknown without a global `--cfg getrandom_backend` flag (measured with
//! `cargo check --target wasm32-unknown-unknown` on 2026-11-26). Fixed-size arrays also keep the
//! inner loop allocation-free, which the 4,500-start grid and the bootstrap need.
//!
//! Algorithm: Nocedal & Wright, Numerical Optimization (2nd ed.), Alg. 7.4 (two-loop recursion)
//! and Alg. 3.5/3.6 (line search with zoom, cubic interpolation).

use serde::{Deserialize, Serialize};

/// Stopping rules.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LbfgsOptions {
    pub max_iter: usize,
    /// Converged when ‖∇f‖∞ ≤ gtol.
    pub gtol: f64,
    /// Converged when the relative decrease of f is ≤ ftol (relative to |f|, not to max(|f|, 1)
    /// as scipy's L-BFGS-B does: that rule stops a 1e-3-sized objective early) for `patience`
    /// consecutive iterations, so one short step on a plateau does not end the search.
    pub ftol: f64,
    pub patience: usize,
    /// History length (scipy's L-BFGS-B default `maxcor` = 10).
    pub memory: usize,
}

impl Default for LbfgsOptions {
    fn default() -> Self {
        Self { max_iter: 1000, gtol: 1e-10, ftol: 1e-15, patience: 3, memory: 10 }
    }
}

/// Why the optimiser stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stop {
    Gradient,
    FunctionChange,
    /// No step along the search direction decreased f: at the precision limit.
    LineSearch,
    MaxIter,
    /// f or its gradient became non-finite at the start.
    NonFinite,
}

impl Stop {
    /// True unless the iteration cap hit or the start was unusable.
    pub fn converged(self) -> bool {
        matches!(self, Self::Gradient | Self::FunctionChange | Self::LineSearch)
    }
}

/// Result of one minimisation.
#[derive(Debug, Clone, Copy)]
pub struct Minimum<const K: usize> {
    pub x: [f64; K],
    pub f: f64,
    pub iterations: usize,
    pub evaluations: usize,
    pub stop: Stop,
}

fn dot<const K: usize>(a: &[f64; K], b: &[f64; K]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn norm_inf<const K: usize>(a: &[f64; K]) -> f64 {
    a.iter().fold(0.0, |m, x| m.max(x.abs()))
}

fn axpy<const K: usize>(x: &[f64; K], t: f64, d: &[f64; K]) -> [f64; K] {
    let mut out = *x;
    for k in 0..K {
        out[k] += t * d[k];
    }
    out
}

/// Minimises `f`, which returns f(x) and writes ∇f(x) into its second argument.
pub fn minimize<const K: usize, F>(mut f: F, x0: [f64; K], opts: &LbfgsOptions) -> Minimum<K>
where
    F: FnMut(&[f64; K], &mut [f64; K]) -> f64,
{
    let mut evaluations = 1;
    let mut g = [0.0; K];
    let mut fx = f(&x0, &mut g);
    let mut x = x0;
    if !fx.is_finite() || g.iter().any(|v| !v.is_finite()) {
        return Minimum { x, f: fx, iterations: 0, evaluations, stop: Stop::NonFinite };
    }
    let m = opts.memory.max(1);
    let mut s_hist: Vec<[f64; K]> = Vec::with_capacity(m);
    let mut y_hist: Vec<[f64; K]> = Vec::with_capacity(m);
    let mut rho_hist: Vec<f64> = Vec::with_capacity(m);
    let mut alpha_buf = vec![0.0; m];
    let mut flat = 0;
    for iter in 0..opts.max_iter {
        if norm_inf(&g) <= opts.gtol {
            return Minimum { x, f: fx, iterations: iter, evaluations, stop: Stop::Gradient };
        }
        // Two-loop recursion for d = −H∇f.
        let mut q = g;
        for i in (0..s_hist.len()).rev() {
            let a = rho_hist[i] * dot(&s_hist[i], &q);
            alpha_buf[i] = a;
            for k in 0..K {
                q[k] -= a * y_hist[i][k];
            }
        }
        let gamma = match (s_hist.last(), y_hist.last()) {
            (Some(s), Some(y)) => dot(s, y) / dot(y, y),
            _ => 1.0 / norm_inf(&g).max(1e-300),
        };
        for v in q.iter_mut() {
            *v *= gamma;
        }
        for i in 0..s_hist.len() {
            let b = rho_hist[i] * dot(&y_hist[i], &q);
            for k in 0..K {
                q[k] += s_hist[i][k] * (alpha_buf[i] - b);
            }
        }
        let mut d = q.map(|v| -v);
        let mut slope = dot(&g, &d);
        if !(slope < 0.0) {
            // Not a descent direction (curvature information went stale): restart.
            s_hist.clear();
            y_hist.clear();
            rho_hist.clear();
            let scale = 1.0 / norm_inf(&g).max(1e-300);
            d = g.map(|v| -v * scale);
            slope = dot(&g, &d);
        }
        let ls = line_search(&mut f, &x, fx, &d, slope, &mut evaluations);
        let Some((t, f_new, g_new)) = ls else {
            if !s_hist.is_empty() {
                // Retry once along steepest descent before giving up.
                s_hist.clear();
                y_hist.clear();
                rho_hist.clear();
                continue;
            }
            return Minimum { x, f: fx, iterations: iter, evaluations, stop: Stop::LineSearch };
        };
        let x_new = axpy(&x, t, &d);
        let mut s = [0.0; K];
        let mut y = [0.0; K];
        for k in 0..K {
            s[k] = x_new[k] - x[k];
            y[k] = g_new[k] - g[k];
        }
        let sy = dot(&s, &y);
        let f_old = fx;
        x = x_new;
        fx = f_new;
        g = g_new;
        if sy > 1e-300 {
            if s_hist.len() == m {
                s_hist.remove(0);
                y_hist.remove(0);
                rho_hist.remove(0);
            }
            s_hist.push(s);
            y_hist.push(y);
            rho_hist.push(1.0 / sy);
        }
        if (f_old - fx).abs() <= opts.ftol * fx.abs().max(f64::MIN_POSITIVE) {
            flat += 1;
        } else {
            flat = 0;
        }
        if flat >= opts.patience.max(1) {
            return Minimum {
                x,
                f: fx,
                iterations: iter + 1,
                evaluations,
                stop: Stop::FunctionChange,
            };
        }
    }
    Minimum { x, f: fx, iterations: opts.max_iter, evaluations, stop: Stop::MaxIter }
}

const C1: f64 = 1e-4;
const C2: f64 = 0.9;
const MAX_LS_EVALS: usize = 40;

/// Strong-Wolfe line search (N&W Alg. 3.5). Returns (step, f, ∇f) or None when no decrease.
fn line_search<const K: usize, F>(
    f: &mut F,
    x: &[f64; K],
    f0: f64,
    d: &[f64; K],
    slope0: f64,
    evaluations: &mut usize,
) -> Option<(f64, f64, [f64; K])>
where
    F: FnMut(&[f64; K], &mut [f64; K]) -> f64,
{
    let mut eval = |t: f64, evaluations: &mut usize| {
        let mut g = [0.0; K];
        let v = f(&axpy(x, t, d), &mut g);
        *evaluations += 1;
        let ok = v.is_finite() && g.iter().all(|x| x.is_finite());
        (if ok { v } else { f64::INFINITY }, dot(&g, d), g)
    };
    let mut t_prev = 0.0;
    let (mut f_prev, mut s_prev) = (f0, slope0);
    let mut t = 1.0;
    let mut best: Option<(f64, f64, [f64; K])> = None;
    for i in 0..MAX_LS_EVALS {
        let (ft, st, gt) = eval(t, evaluations);
        if ft < f0 && best.as_ref().is_none_or(|b| ft < b.1) {
            best = Some((t, ft, gt));
        }
        if !ft.is_finite() {
            // Stepped out of the finite region: shrink.
            t = 0.5 * (t_prev + t);
            continue;
        }
        if ft > f0 + C1 * t * slope0 || (i > 0 && ft >= f_prev) {
            return zoom(&mut eval, f0, slope0, (t_prev, f_prev, s_prev), (t, ft, st), evaluations)
                .or(best);
        }
        if st.abs() <= -C2 * slope0 {
            return Some((t, ft, gt));
        }
        if st >= 0.0 {
            return zoom(&mut eval, f0, slope0, (t, ft, st), (t_prev, f_prev, s_prev), evaluations)
                .or(best);
        }
        t_prev = t;
        f_prev = ft;
        s_prev = st;
        t *= 2.0;
        if t > 1e10 {
            break;
        }
    }
    best
}

/// Cubic interpolation minimiser between two points with values and slopes, safeguarded.
fn cubic_min(t0: f64, f0: f64, s0: f64, t1: f64, f1: f64, s1: f64) -> f64 {
    let d1 = s0 + s1 - 3.0 * (f0 - f1) / (t0 - t1);
    let disc = d1 * d1 - s0 * s1;
    let (lo, hi) = if t0 < t1 { (t0, t1) } else { (t1, t0) };
    let mid = 0.5 * (lo + hi);
    if disc < 0.0 {
        return mid;
    }
    let d2 = (t1 - t0).signum() * disc.sqrt();
    let t = t1 - (t1 - t0) * (s1 + d2 - d1) / (s1 - s0 + 2.0 * d2);
    let margin = 0.1 * (hi - lo);
    if t.is_finite() && t > lo + margin && t < hi - margin {
        t
    } else {
        mid
    }
}

type Probe = (f64, f64, f64);

fn zoom<const K: usize>(
    eval: &mut impl FnMut(f64, &mut usize) -> (f64, f64, [f64; K]),
    f0: f64,
    slope0: f64,
    mut lo: Probe,
    mut hi: Probe,
    evaluations: &mut usize,
) -> Option<(f64, f64, [f64; K])> {
    let mut best: Option<(f64, f64, [f64; K])> = None;
    for _ in 0..MAX_LS_EVALS {
        if (hi.0 - lo.0).abs() < 1e-16 * lo.0.abs().max(1e-300) {
            break;
        }
        let t = if hi.1.is_finite() {
            cubic_min(lo.0, lo.1, lo.2, hi.0, hi.1, hi.2)
        } else {
            0.5 * (lo.0 + hi.0)
        };
        let (ft, st, gt) = eval(t, evaluations);
        if ft < f0 && best.as_ref().is_none_or(|b| ft < b.1) {
            best = Some((t, ft, gt));
        }
        if ft > f0 + C1 * t * slope0 || ft >= lo.1 {
            hi = (t, ft, st);
        } else {
            if st.abs() <= -C2 * slope0 {
                return Some((t, ft, gt));
            }
            if st * (hi.0 - lo.0) >= 0.0 {
                hi = lo;
            }
            lo = (t, ft, st);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimises_rosenbrock() {
        let r = minimize(
            |x: &[f64; 2], g: &mut [f64; 2]| {
                let (a, b) = (1.0 - x[0], x[1] - x[0] * x[0]);
                g[0] = -2.0 * a - 400.0 * x[0] * b;
                g[1] = 200.0 * b;
                a * a + 100.0 * b * b
            },
            [-1.2, 1.0],
            &LbfgsOptions::default(),
        );
        assert!(r.stop.converged(), "{:?}", r.stop);
        assert!((r.x[0] - 1.0).abs() < 1e-6 && (r.x[1] - 1.0).abs() < 1e-6, "{:?}", r.x);
    }

    #[test]
    fn non_finite_start_is_reported() {
        let r =
            minimize(|_: &[f64; 1], _: &mut [f64; 1]| f64::NAN, [0.0], &LbfgsOptions::default());
        assert_eq!(r.stop, Stop::NonFinite);
    }
}
