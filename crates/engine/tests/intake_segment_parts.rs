//! The page's worker pool parses a battle log in segments in separate workers: the merging
//! worker reads the first segment with the loader that sniffed the file, helpers parse the later
//! ones (the last included, up to the array's `]`) in forks, and send finished segments over as
//! [`SegmentPart`]s. The merged dataset must equal a one-worker parse: same battles and ids, same
//! warnings on the same lines, same summary. The earlier arrangement (a helper from byte 0, the
//! merging worker's own fork for the last segment) is kept as a test of `absorb` too.

use benchlens_engine::battles::{BattleColumn, ColumnSource};
use benchlens_engine::dataset::ParsedFile;
use benchlens_engine::formats::{
    cut_targets, load_bytes, LoadOptions, Parallelism, SegmentPart, StreamLoader, WINDOW_BYTES,
};
use benchlens_engine::Battles;

const SPLIT: Parallelism = Parallelism { threads: 3, min_segment_bytes: 32 << 10 };

fn as_json(parsed: &ParsedFile) -> serde_json::Value {
    serde_json::json!({ "summary": parsed.summary, "data": parsed.data })
}

fn record(i: usize) -> serde_json::Value {
    let models = ["alpha", "beta", "gamma", "delta"];
    let late = format!("late-{}", i / 700);
    let model_a = if i.is_multiple_of(5) { late.as_str() } else { models[i % 4] };
    // Unknown winners in the middle and last segments: the warning names the first one's line.
    let winner = match i {
        1800 | 2750 => "draw",
        _ => ["model_a", "model_b", "tie"][i % 3],
    };
    let language = ["English", "German"][(i / 900) % 2];
    if i % 97 == 3 {
        // A row to skip, with a warning whose line the merge must move.
        return serde_json::json!({ "model_a": 5, "model_b": "beta", "winner": "tie" });
    }
    if i == 1500 || i == 2700 {
        // Battles with no weight in the middle and last segments: the first is where the weight
        // column's message points, at its line in the whole file.
        return serde_json::json!({ "model_a": "alpha", "model_b": "beta", "winner": "tie" });
    }
    let weight = if i == 2800 { -1.0 } else { 0.5 + (i % 7) as f64 / 4.0 };
    serde_json::json!({
        "weight": weight,
        "model_a": model_a,
        "model_b": models[(i + 1) % 4],
        "winner": winner,
        "language": language,
        "tstamp": 1.7e9 + i as f64,
        "anony": i.is_multiple_of(2),
        "conv_metadata": { "sum_assistant_a_tokens": i % 50, "sum_assistant_b_tokens": 7 },
    })
}

fn feed(loader: &mut StreamLoader, bytes: &[u8]) {
    for chunk in bytes.chunks(10_000) {
        loader.feed(chunk);
    }
}

/// Both arrangements start alike: a loader sniffs the head (64 KB at a time) until it runs, and
/// the cuts are placed with the CLI's rule (targets, then the next element start in a window).
/// Returns the loader, how far it read, and the cuts.
fn sniff_and_cut(name: &str, bytes: &[u8]) -> (StreamLoader, usize, Vec<usize>) {
    let mut sniffer = StreamLoader::new(name, LoadOptions::default());
    let mut pos = 0;
    while !sniffer.is_running() && pos < bytes.len() {
        let end = (pos + (64 << 10)).min(bytes.len());
        sniffer.feed(&bytes[pos..end]);
        pos = end;
    }
    let mut cuts: Vec<usize> = Vec::new();
    for target in cut_targets(pos as u64, bytes.len() as u64, SPLIT) {
        let target = target as usize;
        if target <= cuts.last().copied().unwrap_or(pos) {
            continue;
        }
        let window = &bytes[target..(target + WINDOW_BYTES).min(bytes.len())];
        if let Some(off) = sniffer.guess_element_start(window) {
            cuts.push(target + off);
        }
    }
    (sniffer, pos, cuts)
}

