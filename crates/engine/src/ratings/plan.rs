//! One fit per connected component, shared by the full-data fit and every bootstrap replicate:
//! splits pair tallies by component, dispatches to the chosen likelihood, and turns θ into rating
//! points with the anchor applied. Keeping this in one place is what guarantees that replicates
//! are fitted, scaled and anchored exactly like the number they put an interval around.

use serde::{Deserialize, Serialize};

use super::aggregate::{Aggregate, PairTally};
use super::graph::{self, Separation};
use super::settings::{RatingsSettings, TieRule};
use super::{bradley_terry, davidson, legacy};

/// Which likelihood is fitted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(crate) enum FitKind {
    Bt { prior_games: f64 },
    Davidson { prior_games: f64 },
    Legacy,
}

impl FitKind {
    pub(crate) fn from_settings(s: &RatingsSettings) -> Self {
        if s.legacy_l2 {
            Self::Legacy
        } else if s.ties == TieRule::Davidson {
            Self::Davidson { prior_games: s.prior_games }
        } else {
            Self::Bt { prior_games: s.prior_games }
        }
    }

    /// Legacy L2 and a weak prior always have a finite optimum.
    fn needs_connectivity(self) -> bool {
        match self {
            Self::Bt { prior_games } | Self::Davidson { prior_games } => prior_games <= 0.0,
            Self::Legacy => false,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ComponentPlan {
    /// Global model indices, sorted.
    pub members: Vec<u32>,
    /// Indices into the tally list of the pairs inside this component.
    pub tally_idx: Vec<usize>,
}

/// Serialisable: bootstrap rounds computed elsewhere get it as it is ([`super::round_work`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Plan {
    pub kind: FitKind,
    pub comps: Vec<ComponentPlan>,
    /// Global model index → position within its component.
    pub local: Vec<u32>,
    /// Global model index → component.
    pub comp_of: Vec<u32>,
    pub points_per_logit: f64,
    pub init_rating: f64,
    /// (global model index, rating).
    pub anchor: Option<(u32, f64)>,
    /// Legacy mode only: self-battles as (global model index, duplicated rows, positive rows).
    pub legacy_self_rows: Vec<(u32, f64, f64)>,
}

/// θ of one component (natural-log odds), and the Davidson tie parameter when fitted.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ComponentFit {
    pub theta: Vec<f64>,
    pub nu: Option<f64>,
}

impl Plan {
    pub(crate) fn new(agg: &Aggregate, tallies: &[PairTally], s: &RatingsSettings) -> Self {
        let n = agg.models.len();
        let members = graph::components(n, tallies);
        let mut local = vec![u32::MAX; n];
        let mut comp_of = vec![u32::MAX; n];
        for (c, m) in members.iter().enumerate() {
            for (i, &g) in m.iter().enumerate() {
                local[g as usize] = i as u32;
                comp_of[g as usize] = c as u32;
            }
        }
        let mut comps: Vec<ComponentPlan> = members
            .into_iter()
            .map(|members| ComponentPlan { members, tally_idx: Vec::new() })
            .collect();
        for (i, t) in tallies.iter().enumerate() {
            let c = comp_of[t.a as usize];
            if c != u32::MAX {
                comps[c as usize].tally_idx.push(i);
            }
        }
        let anchor = s.effective_anchor().and_then(|a| {
            agg.models.iter().position(|m| *m == a.model).map(|i| (i as u32, a.rating))
        });
        Self {
            kind: FitKind::from_settings(s),
            comps,
            local,
            comp_of,
            points_per_logit: s.points_per_logit(),
            init_rating: s.init_rating,
            anchor,
            legacy_self_rows: Vec::new(),
        }
    }

    /// The component's tallies renumbered to local indices.
    pub(crate) fn local_tallies(&self, c: usize, tallies: &[PairTally]) -> Vec<PairTally> {
        self.comps[c]
            .tally_idx
            .iter()
            .map(|&i| {
                let t = tallies[i];
                PairTally { a: self.local[t.a as usize], b: self.local[t.b as usize], ..t }
            })
            .collect()
    }

