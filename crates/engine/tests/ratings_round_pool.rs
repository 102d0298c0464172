//! Bootstrap rounds spread over a pool (the page's helper workers, issue #15) give byte-identical
//! results: however the rounds are cut into chunks, whichever order the chunks come back in, and
//! when a helper loses chunks (then the coordinator computes them itself). The fake pool here
//! does what a helper does: it gets the round work as bincode, rebuilds it, and computes the
//! chunks it is handed with [`RoundWorker::rounds`].

use std::cell::RefCell;

use benchlens_engine::dataset::{Dataset, FileSummary, ParsedFile};
use benchlens_engine::ratings::synthetic::{to_battles_with, Pairing, SynthConfig, SynthOptions};
use benchlens_engine::ratings::{
    run, Method, NamedFile, RatingsJob, RatingsSettings, RoundExecutor, RoundWork, RoundWorker,
    RoundsPart, TieRule,
};

/// A pool that answers chunks in a scrambled order, some late, some never.
struct FakePool {
    capacity: usize,
    /// Every how many chunks one is lost (a helper that died); 0 = none.
    lose_every: u32,
    state: RefCell<State>,
}

#[derive(Default)]
struct State {
    worker: Option<RoundWorker<'static>>,
    out: Vec<(u32, u32)>,
    rng: u64,
    /// (bootstraps begun, chunks handed out, rounds computed by the pool)
    begun: u32,
    chunks: u32,
    pool_rounds: u32,
}

impl FakePool {
    fn new(capacity: usize, lose_every: u32, seed: u64) -> Self {
        let state = State { rng: seed, ..State::default() };
        Self { capacity, lose_every, state: RefCell::new(state) }
    }
}

fn next(rng: &mut u64) -> u64 {
    *rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    *rng >> 33
}

impl RoundExecutor for FakePool {
    fn begin(&self, work: &RoundWork<'_>, _rounds: u32) -> usize {
        let bytes = bincode::serialize(work).expect("round work serialises");
        let work: RoundWork<'static> = bincode::deserialize(&bytes).expect("and reads back");
        let mut s = self.state.borrow_mut();
        s.worker = Some(RoundWorker::new(work));
        s.out.clear();
        s.begun += 1;
        self.capacity
    }

    fn submit(&self, first: u32, len: u32) -> bool {
        let mut s = self.state.borrow_mut();
        if s.out.len() >= self.capacity {
            return false;
        }
        s.out.push((first, len));
        s.chunks += 1;
        true
    }

    fn take_finished(&self) -> Option<RoundsPart> {
        let mut s = self.state.borrow_mut();
        // Often nothing has come back yet.
        if s.out.is_empty() || next(&mut s.rng).is_multiple_of(3) {
            return None;
        }
        let pick = next(&mut s.rng) as usize % s.out.len();
        let (first, len) = s.out.remove(pick);
        if self.lose_every > 0 && next(&mut s.rng).is_multiple_of(u64::from(self.lose_every)) {
            return None;
        }
        s.pool_rounds += len;
        let bytes = bincode::serialize(&s.worker.as_ref()?.rounds(first, len)).expect("part");
        Some(bincode::deserialize(&bytes).expect("part reads back"))
    }

    fn end(&self) {
        let mut s = self.state.borrow_mut();
        s.worker = None;
        s.out.clear();
    }
}

fn arena() -> ParsedFile {
    let options = SynthOptions { models: 24, pairing: Pairing::Realistic };
    let battles = to_battles_with(SynthConfig { n: 8_000, seed: 5 }, options).0;
    ParsedFile { summary: FileSummary::unread("arena.json"), data: Dataset::Battles(battles) }
}

/// Ratings (and, with `compare`, the comparison) as CSV and JSON.
fn rate(
    file: &ParsedFile,
    s: &RatingsSettings,
    compare: Option<&RatingsSettings>,
    pool: Option<&FakePool>,
) -> String {
    let files = [NamedFile { name: "arena.json", parsed: file }];
    let job = RatingsJob {
        files: &files,
        leaderboards: &[],
        settings: s,
        compare_with: compare,
        extras: benchlens_engine::ratings::Extras::None,
        rounds: pool.map(|p| p as &dyn RoundExecutor),
    };
    let outcome = run(job).expect("rates");
    assert!(outcome.result.ratings.iter().all(|r| r.lower.is_some() && r.upper.is_some()));
    format!("{}\n{}", outcome.to_csv(), serde_json::to_string(&outcome).expect("json"))
}

