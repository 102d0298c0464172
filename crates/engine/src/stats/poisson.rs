//! Poisson samplers for many cells whose rates stay fixed over many draws: the inner loop of a
//! Poissonised bootstrap ([`super::MultinomialSampler`]).
//!
//! Why tables: a bootstrap of battles draws one Poisson per unique (pair, outcome) row per
//! round, 21,000 rows at 120 models and 93,000 at 250, a thousand times over. The rows' rates
//! are their counts times one scale, so however many rows there are, they have only as many
//! rates as distinct counts (a few hundred). Every rate up to [`TABLE_UP_TO`] gets its cumulative
//! distribution tabulated once, with a guide table (Chen and Asau's "indexed search"), so a draw
//! is one uniform and a compare or two: the same F⁻¹(u) the inversion loop computes, from the
//! same recurrence, without its loop, its divisions, or PTRS's two uniforms and logarithms.
//! Larger rates keep PTRS.

use rand::Rng;

/// Rates up to this get a table. Above it PTRS is cheap enough (its fast acceptance rises with
/// the rate) and a table would grow as the rate does.
const TABLE_UP_TO: f64 = 256.0;

/// At most this many tabulated probabilities in all (4 MB): rates past it use the sampler they
/// would have without tables. Distinct rates up to 256 need far fewer (≈ 75,000 when every
/// count from 1 to 256 occurs).
const MAX_TABLE_ENTRIES: usize = 1 << 19;

/// Rates below this, when not tabulated, are drawn by inversion (a short search from 0); larger
/// ones by PTRS (Hörmann's transformed rejection with squeeze), as numpy does.
const INVERSION_BELOW: f64 = 10.0;

/// A cell's sampler, packed in one word so the per-round pass over the cells streams 4 bytes a
/// cell: [`ZERO`], a table index, or [`PTRS`] | an index into the PTRS constants.
const ZERO: u32 = u32::MAX;
const PTRS: u32 = 1 << 31;

/// One rate's tabulated distribution: `cdf[start..start + len]` and `guide[guide_start..][..len]`.
#[derive(Debug, Clone, Copy)]
struct Table {
    lambda: f64,
    start: u32,
    len: u32,
    guide_start: u32,
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

impl Ptrs {
    fn new(lambda: f64) -> Self {
        let slam = lambda.sqrt();
        let b = 0.931 + 2.53 * slam;
        Self {
            lambda,
            log_lambda: lambda.ln(),
            a: -0.059 + 0.02483 * b,
            b,
            log_inv_alpha: (1.1239 + 1.1328 / (b - 3.4)).ln(),
            v_r: 0.9277 - 3.6224 / (b - 2.0),
        }
    }

