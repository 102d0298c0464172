//! Bootstrap rounds computed somewhere else: the page's pool of workers (issue #15).
//!
//! A likelihood bootstrap round needs only the aggregate (the unique-row counts: sufficient
//! statistics, small), the fit plan, the full-data fits every replicate starts from, and the
//! seed. [`RoundWork`] is exactly that, serialisable, so a helper can rebuild it from bytes;
//! [`RoundWorker::rounds`] computes the replicates of rounds `first..first + len` with the one
//! replicate function the single-worker and CLI paths use too, and hands them back as a
//! [`RoundsPart`]. Each round draws from its own generator seeded from (seed, round)
//! ([`super::rounds::round_rng`]), so whoever computes a round gets the same numbers; the
//! bootstrap merges the parts in round order, and the interval is byte-identical however the
//! rounds were split.
//!
//! A [`RoundExecutor`] is the hook through which [`super::run_async`] reaches the helpers; without
//! one (the CLI, tests, a pool of one) every round runs here, as before.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::aggregate::Aggregate;
use super::plan::{ComponentFit, Plan};
use super::rounds;
use crate::stats;

/// Where a bootstrap's resamples come from, and where its rounds run.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Resamples<'a> {
    /// Seeded multinomial draws, round r from (seed, r); rounds here, and also on the executor
    /// when there is one.
    Seeded(Option<&'a dyn RoundExecutor>),
    /// The caller's draws (one count vector per round, in `agg.rows` order), all here: how
    /// reference tests feed both sides the very same resamples.
    Given(&'a [Vec<u64>]),
}

/// One replicate: per component, the members' ratings, or None when it had no finite MLE.
pub(crate) type Replicate = Vec<Option<Vec<f64>>>;

/// Everything the rounds of one likelihood bootstrap need (the same for every round).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RoundWork<'a> {
    plan: Cow<'a, Plan>,
    agg: Cow<'a, Aggregate>,
    /// The full-data fit of each component (None: not rated, so not resampled either); every
    /// replicate starts from it.
    full: Cow<'a, [Option<ComponentFit>]>,
    seed: u64,
}

impl<'a> RoundWork<'a> {
    pub(crate) fn new(
        plan: &'a Plan,
        agg: &'a Aggregate,
        full: &'a [Option<ComponentFit>],
        seed: u64,
    ) -> Self {
        Self { plan: Cow::Borrowed(plan), agg: Cow::Borrowed(agg), full: Cow::Borrowed(full), seed }
    }

    pub(crate) fn plan(&self) -> &Plan {
        &self.plan
    }

    /// A rough cost of one round, in units of about one tally update: the draw and tallies over
    /// the rows, and a few refit iterations over each component's pairs and its k × k solve.
    /// How a pool judges whether spreading the rounds pays for starting helpers.
    pub fn round_cost(&self) -> f64 {
        let fits: f64 = self
            .plan
            .comps
            .iter()
            .map(|c| 8.0 * (c.tally_idx.len() as f64 + (c.members.len() as f64).powi(2)))
            .sum();
        self.agg.rows.len() as f64 + fits
    }

    /// True when component `c` had a full-data fit (and so is resampled).
    pub(crate) fn rated(&self, c: usize) -> bool {
        self.full.get(c).is_some_and(Option::is_some)
    }

    pub(crate) fn models(&self) -> usize {
        self.agg.models.len()
    }
}

/// The replicates of rounds `first..first + replicates.len()`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundsPart {
    pub first: u32,
    replicates: Vec<Replicate>,
}

impl RoundsPart {
    /// How many rounds the part holds.
    pub fn len(&self) -> u32 {
        u32::try_from(self.replicates.len()).unwrap_or(u32::MAX)
    }

    pub fn is_empty(&self) -> bool {
        self.replicates.is_empty()
    }
}

/// Computes rounds of one [`RoundWork`]: the Newton factors at the full-data fits and the counts
/// the multinomial draws from are prepared once, then each round is a draw and a refit.
pub struct RoundWorker<'a> {
    work: RoundWork<'a>,
    factors: Vec<Option<Vec<f64>>>,
    /// The multinomial of the row counts, its per-row constants set up once for every round
    /// ([`stats::MultinomialSampler`]: the per-row binomials it replaced were 80 % of a bootstrap).
    sampler: stats::MultinomialSampler,
    rows: usize,
    /// Resamples given by the caller (reference tests) instead of seeded draws.
    given: Option<&'a [Vec<u64>]>,
}

