//! One stable sort for the many short lists (table rows, leaderboards, chart points) that the page
//! and the worker put in order. `slice::sort_by` compiles its own copy of the standard library's
//! sort, a few KB of wasm each, for every element type and comparator it is called with: the page
//! held 29 such copies. These functions sort a list of positions with a `&dyn` comparator, so one
//! copy serves every caller, and then move the items into that order. They are stable, as
//! `sort_by` is: equal items keep their order, so every result is the same as before.
//!
//! Hot loops over millions of items should keep `sort_by`, which inlines the comparison.

use std::cmp::Ordering;

/// Sorts `items` stably by `cmp`, as `items.sort_by(cmp)` does.
pub fn stable_sort_by<T>(items: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    sort_positions(&mut order, &|a, b| cmp(&items[a], &items[b]));
    permute(items, &mut order);
}

/// Sorts `items` stably by `key`, as `items.sort_by_key(key)` does.
pub fn stable_sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    stable_sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// The one instance of the standard sort: positions ordered by `cmp`, ties by position.
fn sort_positions(order: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

/// Moves `items` so that `items[k]` becomes the item that stood at `order[k]`, one cycle of the
/// permutation at a time (each item is swapped once). `order` is used up (left as the identity).
fn permute<T>(items: &mut [T], order: &mut [usize]) {
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Same order as the standard stable sort, ties included, on seeded random keys.
    #[test]
    fn matches_std_stable_sort() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for len in [0usize, 1, 2, 3, 7, 20, 33, 100, 1000] {
            let items: Vec<(u64, usize)> = (0..len)
                .map(|i| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state % 5, i)
                })
                .collect();
            let mut ours = items.clone();
            stable_sort_by(&mut ours, |a, b| b.0.cmp(&a.0));
            let mut std = items.clone();
            std.sort_by_key(|p| std::cmp::Reverse(p.0));
            assert_eq!(ours, std, "length {len}");
            let mut by_key = items.clone();
            stable_sort_by_key(&mut by_key, |p| p.0);
            let mut std_key = items;
            std_key.sort_by_key(|p| p.0);
            assert_eq!(by_key, std_key, "length {len}, by key");
        }
    }
}
