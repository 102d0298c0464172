//! Multinomial draws for bootstraps over many small cells, at the cost of one cheap Poisson
//! sample per cell.
//!
//! Why not conditional binomials (numpy's `multinomial`, [`super::resample_counts`])? A battle
//! bootstrap redraws every unique (pair, outcome) row each round: 93,000 rows at 250 models. A
//! binomial whose `n` and `p` change at every row pays its set-up each time (BTPE's constants, or
//! `q^n` for inversion), ≈ 130 ns a row, and that draw was 80 % of a 1000-round bootstrap. Here
//! every row's Poisson rate is fixed for the whole bootstrap, so its constants are computed once.
//!
//! The draw is exact, by Poissonisation: with `Xᵢ ~ Poisson(λ pᵢ)` independent and `λ` a little
//! below the total `N`, the `Xᵢ` given their sum `S` are multinomial(S, p); when `S ≤ N`, the other
//! `N − S` items are drawn one by one from p (about `4√N` of them), and the sum of two independent
//! multinomials with the same p is multinomial(N, p). A draw with `S > N` (probability ≈ 3·10⁻⁵) is
//! thrown away whole, which conditions only on `S` and so keeps the law.

use rand::Rng;

/// How many Poissonised draws may overshoot before the (slower, exact) sequential binomials are
/// used instead: at ≈ 3·10⁻⁵ per try this never happens outside a test that forces it.
const MAX_TRIES: u32 = 32;

/// Rates below this are drawn by inversion (a short search from 0); larger ones by PTRS
/// (Hörmann's transformed rejection with squeeze), as numpy does.
const INVERSION_BELOW: f64 = 10.0;

/// One cell's Poisson sampler, its constants computed once.
#[derive(Debug, Clone, Copy)]
enum PoissonCell {
    Zero,
    Inversion { lambda: f64, exp_neg: f64 },
    Ptrs(Ptrs),
}

/// PTRS constants for one rate (W. Hörmann, "The transformed rejection method for generating
/// Poisson random variables", 1993; the constants numpy's `random_poisson_ptrs` uses).
#[derive(Debug, Clone, Copy)]
struct Ptrs {
    lambda: f64,
    log_lambda: f64,
    a: f64,
    b: f64,
    log_inv_alpha: f64,
    v_r: f64,
}

impl PoissonCell {
    fn new(lambda: f64) -> Self {
        if lambda.is_nan() || lambda <= 0.0 {
            return Self::Zero;
        }
        if lambda < INVERSION_BELOW {
            return Self::Inversion { lambda, exp_neg: (-lambda).exp() };
        }
        let slam = lambda.sqrt();
        let b = 0.931 + 2.53 * slam;
        Self::Ptrs(Ptrs {
            lambda,
            log_lambda: lambda.ln(),
            a: -0.059 + 0.02483 * b,
            b,
            log_inv_alpha: (1.1239 + 1.1328 / (b - 3.4)).ln(),
            v_r: 0.9277 - 3.6224 / (b - 2.0),
        })
    }

    fn sample<R: Rng>(&self, rng: &mut R) -> u64 {
        match *self {
            Self::Zero => 0,
            Self::Inversion { lambda, exp_neg } => {
                let u: f64 = rng.gen();
                let (mut k, mut p) = (0u64, exp_neg);
                let mut cdf = p;
                // The cap only guards against a cdf that rounding keeps just below u.
                while u > cdf && k < 1_000 {
                    k += 1;
                    p *= lambda / k as f64;
                    cdf += p;
                }
                k
            }
            Self::Ptrs(c) => loop {
                let u = rng.gen::<f64>() - 0.5;
                let v: f64 = rng.gen();
                let us = 0.5 - u.abs();
                let k = ((2.0 * c.a / us + c.b) * u + c.lambda + 0.43).floor();
                if us >= 0.07 && v <= c.v_r {
                    return k as u64;
                }
                if k < 0.0 || (us < 0.013 && v > us) {
                    continue;
                }
                let log_accept = v.ln() + c.log_inv_alpha - (c.a / (us * us) + c.b).ln();
                if log_accept <= -c.lambda + k * c.log_lambda - ln_factorial(k) {
                    return k as u64;
                }
            },
        }
    }
}

