//! Bootstrap intervals for the likelihood fits: each replicate redraws the unique-row counts from
//! a multinomial with the observed proportions (what resampling battles with replacement does to
//! those counts: FastChat `compute_bootstrap_bt`, arena-rank), refits every component exactly as
//! the full data was fitted, and the interval is the 2.5 / 97.5 linear percentiles of the
//! replicates. A replicate whose component has no finite MLE (a model that drew no battle, or
//! never lost in the draw) is counted and left out, never averaged in.

use super::aggregate::Aggregate;
use super::plan::{ComponentFit, Plan};
use crate::stats;

/// Replicate ratings per global model (successful draws only) and failures per component.
pub(crate) struct Replicates {
    pub ratings: Vec<Vec<f64>>,
    pub failed: Vec<u32>,
    pub rounds: u32,
}

/// Runs replicates while `draw` fills new counts (it returns false when there are no more).
pub(crate) fn run(
    plan: &Plan,
    agg: &Aggregate,
    full: &[Option<ComponentFit>],
    mut draw: impl FnMut(&mut Vec<u64>) -> bool,
) -> Replicates {
    let mut out = Replicates {
        ratings: vec![Vec::new(); agg.models.len()],
        failed: vec![0; plan.comps.len()],
        rounds: 0,
    };
    let mut counts = Vec::with_capacity(agg.rows.len());
    while draw(&mut counts) {
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
    out
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
        stats::resample_counts(&counts, total, &mut rng, out);
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
