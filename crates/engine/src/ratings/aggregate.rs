//! Battles → unique (model a, model b, outcome) rows with counts: the sufficient statistics of
//! every likelihood-based rating here. A million battles between fifty models become a few
//! thousand rows, which is what makes a 1000-round bootstrap cheap.
//!
//! Rows are canonical: models are numbered in name order and each row has `a < b`, with the
//! outcome flipped when the battle listed them the other way round. The Bradley–Terry likelihood
//! is symmetric under that swap, so nothing changes for the fits, and mirroring a battle log or
//! shuffling its rows yields the very same rows (the property tests rely on it).
//!
//! **Weights** (`--weights COLUMN`, arena-rank's `weights`, e.g. inverse-propensity weights):
//! a weighted battle counts `w` times in every likelihood, tally and win rate. Unique rows are
//! then keyed by (a, b, outcome, w): each row holds battles of one weight, so its mass is
//! `count × w`, and the bootstrap, which redraws row counts as resampling battles with
//! replacement does, gives each drawn battle its own weight (arena-rank's
//! `boot_counts × weights`, where its weights are per unique row too). Battles of weight 0 carry
//! nothing and are left out. Continuous weights make about one row per battle, so a weighted
//! fit costs what its distinct weights cost; unweighted rows all have w = 1, and count × 1 is the
//! count exactly, so unweighted results are unchanged to the bit.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::battles::{Battles, Outcome};

use super::settings::TieRule;

/// Outcome of a canonical row, from the point of view of its first model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowOutcome {
    AWins,
    BWins,
    Tie,
}

impl RowOutcome {
    /// The score of model a under "ties count half" (FastChat since 2024-09 and arena-rank).
    pub fn score(self) -> f64 {
        match self {
            Self::AWins => 1.0,
            Self::BWins => 0.0,
            Self::Tie => 0.5,
        }
    }

    fn slot(self) -> usize {
        match self {
            Self::AWins => 0,
            Self::BWins => 1,
            Self::Tie => 2,
        }
    }

    const ALL: [Self; 3] = [Self::AWins, Self::BWins, Self::Tie];

    /// The same outcome seen from the other model.
    fn flipped(self) -> Self {
        match self {
            Self::AWins => Self::BWins,
            Self::BWins => Self::AWins,
            Self::Tie => Self::Tie,
        }
    }
}

/// One unique (a, b, outcome, weight) row and how many battles had it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct UniqueRow {
    /// Index into [`Aggregate::models`]; always less than `b`.
    pub a: u32,
    pub b: u32,
    pub outcome: RowOutcome,
    pub count: u64,
    /// The weight of each of these battles (1 without weights); the row's mass is count × weight.
    #[serde(default = "unit_weight")]
    pub weight: f64,
}

impl UniqueRow {
    /// The order of an aggregate's rows: by pair, outcome, then weight.
    fn canonical_order(x: &Self, y: &Self) -> std::cmp::Ordering {
        (x.a, x.b, x.outcome).cmp(&(y.a, y.b, y.outcome)).then(x.weight.total_cmp(&y.weight))
    }
}

fn unit_weight() -> f64 {
    1.0
}

/// (model a, model b, outcome, count, weight per battle): a row before canonical numbering.
pub type NamedRow<'a> = (&'a str, &'a str, RowOutcome, u64, f64);

/// A [`NamedRow`] by model ids.
type IdRow = (u32, u32, RowOutcome, u64, f64);

/// Win/loss/tie tallies of one model pair, possibly weighted (bootstrap counts).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PairTally {
    pub a: u32,
    pub b: u32,
    pub wins_a: f64,
    pub wins_b: f64,
    pub ties: f64,
}

impl PairTally {
    /// Battles in this pair.
    pub fn total(&self) -> f64 {
        self.wins_a + self.wins_b + self.ties
    }
}

/// Deduplicated battle counts of one analysis.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Aggregate {
    /// Model names in sorted order; row indices point here.
    pub models: Vec<String>,
    /// Rows sorted by (a, b, outcome), no zero counts.
    pub rows: Vec<UniqueRow>,
}

/// What aggregation set aside.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AggregateReport {
    /// Ties removed because the tie rule is `drop`.
    pub ties_dropped: u64,
}

/// Maps a battle outcome through the tie rule. None = the battle is dropped.
fn map_outcome(o: Outcome, ties: TieRule) -> Option<RowOutcome> {
    match o {
        Outcome::ModelA => Some(RowOutcome::AWins),
        Outcome::ModelB => Some(RowOutcome::BWins),
        Outcome::Tie | Outcome::TieBothBad => match ties {
            TieRule::Drop => None,
            TieRule::Half | TieRule::Davidson => Some(RowOutcome::Tie),
        },
    }
}

