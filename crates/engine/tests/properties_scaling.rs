//! Scaling-law fits recover the law from noise-free runs over a range of laws, not only the three
//! published ones scaling_recovery.rs checks: E, A, B, α, β drawn at random within the region
//! where the data constrain all five (exponents 0.2–0.6, both terms visible at the budgets used).

mod scaling_support;

use benchlens_engine::scaling::synthetic::{generate, SyntheticSpec};
use benchlens_engine::scaling::{extract, fit_law, ColumnChoice, FitSettings, LawParams, LossKind};
use proptest::prelude::*;
use scaling_support::runs_table;

fn law() -> impl Strategy<Value = LawParams> {
    (1.5f64..2.5, 100.0f64..2000.0, 100.0f64..3000.0, 0.2f64..0.6, 0.2f64..0.6)
        .prop_map(|(e, a, b, alpha, beta)| LawParams { E: e, A: a, B: b, alpha, beta })
}

proptest! {
    // Each case is a full fit (≈ 10 ms natively): few cases, a wide range.
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn noise_free_runs_give_back_the_law(
        law in law(),
        seed in any::<u64>(),
        loss in prop::sample::select(vec![LossKind::default(), LossKind::L2]),
    ) {
        let runs = generate(&SyntheticSpec { law, n: 120, noise: 0.0, seed, ..SyntheticSpec::default() });
        let data = extract(&runs_table(&runs), &ColumnChoice::default()).expect("columns");
        let f = fit_law(&data, &FitSettings { loss, bootstrap: 0, ..FitSettings::default() })
            .expect("fit");
        let p = f.params;
        for (name, got, want) in [
            ("E", p.E, law.E),
            ("A", p.A, law.A),
            ("B", p.B, law.B),
            ("alpha", p.alpha, law.alpha),
            ("beta", p.beta, law.beta),
        ] {
            prop_assert!((got / want - 1.0).abs() < 1e-3, "{name}: {got} vs {want} ({p:?})");
        }
        // The fitted law reproduces every run's loss.
        for r in &runs {
            let rel = p.loss(r.params, r.tokens) / r.loss - 1.0;
            prop_assert!(rel.abs() < 1e-6, "{}: {rel}", r.name);
        }
    }
}
