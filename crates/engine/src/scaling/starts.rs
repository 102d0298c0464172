//! Where the optimiser starts. The Approach-3 objective has flat valleys and local minima, so the
//! start decides the answer as much as the optimiser does.
//!
//! - `varpro` (default): for each (α, β) on a grid, L = E + A·N^−α + B·D^−β is linear in E, A, B,
//!   so a 3-variable non-negative least squares (weighted by 1/L² so it approximates the log
//!   residuals) gives the best E, A, B for that cell in closed form. Cells are scored with the real
//!   objective and the best few are polished with L-BFGS over all five parameters.
//! - `full-grid`: L-BFGS from every point of the 4,500-start grid of Hoffmann et al. 2022
//!   (Appendix D.2), also used by Epoch AI's replication (Besiroglu et al. 2024).

use serde::{Deserialize, Serialize};

use super::objective::{evaluate, LossKind, Points};

/// How to choose starting points.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StartMode {
    #[default]
    Varpro,
    FullGrid,
}

/// Exponent grid of the variable-projection starts: 0.05, 0.10, …, 2.00 for both α and β. Wider
/// than any published fit (α, β ≈ 0.3) and up to the region the flags call untrustworthy (1.5).
pub const VARPRO_EXPONENTS: (f64, f64, usize) = (0.05, 0.05, 40);

/// How many of the best grid cells are polished.
pub const VARPRO_POLISH: usize = 4;

/// The coarser exponent grid each bootstrap round uses next to its warm start (0.1, 0.2, …, 2.0):
/// a quarter of the cells, so 1,000 rounds stay within the time budget.
pub const BOOTSTRAP_EXPONENTS: (f64, f64, usize) = (0.1, 0.1, 20);

/// The Hoffmann et al. 2022 (Appendix D.2) initialisation grid, in θ = (a, b, e, α, β):
/// α, β ∈ {0, 0.5, …, 2}, e ∈ {−1, −0.5, …, 1}, a, b ∈ {0, 5, …, 25}: 5·5·5·6·6 = 4,500 starts.
pub fn full_grid() -> Vec<[f64; 5]> {
    let mut out = Vec::with_capacity(4500);
    for ai in 0..6 {
        for bi in 0..6 {
            for ei in 0..5 {
                for al in 0..5 {
                    for be in 0..5 {
                        out.push([
                            5.0 * ai as f64,
                            5.0 * bi as f64,
                            -1.0 + 0.5 * ei as f64,
                            0.5 * al as f64,
                            0.5 * be as f64,
                        ]);
                    }
                }
            }
        }
    }
    out
}

/// One scored grid cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    pub theta: [f64; 5],
    pub objective: f64,
}

/// Solves the symmetric system `m x = r` restricted to the variables in `mask` (3 bits).
fn solve_subset(m: &[[f64; 3]; 3], r: &[f64; 3], mask: u8) -> Option<[f64; 3]> {
    let idx: Vec<usize> = (0..3).filter(|i| mask & (1 << i) != 0).collect();
    let k = idx.len();
    let mut a = [[0.0; 4]; 3];
    for (ri, &i) in idx.iter().enumerate() {
        for (ci, &j) in idx.iter().enumerate() {
            a[ri][ci] = m[i][j];
        }
        a[ri][k] = r[i];
    }
    // Gaussian elimination with partial pivoting on a k×(k+1) augmented matrix.
    for col in 0..k {
        let piv = (col..k).max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))?;
        if a[piv][col].abs() < 1e-14 * m[idx[col]][idx[col]].abs().max(1e-300) {
            return None;
        }
        a.swap(col, piv);
        for row in 0..k {
            if row != col {
                let factor = a[row][col] / a[col][col];
                let pivot_row = a[col];
                for (dst, src) in a[row].iter_mut().zip(pivot_row).take(k + 1).skip(col) {
                    *dst -= factor * src;
                }
            }
        }
    }
    let mut x = [0.0; 3];
    for (ri, &i) in idx.iter().enumerate() {
        x[i] = a[ri][k] / a[ri][ri];
    }
    Some(x)
}

/// Exact non-negative least squares for 3 unknowns from normal equations: every support subset
/// is solved unconstrained and the feasible solution with the smallest residual wins (the NNLS
/// optimum is the unconstrained optimum on its own support, and is feasible). Returns the solution
/// and its weighted sum of squares.
fn nnls3(m: &[[f64; 3]; 3], r: &[f64; 3], yy: f64) -> ([f64; 3], f64) {
    let mut best = ([0.0; 3], yy);
    for mask in 1u8..8 {
        let Some(x) = solve_subset(m, r, mask) else { continue };
        if x.iter().any(|v| *v < 0.0 || !v.is_finite()) {
            continue;
        }
        // SSE = yy − 2 xᵀr + xᵀ M x.
        let mut sse = yy;
        for i in 0..3 {
            sse -= 2.0 * x[i] * r[i];
            for j in 0..3 {
                sse += x[i] * m[i][j] * x[j];
            }
        }
        if sse < best.1 {
            best = (x, sse);
        }
    }
    best
}

/// Cells ranked by the linear least-squares fit are re-scored with the real objective; this many
/// per kept cell (the two rankings agree closely, the real objective costs a `ln` per point).
const PRESCORE_FACTOR: usize = 8;