/// Above this many models a dense count array would cost more memory than a hash map.
const DENSE_MAX_MODELS: usize = 600;

impl Aggregate {
    /// Counts the selected battles (indices into `battles`) in one pass.
    pub fn from_battles(
        battles: &Battles,
        selection: &[u32],
        ties: TieRule,
    ) -> (Self, AggregateReport) {
        Self::from_battles_weighted(battles, selection, ties, None)
    }

    /// [`Self::from_battles`] with a weight per battle (indexed like the log; each selected
    /// weight finite and ≥ 0: the caller has set the others aside).
    pub fn from_battles_weighted(
        battles: &Battles,
        selection: &[u32],
        ties: TieRule,
        weights: Option<&[f64]>,
    ) -> (Self, AggregateReport) {
        if let Some(w) = weights {
            return Self::weighted_battles(battles, selection, ties, w);
        }
        let m = battles.models.len();
        let mut report = AggregateReport::default();
        // Counts keyed by the log's own model ids, oriented as in the log.
        let mut dense: Vec<u64> = Vec::new();
        let mut sparse: HashMap<(u32, u32, RowOutcome), u64> = HashMap::new();
        let use_dense = m <= DENSE_MAX_MODELS;
        if use_dense {
            dense = vec![0; m * m * 3];
        }
        for &idx in selection {
            let i = idx as usize;
            let (Some(&a), Some(&b), Some(&o)) =
                (battles.model_a.get(i), battles.model_b.get(i), battles.outcome.get(i))
            else {
                continue;
            };
            let Some(outcome) = map_outcome(o, ties) else {
                report.ties_dropped += 1;
                continue;
            };
            if use_dense {
                dense[(a as usize * m + b as usize) * 3 + outcome.slot()] += 1;
            } else {
                *sparse.entry((a, b, outcome)).or_default() += 1;
            }
        }
        let mut triples: Vec<(u32, u32, RowOutcome, u64)> = Vec::new();
        if use_dense {
            for a in 0..m {
                for b in 0..m {
                    for o in RowOutcome::ALL {
                        let c = dense[(a * m + b) * 3 + o.slot()];
                        if c > 0 {
                            triples.push((a as u32, b as u32, o, c));
                        }
                    }
                }
            }
        } else {
            triples.extend(sparse.into_iter().map(|((a, b, o), c)| (a, b, o, c)));
        }
        let rows = triples.into_iter().map(|(a, b, o, c)| (a, b, o, c, 1.0)).collect();
        (Self::from_id_rows(&battles.models, rows), report)
    }

    /// [`Self::from_weighted_named`] for rows keyed by ids into `names` (a log's interned
    /// models), `(a, b, outcome, battles, weight)`: the same aggregate, with the used names sorted
    /// once instead of two owned names per row sorted and searched (at 250 models, ~93,000 rows:
    /// half of the page's first-leaderboard run; with a weight per battle, a row per battle).
    fn from_id_rows(names: &[String], counts: Vec<IdRow>) -> Self {
        let kept = |&(a, b, _, c, w): &IdRow| a != b && c > 0 && w > 0.0 && w.is_finite();
        let mut used = vec![false; names.len()];
        for &(a, b, ..) in counts.iter().filter(|row| kept(row)) {
            for id in [a, b] {
                if let Some(u) = used.get_mut(id as usize) {
                    *u = true;
                }
            }
        }
        let mut order: Vec<usize> = (0..names.len()).filter(|&i| used[i]).collect();
        order.sort_by(|&x, &y| names[x].cmp(&names[y]));
        // Ids that share a name (or point past the names) merge by name there.
        let clash = order.windows(2).any(|w| names[w[0]] == names[w[1]]);
        if clash
            || counts
                .iter()
                .any(|&(a, b, ..)| a as usize >= names.len() || b as usize >= names.len())
        {
            let named = counts.into_iter().filter_map(|(a, b, o, c, w)| {
                Some((names.get(a as usize)?.as_str(), names.get(b as usize)?.as_str(), o, c, w))
            });
            return Self::from_weighted_named(named);
        }
        let mut rank = vec![0u32; names.len()];
        for (r, &id) in order.iter().enumerate() {
            rank[id] = r as u32;
        }
        let mut rows: Vec<UniqueRow> = counts
            .into_iter()
            .filter(kept)
            .map(|(a, b, outcome, count, weight)| {
                let (ra, rb) = (rank[a as usize], rank[b as usize]);
                let (a, b, outcome) =
                    if ra < rb { (ra, rb, outcome) } else { (rb, ra, outcome.flipped()) };
                UniqueRow { a, b, outcome, count, weight }
            })
            .collect();
        rows.sort_unstable_by(UniqueRow::canonical_order);
        // A log holds both orientations of a pair: one row per (a, b, outcome, weight).
        rows.dedup_by(|later, kept| {
            let same = (later.a, later.b, later.outcome, later.weight.to_bits())
                == (kept.a, kept.b, kept.outcome, kept.weight.to_bits());
            if same {
                kept.count = kept.count.saturating_add(later.count);
            }
            same
        });
        Self { models: order.into_iter().map(|i| names[i].clone()).collect(), rows }
    }

