//! Rating invariants not covered by ratings_properties.rs (mirroring, row order, duplication,
//! anchors): how counts aggregate, how the rating scale enters, and what Rank (UB) means.

use benchlens_engine::battles::BattleBuilder;
use benchlens_engine::ratings::{
    pair_counts, rate, Aggregate, CiMethod, RatingsInput, RatingsResult, RatingsSettings, TieRule,
};
use benchlens_engine::{Battles, Table};
use proptest::prelude::*;

const WINNERS: [&str; 4] = ["model_a", "model_b", "tie", "tie (bothbad)"];

/// (a, b, winner) over `k` models, a win cycle first so every model has a finite MLE.
fn log_strategy() -> impl Strategy<Value = Vec<(usize, usize, usize)>> {
    (3usize..7).prop_flat_map(|k| {
        prop::collection::vec((0..k, 0..k, 0..4usize), 5..120).prop_map(move |random| {
            let mut out: Vec<_> = (0..k).map(|i| (i, (i + 1) % k, 0)).collect();
            out.extend(random.into_iter().filter(|(a, b, _)| a != b));
            out
        })
    })
}

fn build(triples: &[(usize, usize, usize)]) -> Battles {
    let mut b = BattleBuilder::new();
    for &(a, bb, w) in triples {
        let rec = format!(r#"{{"model_a":"m{a}","model_b":"m{bb}","winner":"{}"}}"#, WINNERS[w]);
        b.push_json(rec.as_bytes()).expect("valid record");
    }
    b.finish().0
}

fn all(b: &Battles) -> Vec<u32> {
    (0..b.len() as u32).collect()
}

/// A pair-count table with one row per (a, b) group of battles, counts summed, the rows in the
/// given order.
fn pair_count_table(triples: &[(usize, usize, usize)], group: bool) -> Table {
    let mut rows: Vec<(usize, usize, [u64; 3])> = Vec::new();
    for &(a, b, w) in triples {
        let slot = [0, 1, 2, 2][w];
        match rows.iter_mut().find(|r| group && r.0 == a && r.1 == b) {
            Some(r) => r.2[slot] += 1,
            None => {
                let mut c = [0; 3];
                c[slot] = 1;
                rows.push((a, b, c));
            }
        }
    }
    let cols = ["model_a", "model_b", "wins_a", "wins_b", "ties"];
    let mut t = Table::new(cols.iter().map(|c| (*c).to_owned()).collect());
    for (i, (a, b, c)) in rows.iter().enumerate() {
        let cells = [
            format!("m{a}"),
            format!("m{b}"),
            c[0].to_string(),
            c[1].to_string(),
            c[2].to_string(),
        ];
        t.push_row(cells.iter().map(String::as_str), i as u64 + 2);
    }
    t
}

fn no_ci() -> RatingsSettings {
    RatingsSettings { ci: CiMethod::None, ..RatingsSettings::default() }
}

fn ratings_of(r: &RatingsResult) -> Vec<(String, f64)> {
    let mut v: Vec<(String, f64)> = r.ratings.iter().map(|m| (m.model.clone(), m.rating)).collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// A pair-count file is the battle log summed: one row per battle or one per pair, the
    /// aggregate is the log's, and so are the ratings.
    #[test]
    fn pair_counts_equal_the_summed_battle_log(triples in log_strategy(), group in any::<bool>()) {
        let battles = build(&triples);
        let (from_log, _) = Aggregate::from_battles(&battles, &all(&battles), TieRule::Half);
        let (from_counts, _) = pair_counts::from_table(&pair_count_table(&triples, group))
            .expect("valid pair counts");
        prop_assert_eq!(&from_log, &from_counts);
        prop_assert_eq!(from_counts.total(), triples.len() as u64);
        let s = no_ci();
        let a = rate(RatingsInput { battles: Some(&battles), pair_counts: None }, &s).expect("log");
        let b = rate(RatingsInput { battles: None, pair_counts: Some(&from_counts) }, &s)
            .expect("counts");
        prop_assert_eq!(ratings_of(&a), ratings_of(&b));
    }

    /// Aggregating two halves of a log and merging them is aggregating the whole log.
    #[test]
    fn merging_aggregates_of_parts_is_aggregating_the_whole(
        triples in log_strategy(),
        cut in 0.0f64..=1.0,
        ties in prop::sample::select(vec![TieRule::Half, TieRule::Drop]),
    ) {
        let battles = build(&triples);
        let sel = all(&battles);
        let at = (cut * sel.len() as f64) as usize;
        let (whole, _) = Aggregate::from_battles(&battles, &sel, ties);
        let (first, _) = Aggregate::from_battles(&battles, &sel[..at], ties);
        let (second, _) = Aggregate::from_battles(&battles, &sel[at..], ties);
        prop_assert_eq!(first.merged(&second), whole);
    }

    /// The scale only stretches ratings about the mean: (rating − 1000) is proportional to
    /// scale / ln(base), the fit itself being unchanged.
    #[test]
    fn ratings_stretch_with_points_per_logit(
        triples in log_strategy(),
        scale in 50.0f64..1000.0,
        base in prop::sample::select(vec![10.0f64, std::f64::consts::E, 2.0]),
    ) {
        let battles = build(&triples);
        let input = RatingsInput { battles: Some(&battles), pair_counts: None };
        let reference = ratings_of(&rate(input, &no_ci()).expect("rates"));
        let s = RatingsSettings { scale, base, ..no_ci() };
        let stretched = ratings_of(&rate(input, &s).expect("rates"));
        let factor = (scale / base.ln()) / (400.0 / 10f64.ln());
        for ((m, r0), (m1, r1)) in reference.iter().zip(&stretched) {
            prop_assert_eq!(m, m1);
            let want = 1000.0 + (r0 - 1000.0) * factor;
            prop_assert!((r1 - want).abs() < 1e-6 * (1.0 + want.abs()), "{m}: {r1} vs {want}");
        }
    }

    /// Rank (UB) is 1 + the models whose lower bound clears this one's upper bound: so the best
    /// upper bound ranks 1, and a higher upper bound never ranks worse.
    #[test]
    fn rank_ub_is_monotone_in_the_upper_bound(
        triples in log_strategy(),
        ci in prop::sample::select(vec![CiMethod::Bootstrap, CiMethod::Sandwich]),
        seed in any::<u64>(),
    ) {
        let battles = build(&triples);
        let s = RatingsSettings { ci, bootstrap_rounds: 20, seed, ..RatingsSettings::default() };
        let r = rate(RatingsInput { battles: Some(&battles), pair_counts: None }, &s).expect("rates");
        let bounds: Vec<(u32, f64, f64, u32)> = r
            .ratings
            .iter()
            .map(|m| (m.component, m.lower.unwrap_or(m.rating), m.upper.unwrap_or(m.rating), m.rank_ub))
            .collect();
        for &(c, lo, hi, rank) in &bounds {
            prop_assert!(lo <= hi, "interval [{lo}, {hi}]");
            let above = bounds.iter().filter(|b| b.0 == c && b.1 > hi + 1e-9).count() as u32;
            prop_assert_eq!(rank, 1 + above);
            for &(c2, _, hi2, rank2) in &bounds {
                if c2 == c && hi >= hi2 {
                    prop_assert!(rank <= rank2, "upper {hi} ranks {rank}, upper {hi2} ranks {rank2}");
                }
            }
        }
        let best = bounds.iter().map(|b| b.2).fold(f64::NEG_INFINITY, f64::max);
        prop_assert!(bounds.iter().any(|b| b.2 == best && b.3 == 1));
    }
}
