//! Bootstrap intervals do not depend on the thread count: every method's replicates are seeded
//! per (seed, round), so 1, 2 and 4 threads must give byte-identical results (the browser runs
//! one thread, the CLI every core, and both must print the same numbers).

use benchlens_engine::ratings::synthetic::{to_battles_with, Pairing, SynthConfig, SynthOptions};
use benchlens_engine::ratings::{rate, Method, RatingsInput, RatingsSettings, TieRule};
use benchlens_engine::Battles;

fn arena() -> Battles {
    let options = SynthOptions { models: 30, pairing: Pairing::Realistic };
    to_battles_with(SynthConfig { n: 12_000, seed: 11 }, options).0
}

/// The whole result as JSON for `threads` threads.
fn run(battles: &Battles, s: &RatingsSettings, threads: usize) -> String {
    let s = RatingsSettings { threads, ..s.clone() };
    let input = RatingsInput { battles: Some(battles), pair_counts: None };
    let result = rate(input, &s).expect("rates");
    assert!(result.bootstrap_rounds > 0);
    assert!(result.ratings.iter().all(|r| r.lower.is_some() && r.upper.is_some()));
    serde_json::to_string(&result).expect("serialises")
}

fn check(s: RatingsSettings) {
    let battles = arena();
    let one = run(&battles, &s, 1);
    for threads in [2, 4] {
        assert!(run(&battles, &s, threads) == one, "{threads} threads differ from one ({s:?})");
    }
}

fn rounds(n: u32) -> RatingsSettings {
    RatingsSettings { bootstrap_rounds: n, seed: 3, ..RatingsSettings::default() }
}

#[test]
fn bradley_terry_bootstrap_is_identical_for_any_thread_count() {
    check(rounds(37));
}

#[test]
fn davidson_bootstrap_is_identical_for_any_thread_count() {
    check(RatingsSettings { ties: TieRule::Davidson, ..rounds(37) });
}

#[test]
fn online_elo_bootstrap_is_identical_for_any_thread_count() {
    check(RatingsSettings { method: Method::Elo, ..rounds(37) });
}

#[test]
fn style_control_bootstrap_is_identical_for_any_thread_count() {
    check(RatingsSettings { style_control: true, ..rounds(9) });
}

#[test]
fn a_different_seed_gives_different_intervals() {
    let battles = arena();
    let a = run(&battles, &rounds(37), 2);
    let b = run(&battles, &RatingsSettings { seed: 4, ..rounds(37) }, 2);
    assert!(a != b);
}
