//! Scaling-law fit timings on 250 synthetic runs (Epoch AI's law, 1 % noise): one fit with
//! variable-projection starts, a 1,000-round bootstrap, and the 4,500-start full grid.
//! Results and the command are in BENCHMARKS.md.

use benchlens_engine::scaling::bootstrap::bootstrap;
use benchlens_engine::scaling::fit::fit_points;
use benchlens_engine::scaling::lbfgs::LbfgsOptions;
use benchlens_engine::scaling::objective::{LossKind, Points};
use benchlens_engine::scaling::synthetic::{generate, SyntheticSpec};
use benchlens_engine::scaling::StartMode;
use criterion::{criterion_group, criterion_main, Criterion};

mod quick;

fn points() -> Points {
    let runs = generate(&SyntheticSpec { n: 250, seed: 1, ..SyntheticSpec::default() });
    let n: Vec<f64> = runs.iter().map(|r| r.params).collect();
    let d: Vec<f64> = runs.iter().map(|r| r.tokens).collect();
    let l: Vec<f64> = runs.iter().map(|r| r.loss).collect();
    Points::new(&n, &d, &l)
}

fn benches(c: &mut Criterion) {
    let pts = points();
    let loss = LossKind::default();
    let opts = LbfgsOptions::default();
    // A group named `scaling` keeps the id `scaling/fit_varpro_250` and takes quick settings.
    let mut fast = c.benchmark_group("scaling");
    quick::configure(&mut fast);
    fast.bench_function("fit_varpro_250", |b| {
        b.iter(|| fit_points(&pts, loss, StartMode::Varpro, &[], &opts).expect("fit"))
    });
    fast.finish();
    let best = fit_points(&pts, loss, StartMode::Varpro, &[], &opts).expect("fit");
    let mut slow = c.benchmark_group("scaling_slow");
    slow.sample_size(10);
    quick::configure(&mut slow);
    if quick::on() {
        // A 1,000-round bootstrap or the 4,500-start grid takes seconds per iteration.
        slow.bench_function("bootstrap_20_rounds_250", |b| {
            b.iter(|| bootstrap(&pts, loss, best.theta, 20, 0, &mut |_, _| true))
        });
    } else {
        slow.bench_function("bootstrap_1000_rounds_250", |b| {
            b.iter(|| bootstrap(&pts, loss, best.theta, 1000, 0, &mut |_, _| true))
        });
        slow.bench_function("full_grid_4500_starts_250", |b| {
            b.iter(|| fit_points(&pts, loss, StartMode::FullGrid, &[], &opts).expect("fit"))
        });
    }
    slow.finish();
}

criterion_group!(scaling, benches);
criterion_main!(scaling);
