//! Multinomial draws for bootstraps over many small cells, at the cost of one cheap Poisson
//! sample per cell.
//!
//! Why not conditional binomials (numpy's `multinomial`, [`super::resample_counts`])? A battle
//! bootstrap redraws every unique (pair, outcome) row each round: 93,000 rows at 250 models. A
//! binomial whose `n` and `p` change at every row pays its set-up each time (BTPE's constants, or
//! `q^n` for inversion), ≈ 130 ns a row, and that draw was 80 % of a 1000-round bootstrap. Here
//! every row's Poisson rate is fixed for the whole bootstrap, so its set-up (a tabulated
//! distribution, or PTRS constants for large rates: [`super::poisson`]) is computed once.
//!
//! The draw is exact, by Poissonisation: with `Xᵢ ~ Poisson(λ pᵢ)` independent and `λ` a little
//! below the total `N`, the `Xᵢ` given their sum `S` are multinomial(S, p); when `S ≤ N`, the other
//! `N − S` items are drawn one by one from p (about `4√N` of them), and the sum of two independent
//! multinomials with the same p is multinomial(N, p). A draw with `S > N` (probability ≈ 3·10⁻⁵) is
//! thrown away whole, which conditions only on `S` and so keeps the law.

use rand::Rng;

use super::poisson::PoissonCells;

/// How many Poissonised draws may overshoot before the (slower, exact) sequential binomials are
/// used instead: at ≈ 3·10⁻⁵ per try this never happens outside a test that forces it.
const MAX_TRIES: u32 = 32;

/// Multinomial(total, counts / Σ counts) draws, set up once for many rounds.
#[derive(Debug, Clone)]
pub struct MultinomialSampler {
    cells: PoissonCells,
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
        let rates: Vec<f64> = counts.iter().map(|&c| c as f64 * scale).collect();
        let cells = PoissonCells::new(&rates);
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
            let drawn = self.cells.draw_all(rng, out);
            if drawn <= self.total {
                // An item is ⌊u·sum / 2⁶⁴⌋ of a uniform 64-bit u (Lemire's multiply, rejecting
                // the 2⁶⁴ mod sum values of u that would favour some items), and its guide slice
                // ⌊u·slices / 2⁶⁴⌋ from the same u, which never lies past the item's cell: no
                // 128-bit division per item.
                let reject_below = sum.wrapping_neg() % sum;
                let slices = self.guide.len() as u128;
                for _ in drawn..self.total {
                    let (item, slice) = loop {
                        let u = u128::from(rng.next_u64());
                        let m = u * u128::from(sum);
                        if m as u64 >= reject_below {
                            break ((m >> 64) as u64, ((u * slices) >> 64) as usize);
                        }
                    };
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
}
