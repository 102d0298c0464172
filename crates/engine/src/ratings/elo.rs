//! Online Elo in timestamp order (FastChat `compute_elo`): each battle moves both ratings by
//! K·(score − expected). Order-dependent by design, which is why the leaderboard moved to
//! Bradley–Terry; kept because users compare against it and because its trajectory is the
//! "ratings over time" chart.

use rand::Rng;

use crate::battles::{Battles, Outcome};
use crate::progress::Ticker;

use super::aggregate::Aggregate;
use super::error::RatingsError;
use super::graph;
use super::likelihood::pair_stats;
use super::results::{assign_rank_ub, rated_components, sort_rows, ModelRating, RatingsResult};
pub use super::results::{EloHistory, EloSnapshot};
use super::rounds;
use super::settings::{CiMethod, Method, RatingsSettings, TieRule};
use super::{Picked, LOWER_Q, UPPER_Q};

/// Enough points for a smooth chart, few enough to send to the page.
pub const MAX_SNAPSHOTS: usize = 200;

/// The selected battles sorted by timestamp (stable; battles without one keep file order, last).
pub(crate) fn time_order(battles: &Battles, selection: &[u32]) -> Vec<u32> {
    let mut order = selection.to_vec();
    order.sort_by(|&x, &y| {
        let (tx, ty) = (battles.tstamp[x as usize], battles.tstamp[y as usize]);
        match (tx.is_nan(), ty.is_nan()) {
            (false, false) => tx.total_cmp(&ty),
            (true, true) => std::cmp::Ordering::Equal,
            (false, true) => std::cmp::Ordering::Less,
            (true, false) => std::cmp::Ordering::Greater,
        }
    });
    order
}

fn score(o: Outcome, ties: TieRule) -> Option<f64> {
    match o {
        Outcome::ModelA => Some(1.0),
        Outcome::ModelB => Some(0.0),
        Outcome::Tie | Outcome::TieBothBad => (ties != TieRule::Drop).then_some(0.5),
    }
}

/// Runs the online update over `order`; ratings indexed by the log's model ids. `seen` marks
/// models that played. `on_battle` is called after each battle with the count so far.
pub(crate) fn run(
    battles: &Battles,
    weights: Option<&[f64]>,
    order: impl Iterator<Item = u32>,
    s: &RatingsSettings,
    mut on_battle: impl FnMut(u64, u32, &[f64], &[bool]),
) -> (Vec<f64>, Vec<bool>) {
    let m = battles.models.len();
    let mut r = vec![s.init_rating; m];
    let mut seen = vec![false; m];
    let mut done = 0u64;
    // base^(x / scale) as one exp: the bootstrap replays millions of battles per round.
    let per_point = s.base.ln() / s.scale;
    for i in order {
        let i = i as usize;
        let Some(sa) = score(battles.outcome[i], s.ties) else { continue };
        let (a, b) = (battles.model_a[i] as usize, battles.model_b[i] as usize);
        let (ra, rb) = (r[a], r[b]);
        // E_a = 1 / (1 + base^((r_b − r_a)/scale)) and E_b = 1 / (1 + base^((r_a − r_b)/scale))
        // share one exponential: E_b = x / (1 + x) with x = base^((r_b − r_a)/scale).
        let x = ((rb - ra) * per_point).exp();
        let ea = 1.0 / (1.0 + x);
        let eb = if x.is_finite() { x / (1.0 + x) } else { 1.0 };
        // A weighted battle moves the ratings w times as far (K·w): it stands for w battles.
        let k = match weights {
            Some(w) => s.elo_k * w.get(i).copied().unwrap_or(1.0),
            None => s.elo_k,
        };
        r[a] += k * (sa - ea);
        r[b] += k * (1.0 - sa - eb);
        seen[a] = true;
        seen[b] = true;
        done += 1;
        on_battle(done, i as u32, &r, &seen);
    }
    (r, seen)
}

/// Online Elo on the time-ordered selection, with its trajectory.
pub(crate) fn with_history(
    battles: &Battles,
    weights: Option<&[f64]>,
    order: &[u32],
    s: &RatingsSettings,
) -> (Vec<f64>, Vec<bool>, EloHistory) {
    let used =
        order.iter().filter(|&&i| score(battles.outcome[i as usize], s.ties).is_some()).count()
            as u64;
    let every = used.div_ceil(MAX_SNAPSHOTS as u64).max(1);
    let mut snapshots = Vec::new();
    let (r, seen) = run(battles, weights, order.iter().copied(), s, |done, i, r, seen| {
        if done % every == 0 || done == used {
            snapshots.push(EloSnapshot {
                battles: done,
                tstamp: battles.tstamp[i as usize],
                ratings: r.iter().zip(seen).map(|(&x, &s)| if s { x } else { f64::NAN }).collect(),
            });
        }
    });
    // Keep only the models that played, in name order.
    let mut ids: Vec<usize> = (0..battles.models.len()).filter(|&i| seen[i]).collect();
    ids.sort_by(|&x, &y| battles.models[x].cmp(&battles.models[y]));
    let history = EloHistory {
        models: ids.iter().map(|&i| battles.models[i].clone()).collect(),
        snapshots: snapshots
            .into_iter()
            .map(|s| EloSnapshot { ratings: ids.iter().map(|&i| s.ratings[i]).collect(), ..s })
            .collect(),
    };
    (r, seen, history)
}