/// Variable-projection cells over the exponent grid, best first (at most `keep`).
pub fn varpro_cells(
    pts: &Points,
    loss: LossKind,
    keep: usize,
    grid: (f64, f64, usize),
) -> Vec<Cell> {
    let (start, step, count) = grid;
    let exps: Vec<f64> = (0..count).map(|i| start + step * i as f64).collect();
    let n = pts.len();
    let l: Vec<f64> = pts.ln_l.iter().map(|v| v.exp()).collect();
    // Weight 1/L² makes linear residuals approximate log residuals; times bootstrap weights.
    let w: Vec<f64> = (0..n).map(|i| pts.weight[i] / (l[i] * l[i])).collect();
    let pow = |ln: &[f64], e: f64| ln.iter().map(|v| (-e * v).exp()).collect::<Vec<f64>>();
    let xn: Vec<Vec<f64>> = exps.iter().map(|&e| pow(&pts.ln_n, e)).collect();
    let xd: Vec<Vec<f64>> = exps.iter().map(|&e| pow(&pts.ln_d, e)).collect();
    let sw: f64 = w.iter().sum();
    let swy: f64 = (0..n).map(|i| w[i] * l[i]).sum();
    let swyy: f64 = (0..n).map(|i| w[i] * l[i] * l[i]).sum();
    // Per-exponent sums that do not involve the other exponent.
    let sums = |x: &Vec<f64>| {
        let (mut s1, mut s2, mut sy) = (0.0, 0.0, 0.0);
        for i in 0..n {
            s1 += w[i] * x[i];
            s2 += w[i] * x[i] * x[i];
            sy += w[i] * x[i] * l[i];
        }
        (s1, s2, sy)
    };
    let sn: Vec<_> = xn.iter().map(sums).collect();
    let sd: Vec<_> = xd.iter().map(sums).collect();
    let mut ranked = Vec::with_capacity(count * count);
    let min_l = l.iter().copied().fold(f64::INFINITY, f64::min);
    for (ia, &alpha) in exps.iter().enumerate() {
        for (ib, &beta) in exps.iter().enumerate() {
            let cross: f64 = (0..n).map(|i| w[i] * xn[ia][i] * xd[ib][i]).sum();
            // Unknowns ordered (E, A, B).
            let m = [
                [sw, sn[ia].0, sd[ib].0],
                [sn[ia].0, sn[ia].1, cross],
                [sd[ib].0, cross, sd[ib].1],
            ];
            let r = [swy, sn[ia].2, sd[ib].2];
            let ([e, a, b], sse) = nnls3(&m, &r, swyy);
            // A vanished term is kept tiny rather than zero so the log parameters stay finite.
            let theta =
                [a.max(1e-12).ln(), b.max(1e-12).ln(), e.max(1e-6 * min_l).ln(), alpha, beta];
            if sse.is_finite() {
                ranked.push((sse, theta));
            }
        }
    }
    // Stable sort: grid order breaks ties, so the choice is deterministic.
    ranked.sort_by(|x, y| x.0.total_cmp(&y.0));
    ranked.truncate((keep * PRESCORE_FACTOR).max(16));
    let mut cells: Vec<Cell> = ranked
        .into_iter()
        .map(|(_, theta)| Cell { theta, objective: evaluate(&theta, pts, loss, None) })
        .filter(|c| c.objective.is_finite())
        .collect();
    cells.sort_by(|x, y| x.objective.total_cmp(&y.objective));
    cells.truncate(keep);
    cells
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scaling::objective::LawParams;

    #[test]
    fn full_grid_has_4500_starts() {
        let g = full_grid();
        assert_eq!(g.len(), 4500);
        assert!(g.contains(&[25.0, 0.0, 1.0, 2.0, 0.5]));
    }

    #[test]
    fn nnls_recovers_nonnegative_solution() {
        // y = 2 + 3x (exact), third column irrelevant but nonnegative-constrained.
        let xs = [1.0, 2.0, 3.0, 4.0];
        let zs = [4.0, 1.0, 3.0, 2.0];
        let mut m = [[0.0; 3]; 3];
        let mut r = [0.0; 3];
        let mut yy = 0.0;
        for i in 0..4 {
            let v = [1.0, xs[i], zs[i]];
            let y = 2.0 + 3.0 * xs[i] - 0.5 * zs[i];
            for a in 0..3 {
                r[a] += v[a] * y;
                for b in 0..3 {
                    m[a][b] += v[a] * v[b];
                }
            }
            yy += y * y;
        }
        let (x, _) = nnls3(&m, &r, yy);
        assert!(x.iter().all(|v| *v >= 0.0));
        assert_eq!(x[2], 0.0);
    }

    #[test]
    fn best_cell_is_near_the_truth_on_exact_data() {
        let law = LawParams { E: 1.8, A: 480.0, B: 2000.0, alpha: 0.35, beta: 0.35 };
        let (mut n, mut d, mut l) = (vec![], vec![], vec![]);
        for i in 0..8 {
            for j in 0..8 {
                let nn = 1e7 * 3f64.powi(i);
                let dd = 1e9 * 2.5f64.powi(j);
                n.push(nn);
                d.push(dd);
                l.push(law.loss(nn, dd));
            }
        }
        let pts = Points::new(&n, &d, &l);
        let cells = varpro_cells(&pts, LossKind::default(), 1, VARPRO_EXPONENTS);
        let best = LawParams::from_theta(&cells[0].theta);
        assert!((best.alpha - 0.35).abs() < 1e-9 && (best.beta - 0.35).abs() < 1e-9, "{best:?}");
        assert!((best.E - 1.8).abs() < 1e-6, "{best:?}");
    }
}
