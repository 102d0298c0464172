//! Bootstrap intervals for the likelihood fits: each replicate redraws the unique-row counts from
//! a multinomial with the observed proportions (what resampling battles with replacement does to
//! those counts: FastChat `compute_bootstrap_bt`, arena-rank), refits every component exactly as
//! the full data was fitted, and the interval is the 2.5 / 97.5 linear percentiles of the
//! replicates. A replicate whose component has no finite MLE (a model that drew no battle, or
//! never lost in the draw) is counted and left out, never averaged in.

use rand::Rng;
use rand_distr::{Binomial, Distribution};

use super::aggregate::Aggregate;
use super::plan::{ComponentFit, Plan};
use crate::progress::Ticker;
use crate::stats;

/// Replicate ratings per global model (successful draws only) and failures per component.
pub(crate) struct Replicates {
    pub ratings: Vec<Vec<f64>>,
    pub failed: Vec<u32>,
    pub rounds: u32,
}

/// Runs replicates while `draw` fills new counts (it returns false when there are no more).
/// At most `total` rounds; `ticker` hears (rounds done, `total`) before each round. None when it
/// stopped the run.
pub(crate) async fn run(
    plan: &Plan,
    agg: &Aggregate,
    full: &[Option<ComponentFit>],
    mut draw: impl FnMut(&mut Vec<u64>) -> bool,
    total: u64,
    ticker: &mut Ticker<'_>,
) -> Option<Replicates> {
    let mut out = Replicates {
        ratings: vec![Vec::new(); agg.models.len()],
        failed: vec![0; plan.comps.len()],
        rounds: 0,
    };
    let mut counts = Vec::with_capacity(agg.rows.len());
    while u64::from(out.rounds) < total {
        if !ticker.tick("bootstrap", u64::from(out.rounds), total).await {
            return None;
        }
        if !draw(&mut counts) {
            break;
        }
        out.rounds += 1;
        let tallies = agg.tallies_with(&counts);
        for (c, comp) in plan.comps.iter().enumerate() {
            let Some(start) = full.get(c).and_then(Option::as_ref) else { continue };
            match plan.fit_component(c, &tallies, Some(start)) {
                Ok(fit) => {
                    let ratings = plan.ratings(c, &fit);
                    for (&m, r) in comp.members.iter().zip(ratings) {
                        out.ratings[m as usize].push(r);
                    }
                }
                Err(_) => out.failed[c] += 1,
            }
        }
    }
    Some(out)
}

/// One multinomial(total, counts / Σ counts) draw by conditional binomials, as numpy's
/// `multinomial` does. Same law as [`stats::resample_counts`], but the binomials come from
/// `rand_distr`'s BTPE sampler (constant time for large n·p): a million battles over a few
/// thousand unique rows is a few thousand binomials with means in the hundreds per round, and
/// the shared helper's splitting recursion made that 4 ms a round, twice the whole budget of a
/// 1000-round bootstrap.
pub fn multinomial<R: Rng>(counts: &[u64], total: u64, rng: &mut R, out: &mut Vec<u64>) {
    out.clear();
    out.resize(counts.len(), 0);
    let mut remaining_weight: u64 = counts.iter().fold(0u64, |acc, &c| acc.saturating_add(c));
    let mut remaining_total = total;
    for (i, &c) in counts.iter().enumerate() {
        if remaining_total == 0 || remaining_weight == 0 {
            break;
        }
        if c >= remaining_weight {
            out[i] = remaining_total;
            break;
        }
        let p = c as f64 / remaining_weight as f64;
        let k = match Binomial::new(remaining_total, p) {
            Ok(d) => d.sample(rng).min(remaining_total),
            Err(_) => 0,
        };
        out[i] = k;
        remaining_total -= k;
        remaining_weight -= c;
    }
}

/// `rounds` seeded multinomial draws of the aggregate's counts.
pub(crate) fn seeded_draws(
    agg: &Aggregate,
    rounds: u32,
    seed: u64,
) -> impl FnMut(&mut Vec<u64>) -> bool {
    let counts = agg.counts();
    let total = agg.total();
    let mut rng = stats::rng(seed);
    let mut left = rounds;
    move |out: &mut Vec<u64>| {
        if left == 0 {
            return false;
        }
        left -= 1;
        multinomial(&counts, total, &mut rng, out);
        true
    }
}

/// (lower, upper) percentile interval of each model's replicates; NaN when it has none.
pub(crate) fn intervals(rep: &Replicates, lower_q: f64, upper_q: f64) -> Vec<(f64, f64)> {
    rep.ratings
        .iter()
        .map(|values| {
            let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
            v.sort_by(f64::total_cmp);
            (stats::quantile_sorted(&v, lower_q), stats::quantile_sorted(&v, upper_q))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multinomial_keeps_total_and_means() {
        let counts = [100u64, 0, 3000, 600_000, 7];
        let total: u64 = counts.iter().sum();
        let mut rng = stats::rng(5);
        let mut out = Vec::new();
        let mut sums = [0f64; 5];
        let rounds = 400;
        for _ in 0..rounds {
            multinomial(&counts, total, &mut rng, &mut out);
            assert_eq!(out.iter().sum::<u64>(), total);
            assert_eq!(out[1], 0);
            for (s, &o) in sums.iter_mut().zip(&out) {
                *s += o as f64;
            }
        }
        for (s, &c) in sums.iter().zip(&counts) {
            let mean = s / rounds as f64;
            // Within 5 standard errors of the expected count.
            let se = (c as f64 * (1.0 - c as f64 / total as f64) / rounds as f64).sqrt().max(0.05);
            assert!((mean - c as f64).abs() < 5.0 * se, "{mean} vs {c}");
        }
    }
}