fn settings(rounds: u32) -> RatingsSettings {
    RatingsSettings { bootstrap_rounds: rounds, seed: 9, ..RatingsSettings::default() }
}

fn check(s: &RatingsSettings, compare: Option<&RatingsSettings>) {
    let file = arena();
    let alone = rate(&file, s, compare, None);
    for (capacity, lose_every, seed) in [(1, 0, 1), (2, 0, 2), (3, 4, 3), (8, 0, 4), (5, 2, 5)] {
        let pool = FakePool::new(capacity, lose_every, seed);
        let pooled = rate(&file, s, compare, Some(&pool));
        let st = pool.state.borrow();
        assert!(st.chunks > 0 && st.pool_rounds > 0, "the pool computed rounds ({capacity})");
        assert!(pooled == alone, "pool of {capacity}, losing every {lose_every}: differs");
    }
}

#[test]
fn bradley_terry_intervals_are_identical_however_rounds_are_split() {
    check(&settings(61), None);
}

#[test]
fn davidson_intervals_are_identical_however_rounds_are_split() {
    check(&RatingsSettings { ties: TieRule::Davidson, ..settings(29) }, None);
}

#[test]
fn the_comparison_bootstrap_runs_on_the_pool_too() {
    let s = settings(23);
    let mut english = s.clone();
    english.filters.languages = vec!["English".into()];
    let file = arena();
    let pool = FakePool::new(2, 0, 7);
    let pooled = rate(&file, &s, Some(&english), Some(&pool));
    assert_eq!(pool.state.borrow().begun, 2, "both bootstraps used the pool");
    assert!(pooled == rate(&file, &s, Some(&english), None));
}

#[test]
fn chunks_computed_anywhere_are_the_rounds_computed_here() {
    // The worker's rounds match whatever split: [0, 40) equals [0, 13) + [13, 40).
    let file = arena();
    let s = settings(40);
    let files = [NamedFile { name: "arena.json", parsed: &file }];
    let recorder = Recorder::default();
    let job = RatingsJob {
        files: &files,
        leaderboards: &[],
        settings: &s,
        compare_with: None,
        extras: benchlens_engine::ratings::Extras::None,
        rounds: Some(&recorder),
    };
    run(job).expect("rates");
    let worker = recorder.worker.borrow_mut().take().expect("work arrived");
    let whole = worker.rounds(0, 40);
    let (a, b) = (worker.rounds(0, 13), worker.rounds(13, 27));
    assert_eq!((whole.len(), a.len(), b.first), (40, 13, 13));
    let joined: Vec<u8> = [bincode::serialize(&a), bincode::serialize(&b)]
        .into_iter()
        .flat_map(|x| x.expect("serialises").into_iter().skip(8 + 4))
        .collect();
    let whole_bytes = bincode::serialize(&whole).expect("serialises");
    assert_eq!(joined, whole_bytes[8 + 4..], "replicate bytes, chunk headers aside");
}

/// Keeps the work and computes nothing (so every round runs at the caller).
#[derive(Default)]
struct Recorder {
    worker: RefCell<Option<RoundWorker<'static>>>,
}

impl RoundExecutor for Recorder {
    fn begin(&self, work: &RoundWork<'_>, _rounds: u32) -> usize {
        let bytes = bincode::serialize(work).expect("serialises");
        *self.worker.borrow_mut() = bincode::deserialize(&bytes).ok().map(RoundWorker::new);
        0
    }
    fn submit(&self, _: u32, _: u32) -> bool {
        false
    }
    fn take_finished(&self) -> Option<RoundsPart> {
        None
    }
    fn end(&self) {}
}

#[test]
fn online_elo_and_style_control_run_here_with_a_pool() {
    // Only the likelihood bootstrap goes to the pool; the others are unchanged by one.
    let file = arena();
    for s in [
        RatingsSettings { method: Method::Elo, ..settings(7) },
        RatingsSettings { style_control: true, ..settings(3) },
    ] {
        let pool = FakePool::new(2, 0, 1);
        assert!(rate(&file, &s, None, Some(&pool)) == rate(&file, &s, None, None));
    }
}
