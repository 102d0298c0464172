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
use super::rounds;
use crate::progress::Ticker;
use crate::stats;

/// Replicate ratings per global model (successful draws only) and failures per component.
pub(crate) struct Replicates {
    pub ratings: Vec<Vec<f64>>,
    pub failed: Vec<u32>,
    pub rounds: u32,
}

/// One replicate: per component, the members' ratings, or None when it had no finite MLE.
type Replicate = Vec<Option<Vec<f64>>>;

/// Runs `total` replicates; `draw(round, out)` fills round `round`'s counts (in `agg.rows`
/// order). Rounds run on `threads` threads ([`rounds::map`]) and are collected in round order,
/// so the result does not depend on the thread count. `ticker` hears (rounds done, `total`)
/// between chunks of rounds. None when it stopped the run.
pub(crate) async fn run(
    plan: &Plan,
    agg: &Aggregate,
    full: &[Option<ComponentFit>],
    draw: &(impl Fn(u32, &mut Vec<u64>) + Sync),
    total: u32,
    threads: usize,
    ticker: &mut Ticker<'_>,
) -> Option<Replicates> {
    let mut out = Replicates {
        ratings: vec![Vec::new(); agg.models.len()],
        failed: vec![0; plan.comps.len()],
        rounds: 0,
    };
    let tallies = agg.tallies();
    let factors: Vec<Option<Vec<f64>>> = full
        .iter()
        .enumerate()
        .map(|(c, fit)| fit.as_ref().and_then(|f| plan.newton_factor(c, &tallies, f)))
        .collect();
    let replicate = |round: u32| -> Replicate {
        let mut counts = Vec::with_capacity(agg.rows.len());
        draw(round, &mut counts);
        let tallies = agg.tallies_with(&counts);
        (0..plan.comps.len())
            .map(|c| {
                let start = full.get(c).and_then(Option::as_ref)?;
                let factor = factors.get(c).and_then(Option::as_deref);
                let fit = plan.fit_component(c, &tallies, Some(start), factor).ok()?;
                Some(plan.ratings(c, &fit))
            })
            .collect()
    };
    let chunk = rounds::chunk_len(threads);
    while out.rounds < total {
        if !ticker.tick("bootstrap", u64::from(out.rounds), u64::from(total)).await {
            return None;
        }
        let len = chunk.min(total - out.rounds);
        for rep in rounds::map(out.rounds, len, threads, &replicate) {
            for (c, comp) in plan.comps.iter().enumerate() {
                if full.get(c).and_then(Option::as_ref).is_none() {
                    continue;
                }
                match rep.get(c).and_then(Option::as_ref) {
                    Some(ratings) => {
                        for (&m, &r) in comp.members.iter().zip(ratings) {
                            out.ratings[m as usize].push(r);
                        }
                    }
                    None => out.failed[c] += 1,
                }
            }
        }
        out.rounds += len;
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

/// Seeded multinomial draws of the aggregate's counts, round `r` from [`rounds::round_rng`]
/// (seed, r).
pub(crate) fn seeded_draws(agg: &Aggregate, seed: u64) -> impl Fn(u32, &mut Vec<u64>) + Sync {
    let counts = agg.counts();
    let total = agg.total();
    move |round: u32, out: &mut Vec<u64>| {
        multinomial(&counts, total, &mut rounds::round_rng(seed, round), out);
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