/// No chunk a coordinator asks for is longer than this: a bound on the work one message starts.
const MAX_CHUNK: u32 = 1 << 16;

impl<'a> RoundWorker<'a> {
    /// Prepares `work` for computing rounds.
    pub fn new(work: RoundWork<'a>) -> Self {
        let tallies = work.agg.tallies();
        let factors = work
            .full
            .iter()
            .enumerate()
            .map(|(c, fit)| fit.as_ref().and_then(|f| work.plan.newton_factor(c, &tallies, f)))
            .collect();
        let counts = work.agg.counts();
        let sampler = stats::MultinomialSampler::new(&counts, work.agg.total());
        Self { work, factors, sampler, rows: counts.len(), given: None }
    }

    /// A worker whose round `r` resamples to `draws[r]` (an empty draw past the end).
    pub(crate) fn with_draws(work: RoundWork<'a>, draws: &'a [Vec<u64>]) -> Self {
        Self { given: Some(draws), ..Self::new(work) }
    }

    pub(crate) fn work(&self) -> &RoundWork<'a> {
        &self.work
    }

    /// The replicates of rounds `first..first + len`, in round order.
    pub fn rounds(&self, first: u32, len: u32) -> RoundsPart {
        let end = first.saturating_add(len.min(MAX_CHUNK));
        RoundsPart { first, replicates: (first..end).map(|r| self.replicate(r)).collect() }
    }

    /// Round `round`: its resample of the row counts, and every rated component refitted on
    /// it from the full-data fit.
    pub(crate) fn replicate(&self, round: u32) -> Replicate {
        let mut counts = Vec::with_capacity(self.rows);
        match self.given {
            Some(draws) => match draws.get(round as usize) {
                Some(v) => counts.clone_from(v),
                None => counts.clear(),
            },
            None => {
                let mut rng = rounds::round_rng(self.work.seed, round);
                self.sampler.draw(&mut rng, &mut counts);
            }
        }
        let tallies = self.work.agg.tallies_with(&counts);
        let plan = &self.work.plan;
        (0..plan.comps.len())
            .map(|c| {
                let start = self.work.full.get(c).and_then(Option::as_ref)?;
                let factor = self.factors.get(c).and_then(Option::as_deref);
                let fit = plan.fit_component(c, &tallies, Some(start), factor).ok()?;
                Some(plan.ratings(c, &fit))
            })
            .collect()
    }

    /// The part's replicates with their rounds, when its shape fits this work (every component
    /// there, each with one rating per member) and its rounds lie below `total`; None otherwise,
    /// and those rounds are then computed here.
    pub(crate) fn accept(&self, part: RoundsPart, total: u32) -> Option<Vec<(u32, Replicate)>> {
        let comps = &self.work.plan.comps;
        let fits = part.first.checked_add(part.len()).is_some_and(|end| end <= total)
            && part.replicates.iter().all(|rep| {
                rep.len() == comps.len()
                    && rep.iter().zip(comps).all(|(r, comp)| {
                        r.as_ref().is_none_or(|ratings| ratings.len() == comp.members.len())
                    })
            });
        fits.then(|| (part.first..).zip(part.replicates).collect())
    }
}

/// Somewhere besides this thread where bootstrap rounds can run: the page's worker pool. The
/// bootstrap hands it chunks of rounds and takes back what came in between its own rounds; it
/// never waits for a chunk (it computes the missing rounds itself instead), so a helper that
/// fails or never starts costs time, not results. Methods take `&self`: the page's pool keeps
/// its state behind a `RefCell` that its message handlers fill.
pub trait RoundExecutor {
    /// A bootstrap of `rounds` rounds starts; `work` is what each of them needs. Returns how
    /// many chunks it can hold at once (0: none, and every round runs here).
    fn begin(&self, work: &RoundWork<'_>, rounds: u32) -> usize;
    /// Computes rounds `first..first + len` elsewhere; false when there is no room for them.
    fn submit(&self, first: u32, len: u32) -> bool;
    /// A chunk that came back, if any.
    fn take_finished(&self) -> Option<RoundsPart>;
    /// The bootstrap is over (done or cancelled): chunks still out are not needed.
    fn end(&self);
}

impl std::fmt::Debug for dyn RoundExecutor + '_ {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RoundExecutor")
    }
}
