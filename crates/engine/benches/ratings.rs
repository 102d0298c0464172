//! Ratings on a million synthetic FastChat battles (40 models, with `conv_metadata`): the issue's
//! targets are aggregate + BT + 1000-round bootstrap ≤ 2 s, sandwich after aggregation ≤ 50 ms,
//! style control with a 100-round bootstrap ≤ 15 s (natively). Parsing is the loader's benchmark.

use std::hint::black_box;
use std::time::Duration;

use benchlens_engine::ratings::synthetic::{to_battles, SynthConfig};
use benchlens_engine::ratings::{
    rate, Aggregate, CiMethod, RatingsInput, RatingsSettings, TieRule,
};
use criterion::{criterion_group, criterion_main, Criterion};

mod quick;

/// Battles (quick mode: 20k, see benches/quick).
fn n() -> u64 {
    quick::size(1_000_000, 20_000)
}

fn ratings(c: &mut Criterion) {
    let (battles, _) = to_battles(SynthConfig { n: n(), seed: 1 });
    let all: Vec<u32> = (0..battles.len() as u32).collect();
    let mut group = c.benchmark_group(quick::size("ratings_1m", "ratings_20k"));
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(20));
    quick::configure(&mut group);

    group.bench_function("aggregate", |b| {
        b.iter(|| black_box(Aggregate::from_battles(&battles, &all, TieRule::Half)))
    });

    let input = RatingsInput { battles: Some(&battles), pair_counts: None };
    let rounds = quick::size(1000, 50);
    let bt_boot = RatingsSettings { bootstrap_rounds: rounds, ..RatingsSettings::default() };
    group.bench_function(format!("aggregate_bt_bootstrap_{rounds}"), |b| {
        b.iter(|| black_box(rate(input, &bt_boot).expect("rates")))
    });

    let (agg, _) = Aggregate::from_battles(&battles, &all, TieRule::Half);
    let counts = RatingsInput { battles: None, pair_counts: Some(&agg) };
    let sandwich = RatingsSettings { ci: CiMethod::Sandwich, ..RatingsSettings::default() };
    group.bench_function("bt_sandwich_after_aggregation", |b| {
        b.iter(|| black_box(rate(counts, &sandwich).expect("rates")))
    });

    let style = RatingsSettings {
        style_control: true,
        bootstrap_rounds: quick::size(100, 5),
        ..RatingsSettings::default()
    };
    group.bench_function(format!("style_control_bootstrap_{}", style.bootstrap_rounds), |b| {
        b.iter(|| black_box(rate(input, &style).expect("rates")))
    });
    group.finish();
}

criterion_group!(benches, ratings);
criterion_main!(benches);
