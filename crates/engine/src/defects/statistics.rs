//! Answer-key bias: how keys spread over positions (a χ² test against uniform, per file and
//! pooled), and how often the key is the longest option against what chance gives. Test-takers
//! and models exploit both; a benchmark should not reward them.

use serde::{Deserialize, Serialize};

use super::items::ItemSet;

/// Key counts by position, for items with a valid key and `options` options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PositionStats {
    /// File name, or "all" for the pooled row.
    pub scope: String,
    /// Options per item counted (items with another count are left out).
    pub options: usize,
    /// Items counted per key position (A, B, …).
    pub counts: Vec<u64>,
    pub n: u64,
    /// Pearson χ² against a uniform key distribution.
    pub chi2: f64,
    pub df: usize,
    /// Upper-tail p-value of `chi2` with `df` degrees of freedom (scipy.stats.chisquare).
    pub p_value: f64,
}

/// How often the key is (one of) the longest option(s).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LongestStats {
    pub scope: String,
    /// Items with a key and at least two options.
    pub n: u64,
    /// Items whose key is among the longest options (by characters, trimmed).
    pub key_longest: u64,
    pub rate: f64,
    /// What a random key position gives: mean over items of (#longest options / #options).
    pub chance: f64,
    /// (observed − expected) / sd under that chance model (sum of Bernoullis).
    pub z: f64,
    /// Two-sided normal p-value of `z`.
    pub p_value: f64,
}

/// Position statistics per file and pooled over files with the same modal option count.
pub fn positions(set: &ItemSet) -> Vec<PositionStats> {
    let mut out = Vec::new();
    let mut pooled: Option<(usize, Vec<u64>)> = None;
    let mut mixed = false;
    for (f, file) in set.files.iter().enumerate() {
        let k = file.modal_options;
        if k < 2 || file.key_style == super::items::KeyStyle::None {
            continue;
        }
        let mut counts = vec![0u64; k];
        for it in set.items.iter().filter(|i| i.file == f && i.options.len() == k) {
            if let Some(key) = it.key {
                counts[key] += 1;
            }
        }
        match &mut pooled {
            None => pooled = Some((k, counts.clone())),
            Some((pk, pc)) if *pk == k => pc.iter_mut().zip(&counts).for_each(|(a, b)| *a += b),
            Some(_) => mixed = true,
        }
        out.push(position_row(file.name.clone(), counts));
    }
    if let (Some((_, counts)), false) = (pooled, mixed) {
        if out.len() > 1 {
            out.push(position_row("all".into(), counts));
        }
    }
    out
}

fn position_row(scope: String, counts: Vec<u64>) -> PositionStats {
    let n: u64 = counts.iter().sum();
    let k = counts.len();
    let expected = n as f64 / k as f64;
    let chi2 = if n == 0 {
        0.0
    } else {
        counts.iter().map(|&c| (c as f64 - expected).powi(2) / expected).sum()
    };
    let df = k.saturating_sub(1);
    PositionStats { scope, options: k, counts, n, chi2, df, p_value: chi2_sf(chi2, df as f64) }
}

/// Longest-option statistics per file and pooled.
pub fn longest(set: &ItemSet) -> Vec<LongestStats> {
    let mut per_file: Vec<(u64, u64, f64, f64)> = vec![(0, 0, 0.0, 0.0); set.files.len()];
    for it in &set.items {
        let Some(key) = it.key else { continue };
        if it.options.len() < 2 || it.tqa.is_some() {
            continue;
        }
        let lens: Vec<usize> = it.options.iter().map(|o| o.trim().chars().count()).collect();
        let max = lens.iter().copied().max().unwrap_or(0);
        let tied = lens.iter().filter(|&&l| l == max).count();
        let p = tied as f64 / lens.len() as f64;
        let e = &mut per_file[it.file];
        e.0 += 1;
        e.1 += u64::from(lens[key] == max);
        e.2 += p;
        e.3 += p * (1.0 - p);
    }
    let mut out = Vec::new();
    let mut total = (0, 0, 0.0, 0.0);
    for (f, e) in per_file.iter().enumerate() {
        if e.0 == 0 {
            continue;
        }
        total = (total.0 + e.0, total.1 + e.1, total.2 + e.2, total.3 + e.3);
        out.push(longest_row(set.files[f].name.clone(), *e));
    }
    if out.len() > 1 {
        out.push(longest_row("all".into(), total));
    }
    out
}

fn longest_row(scope: String, (n, hits, expected, var): (u64, u64, f64, f64)) -> LongestStats {
    let z = if var > 0.0 { (hits as f64 - expected) / var.sqrt() } else { 0.0 };
    LongestStats {
        scope,
        n,
        key_longest: hits,
        rate: hits as f64 / n as f64,
        chance: expected / n as f64,
        z,
        p_value: erfc(z.abs() / std::f64::consts::SQRT_2),
    }
}

/// Upper tail of the χ² distribution: Q(df/2, x/2), the regularised upper incomplete gamma.
pub fn chi2_sf(x: f64, df: f64) -> f64 {
    if df <= 0.0 || x.is_nan() {
        return f64::NAN;
    }
    if x <= 0.0 {
        return 1.0;
    }
    gamma_q(df / 2.0, x / 2.0)
}

fn gamma_q(a: f64, x: f64) -> f64 {
    if x < a + 1.0 {
        // Series for P, then Q = 1 − P.
        let mut sum = 1.0 / a;
        let mut term = sum;
        let mut ap = a;
        for _ in 0..1000 {
            ap += 1.0;
            term *= x / ap;
            sum += term;
            if term.abs() < sum.abs() * 1e-16 {
                break;
            }
        }
        1.0 - sum * (-x + a * x.ln() - ln_gamma(a)).exp()
    } else {
        // Lentz's continued fraction for Q.
        let tiny = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..1000 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + an / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let delta = d * c;
            h *= delta;
            if (delta - 1.0).abs() < 1e-16 {
                break;
            }
        }
        (-x + a * x.ln() - ln_gamma(a)).exp() * h
    }
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; ~1e-15 relative).
pub fn ln_gamma(x: f64) -> f64 {
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + 7.5;
    for (i, &c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// Complementary error function, via the regularised gamma: erfc(x) = Q(1/2, x²) for x ≥ 0.
pub fn erfc(x: f64) -> f64 {
    if x < 0.0 {
        2.0 - erfc(-x)
    } else if x == 0.0 {
        1.0
    } else {
        gamma_q(0.5, x * x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chi2_matches_scipy() {
        // scipy.stats.chisquare([3222, 3462, 3582, 3776]) (scipy 1.x):
        // statistic 45.91568152684803, pvalue 5.910500891884472e-10
        let r = position_row("x".into(), vec![3222, 3462, 3582, 3776]);
        assert!((r.chi2 - 45.915_681_526_848_03).abs() < 1e-9, "{}", r.chi2);
        assert!((r.p_value / 5.910_500_891_884_472e-10 - 1.0).abs() < 1e-9, "{}", r.p_value);
        // scipy.stats.chi2.sf(2.5, 3) = 0.4752910833430205
        assert!((chi2_sf(2.5, 3.0) - 0.475_291_083_343_020_5).abs() < 1e-12);
        assert!((erfc(1.0) - 0.157_299_207_050_285_13).abs() < 1e-12);
    }
}
