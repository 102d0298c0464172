//! Chinchilla Approach 2: when the table holds isoFLOP groups (several model sizes at one compute
//! budget), fit a parabola of loss in log10 N per group, take its minimum as that budget's optimal
//! size, and fit power laws N_opt ∝ C^a and D_opt ∝ C^b through the minima (Hoffmann et al. 2022,
//! Section 3.2).

use serde::{Deserialize, Serialize};

use super::table::ScalingData;

/// Runs whose compute differs by less than this (relative) share an isoFLOP group.
pub const GROUP_TOLERANCE: f64 = 0.02;

/// Fewest distinct model sizes for a parabola to mean anything.
pub const MIN_GROUP_SIZE: usize = 3;

/// Largest over smallest model size a group must span for its parabola to locate a minimum: a
/// profile over less than 3× in N is too flat to tell a valley from noise.
pub const MIN_SIZE_SPAN: f64 = 3.0;

/// Share of the runs (with a loss) that must sit in qualifying groups for the table to count as an
/// isoFLOP grid. Points digitised from a figure, or runs at scattered budgets, fall into many
/// chance groups of three that together hold only a minority of the runs.
pub const MIN_GRID_SHARE: f64 = 0.5;

/// One isoFLOP group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IsoFlopGroup {
    /// Geometric mean compute of the group.
    pub compute: f64,
    pub runs: usize,
    /// loss ≈ c0 + c1·x + c2·x², x = log10 N.
    pub coefficients: [f64; 3],
    pub n_opt: Option<f64>,
    pub d_opt: Option<f64>,
    pub loss_at_opt: Option<f64>,
    /// The minimum lies within the group's range of model sizes (not extrapolated).
    pub within_range: bool,
    /// Why no minimum, when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Largest over smallest model size in the group.
    #[serde(default)]
    pub size_span: f64,
}

/// Power law y = k·C^e fitted in log10 space.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PowerLaw {
    pub exponent: f64,
    /// log10 k.
    pub log10_coefficient: f64,
}

impl PowerLaw {
    pub fn at(&self, c: f64) -> f64 {
        10f64.powf(self.log10_coefficient + self.exponent * c.log10())
    }
}

/// Approach-2 result; `a` and `b` are None with fewer than two usable groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Approach2 {
    pub groups: Vec<IsoFlopGroup>,
    pub a: Option<PowerLaw>,
    pub b: Option<PowerLaw>,
    /// Why the runs are not an isoFLOP grid (then Approach 2 is not shown); None for a grid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_a_grid: Option<String>,
}

/// Least-squares parabola through (x, y); None when x has fewer than 3 distinct values.
pub fn parabola(x: &[f64], y: &[f64]) -> Option<[f64; 3]> {
    let n = x.len() as f64;
    let mx = x.iter().sum::<f64>() / n;
    // Centred for conditioning, then mapped back.
    let mut m = [[0.0; 3]; 3];
    let mut r = [0.0; 3];
    for (&xi, &yi) in x.iter().zip(y) {
        let v = [1.0, xi - mx, (xi - mx) * (xi - mx)];
        for a in 0..3 {
            r[a] += v[a] * yi;
            for b in 0..3 {
                m[a][b] += v[a] * v[b];
            }
        }
    }
    let c = solve3(m, r)?;
    // c0 + c1 (x − mx) + c2 (x − mx)² expanded.
    Some([c[0] - c[1] * mx + c[2] * mx * mx, c[1] - 2.0 * c[2] * mx, c[2]])
}

fn solve3(mut m: [[f64; 3]; 3], mut r: [f64; 3]) -> Option<[f64; 3]> {
    let scale = m.iter().flatten().fold(0.0f64, |a, v| a.max(v.abs()));
    for col in 0..3 {
        let piv = (col..3).max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))?;
        if m[piv][col].abs() <= 1e-12 * scale {
            return None;
        }
        m.swap(col, piv);
        r.swap(col, piv);
        for row in 0..3 {
            if row != col {
                let f = m[row][col] / m[col][col];
                let pivot_row = m[col];
                for (dst, src) in m[row].iter_mut().zip(pivot_row).skip(col) {
                    *dst -= f * src;
                }
                r[row] -= f * r[col];
            }
        }
    }
    Some([r[0] / m[0][0], r[1] / m[1][1], r[2] / m[2][2]])
}

/// Ordinary least squares line y = c + e·x.
fn line(x: &[f64], y: &[f64]) -> Option<PowerLaw> {
    let n = x.len() as f64;
    if x.len() < 2 {
        return None;
    }
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let sxx: f64 = x.iter().map(|v| (v - mx) * (v - mx)).sum();
    if !(sxx > 0.0) {
        return None;
    }
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let e = sxy / sxx;
    Some(PowerLaw { exponent: e, log10_coefficient: my - e * mx })
}