    fn weighted_battles(
        battles: &Battles,
        selection: &[u32],
        ties: TieRule,
        weights: &[f64],
    ) -> (Self, AggregateReport) {
        let mut report = AggregateReport::default();
        // A row per battle: the merge sorts them, where a hash map of a million weights did not pay.
        let mut rows: Vec<IdRow> = Vec::with_capacity(selection.len());
        for &idx in selection {
            let i = idx as usize;
            let (Some(&a), Some(&b), Some(&o), Some(&w)) = (
                battles.model_a.get(i),
                battles.model_b.get(i),
                battles.outcome.get(i),
                weights.get(i),
            ) else {
                continue;
            };
            let Some(outcome) = map_outcome(o, ties) else {
                report.ties_dropped += 1;
                continue;
            };
            rows.push((a, b, outcome, 1, w));
        }
        (Self::from_id_rows(&battles.models, rows), report)
    }

    /// Builds canonical rows from (model a, model b, outcome, count) in any order and orientation.
    /// Rows naming the same model twice are ignored (they carry no information).
    pub fn from_named<'a>(
        items: impl IntoIterator<Item = (&'a str, &'a str, RowOutcome, u64)>,
    ) -> Self {
        Self::from_weighted_named(items.into_iter().map(|(a, b, o, c)| (a, b, o, c, 1.0)))
    }

    /// [`Self::from_named`] with a weight per battle of each item; items of weight ≤ 0 (or not
    /// finite) carry nothing and are left out.
    pub fn from_weighted_named<'a>(items: impl IntoIterator<Item = NamedRow<'a>>) -> Self {
        let items: Vec<_> = items
            .into_iter()
            .filter(|(a, b, _, c, w)| a != b && *c > 0 && *w > 0.0 && w.is_finite())
            .collect();
        let mut models: Vec<String> = Vec::new();
        for (a, b, _, _, _) in &items {
            models.push((*a).to_owned());
            models.push((*b).to_owned());
        }
        models.sort();
        models.dedup();
        let id = |name: &str| models.binary_search_by(|m| m.as_str().cmp(name)).unwrap_or(0) as u32;
        let mut merged: HashMap<(u32, u32, RowOutcome, u64), u64> = HashMap::new();
        for (a, b, o, c, w) in items {
            let (ia, ib) = (id(a), id(b));
            let key =
                if ia < ib { (ia, ib, o, w.to_bits()) } else { (ib, ia, o.flipped(), w.to_bits()) };
            let cell = merged.entry(key).or_default();
            *cell = cell.saturating_add(c);
        }
        let mut rows: Vec<UniqueRow> = merged
            .into_iter()
            .map(|((a, b, outcome, w), count)| UniqueRow {
                a,
                b,
                outcome,
                count,
                weight: f64::from_bits(w),
            })
            .collect();
        rows.sort_by(UniqueRow::canonical_order);
        Self { models, rows }
    }

    /// Adds another aggregate's rows (matching models by name).
    pub fn merged(&self, other: &Aggregate) -> Aggregate {
        let items = self.named_rows().chain(other.named_rows());
        Self::from_weighted_named(items)
    }

    fn named_rows(&self) -> impl Iterator<Item = NamedRow<'_>> + '_ {
        self.rows.iter().map(|r| {
            (
                self.models[r.a as usize].as_str(),
                self.models[r.b as usize].as_str(),
                r.outcome,
                r.count,
                r.weight,
            )
        })
    }

    /// True when some row's battles weigh other than 1.
    pub fn weighted(&self) -> bool {
        self.rows.iter().any(|r| r.weight != 1.0)
    }

    /// Total battles.
    pub fn total(&self) -> u64 {
        self.rows.iter().fold(0u64, |acc, r| acc.saturating_add(r.count))
    }

    /// Row counts, in row order (what the bootstrap resamples).
    pub fn counts(&self) -> Vec<u64> {
        self.rows.iter().map(|r| r.count).collect()
    }

    /// Battles each model took part in.
    pub fn battles_per_model(&self) -> Vec<u64> {
        let mut out = vec![0u64; self.models.len()];
        for r in &self.rows {
            out[r.a as usize] = out[r.a as usize].saturating_add(r.count);
            out[r.b as usize] = out[r.b as usize].saturating_add(r.count);
        }
        out
    }

    /// Per-pair weighted tallies (Σ count × weight) under the given row counts (the data's own
    /// counts, or a bootstrap draw): what every likelihood fits.
    pub fn tallies_with(&self, counts: &[u64]) -> Vec<PairTally> {
        self.tallies_by(counts, |r| r.weight)
    }

    /// Per-pair battle counts, weights ignored (how many battles a pair or component had).
    pub fn count_tallies(&self) -> Vec<PairTally> {
        self.tallies_by(&self.counts(), |_| 1.0)
    }

    fn tallies_by(&self, counts: &[u64], weight: impl Fn(&UniqueRow) -> f64) -> Vec<PairTally> {
        let mut out: Vec<PairTally> = Vec::new();
        for (r, &c) in self.rows.iter().zip(counts) {
            if out.last().map(|t| (t.a, t.b)) != Some((r.a, r.b)) {
                out.push(PairTally { a: r.a, b: r.b, wins_a: 0.0, wins_b: 0.0, ties: 0.0 });
            }
            if let Some(t) = out.last_mut() {
                // × 1.0 is exact: unweighted tallies are the counts to the bit.
                let mass = c as f64 * weight(r);
                match r.outcome {
                    RowOutcome::AWins => t.wins_a += mass,
                    RowOutcome::BWins => t.wins_b += mass,
                    RowOutcome::Tie => t.ties += mass,
                }
            }
        }
        out
    }

    /// Per-pair tallies of the data.
    pub fn tallies(&self) -> Vec<PairTally> {
        self.tallies_with(&self.counts())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_rows_merge_both_orientations() {
        let agg = Aggregate::from_named([
            ("y", "x", RowOutcome::AWins, 2),
            ("x", "y", RowOutcome::BWins, 3),
            ("x", "y", RowOutcome::Tie, 1),
            ("x", "x", RowOutcome::Tie, 9),
        ]);
        assert_eq!(agg.models, vec!["x".to_string(), "y".to_string()]);
        assert_eq!(
            agg.rows,
            vec![
                UniqueRow { a: 0, b: 1, outcome: RowOutcome::BWins, count: 5, weight: 1.0 },
                UniqueRow { a: 0, b: 1, outcome: RowOutcome::Tie, count: 1, weight: 1.0 },
            ]
        );
        let t = agg.tallies();
        assert_eq!(t.len(), 1);
        assert_eq!((t[0].wins_a, t[0].wins_b, t[0].ties), (0.0, 5.0, 1.0));
        assert_eq!(agg.battles_per_model(), vec![6, 6]);
    }

    #[test]
    fn rows_by_id_aggregate_as_rows_by_name() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_pcg::Pcg64::seed_from_u64(7);
        // Names in no sorted order, one unused, one only in self-battles.
        let names: Vec<String> =
            ["kiwi", "apple", "zeta", "mango", "b", "unused", "alone"].map(String::from).to_vec();
        // Repeated weights merge; zero, negative and non-finite ones are left out.
        let weights = [1.0, 1.0, 0.25, 2.5, 0.0, -1.0, f64::NAN, f64::INFINITY];
        for round in 0..100 {
            let mut rows = Vec::new();
            for _ in 0..rng.gen_range(0..60) {
                let a = rng.gen_range(0..5u32);
                let b = rng.gen_range(0..5u32);
                let o = RowOutcome::ALL[rng.gen_range(0..3)];
                // Half the rounds unweighted, as the log's counts are.
                let w = if round % 2 == 0 { 1.0 } else { weights[rng.gen_range(0..weights.len())] };
                rows.push((a, b, o, rng.gen_range(0..4u64), w));
            }
            rows.push((6, 6, RowOutcome::AWins, 3, 1.0));
            let named: Vec<_> = rows
                .iter()
                .map(|&(a, b, o, c, w)| {
                    (names[a as usize].as_str(), names[b as usize].as_str(), o, c, w)
                })
                .collect();
            assert_eq!(
                Aggregate::from_id_rows(&names, rows),
                Aggregate::from_weighted_named(named)
            );
        }
        // Two ids of one name merge by name, as rows named directly do.
        let twins: Vec<String> = ["a", "b", "a"].map(String::from).to_vec();
        let rows = vec![(0, 1, RowOutcome::AWins, 2, 1.0), (1, 2, RowOutcome::AWins, 1, 1.0)];
        let agg = Aggregate::from_id_rows(&twins, rows);
        assert_eq!(agg.models, vec!["a".to_string(), "b".to_string()]);
        assert_eq!(agg.rows.len(), 2);
    }
}