/// ln k! for a whole k ≥ 0: the Stirling series numpy's `random_loggam` uses, shifted up to 7
/// for small arguments.
fn ln_factorial(k: f64) -> f64 {
    const A: [f64; 10] = [
        8.333_333_333_333_333e-2,
        -2.777_777_777_777_778e-3,
        7.936_507_936_507_937e-4,
        -5.952_380_952_380_952e-4,
        8.417_508_417_508_418e-4,
        -1.917_526_917_526_918e-3,
        6.410_256_410_256_41e-3,
        -2.955_065_359_477_124e-2,
        1.796_443_723_688_307e-1,
        -1.392_432_216_905_9,
    ];
    let x = k + 1.0;
    if x == 1.0 || x == 2.0 {
        return 0.0;
    }
    let shift = if x < 7.0 { (7.0 - x).floor() } else { 0.0 };
    let mut x0 = x + shift;
    let x2 = 1.0 / (x0 * x0);
    let series = A.iter().rev().skip(1).fold(A[9], |acc, &a| acc * x2 + a);
    let mut gl = series / x0 + 0.5 * (2.0 * std::f64::consts::PI).ln() + (x0 - 0.5) * x0.ln() - x0;
    for _ in 0..shift as u32 {
        gl -= (x0 - 1.0).ln();
        x0 -= 1.0;
    }
    gl
}

/// Multinomial(total, counts / Σ counts) draws, set up once for many rounds.
#[derive(Debug, Clone)]
pub struct MultinomialSampler {
    cells: Vec<PoissonCell>,
    counts: Vec<u64>,
    total: u64,
    /// Running sums of `counts` (inclusive): item x in [0, Σ counts) is in the first cell whose
    /// running sum exceeds x.
    cumulative: Vec<u64>,
    /// For each of `guide.len()` equal slices of [0, Σ counts), the first cell an item in it can
    /// fall in, so finding a cell takes a step or two.
    guide: Vec<u32>,
}

impl MultinomialSampler {
    pub fn new(counts: &[u64], total: u64) -> Self {
        let mut cumulative = Vec::with_capacity(counts.len());
        let mut sum = 0u64;
        for &c in counts {
            sum = sum.saturating_add(c);
            cumulative.push(sum);
        }
        // λ = N (1 − ε) with ε = 4/√N: the leftover N − S is ≈ 4√N items, S > N once in ≈ 3·10⁴.
        let n = total as f64;
        let shrink = if total == 0 { 0.0 } else { (1.0 - 4.0 / n.sqrt()).max(0.5) };
        let scale = if sum == 0 { 0.0 } else { n * shrink / sum as f64 };
        let cells = counts.iter().map(|&c| PoissonCell::new(c as f64 * scale)).collect();
        let slices = counts.len().max(1);
        let mut guide = Vec::with_capacity(slices);
        let mut cell = 0usize;
        for slice in 0..slices {
            let start = (u128::from(sum) * slice as u128 / slices as u128) as u64;
            while cell + 1 < cumulative.len() && cumulative[cell] <= start {
                cell += 1;
            }
            guide.push(cell as u32);
        }
        Self { cells, counts: counts.to_vec(), total, cumulative, guide }
    }

