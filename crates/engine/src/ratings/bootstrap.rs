//! Bootstrap intervals for the likelihood fits: each replicate redraws the unique-row counts from
//! a multinomial with the observed proportions (what resampling battles with replacement does to
//! those counts: FastChat `compute_bootstrap_bt`, arena-rank), refits every component exactly as
//! the full data was fitted, and the interval is the 2.5 / 97.5 linear percentiles of the
//! replicates. A replicate whose component has no finite MLE (a model that drew no battle, or
//! never lost in the draw) is counted and left out, never averaged in.

use std::collections::BTreeMap;

use super::round_work::{Replicate, RoundExecutor, RoundWorker};
use super::rounds;
use crate::progress::Ticker;
use crate::stats;

/// Replicate ratings per global model (successful draws only) and failures per component.
pub(crate) struct Replicates {
    pub ratings: Vec<Vec<f64>>,
    pub failed: Vec<u32>,
    pub rounds: u32,
}

impl Replicates {
    /// Adds the next round's replicate (rounds arrive in round order).
    fn absorb(&mut self, worker: &RoundWorker<'_>, rep: &Replicate) {
        let work = worker.work();
        for (c, comp) in work.plan().comps.iter().enumerate() {
            if !work.rated(c) {
                continue;
            }
            match rep.get(c).and_then(Option::as_ref) {
                Some(ratings) => {
                    for (&m, &r) in comp.members.iter().zip(ratings) {
                        self.ratings[m as usize].push(r);
                    }
                }
                None => self.failed[c] += 1,
            }
        }
        self.rounds += 1;
    }
}

/// Runs `total` rounds of `worker`'s bootstrap. Rounds run here on `threads` threads
/// ([`rounds::map`]) and, with an `executor`, also elsewhere in chunks; every round is folded in
/// in round order, so the result does not depend on the thread count or on who computed which
/// round. `ticker` hears (rounds done, `total`) before each piece of work here. None when it
/// stopped the run.
pub(crate) async fn run(
    worker: &RoundWorker<'_>,
    total: u32,
    threads: usize,
    executor: Option<&dyn RoundExecutor>,
    ticker: &mut Ticker<'_>,
) -> Option<Replicates> {
    let mut out = Replicates {
        ratings: vec![Vec::new(); worker.work().models()],
        failed: vec![0; worker.work().plan().comps.len()],
        rounds: 0,
    };
    let capacity = match executor {
        Some(e) if total > 0 => e.begin(worker.work(), total),
        _ => 0,
    };
    let remote = executor.filter(|_| capacity > 0);
    let chunk = rounds::chunk_len(threads);
    // Rounds computed but not yet folded in (a later round can come back before an earlier).
    let mut pending: BTreeMap<u32, Replicate> = BTreeMap::new();
    // The first round not handed out yet, and the lowest round taken back from the helpers.
    let (mut next, mut taken_back) = (0u32, total);
    let finished = loop {
        let done = out.rounds + pending.len() as u32;
        if done >= total {
            break true;
        }
        if !ticker.tick("bootstrap", u64::from(done), u64::from(total)).await {
            break false;
        }
        if let Some(e) = remote {
            while let Some(part) = e.take_finished() {
                for (r, rep) in worker.accept(part, total).unwrap_or_default() {
                    if r >= out.rounds {
                        pending.entry(r).or_insert(rep);
                    }
                }
            }
            while next < total {
                let len = remote_chunk(total - next, capacity);
                if !e.submit(next, len) {
                    break;
                }
                next += len;
            }
        }
        if next < total {
            let len = chunk.min(total - next);
            let reps = rounds::map(next, len, threads, &|r| worker.replicate(r));
            pending.extend((next..).zip(reps));
            next += len;
        } else if out.rounds + (pending.len() as u32) < total {
            // Every round is handed out and some are still with the helpers: rather than wait,
            // compute the last missing one here. Whichever copy comes first is kept; both are
            // the same numbers.
            let is_missing = |r: &u32| !pending.contains_key(r);
            // (Rounds from `taken_back` on are all in; the second search never finds more.)
            let missing = (out.rounds..taken_back).rev().find(is_missing);
            let Some(r) = missing.or_else(|| (out.rounds..total).rev().find(is_missing)) else {
                break true;
            };
            pending.insert(r, worker.replicate(r));
            taken_back = r;
        }
        while let Some(rep) = pending.remove(&out.rounds) {
            out.absorb(worker, &rep);
        }
    };
    if let Some(e) = remote {
        e.end();
    }
    finished.then_some(out)
}

/// Rounds per chunk handed to the helpers: large while many are left (a message per chunk),
/// smaller towards the end so no helper is left with a long chunk when the rest are done.
fn remote_chunk(left: u32, capacity: usize) -> u32 {
    let share = 4 * (u32::try_from(capacity).unwrap_or(u32::MAX / 8).saturating_add(1));
    (left / share).clamp(1, 16).min(left)
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