/// What the pool does: sniff, cut, parse segment k < last from byte 0 (k = 0) or in a fork,
/// ship it as bincode, and merge into a fork of the sniffing loader; the last segment is the
/// merging worker's own fork.
fn pooled(name: &str, bytes: &[u8]) -> Option<ParsedFile> {
    let options = LoadOptions::default();
    let (sniffer, _, cuts) = sniff_and_cut(name, bytes);
    let last = *cuts.last()?;
    let mut starts = vec![0];
    starts.extend(&cuts);
    let mut merged = sniffer.fork()?;
    for pair in starts.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        let mut segment =
            if from == 0 { StreamLoader::new(name, options.clone()) } else { sniffer.fork()? };
        feed(&mut segment, &bytes[from..to]);
        let part = segment.into_segment_part()?;
        let wire = bincode::serialize(&part).ok()?;
        let part: SegmentPart = bincode::deserialize(&wire).ok()?;
        assert!(merged.absorb_part(part), "segment {from}..{to}");
    }
    let mut tail = sniffer.fork()?;
    feed(&mut tail, &bytes[last..]);
    assert!(merged.absorb(tail));
    Some(merged.finish())
}

/// A part's per-battle columns held apart, as the page's typed arrays are, and handed over one
/// at a time when the merge asks; `fail_at` makes it refuse that column, `bad_id` breaks the
/// model ids it hands over.
#[derive(Default)]
struct HeldColumns {
    held: Battles,
    asked: Vec<BattleColumn>,
    fail_at: Option<BattleColumn>,
    bad_id: bool,
}

impl HeldColumns {
    /// Moves every per-battle column out of `part`'s battles.
    fn take_from(part: &mut SegmentPart) -> Self {
        let b = part.battles_mut();
        let mut held = Battles::default();
        std::mem::swap(&mut held.outcome, &mut b.outcome);
        std::mem::swap(&mut held.model_a, &mut b.model_a);
        std::mem::swap(&mut held.model_b, &mut b.model_b);
        std::mem::swap(&mut held.language, &mut b.language);
        std::mem::swap(&mut held.judge, &mut b.judge);
        std::mem::swap(&mut held.category_bits, &mut b.category_bits);
        std::mem::swap(&mut held.tstamp, &mut b.tstamp);
        std::mem::swap(&mut held.turn, &mut b.turn);
        std::mem::swap(&mut held.anony, &mut b.anony);
        std::mem::swap(&mut held.dedup_sampled, &mut b.dedup_sampled);
        std::mem::swap(&mut held.style, &mut b.style);
        Self { held, ..Self::default() }
    }
}

impl ColumnSource for HeldColumns {
    fn append(&mut self, column: BattleColumn, part: &mut Battles, merged: &mut Battles) -> bool {
        self.asked.push(column);
        if self.fail_at == Some(column) {
            return false;
        }
        let h = &mut self.held;
        match column {
            BattleColumn::Outcome => merged.outcome.append(&mut h.outcome),
            BattleColumn::ModelA => {
                let start = merged.model_a.len();
                merged.model_a.append(&mut h.model_a);
                if self.bad_id {
                    merged.model_a[start] = part.models.len() as u32;
                }
            }
            BattleColumn::ModelB => merged.model_b.append(&mut h.model_b),
            BattleColumn::Language => merged.language.append(&mut h.language),
            BattleColumn::Judge => merged.judge.append(&mut h.judge),
            BattleColumn::CategoryBits => {
                merged.category_bits.append(&mut h.category_bits);
            }
            BattleColumn::Tstamp => merged.tstamp.append(&mut h.tstamp),
            BattleColumn::Turn => merged.turn.append(&mut h.turn),
            BattleColumn::Anony => merged.anony.append(&mut h.anony),
            BattleColumn::DedupSampled => {
                merged.dedup_sampled.append(&mut h.dedup_sampled);
            }
            BattleColumn::Style => merged.style.append(&mut h.style),
        }
        true
    }
}

