//! Unconstrained L-BFGS-B as SciPy runs it (Byrd, Lu, Nocedal & Zhu 1995; Zhu et al. 1997,
//! `scipy.optimize.minimize(method="L-BFGS-B")`), with the Moré–Thuente line search (`dcsrch`,
//! MINPACK-2). It exists for one reason: the 2023–24 leaderboards were produced by scikit-learn's
//! lbfgs stopping at `tol = 1e-4`, a few hundredths of an Elo point before the optimum, so
//! reproducing them to 0.01 Elo means retracing the same iterates, not finding the optimum.
//!
//! Without bounds, the algorithm's generalized Cauchy point and subspace minimisation reduce to the
//! classic L-BFGS direction −H·g with H₀ = (sᵀy / yᵀy)·I, the first step to −g scaled to unit
//! length, the same curvature skip rule and the same two stopping tests.

/// Stopping rules and sizes; the defaults are SciPy's as scikit-learn passes them.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Stored correction pairs. 10: SciPy `maxcor`.
    pub memory: usize,
    /// Stop when max |gᵢ| ≤ this. scikit-learn passes its `tol` (1e-4) as `gtol`.
    pub gtol: f64,
    /// Stop when the relative decrease of f is ≤ this. scikit-learn passes 64·ε as `ftol`.
    pub ftol: f64,
    /// scikit-learn `max_iter` = 100.
    pub max_iter: usize,
    /// scikit-learn passes `maxls = 50`.
    pub max_line_search: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            memory: 10,
            gtol: 1e-4,
            ftol: 64.0 * f64::EPSILON,
            max_iter: 100,
            max_line_search: 50,
        }
    }
}