/// Bootstrap of online Elo as FastChat does it (`battles.sample(frac=1, replace=True)`): each
/// round replays as many battles as the selection holds, drawn with replacement, in draw order.
/// Round r draws from [`rounds::round_rng`] (seed, r) and rounds run on `s.threads` threads, so
/// the replicates are the same for any thread count. Returns per-model replicate ratings (log
/// model ids; only models drawn in a round count), in round order.
pub(crate) async fn bootstrap(
    battles: &Battles,
    weights: Option<&[f64]>,
    selection: &[u32],
    s: &RatingsSettings,
    ticker: &mut Ticker<'_>,
) -> Result<Vec<Vec<f64>>, RatingsError> {
    let m = battles.models.len();
    let mut out = vec![Vec::new(); m];
    if selection.is_empty() {
        return Ok(out);
    }
    let n = selection.len();
    let replay = |round: u32| -> (Vec<f64>, Vec<bool>) {
        let mut rng = rounds::round_rng(s.seed, round);
        // u64: usize draws differ on wasm32.
        let draw = (0..n).map(|_| selection[rng.gen_range(0..n as u64) as usize]);
        run(battles, weights, draw, s, |_, _, _, _| {})
    };
    let threads = rounds::thread_count(s.threads);
    let chunk = rounds::chunk_len(threads);
    let total = s.bootstrap_rounds;
    let mut done = 0;
    while done < total {
        if !ticker.tick("bootstrap", u64::from(done), u64::from(total)).await {
            return Err(RatingsError::Cancelled);
        }
        let len = chunk.min(total - done);
        for (r, seen) in rounds::map(done, len, threads, &replay) {
            for i in 0..m {
                if seen[i] {
                    out[i].push(r[i]);
                }
            }
        }
        done += len;
    }
    Ok(out)
}

/// Online Elo on the selected battles, with bootstrap intervals and the trajectory.
pub(crate) async fn rate(
    picked: Picked<'_>,
    s: &RatingsSettings,
    ticker: &mut Ticker<'_>,
) -> Result<RatingsResult, RatingsError> {
    let (battles, selection, weights) = (picked.battles, picked.selection, picked.weights);
    let mut warnings = picked.warnings;
    let order = time_order(battles, selection);
    let missing_time = selection.iter().filter(|&&i| battles.tstamp[i as usize].is_nan()).count();
    if missing_time > 0 {
        warnings.push(format!(
            "{missing_time} {} no tstamp: {} replayed last, in file order",
            crate::wording::plural(missing_time as u64, "battle has", "battles have"),
            crate::wording::plural(missing_time as u64, "it is", "they are")
        ));
    }
    let (r, seen, history) = with_history(battles, weights, &order, s);
    let (agg, report) = Aggregate::from_battles_weighted(battles, selection, s.ties, weights);
    let tallies = agg.tallies();
    let comps = graph::components(agg.models.len(), &tallies);
    let replicates = match s.ci {
        CiMethod::Bootstrap => Some(bootstrap(battles, weights, selection, s, ticker).await?),
        _ => None,
    };
    let per_model = agg.battles_per_model();
    let (components, comp_of) = rated_components(&comps, &agg.models, &per_model);
    let mut rows = Vec::new();
    for (id, name) in battles.models.iter().enumerate() {
        if !seen[id] {
            continue;
        }
        let Ok(local) = agg.models.binary_search(name) else { continue };
        let (lower, upper) = match &replicates {
            Some(reps) => {
                let mut v = reps[id].clone();
                v.sort_by(f64::total_cmp);
                (
                    Some(crate::stats::quantile_sorted(&v, LOWER_Q)),
                    Some(crate::stats::quantile_sorted(&v, UPPER_Q)),
                )
            }
            None => (None, None),
        };
        rows.push(ModelRating {
            model: name.clone(),
            rating: r[id],
            lower: lower.filter(|x| x.is_finite()),
            upper: upper.filter(|x| x.is_finite()),
            rank_ub: 0,
            battles: per_model[local],
            component: comp_of[local],
        });
    }
    assign_rank_ub(&mut rows);
    sort_rows(&mut rows);
    Ok(RatingsResult {
        method: Method::Elo,
        ties: s.ties,
        ci: s.ci,
        legacy_l2: false,
        ratings: rows,
        components,
        pairs: pair_stats(&agg, &tallies),
        bootstrap_rounds: if replicates.is_some() { s.bootstrap_rounds } else { 0 },
        style: None,
        elo_history: Some(history),
        battles_used: agg.total(),
        ties_dropped: report.ties_dropped,
        filter: picked.filter,
        warnings,
        weights: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::battles::BattleBuilder;

    #[test]
    fn first_update_moves_by_half_k() {
        let mut b = BattleBuilder::new();
        b.push_json(br#"{"model_a":"x","model_b":"y","winner":"model_a","tstamp":2}"#).expect("ok");
        b.push_json(br#"{"model_a":"y","model_b":"x","winner":"tie","tstamp":1}"#).expect("ok");
        let (battles, _) = b.finish();
        let s = RatingsSettings::default();
        let order = time_order(&battles, &[0, 1]);
        assert_eq!(order, vec![1, 0]);
        let (r, _, h) = with_history(&battles, None, &order, &s);
        // Tie between equals changes nothing; then x (id 0) wins: +K/2.
        assert!((r[0] - 1002.0).abs() < 1e-12);
        assert!((r[1] - 998.0).abs() < 1e-12);
        assert_eq!(h.snapshots.len(), 2);
    }
}
