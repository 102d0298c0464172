//! Shared numerics used by several analyses: percentiles as numpy computes them, seeded random
//! number generators, multinomial resampling of counts (one draw, or many from one set-up), and (in the submodules) the one home of
//! the logistic helpers, dense SPD algebra and normal quantiles.

pub mod linalg;
pub mod logistic;
pub mod multinomial;
pub mod normal;
mod poisson;

pub use linalg::{solve_spd, solve_spd_fixed};
pub use logistic::{sigmoid, softplus};
pub use multinomial::MultinomialSampler;
pub use normal::{normal_quantile, Z_975};

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

/// The generator every analysis uses, so a seed means the same thing everywhere.
pub type SeededRng = Pcg64;

/// A generator from a user-visible seed.
pub fn rng(seed: u64) -> SeededRng {
    Pcg64::seed_from_u64(seed)
}

/// Percentile `q` in [0, 1] of already sorted, finite values, with linear interpolation between
/// order statistics (numpy's and pandas' default). NaN for an empty slice.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let q = q.clamp(0.0, 1.0);
    let pos = q * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    let frac = pos - lo as f64;
    sorted[lo] + (sorted[hi] - sorted[lo]) * frac
}

/// Percentile of unsorted values; NaNs are ignored.
pub fn quantile(values: &[f64], q: f64) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    v.sort_by(f64::total_cmp);
    quantile_sorted(&v, q)
}

/// Draws `total` items with replacement from categories weighted by `counts` and returns how many
/// landed in each category: a multinomial(total, counts / sum) sample. This is what resampling
/// the underlying rows with replacement does to their counts, at O(categories + total) cost.
pub fn resample_counts<R: Rng>(counts: &[u64], total: u64, rng: &mut R, out: &mut Vec<u64>) {
    out.clear();
    out.resize(counts.len(), 0);
    let sum: u64 = counts.iter().sum();
    if sum == 0 || total == 0 {
        return;
    }
    // Sequential conditional binomials: exact and allocation-free.
    let mut remaining_total = total;
    let mut remaining_weight = sum;
    for (i, &c) in counts.iter().enumerate() {
        if remaining_total == 0 {
            break;
        }
        if i + 1 == counts.len() || c == remaining_weight {
            out[i] = remaining_total;
            break;
        }
        let p = c as f64 / remaining_weight as f64;
        let k = binomial(remaining_total, p, rng);
        out[i] = k;
        remaining_total -= k;
        remaining_weight -= c;
    }
}

/// Binomial(n, p) sample: inversion for small means, a normal-corrected BTPE-free method
/// (sum of geometric waiting times) is too slow for large n, so large n uses the exact
/// splitting recursion on the median.
pub fn binomial<R: Rng>(n: u64, p: f64, rng: &mut R) -> u64 {
    if n == 0 || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    if p > 0.5 {
        return n - binomial(n, 1.0 - p, rng);
    }
    if (n as f64) * p < 30.0 {
        // Inversion by sequential search over the pmf.
        let q = 1.0 - p;
        let s = p / q;
        let a = (n as f64 + 1.0) * s;
        let mut r = q.powf(n as f64);
        let mut u: f64 = rng.gen();
        let mut x = 0u64;
        loop {
            if u < r {
                return x;
            }
            u -= r;
            x += 1;
            if x > n {
                return n;
            }
            r *= a / x as f64 - s;
            if r <= 0.0 {
                return x.min(n);
            }
        }
    }
    // Exact recursion: the i-th order statistic of n uniforms is Beta(i, n+1-i); split there.
    let i = n.div_ceil(2);
    let y = beta(i as f64, (n + 1 - i) as f64, rng);
    if y >= p {
        binomial(i - 1, p / y, rng)
    } else {
        i + binomial(n - i, (p - y) / (1.0 - y), rng)
    }
}

fn beta<R: Rng>(a: f64, b: f64, rng: &mut R) -> f64 {
    let x = gamma(a, rng);
    let y = gamma(b, rng);
    x / (x + y)
}

/// Gamma(shape, 1) by Marsaglia–Tsang.
fn gamma<R: Rng>(shape: f64, rng: &mut R) -> f64 {
    if shape < 1.0 {
        let u: f64 = rng.gen();
        return gamma(shape + 1.0, rng) * u.powf(1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = standard_normal(rng);
        let v = 1.0 + c * x;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let u: f64 = rng.gen();
        if u < 1.0 - 0.0331 * x * x * x * x || u.ln() < 0.5 * x * x + d * (1.0 - v + v.ln()) {
            return d * v;
        }
    }
}

/// Standard normal by the polar Box–Muller method.
pub fn standard_normal<R: Rng>(rng: &mut R) -> f64 {
    loop {
        let u: f64 = rng.gen::<f64>() * 2.0 - 1.0;
        let v: f64 = rng.gen::<f64>() * 2.0 - 1.0;
        let s = u * u + v * v;
        if s > 0.0 && s < 1.0 {
            return u * (-2.0 * s.ln() / s).sqrt();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_matches_numpy_linear() {
        // numpy.percentile([1, 2, 3, 4], [2.5, 50, 97.5]) = [1.075, 2.5, 3.925]
        let v = [4.0, 1.0, 3.0, 2.0];
        assert!((quantile(&v, 0.025) - 1.075).abs() < 1e-12);
        assert!((quantile(&v, 0.5) - 2.5).abs() < 1e-12);
        assert!((quantile(&v, 0.975) - 3.925).abs() < 1e-12);
        assert!(quantile(&[], 0.5).is_nan());
    }

    #[test]
    fn resampled_counts_keep_total_and_mean() {
        let counts = [10u64, 0, 30, 60];
        let mut r = rng(7);
        let mut out = Vec::new();
        let mut sums = [0f64; 4];
        for _ in 0..2000 {
            resample_counts(&counts, 100, &mut r, &mut out);
            assert_eq!(out.iter().sum::<u64>(), 100);
            assert_eq!(out[1], 0);
            for (s, &o) in sums.iter_mut().zip(&out) {
                *s += o as f64;
            }
        }
        for (s, &c) in sums.iter().zip(&counts) {
            assert!((s / 2000.0 - c as f64).abs() < 1.0, "{s} vs {c}");
        }
    }

    #[test]
    fn large_binomial_has_right_moments() {
        let mut r = rng(1);
        let n = 1_000_000u64;
        let p = 0.3;
        let draws: Vec<f64> = (0..400).map(|_| binomial(n, p, &mut r) as f64).collect();
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        let var = draws.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (draws.len() - 1) as f64;
        assert!((mean - 300_000.0).abs() < 3.0 * (210_000.0f64 / 400.0).sqrt() * 2.0);
        assert!((var / 210_000.0 - 1.0).abs() < 0.25, "var {var}");
    }
}