/// What the pool does: the sniffing loader reads on to the first cut itself, with its columns
/// reserved for `reserve` battles, and absorbs every later segment (parsed in a fork, shipped as
/// bincode without its per-battle columns, which come one at a time as the page's typed arrays
/// do) in file order.
fn pooled_own_first(name: &str, bytes: &[u8], reserve: usize) -> Option<ParsedFile> {
    let (mut own, pos, cuts) = sniff_and_cut(name, bytes);
    let first = *cuts.first()?;
    let mut parts = Vec::new();
    let ends: Vec<usize> = cuts.iter().skip(1).copied().chain([bytes.len()]).collect();
    for (&from, &to) in cuts.iter().zip(&ends) {
        let mut segment = own.fork()?;
        feed(&mut segment, &bytes[from..to]);
        let mut part = segment.into_segment_part()?;
        let columns = HeldColumns::take_from(&mut part);
        let wire = bincode::serialize(&part).ok()?;
        let part: SegmentPart = bincode::deserialize(&wire).ok()?;
        parts.push((part, columns));
    }
    own.reserve_battles(reserve);
    feed(&mut own, &bytes[pos..first]);
    for (part, mut columns) in parts {
        assert!(own.absorb_part_from(part, &mut columns));
        // Every column was asked for once, the outcome (the part's length) first.
        assert_eq!(columns.asked.len(), 11, "{:?}", columns.asked);
        assert_eq!(columns.asked[0], BattleColumn::Outcome);
        assert_eq!(columns.held.len(), 0);
    }
    Some(own.finish())
}

#[test]
fn a_column_source_that_fails_or_names_an_unknown_model_stops_the_merge() {
    let rows: Vec<serde_json::Value> = (0..3000).map(record).collect();
    let text = serde_json::to_string_pretty(&rows).unwrap_or_default();
    let bytes = text.as_bytes();
    for (fail_at, bad_id) in
        [(Some(BattleColumn::Outcome), false), (Some(BattleColumn::Style), false), (None, true)]
    {
        let (mut own, pos, cuts) = sniff_and_cut("battles.json", bytes);
        let mut segment = own.fork().unwrap_or_else(|| panic!("no fork"));
        feed(&mut segment, &bytes[cuts[0]..cuts[1]]);
        let mut part = segment.into_segment_part().unwrap_or_else(|| panic!("no part"));
        let mut columns = HeldColumns { fail_at, bad_id, ..HeldColumns::take_from(&mut part) };
        feed(&mut own, &bytes[pos..cuts[0]]);
        assert!(!own.absorb_part_from(part, &mut columns), "{fail_at:?}, bad id {bad_id}");
    }
}

/// The 3,000 records as a JSON array and as JSON Lines.
fn logs() -> [(&'static str, String); 2] {
    let rows: Vec<serde_json::Value> = (0..3000).map(record).collect();
    let array = serde_json::to_string_pretty(&rows).unwrap_or_default();
    let lines: String = rows.iter().map(|r| format!("{r}\n")).collect();
    [("battles.json", array), ("battles.jsonl", lines)]
}

#[test]
fn the_first_segment_read_on_by_the_sniffer_merges_to_the_one_worker_parse() {
    for (name, text) in logs() {
        let one = load_bytes(name, text.as_bytes(), &LoadOptions::default());
        // Room for none, too few and too many battles: the reserve never changes the result.
        for reserve in [0, 1000, 5000] {
            let pooled = pooled_own_first(name, text.as_bytes(), reserve)
                .unwrap_or_else(|| panic!("{name}: not split"));
            assert_eq!(as_json(&pooled), as_json(&one), "{name}, reserve {reserve}");
        }
    }
}

#[test]
fn pooled_segments_merge_to_the_one_worker_parse() {
    for (name, text) in logs() {
        let one = load_bytes(name, text.as_bytes(), &LoadOptions::default());
        assert!(one.summary.warnings.iter().any(|w| w.line.is_some()), "{name}: a located warning");
        assert_eq!(one.summary.numeric_columns, ["weight"], "{name}: the weight column");
        if name.ends_with(".jsonl") {
            // Record 1500 (line 1501) is the first without a weight, far past the preview rows
            // that the fused scan leaves to the line-counting path.
            let json = as_json(&one).to_string();
            assert!(
                json.contains(r#""unit":"line","position":1501,"problem":"missing""#),
                "{name}"
            );
            assert!(json.contains(r#"\"draw\" ×2 (first at line 1801)"#), "{name}: {json}");
        }
        let pooled = pooled(name, text.as_bytes()).unwrap_or_else(|| panic!("{name}: not split"));
        assert_eq!(as_json(&pooled), as_json(&one), "{name}");
    }
}

#[test]
fn a_segment_that_ends_inside_an_element_gives_no_part() {
    let text = serde_json::to_string(&(0..50).map(record).collect::<Vec<_>>()).unwrap_or_default();
    let mut loader = StreamLoader::new("b.json", LoadOptions::default());
    feed(&mut loader, &text.as_bytes()[..text.len() / 2]);
    assert!(loader.into_segment_part().is_none());
}
