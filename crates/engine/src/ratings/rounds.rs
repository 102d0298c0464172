//! Bootstrap rounds on every core, with results that do not depend on how many there are.
//!
//! Each round draws from its own generator, seeded from (user seed, round index), so a round's
//! resample is the same whichever thread runs it and in whatever order; results are collected
//! back in round order. The interval is therefore byte-identical for 1, 2 or 64 threads, and the
//! browser (wasm32, where the engine has no threads) gets exactly the numbers the CLI prints.
//! Rounds run in chunks so the caller can report progress and honour Cancel between chunks.

use crate::stats::{self, SeededRng};

/// The generator of bootstrap round `round` under the user's `seed`: SplitMix64 finalisers of
/// both, so neighbouring seeds and rounds give unrelated streams.
pub(crate) fn round_rng(seed: u64, round: u32) -> SeededRng {
    let mixed = splitmix64(seed ^ splitmix64(u64::from(round).wrapping_add(0x9E37_79B9_7F4A_7C15)));
    stats::rng(mixed)
}

fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// More threads than this only add start-up cost (a mistyped `--threads 100000` must not start
/// a hundred thousand threads).
#[cfg(not(target_arch = "wasm32"))]
const MAX_THREADS: usize = 256;

/// Worker threads to use for `requested` (0 = every core; at most 256). Always 1 on wasm32.
pub(crate) fn thread_count(requested: usize) -> usize {
    #[cfg(target_arch = "wasm32")]
    {
        let _ = requested;
        1
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        match requested {
            0 => std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
            n => n.min(MAX_THREADS),
        }
    }
}

/// Rounds per progress tick: one at a time on one thread (the page's progress bar and Cancel
/// react within a round), a few per thread otherwise so threads are not started for every round.
pub(crate) fn chunk_len(threads: usize) -> u32 {
    if threads <= 1 {
        1
    } else {
        (threads * 8) as u32
    }
}

/// `f(round)` for every round in `first..first + len`, on up to `threads` threads, in round order.
pub(crate) fn map<T: Send>(
    first: u32,
    len: u32,
    threads: usize,
    f: &(impl Fn(u32) -> T + Sync),
) -> Vec<T> {
    let threads = threads.clamp(1, len.max(1) as usize);
    if threads == 1 {
        return (first..first + len).map(f).collect();
    }
    #[cfg(target_arch = "wasm32")]
    {
        (first..first + len).map(f).collect()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        // Thread t takes rounds t, t + threads, …: replicate costs drift with the round's data,
        // striding keeps the threads' loads even.
        let mut per_thread: Vec<Vec<(u32, T)>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    scope.spawn(move || {
                        (first + t as u32..first + len)
                            .step_by(threads)
                            .map(|r| (r, f(r)))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|payload| std::panic::resume_unwind(payload)))
                .collect()
        });
        let mut all: Vec<(u32, T)> = per_thread.iter_mut().flat_map(std::mem::take).collect();
        all.sort_by_key(|(r, _)| *r);
        all.into_iter().map(|(_, v)| v).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn results_come_back_in_round_order_for_any_thread_count() {
        let f = |r: u32| (r, round_rng(7, r).gen::<u64>());
        let one = map(3, 50, 1, &f);
        for threads in [2, 3, 4, 64] {
            assert_eq!(map(3, 50, threads, &f), one, "{threads} threads");
        }
        assert_eq!(one.first().map(|x| x.0), Some(3));
        assert_eq!(one.last().map(|x| x.0), Some(52));
    }

    #[test]
    fn rounds_and_seeds_give_distinct_streams() {
        let mut seen = std::collections::BTreeSet::new();
        for seed in 0..20 {
            for round in 0..20 {
                assert!(seen.insert(round_rng(seed, round).gen::<u64>()));
            }
        }
    }
}
