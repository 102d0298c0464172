//! Properties of the shared numerics every interval rests on: numpy-style linear-interpolation
//! percentiles and multinomial resampling of counts (the bootstrap's draw).

use benchlens_engine::stats::{quantile, quantile_sorted, resample_counts, rng};
use proptest::prelude::*;

fn values() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(-1e6f64..1e6, 1..40)
}

fn sorted(v: &[f64]) -> Vec<f64> {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A percentile lies between the smallest and the largest value; q = 0 and q = 1 are those.
    #[test]
    fn quantile_is_bounded_with_exact_endpoints(v in values(), q in 0.0f64..=1.0) {
        let s = sorted(&v);
        let (lo, hi) = (s[0], s[s.len() - 1]);
        let x = quantile_sorted(&s, q);
        prop_assert!(lo <= x && x <= hi, "{x} outside [{lo}, {hi}]");
        prop_assert_eq!(quantile_sorted(&s, 0.0), lo);
        prop_assert_eq!(quantile_sorted(&s, 1.0), hi);
    }

    /// Higher q never gives a lower percentile (interval bounds stay ordered).
    #[test]
    fn quantile_is_monotone_in_q(v in values(), q1 in 0.0f64..=1.0, q2 in 0.0f64..=1.0) {
        let s = sorted(&v);
        let (a, b) = if q1 <= q2 { (q1, q2) } else { (q2, q1) };
        prop_assert!(quantile_sorted(&s, a) <= quantile_sorted(&s, b));
    }

    /// `quantile` ignores input order and NaNs, and at a knot (q = k / (n − 1)) returns the k-th
    /// order statistic, as numpy's linear method does (up to the rounding of q · (n − 1)).
    #[test]
    fn quantile_ignores_order_and_nan_and_hits_order_statistics(
        v in values(),
        k in 0usize..40,
        rotate in 0usize..40,
    ) {
        let s = sorted(&v);
        let k = k % s.len();
        let q = if s.len() == 1 { 0.5 } else { k as f64 / (s.len() - 1) as f64 };
        let mut shuffled = v.clone();
        shuffled.rotate_left(rotate % v.len());
        shuffled.reverse();
        shuffled.push(f64::NAN);
        let want = if s.len() == 1 { s[0] } else { s[k] };
        let got = quantile(&shuffled, q);
        let span = s[s.len() - 1] - s[0];
        prop_assert!((got - want).abs() <= 1e-12 * (1.0 + span), "{got} vs {want}");
        prop_assert_eq!(quantile(&shuffled, q), quantile_sorted(&s, q), "order or NaN mattered");
    }

    /// Affine maps commute with percentiles: quantile(a·x + b) = a·quantile(x) + b for a > 0
    /// (up to rounding), so rescaling ratings rescales their intervals.
    #[test]
    fn quantile_commutes_with_increasing_affine_maps(
        v in values(),
        q in 0.0f64..=1.0,
        a in 0.01f64..100.0,
        b in -1e3f64..1e3,
    ) {
        let mapped: Vec<f64> = v.iter().map(|x| a * x + b).collect();
        let got = quantile(&mapped, q);
        let want = a * quantile(&v, q) + b;
        prop_assert!((got - want).abs() <= 1e-9 * (1.0 + want.abs() + a * 1e6), "{got} vs {want}");
    }

    /// A multinomial resample keeps the total, never draws an empty category, and depends only
    /// on the seed.
    #[test]
    fn resampled_counts_keep_the_total_and_the_support(
        counts in prop::collection::vec(prop_oneof![Just(0u64), 0u64..50, 0u64..100_000], 1..30),
        total in 0u64..200_000,
        seed in any::<u64>(),
    ) {
        let mut out = Vec::new();
        resample_counts(&counts, total, &mut rng(seed), &mut out);
        prop_assert_eq!(out.len(), counts.len());
        let sum: u64 = counts.iter().sum();
        let drawn: u64 = out.iter().sum();
        prop_assert_eq!(drawn, if sum == 0 { 0 } else { total });
        for (c, o) in counts.iter().zip(&out) {
            prop_assert!(*c > 0 || *o == 0, "drew {o} from an empty category");
        }
        let mut again = Vec::new();
        resample_counts(&counts, total, &mut rng(seed), &mut again);
        prop_assert_eq!(out, again);
    }
}