    /// One draw into `out` (one count per cell, summing to the total).
    pub fn draw<R: Rng>(&self, rng: &mut R, out: &mut Vec<u64>) {
        let sum = self.cumulative.last().copied().unwrap_or(0);
        if sum == 0 || self.total == 0 {
            out.clear();
            out.resize(self.cells.len(), 0);
            return;
        }
        for _ in 0..MAX_TRIES {
            out.clear();
            let mut drawn = 0u64;
            for cell in &self.cells {
                let k = cell.sample(rng);
                drawn = drawn.saturating_add(k);
                out.push(k);
            }
            if drawn <= self.total {
                for _ in drawn..self.total {
                    let item = rng.gen_range(0..sum);
                    let slice =
                        (u128::from(item) * self.guide.len() as u128 / u128::from(sum)) as usize;
                    let mut cell = self.guide.get(slice).map_or(0, |&c| c as usize);
                    while self.cumulative.get(cell).is_some_and(|&c| c <= item) {
                        cell += 1;
                    }
                    if let Some(slot) = out.get_mut(cell) {
                        *slot += 1;
                    }
                }
                return;
            }
        }
        super::resample_counts(&self.counts, self.total, rng, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Means, variances and one covariance of many draws against the multinomial's, within five
    /// standard errors; cells on both sides of the inversion/PTRS switch, a zero cell, and a total
    /// that differs from the counts' sum.
    #[test]
    fn draws_have_the_multinomial_moments() {
        let counts = [3u64, 0, 40, 900, 1, 7, 15_000];
        let sum: u64 = counts.iter().sum();
        for total in [sum, 5_000, 37] {
            let sampler = MultinomialSampler::new(&counts, total);
            let mut rng = super::super::rng(11);
            let rounds = 40_000;
            let mut out = Vec::new();
            let (mut s1, mut s2) = ([0f64; 7], [0f64; 7]);
            let mut cross = 0f64;
            for _ in 0..rounds {
                sampler.draw(&mut rng, &mut out);
                assert_eq!(out.iter().sum::<u64>(), total);
                assert_eq!(out[1], 0);
                for i in 0..7 {
                    s1[i] += out[i] as f64;
                    s2[i] += (out[i] * out[i]) as f64;
                }
                cross += (out[2] * out[3]) as f64;
            }
            let r = rounds as f64;
            let n = total as f64;
            for i in 0..7 {
                let p = counts[i] as f64 / sum as f64;
                let (mean, var) = (n * p, n * p * (1.0 - p));
                let got_mean = s1[i] / r;
                let got_var = s2[i] / r - got_mean * got_mean;
                let se_mean = (var / r).sqrt().max(1e-9);
                assert!(
                    (got_mean - mean).abs() < 5.0 * se_mean + 1e-9,
                    "{total} {i}: mean {got_mean} vs {mean}"
                );
                // Var of the sample variance ≈ (μ₄ − σ⁴)/r, μ₄ ≈ σ² + 3σ⁴ for these nearly
                // Poisson cells (rare ones included).
                let se_var = ((var + 2.0 * var * var) / r).sqrt() + 1e-9;
                assert!(
                    (got_var - var).abs() < 5.0 * se_var,
                    "{total} {i}: var {got_var} vs {var}"
                );
            }
            let (p2, p3) = (counts[2] as f64 / sum as f64, counts[3] as f64 / sum as f64);
            let cov = cross / r - (s1[2] / r) * (s1[3] / r);
            let want = -n * p2 * p3;
            let scale = (n * p2 * (1.0 - p2) * n * p3 * (1.0 - p3)).sqrt();
            assert!(
                (cov - want).abs() < 5.0 * scale / r.sqrt() + 1e-9,
                "{total}: cov {cov} vs {want}"
            );
        }
    }

    #[test]
    fn the_same_generator_gives_the_same_draw_and_empty_inputs_give_zeros() {
        let sampler = MultinomialSampler::new(&[5, 50, 500], 555);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        sampler.draw(&mut super::super::rng(3), &mut a);
        sampler.draw(&mut super::super::rng(3), &mut b);
        assert_eq!(a, b);
        let mut out = vec![9];
        MultinomialSampler::new(&[0, 0], 10).draw(&mut super::super::rng(1), &mut out);
        assert_eq!(out, [0, 0]);
        MultinomialSampler::new(&[], 0).draw(&mut super::super::rng(1), &mut out);
        assert!(out.is_empty());
    }

    /// One cell's draws against the Poisson pmf, by a chi-square over the bins expecting ≥ 20
    /// draws: for a rate on each side of the inversion/PTRS switch and a large one.
    #[test]
    fn each_cell_is_poisson() {
        for lambda in [0.3, 4.2, 9.99, 10.0, 38.7, 2_500.0] {
            let cell = PoissonCell::new(lambda);
            let mut rng = super::super::rng(7);
            let draws = 200_000u32;
            let mut hist = std::collections::BTreeMap::<u64, f64>::new();
            for _ in 0..draws {
                *hist.entry(cell.sample(&mut rng)).or_default() += 1.0;
            }
            let (mut chi2, mut bins, mut rest_seen, mut rest_expected) = (0.0, 0u32, 0.0, 0.0);
            for k in 0..(lambda * 3.0 + 40.0) as u64 {
                let log_pmf = -lambda + k as f64 * lambda.ln() - ln_factorial(k as f64);
                let expected = f64::from(draws) * log_pmf.exp();
                let seen = hist.get(&k).copied().unwrap_or(0.0);
                if expected >= 20.0 {
                    chi2 += (seen - expected).powi(2) / expected;
                    bins += 1;
                } else {
                    (rest_seen, rest_expected) = (rest_seen + seen, rest_expected + expected);
                }
            }
            chi2 += (rest_seen - rest_expected).powi(2) / rest_expected.max(1.0);
            let df = f64::from(bins);
            assert!(chi2 < df + 6.0 * (2.0 * df).sqrt(), "λ {lambda}: χ² {chi2} on {bins} bins");
        }
    }

    #[test]
    fn ln_factorial_matches_the_products() {
        let mut exact = 0f64;
        for k in 0..200u32 {
            if k > 0 {
                exact += f64::from(k).ln();
            }
            let got = ln_factorial(f64::from(k));
            assert!((got - exact).abs() < 1e-10 * exact.max(1.0), "{k}: {got} vs {exact}");
        }
    }
}
