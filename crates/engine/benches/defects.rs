//! All defect checks, near-duplicates included, on the MMLU test split (14,079 items).
//! Target: ≤ 200 ms natively. Loading the files is outside the measurement.

use std::path::PathBuf;

use benchlens_engine::dataset::ParsedFile;
use benchlens_engine::defects::{analyze, ItemSet, Settings};
use benchlens_engine::formats::{expand_paths, load_path, LoadOptions};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

fn mmlu_files() -> Vec<ParsedFile> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/mmlu/test"));
    let paths = expand_paths(&[dir]).expect("list mmlu/test");
    paths.iter().map(|p| load_path(p, &LoadOptions::default()).expect("load")).collect()
}

fn bench(c: &mut Criterion) {
    let parsed = mmlu_files();
    let items = ItemSet::from_parsed(&parsed, None);
    assert_eq!(items.items.len(), 14_079);
    let settings = Settings::default();
    let mut g = c.benchmark_group("defects");
    g.sample_size(20);
    g.bench_function("analyze_mmlu_test_14079", |b| {
        b.iter_batched(|| items.clone(), |set| analyze(set, &[], &settings), BatchSize::LargeInput)
    });
    g.bench_function("items_from_tables_mmlu_test", |b| {
        b.iter(|| ItemSet::from_parsed(&parsed, None))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