/// Groups rows by compute and fits the parabolas and power laws.
pub fn approach2(data: &ScalingData) -> Approach2 {
    let mut runs: Vec<(f64, f64, f64)> = data
        .rows
        .iter()
        .filter_map(|r| Some((r.params? * r.tokens? * 6.0, r.params?, r.loss?)))
        .collect();
    runs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let total_runs = runs.len();
    let mut groups: Vec<Vec<(f64, f64, f64)>> = Vec::new();
    for run in runs {
        match groups.last_mut() {
            Some(g) if run.0 <= g[0].0 * (1.0 + GROUP_TOLERANCE) => g.push(run),
            _ => groups.push(vec![run]),
        }
    }
    let distinct_budgets = groups.len();
    let mut out = Vec::new();
    for g in groups {
        let mut sizes: Vec<f64> = g.iter().map(|r| r.1).collect();
        sizes.sort_by(f64::total_cmp);
        sizes.dedup_by(|a, b| (*a / *b - 1.0).abs() < 1e-9);
        if sizes.len() < MIN_GROUP_SIZE {
            continue;
        }
        let compute = (g.iter().map(|r| r.0.ln()).sum::<f64>() / g.len() as f64).exp();
        let x: Vec<f64> = g.iter().map(|r| r.1.log10()).collect();
        let y: Vec<f64> = g.iter().map(|r| r.2).collect();
        let Some(c) = parabola(&x, &y) else { continue };
        let (xmin, xmax) =
            x.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
        let mut group = IsoFlopGroup {
            compute,
            runs: g.len(),
            coefficients: c,
            n_opt: None,
            d_opt: None,
            loss_at_opt: None,
            within_range: false,
            note: None,
            size_span: sizes.last().copied().unwrap_or(1.0) / sizes.first().copied().unwrap_or(1.0),
        };
        if c[2] > 0.0 {
            let xs = -c[1] / (2.0 * c[2]);
            let n = 10f64.powf(xs);
            group.n_opt = Some(n);
            group.d_opt = Some(compute / (6.0 * n));
            group.loss_at_opt = Some(c[0] + c[1] * xs + c[2] * xs * xs);
            group.within_range = xs >= xmin && xs <= xmax;
            if !group.within_range {
                group.note = Some("minimum lies outside the sizes run (extrapolated)".into());
            }
        } else {
            group.note = Some("the parabola opens downward: no minimum".into());
        }
        out.push(group);
    }
    let pts: Vec<(f64, f64, f64)> = out
        .iter()
        .filter(|g| g.within_range)
        .filter_map(|g| Some((g.compute.log10(), g.n_opt?.log10(), g.d_opt?.log10())))
        .collect();
    let xs: Vec<f64> = pts.iter().map(|p| p.0).collect();
    let a = line(&xs, &pts.iter().map(|p| p.1).collect::<Vec<_>>());
    let b = line(&xs, &pts.iter().map(|p| p.2).collect::<Vec<_>>());
    let not_a_grid = grid_problem(&out, total_runs, distinct_budgets);
    Approach2 { groups: out, a, b, not_a_grid }
}

/// Why these groups are not an isoFLOP grid, as a sentence for the page and the CLI; None when
/// they are: at least two groups of [`MIN_GROUP_SIZE`] sizes spanning [`MIN_SIZE_SPAN`]× or more,
/// holding at least [`MIN_GRID_SHARE`] of the runs.
pub fn grid_problem(groups: &[IsoFlopGroup], total_runs: usize, budgets: usize) -> Option<String> {
    let real: Vec<&IsoFlopGroup> =
        groups.iter().filter(|g| g.size_span >= MIN_SIZE_SPAN * (1.0 - 1e-9)).collect();
    let in_real: usize = real.iter().map(|g| g.runs).sum();
    let tol = GROUP_TOLERANCE * 100.0;
    let what = format!(
        "Approach 2 needs isoFLOP groups: runs at one compute budget (6ND within {tol:.0}%) with at \
         least {MIN_GROUP_SIZE} model sizes spanning {MIN_SIZE_SPAN:.0}× or more"
    );
    if total_runs == 0 {
        return Some(format!("{what}; no run has parameters, tokens and a loss."));
    }
    if real.len() < 2 {
        return Some(format!(
            "{what}, and at least two such groups for a line through their minima. These {total_runs} \
             runs sit at {budgets} distinct budgets and form {} such group{}.",
            real.len(),
            if real.len() == 1 { "" } else { "s" }
        ));
    }
    if (in_real as f64) < MIN_GRID_SHARE * total_runs as f64 {
        return Some(format!(
            "{what}. Only {in_real} of {total_runs} runs fall in such groups ({} groups among {budgets} \
             distinct budgets): the budgets are scattered, as in points read off a figure, so \
             parabolas through chance groups would be noise.",
            real.len()
        ));
    }
    None
}
