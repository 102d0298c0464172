//! Defect checks depend on the items, not on the order of the rows that hold them: shuffling a
//! benchmark file's rows flags the same items for the same checks, and the report stays sorted.

use benchlens_engine::defects::{analyze, ItemSet, Settings};
use benchlens_engine::Table;
use proptest::prelude::*;

/// Small vocabularies so that duplicates, near-duplicates and identical options are common.
fn item() -> impl Strategy<Value = Vec<String>> {
    let word =
        prop::sample::select(vec!["the", "cat", "sat", "on", "a", "mat", "dog", "ran", "42"]);
    let question = prop::collection::vec(word.clone(), 3..9).prop_map(|w| w.join(" "));
    let option = prop::collection::vec(word, 0..3).prop_map(|w| w.join(" "));
    let key = prop::sample::select(vec!["A", "B", "C", "D", "E", "", "1"]);
    (question, prop::collection::vec(option, 4), key).prop_map(|(q, o, k)| {
        let mut row = vec![q];
        row.extend(o);
        row.push(k.to_owned());
        row
    })
}

fn report_of(rows: &[Vec<String>]) -> Vec<(Vec<String>, String)> {
    let cols = ["question", "A", "B", "C", "D", "answer"];
    let mut t = Table::new(cols.iter().map(|c| (*c).to_owned()).collect());
    for (i, r) in rows.iter().enumerate() {
        t.push_row(r.iter().map(String::as_str), i as u64 + 2);
    }
    let mut set = ItemSet::default();
    set.add_table("items.csv", &t, None, None, None);
    let report = analyze(set, &[], &Settings::default());
    assert!(
        report.flags.windows(2).all(|w| (w[0].item, w[0].check) <= (w[1].item, w[1].check)),
        "flags not sorted by (item, check)"
    );
    // Items are identified by their content: identical rows are interchangeable.
    let mut flags: Vec<(Vec<String>, String)> = report
        .flags
        .iter()
        .map(|f| (rows[report.items.items[f.item].row].clone(), f.check.id().to_owned()))
        .collect();
    flags.sort();
    flags
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn row_order_does_not_change_the_flags(
        rows in prop::collection::vec(item(), 1..24),
        order in any::<prop::sample::Index>(),
        seed in any::<u64>(),
    ) {
        // A seeded Fisher–Yates shuffle (proptest shrinks the seed, not the permutation).
        let mut shuffled = rows.clone();
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        shuffled.rotate_left(order.index(rows.len()));
        prop_assert_eq!(report_of(&rows), report_of(&shuffled));
    }
}