/// Minimises `fg` (returns f, writes the gradient) from `x0`.
pub fn minimize(
    x0: &[f64],
    mut fg: impl FnMut(&[f64], &mut [f64]) -> f64,
    opts: Options,
) -> Vec<f64> {
    let n = x0.len();
    let mut x = x0.to_vec();
    let mut g = vec![0.0; n];
    let mut f = fg(&x, &mut g);
    if inf_norm(&g) <= opts.gtol || n == 0 {
        return x;
    }
    let mut s_hist: Vec<Vec<f64>> = Vec::new();
    let mut y_hist: Vec<Vec<f64>> = Vec::new();
    let mut theta = 1.0;
    let mut iter = 0usize;
    loop {
        let mut d = if s_hist.is_empty() {
            g.iter().map(|v| -v / theta).collect::<Vec<_>>()
        } else {
            two_loop(&g, &s_hist, &y_hist, theta)
        };
        let mut gd_old = dot(&g, &d);
        if gd_old.partial_cmp(&0.0) != Some(std::cmp::Ordering::Less) {
            // Not a descent direction: L-BFGS-B discards its memory and restarts from −g.
            s_hist.clear();
            y_hist.clear();
            theta = 1.0;
            d = g.iter().map(|v| -v).collect();
            gd_old = dot(&g, &d);
            if gd_old.partial_cmp(&0.0) != Some(std::cmp::Ordering::Less) {
                return x;
            }
        }
        let dnorm = dot(&d, &d).sqrt();
        let stpmax = 1e10;
        let mut stp = if iter == 0 { (1.0 / dnorm).min(stpmax) } else { 1.0 };
        let x_start = x.clone();
        let g_start = g.clone();
        let f_start = f;
        let mut search = LineSearch::start(f_start, gd_old, stp, stpmax);
        let mut evaluations = 0usize;
        let mut gd;
        loop {
            for i in 0..n {
                x[i] = x_start[i] + stp * d[i];
            }
            f = fg(&x, &mut g);
            evaluations += 1;
            gd = dot(&g, &d);
            match search.step(f, gd, &mut stp) {
                Step::Evaluate if evaluations < opts.max_line_search => continue,
                Step::Evaluate => {
                    // SciPy would restart; the legacy problems never get here. Keep the best.
                    if f > f_start {
                        x.copy_from_slice(&x_start);
                        g.copy_from_slice(&g_start);
                        return x;
                    }
                    break;
                }
                Step::Done => break,
            }
        }
        iter += 1;
        if inf_norm(&g) <= opts.gtol {
            break;
        }
        let scale = f_start.abs().max(f.abs()).max(1.0);
        if f_start - f <= opts.ftol * scale {
            break;
        }
        if iter >= opts.max_iter {
            break;
        }
        let y: Vec<f64> = g.iter().zip(&g_start).map(|(a, b)| a - b).collect();
        let rr = dot(&y, &y);
        let (dr, ddum) =
            if stp == 1.0 { (gd - gd_old, -gd_old) } else { ((gd - gd_old) * stp, -gd_old * stp) };
        if dr <= f64::EPSILON * ddum {
            continue;
        }
        let s: Vec<f64> = d.iter().map(|v| v * stp).collect();
        theta = rr / dr;
        if s_hist.len() == opts.memory {
            s_hist.remove(0);
            y_hist.remove(0);
        }
        s_hist.push(s);
        y_hist.push(y);
    }
    x
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn inf_norm(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}

/// −H·g by the two-loop recursion, H₀ = I / θ.
fn two_loop(g: &[f64], s: &[Vec<f64>], y: &[Vec<f64>], theta: f64) -> Vec<f64> {
    let k = s.len();
    let mut q = g.to_vec();
    let mut alpha = vec![0.0; k];
    for i in (0..k).rev() {
        let rho = 1.0 / dot(&y[i], &s[i]);
        alpha[i] = rho * dot(&s[i], &q);
        for (qj, yj) in q.iter_mut().zip(&y[i]) {
            *qj -= alpha[i] * yj;
        }
    }
    let mut r: Vec<f64> = q.iter().map(|v| v / theta).collect();
    for i in 0..k {
        let rho = 1.0 / dot(&y[i], &s[i]);
        let beta = rho * dot(&y[i], &r);
        for (rj, sj) in r.iter_mut().zip(&s[i]) {
            *rj += sj * (alpha[i] - beta);
        }
    }
    r.iter().map(|v| -v).collect()
}

enum Step {
    Evaluate,
    Done,
}

/// MINPACK-2 `dcsrch` with L-BFGS-B's constants: ftol 1e-3, gtol 0.9, xtol 0.1, stpmin 0.
struct LineSearch {
    brackt: bool,
    stage: u8,
    finit: f64,
    ginit: f64,
    gtest: f64,
    width: f64,
    width1: f64,
    stx: f64,
    fx: f64,
    gx: f64,
    sty: f64,
    fy: f64,
    gy: f64,
    stmin: f64,
    stmax: f64,
    stpmax: f64,
}

// SciPy's line-search settings for L-BFGS-B (`dcsrch` with ftol 1e-3, gtol 0.9, xtol 0.1).
const FTOL: f64 = 1e-3;
const GTOL: f64 = 0.9;
const XTOL: f64 = 0.1;
const STPMIN: f64 = 0.0;

/// `dcsrch`'s `xtrapl` and `xtrapu`: before the minimum is bracketed, the next step lies between
/// these multiples of the last step's growth past the best point.
const EXTRAPOLATE: (f64, f64) = (1.1, 4.0);

impl LineSearch {
    fn start(f: f64, g: f64, stp: f64, stpmax: f64) -> Self {
        let width = stpmax - STPMIN;
        Self {
            brackt: false,
            stage: 1,
            finit: f,
            ginit: g,
            gtest: FTOL * g,
            width,
            width1: width / 0.5,
            stx: 0.0,
            fx: f,
            gx: g,
            sty: 0.0,
            fy: f,
            gy: g,
            stmin: 0.0,
            stmax: stp + EXTRAPOLATE.1 * stp,
            stpmax,
        }
    }

    fn step(&mut self, f: f64, g: f64, stp: &mut f64) -> Step {
        let ftest = self.finit + *stp * self.gtest;
        if self.stage == 1 && f <= ftest && g >= 0.0 {
            self.stage = 2;
        }
        let warn = (self.brackt
            && (*stp <= self.stmin
                || *stp >= self.stmax
                || self.stmax - self.stmin <= XTOL * self.stmax))
            || (*stp == self.stpmax && f <= ftest && g <= self.gtest)
            || (*stp == STPMIN && (f > ftest || g >= self.gtest));
        let converged = f <= ftest && g.abs() <= GTOL * (-self.ginit);
        if warn || converged {
            return Step::Done;
        }
        if self.stage == 1 && f <= self.fx && f > ftest {
            let gt = self.gtest;
            let mut fxm = self.fx - self.stx * gt;
            let mut fym = self.fy - self.sty * gt;
            let mut gxm = self.gx - gt;
            let mut gym = self.gy - gt;
            let fm = f - *stp * gt;
            let gm = g - gt;
            dcstep(
                &mut self.stx,
                &mut fxm,
                &mut gxm,
                &mut self.sty,
                &mut fym,
                &mut gym,
                stp,
                fm,
                gm,
                &mut self.brackt,
                self.stmin,
                self.stmax,
            );
            self.fx = fxm + self.stx * gt;
            self.fy = fym + self.sty * gt;
            self.gx = gxm + gt;
            self.gy = gym + gt;
        } else {
            dcstep(
                &mut self.stx,
                &mut self.fx,
                &mut self.gx,
                &mut self.sty,
                &mut self.fy,
                &mut self.gy,
                stp,
                f,
                g,
                &mut self.brackt,
                self.stmin,
                self.stmax,
            );
        }
        if self.brackt {
            if (self.sty - self.stx).abs() >= 0.66 * self.width1 {
                *stp = self.stx + 0.5 * (self.sty - self.stx);
            }
            self.width1 = self.width;
            self.width = (self.sty - self.stx).abs();
        }
        if self.brackt {
            self.stmin = self.stx.min(self.sty);
            self.stmax = self.stx.max(self.sty);
        } else {
            let (lower, upper) = EXTRAPOLATE;
            self.stmin = *stp + lower * (*stp - self.stx);
            self.stmax = *stp + upper * (*stp - self.stx);
        }
        *stp = stp.max(STPMIN).min(self.stpmax);
        if self.brackt
            && (*stp <= self.stmin
                || *stp >= self.stmax
                || self.stmax - self.stmin <= XTOL * self.stmax)
        {
            *stp = self.stx;
        }
        Step::Evaluate
    }
}

/// MINPACK-2 `dcstep`: a safeguarded cubic/quadratic step inside the interval of uncertainty.
#[allow(clippy::too_many_arguments)]
fn dcstep(
    stx: &mut f64,
    fx: &mut f64,
    dx: &mut f64,
    sty: &mut f64,
    fy: &mut f64,
    dy: &mut f64,
    stp: &mut f64,
    fp: f64,
    dp: f64,
    brackt: &mut bool,
    stpmin: f64,
    stpmax: f64,
) {
    let sgnd = dp * (*dx / dx.abs());
    let stpf;
    if fp > *fx {
        let theta = 3.0 * (*fx - fp) / (*stp - *stx) + *dx + dp;
        let s = theta.abs().max(dx.abs()).max(dp.abs());
        let mut gamma = s * ((theta / s).powi(2) - (*dx / s) * (dp / s)).sqrt();
        if *stp < *stx {
            gamma = -gamma;
        }
        let p = (gamma - *dx) + theta;
        let q = ((gamma - *dx) + gamma) + dp;
        let r = p / q;
        let stpc = *stx + r * (*stp - *stx);
        let stpq = *stx + ((*dx / ((*fx - fp) / (*stp - *stx) + *dx)) / 2.0) * (*stp - *stx);
        stpf = if (stpc - *stx).abs() < (stpq - *stx).abs() {
            stpc
        } else {
            stpc + (stpq - stpc) / 2.0
        };
        *brackt = true;
    } else if sgnd < 0.0 {
        let theta = 3.0 * (*fx - fp) / (*stp - *stx) + *dx + dp;
        let s = theta.abs().max(dx.abs()).max(dp.abs());
        let mut gamma = s * ((theta / s).powi(2) - (*dx / s) * (dp / s)).sqrt();
        if *stp > *stx {
            gamma = -gamma;
        }
        let p = (gamma - dp) + theta;
        let q = ((gamma - dp) + gamma) + *dx;
        let r = p / q;
        let stpc = *stp + r * (*stx - *stp);
        let stpq = *stp + (dp / (dp - *dx)) * (*stx - *stp);
        stpf = if (stpc - *stp).abs() > (stpq - *stp).abs() { stpc } else { stpq };
        *brackt = true;
    } else if dp.abs() < dx.abs() {
        let theta = 3.0 * (*fx - fp) / (*stp - *stx) + *dx + dp;
        let s = theta.abs().max(dx.abs()).max(dp.abs());
        let mut gamma = s * ((theta / s).powi(2) - (*dx / s) * (dp / s)).max(0.0).sqrt();
        if *stp > *stx {
            gamma = -gamma;
        }
        let p = (gamma - dp) + theta;
        let q = (gamma + (*dx - dp)) + gamma;
        let r = p / q;
        let stpc = if r < 0.0 && gamma != 0.0 {
            *stp + r * (*stx - *stp)
        } else if *stp > *stx {
            stpmax
        } else {
            stpmin
        };
        let stpq = *stp + (dp / (dp - *dx)) * (*stx - *stp);
        if *brackt {
            let mut v = if (stpc - *stp).abs() < (stpq - *stp).abs() { stpc } else { stpq };
            v = if *stp > *stx {
                v.min(*stp + 0.66 * (*sty - *stp))
            } else {
                v.max(*stp + 0.66 * (*sty - *stp))
            };
            stpf = v;
        } else {
            let v = if (stpc - *stp).abs() > (stpq - *stp).abs() { stpc } else { stpq };
            stpf = v.min(stpmax).max(stpmin);
        }
    } else if *brackt {
        let theta = 3.0 * (fp - *fy) / (*sty - *stp) + *dy + dp;
        let s = theta.abs().max(dy.abs()).max(dp.abs());
        let mut gamma = s * ((theta / s).powi(2) - (*dy / s) * (dp / s)).sqrt();
        if *stp > *sty {
            gamma = -gamma;
        }
        let p = (gamma - dp) + theta;
        let q = ((gamma - dp) + gamma) + *dy;
        let r = p / q;
        stpf = *stp + r * (*sty - *stp);
    } else if *stp > *stx {
        stpf = stpmax;
    } else {
        stpf = stpmin;
    }
    if fp > *fx {
        *sty = *stp;
        *fy = fp;
        *dy = dp;
    } else {
        if sgnd < 0.0 {
            *sty = *stx;
            *fy = *fx;
            *dy = *dx;
        }
        *stx = *stp;
        *fx = fp;
        *dx = dp;
    }
    *stp = stpf;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimises_a_rosenbrock_valley() {
        let x = minimize(
            &[-1.2, 1.0],
            |x, g| {
                let (a, b) = (x[0], x[1]);
                g[0] = -2.0 * (1.0 - a) - 400.0 * a * (b - a * a);
                g[1] = 200.0 * (b - a * a);
                (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2)
            },
            Options { gtol: 1e-10, ftol: 0.0, max_iter: 500, ..Options::default() },
        );
        assert!((x[0] - 1.0).abs() < 1e-6 && (x[1] - 1.0).abs() < 1e-6, "{x:?}");
    }
}
