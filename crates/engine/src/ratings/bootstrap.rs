//! Bootstrap intervals for the likelihood fits: each replicate redraws the unique-row counts from
//! a multinomial with the observed proportions (what resampling battles with replacement does to
//! those counts: FastChat `compute_bootstrap_bt`, arena-rank), refits every component exactly as
//! the full data was fitted, and the interval is the 2.5 / 97.5 linear percentiles of the
//! replicates. A replicate whose component has no finite MLE (a model that drew no battle, or
//! never lost in the draw) is counted and left out, never averaged in.

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

/// Seeded multinomial draws of the aggregate's counts, round `r` from [`rounds::round_rng`]
/// (seed, r). The sampler's per-row constants are set up once for all rounds
/// ([`stats::MultinomialSampler`]: the per-row binomials it replaced were 80 % of a bootstrap).
pub(crate) fn seeded_draws(agg: &Aggregate, seed: u64) -> impl Fn(u32, &mut Vec<u64>) + Sync {
    let sampler = stats::MultinomialSampler::new(&agg.counts(), agg.total());
    move |round: u32, out: &mut Vec<u64>| {
        sampler.draw(&mut rounds::round_rng(seed, round), out);
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
