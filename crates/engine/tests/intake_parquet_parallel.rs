//! Row groups decoded on several threads give exactly the load one thread gives: the same battles,
//! ids, category bits, warnings (with their rows) and summary, on every multi-row-group fixture,
//! including one whose bad rows and first-met category tags are spread over its row groups.

use std::path::{Path, PathBuf};

use benchlens_engine::dataset::ParsedFile;
use benchlens_engine::formats::{
    load_parquet_path_threads, load_path, load_path_parallel, LoadOptions, Parallelism,
};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/parquet").join(rel)
}

fn with_threads(path: &Path, threads: usize) -> ParsedFile {
    load_parquet_path_threads(path, &LoadOptions::default(), threads)
        .expect("readable")
        .expect("parquet")
}

/// Everything a load gives, NaNs included, as one comparable string.
fn everything(p: &ParsedFile) -> String {
    format!("{p:?}")
}

const BATTLE_FIXTURES: [&str; 6] = [
    "arena-140k/data/train-00000-of-00002.parquet",
    "arena-140k/data/train-00001-of-00002.parquet",
    "chatbot-arena-conversations/data/train-00000-of-00001.parquet",
    "codecs/battles-snappy.parquet",
    "codecs/battles-zstd.parquet",
    "bad-rows/battles.parquet",
];

#[test]
fn parallel_row_groups_load_exactly_as_one_thread() {
    for rel in BATTLE_FIXTURES {
        let path = fixture(rel);
        let one = with_threads(&path, 1);
        assert!(one.battles().is_some_and(|b| !b.is_empty()), "{rel}");
        let sequential = load_path(&path, &LoadOptions::default()).expect("readable");
        assert_eq!(everything(&one), everything(&sequential), "{rel}");
        for threads in [2, 3, 8] {
            assert_eq!(
                everything(&with_threads(&path, threads)),
                everything(&one),
                "{rel}, {threads} threads"
            );
        }
        let cli = load_path_parallel(
            &path,
            &LoadOptions::default(),
            Parallelism { threads: 4, min_segment_bytes: 1 },
        )
        .expect("readable");
        assert_eq!(everything(&cli), everything(&one), "{rel}, load_path_parallel");
    }
}

#[test]
fn bad_rows_in_several_row_groups_are_named_by_row_in_parallel() {
    let p = with_threads(&fixture("bad-rows/battles.parquet"), 4);
    // Rows 4 and 18 lack model_a, 10 and 31 the winner, 13 and 37 have no date; row 23's unknown
    // winner label is not a battle either, and is reported on its own.
    assert_eq!(p.summary.skipped_rows, 6, "{:?}", p.summary.warnings);
    let null_model =
        p.summary.warnings.iter().find(|w| w.field.as_deref() == Some("model_a")).expect("model_a");
    assert_eq!((null_model.line, null_model.count), (Some(4), 2));
    assert!(null_model.message.contains("row group 1"), "{}", null_model.message);
    let date =
        p.summary.warnings.iter().find(|w| w.field.as_deref() == Some("tstamp")).expect("tstamp");
    assert_eq!((date.line, date.count), (Some(13), 2));
    assert!(date.message.contains("row group 2"), "{}", date.message);
    let battles = p.battles().expect("battles");
    assert_eq!(battles.len(), 33);
    assert!(
        p.summary.warnings.iter().any(|w| w.message.contains("maybe")),
        "{:?}",
        p.summary.warnings
    );
    // Categories keep the order one pass meets them in, though each row group meets them in
    // another order.
    let one = with_threads(&fixture("bad-rows/battles.parquet"), 1);
    assert_eq!(battles.categories, one.battles().expect("battles").categories);
    assert_eq!(battles.category_bits, one.battles().expect("battles").category_bits);
    assert_eq!(battles.categories.len(), 3);
}