    fn sample<R: Rng>(&self, rng: &mut R) -> u64 {
        loop {
            let u = rng.gen::<f64>() - 0.5;
            let v: f64 = rng.gen();
            let us = 0.5 - u.abs();
            let k = ((2.0 * self.a / us + self.b) * u + self.lambda + 0.43).floor();
            if us >= 0.07 && v <= self.v_r {
                return k as u64;
            }
            if k < 0.0 || (us < 0.013 && v > us) {
                continue;
            }
            let log_accept = v.ln() + self.log_inv_alpha - (self.a / (us * us) + self.b).ln();
            if log_accept <= -self.lambda + k * self.log_lambda - ln_factorial(k) {
                return k as u64;
            }
        }
    }
}

/// F⁻¹(u) of Poisson(λ) by a search from 0: the first k whose cumulative probability exceeds u,
/// with the pmf from p₀ = e^(−λ) by pₖ = pₖ₋₁ λ / k. The tables hold these very sums.
fn inversion(lambda: f64, u: f64) -> u64 {
    let (mut k, mut p) = (0u64, (-lambda).exp());
    let mut cdf = p;
    // The cap only guards against a cdf that rounding keeps at or below u.
    let cap = (lambda + 40.0 * lambda.sqrt() + 64.0) as u64;
    while cdf <= u && k < cap {
        k += 1;
        p *= lambda / k as f64;
        cdf += p;
    }
    k
}

/// Poisson samplers for a fixed list of rates, one per cell.
#[derive(Debug, Clone, Default)]
pub(super) struct PoissonCells {
    codes: Vec<u32>,
    /// The cells ordered by their sampler, and the runs of one sampler in that order: a round
    /// draws sampler by sampler, so each table is fetched into cache once rather than once a row
    /// (in row order the lookups were cache misses, most of a draw's cost).
    by_sampler: Vec<u32>,
    runs: Vec<(u32, u32, u32)>,
    tables: Vec<Table>,
    cdf: Vec<f64>,
    guide: Vec<u32>,
    ptrs: Vec<Ptrs>,
}

impl PoissonCells {
    /// Samplers for `rates` (one cell each; NaN or ≤ 0 draws 0).
    pub(super) fn new(rates: &[f64]) -> Self {
        let mut cells = Self::default();
        let mut table_of = std::collections::HashMap::<u64, u32>::new();
        for &lambda in rates {
            let code = if lambda.is_nan() || lambda <= 0.0 {
                ZERO
            } else if let Some(&t) = table_of.get(&lambda.to_bits()) {
                t
            } else if let Some(t) = cells.tabulate(lambda) {
                table_of.insert(lambda.to_bits(), t);
                t
            } else {
                cells.ptrs.push(Ptrs::new(lambda));
                PTRS | (cells.ptrs.len() - 1) as u32
            };
            cells.codes.push(code);
        }
        let mut order: Vec<u32> = (0..cells.codes.len() as u32).collect();
        order.sort_by_key(|&cell| cells.codes[cell as usize]);
        let mut from = 0usize;
        while let Some(&first) = order.get(from) {
            let code = cells.codes[first as usize];
            let len =
                order[from..].iter().take_while(|&&c| cells.codes[c as usize] == code).count();
            if code != ZERO {
                cells.runs.push((code, from as u32, (from + len) as u32));
            }
            from += len;
        }
        cells.by_sampler = order;
        cells
    }

    /// Tabulates F for `lambda`; None when it is too large or the entries would pass the cap
    /// (or an index would not fit the packing).
    fn tabulate(&mut self, lambda: f64) -> Option<u32> {
        if lambda > TABLE_UP_TO || self.tables.len() >= (PTRS - 1) as usize {
            return None;
        }
        let start = self.cdf.len();
        let cap = (lambda + 40.0 * lambda.sqrt() + 64.0) as usize;
        if start + cap > MAX_TABLE_ENTRIES {
            return None;
        }
        // The same recurrence and summation order as `inversion`, so both give the same F⁻¹(u).
        let (mut k, mut p) = (0usize, (-lambda).exp());
        let mut cdf = p;
        self.cdf.push(cdf);
        // Past the mean, stop once the tail left is below one part in 10¹⁸; a u beyond the last
        // entry (about that rare) is searched by `inversion`.
        while k < cap && ((k as f64) <= lambda || p > 1e-18 * cdf) {
            k += 1;
            p *= lambda / k as f64;
            cdf += p;
            self.cdf.push(cdf);
        }
        let len = self.cdf.len() - start;
        let guide_start = self.guide.len();
        let entries = &self.cdf[start..];
        let mut at = 0usize;
        for slice in 0..len {
            let from = slice as f64 / len as f64;
            while at + 1 < len && entries[at] <= from {
                at += 1;
            }
            self.guide.push(at as u32);
        }
        self.tables.push(Table {
            lambda,
            start: start as u32,
            len: len as u32,
            guide_start: guide_start as u32,
        });
        Some((self.tables.len() - 1) as u32)
    }

    /// How many cells.
    pub(super) fn len(&self) -> usize {
        self.codes.len()
    }

    /// One draw for every cell into `out` (cleared first); returns their sum.
    pub(super) fn draw_all<R: Rng>(&self, rng: &mut R, out: &mut Vec<u64>) -> u64 {
        out.clear();
        out.resize(self.codes.len(), 0);
        let mut sum = 0u64;
        for &(code, from, to) in &self.runs {
            let cells = self.by_sampler.get(from as usize..to as usize).unwrap_or_default();
            for &cell in cells {
                let k = self.sample_code(code, rng);
                sum = sum.saturating_add(k);
                if let Some(slot) = out.get_mut(cell as usize) {
                    *slot = k;
                }
            }
        }
        sum
    }