    /// The fixed Newton matrix (Cholesky factor) at component `c`'s full-data fit, which
    /// bootstrap replicates iterate with (see [`bradley_terry::refit`]). None for the legacy
    /// fit, or when it is not positive definite (replicates then take full Newton steps).
    pub(crate) fn newton_factor(
        &self,
        c: usize,
        tallies: &[PairTally],
        fit: &ComponentFit,
    ) -> Option<Vec<f64>> {
        let k = self.comps[c].members.len();
        let local_t = self.local_tallies(c, tallies);
        match (self.kind, fit.nu) {
            (FitKind::Davidson { prior_games }, Some(nu)) if nu > 0.0 => {
                davidson::newton_factor(k, &local_t, prior_games, &fit.theta, nu)
            }
            (FitKind::Bt { prior_games } | FitKind::Davidson { prior_games }, _) => {
                let opts = bradley_terry::BtOptions { prior_games };
                bradley_terry::newton_factor(k, &local_t, opts, &fit.theta)
            }
            (FitKind::Legacy, _) => None,
        }
    }

    /// Fits component `c`, from `start` when given; with a `factor` from [`Self::newton_factor`]
    /// at `start`, by chord iterations. Err carries the separated groups when no finite MLE
    /// exists.
    pub(crate) fn fit_component(
        &self,
        c: usize,
        tallies: &[PairTally],
        start: Option<&ComponentFit>,
        factor: Option<&[f64]>,
    ) -> Result<ComponentFit, Separation> {
        let members = &self.comps[c].members;
        let k = members.len();
        let local_t = self.local_tallies(c, tallies);
        if self.kind.needs_connectivity() {
            let identity: Vec<u32> = (0..k as u32).collect();
            if let Some(sep) = graph::separation(&identity, &identity, &local_t) {
                let global = |v: Vec<u32>| v.into_iter().map(|i| members[i as usize]).collect();
                return Err(Separation {
                    never_lose: global(sep.never_lose),
                    never_win: global(sep.never_win),
                });
            }
        }
        let fitted = match (self.kind, start, factor) {
            (FitKind::Bt { prior_games }, Some(start), Some(factor)) => {
                let opts = bradley_terry::BtOptions { prior_games };
                bradley_terry::refit(k, &local_t, opts, &start.theta, factor)
                    .map(|theta| ComponentFit { theta, nu: None })
            }
            (FitKind::Davidson { prior_games }, Some(start), Some(factor)) => {
                let nu = start.nu.unwrap_or(0.0);
                let refitted = if nu > 0.0 {
                    davidson::refit(k, &local_t, prior_games, (&start.theta, nu), factor)
                } else {
                    // No ties in the full data: the fit was Bradley–Terry's, and so is the factor.
                    let opts = bradley_terry::BtOptions { prior_games };
                    let ties = local_t.iter().any(|t| t.ties > 0.0);
                    if ties {
                        davidson::fit(k, &local_t, prior_games, Some((&start.theta, start.nu)))
                    } else {
                        bradley_terry::refit(k, &local_t, opts, &start.theta, factor)
                            .map(|th| (th, 0.0))
                    }
                };
                refitted.map(|(theta, nu)| ComponentFit { theta, nu: Some(nu) })
            }
            (FitKind::Bt { prior_games }, _, _) => bradley_terry::fit(
                k,
                &local_t,
                bradley_terry::BtOptions { prior_games },
                start.map(|s| s.theta.as_slice()),
            )
            .map(|theta| ComponentFit { theta, nu: None }),
            (FitKind::Davidson { prior_games }, _, _) => {
                davidson::fit(k, &local_t, prior_games, start.map(|s| (s.theta.as_slice(), s.nu)))
                    .map(|(theta, nu)| ComponentFit { theta, nu: Some(nu) })
            }
            (FitKind::Legacy, _, _) => {
                let own: Vec<(usize, f64, f64)> = self
                    .legacy_self_rows
                    .iter()
                    .filter(|(m, _, _)| self.comp_of[*m as usize] == c as u32)
                    .map(|&(m, n, y)| (self.local[m as usize] as usize, n, y))
                    .collect();
                Some(ComponentFit { theta: legacy::fit(k, &local_t, &own), nu: None })
            }
        };
        // A numerical failure past the existence check reports no separated group.
        fitted.ok_or_else(Separation::default)
    }

    /// Rating points of component `c`'s models (in member order), anchor applied.
    pub(crate) fn ratings(&self, c: usize, fit: &ComponentFit) -> Vec<f64> {
        let mut r: Vec<f64> =
            fit.theta.iter().map(|t| t * self.points_per_logit + self.init_rating).collect();
        if let Some((m, value)) = self.anchor {
            if self.comp_of[m as usize] == c as u32 {
                let shift = value - r[self.local[m as usize] as usize];
                r.iter_mut().for_each(|x| *x += shift);
            }
        }
        r
    }
}