    fn sample_code<R: Rng>(&self, code: u32, rng: &mut R) -> u64 {
        if code == ZERO {
            return 0;
        }
        if code & PTRS != 0 {
            return match self.ptrs.get((code & !PTRS) as usize) {
                Some(c) if c.lambda < INVERSION_BELOW => inversion(c.lambda, rng.gen()),
                Some(c) => c.sample(rng),
                None => 0,
            };
        }
        let Some(t) = self.tables.get(code as usize) else { return 0 };
        let u: f64 = rng.gen();
        self.lookup(t, u)
    }

    /// F⁻¹(u) from table `t`: the guide names the first entry u's slice of [0, 1) can map to.
    fn lookup(&self, t: &Table, u: f64) -> u64 {
        let (start, len) = (t.start as usize, t.len as usize);
        let entries = self.cdf.get(start..start + len).unwrap_or_default();
        let slice = ((u * len as f64) as usize).min(len.saturating_sub(1));
        let mut k = self.guide.get(t.guide_start as usize + slice).map_or(0, |&g| g as usize);
        // `u * len` may round up into the next slice, whose guide can be one entry too far.
        while k > 0 && entries.get(k - 1).is_some_and(|&c| c > u) {
            k -= 1;
        }
        // Most slices hold at most one step of F: one branch-free step, then a loop that is
        // rarely entered (a mispredicted branch a draw was most of the lookup's cost).
        k += usize::from(entries.get(k).is_some_and(|&c| c <= u));
        while entries.get(k).is_some_and(|&c| c <= u) {
            k += 1;
        }
        if k < len {
            k as u64
        } else {
            inversion(t.lambda, u)
        }
    }

    #[cfg(test)]
    fn sample<R: Rng>(&self, cell: usize, rng: &mut R) -> u64 {
        self.codes.get(cell).map_or(0, |&code| self.sample_code(code, rng))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// One cell's draws against the Poisson pmf, by a chi-square over the bins expecting ≥ 20
    /// draws: tabulated rates (small, around the old inversion/PTRS switch, at the table's
    /// limit), and PTRS's (just past the limit, large).
    #[test]
    fn each_cell_is_poisson() {
        for lambda in [0.3, 4.2, 9.99, 10.0, 38.7, 255.9, 256.5, 2_500.0] {
            let cells = PoissonCells::new(&[lambda]);
            let mut rng = super::super::rng(7);
            let draws = 200_000u32;
            let mut hist = std::collections::BTreeMap::<u64, f64>::new();
            for _ in 0..draws {
                *hist.entry(cells.sample(0, &mut rng)).or_default() += 1.0;
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

    /// The table's F⁻¹(u) is the inversion loop's, for every u on a fine grid and at the very
    /// top of [0, 1) (past the last entry, where the lookup hands over to the loop).
    #[test]
    fn tables_invert_exactly_as_the_loop_does() {
        let rates = [0.01, 0.7, 3.0, 9.5, 47.25, 200.0, 256.0];
        let cells = PoissonCells::new(&rates);
        assert_eq!(cells.tables.len(), rates.len());
        assert!(cells.ptrs.is_empty());
        for (t, &lambda) in cells.tables.iter().zip(&rates) {
            let grid = (0..200_000).map(|i| f64::from(i) / 200_000.0);
            for u in grid.chain([1.0 - f64::EPSILON / 2.0, 0.999_999_999_999]) {
                assert_eq!(cells.lookup(t, u), inversion(lambda, u), "λ {lambda}, u {u}");
            }
        }
    }

    /// Equal rates share one table; rates past the limit, zero and NaN take the other paths.
    #[test]
    fn rates_are_sorted_into_tables_ptrs_and_zero() {
        let cells = PoissonCells::new(&[5.0, 0.0, 5.0, 300.0, f64::NAN, 5.5, -1.0]);
        assert_eq!(cells.len(), 7);
        assert_eq!(cells.tables.len(), 2);
        assert_eq!(cells.ptrs.len(), 1);
        let mut rng = super::super::rng(1);
        let mut out = Vec::new();
        let sum = cells.draw_all(&mut rng, &mut out);
        assert_eq!(out.iter().sum::<u64>(), sum);
        assert_eq!((out[1], out[4], out[6]), (0, 0, 0));
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
