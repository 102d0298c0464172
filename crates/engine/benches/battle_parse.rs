//! Per-core parse speed of a FastChat `clean_battle` JSON file, benchlens's fused scan against
//! general JSON parsers (issue #15 asks how simd-json and sonic-rs compare). Each reader pulls the
//! same battle fields out of every record on one thread; the file is read into memory first and
//! only the parse is timed, in CPU seconds of this thread (the machine is shared).
//!
//! ```text
//! cargo bench -p benchlens-engine --bench battle_parse -- /tmp/F-1m-120.json [reader…]
//! ```
//! Readers: `engine` (the whole streaming loader: fused scan, interning, columns), `split-serde`
//! (the splitter, then serde_json per record), `split-simd-json`, `split-sonic-rs`, and
//! `sonic-rs-array` (sonic-rs splits the array itself). Without names, all of them.

use std::time::Instant;

use benchlens_engine::formats::split::{JsonSplitter, RawJson};
use benchlens_engine::formats::{LoadOptions, StreamLoader};
use serde::Deserialize;

/// The fields a battle needs, as `battles/record.rs` reads them, borrowed (this file has no
/// escapes); category tags are skipped here, as each library has its own raw-value type.
#[derive(Deserialize, Default)]
#[serde(default)]
#[allow(dead_code)]
struct Battle<'a> {
    model_a: &'a str,
    model_b: &'a str,
    winner: &'a str,
    judge: Option<&'a str>,
    language: Option<&'a str>,
    turn: Option<f64>,
    tstamp: Option<f64>,
    anony: Option<bool>,
    conv_metadata: Option<Style>,
    dedup_tag: Option<Dedup>,
    category_tag: Option<serde::de::IgnoredAny>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
#[allow(dead_code)]
struct Style {
    sum_assistant_a_tokens: Option<f64>,
    sum_assistant_b_tokens: Option<f64>,
    header_count_a: Option<Total>,
    header_count_b: Option<Total>,
    list_count_a: Option<Total>,
    list_count_b: Option<Total>,
    bold_count_a: Option<Total>,
    bold_count_b: Option<Total>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
#[allow(dead_code)]
struct Dedup {
    sampled: Option<bool>,
}

/// The total of a map of counts, summed as it is read.
#[derive(Default)]
struct Total(f64);

impl<'de> serde::de::Visitor<'de> for Total {
    type Value = Total;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("counts")
    }
    fn visit_map<M: serde::de::MapAccess<'de>>(mut self, mut m: M) -> Result<Total, M::Error> {
        while let Some(count) = m.next_entry::<serde::de::IgnoredAny, Option<f64>>()? {
            self.0 += count.1.unwrap_or(0.0);
        }
        Ok(self)
    }
}

impl<'de> Deserialize<'de> for Total {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(Total(0.0))
    }
}

/// CPU time of this thread so far, in seconds (Linux; wall time elsewhere).
fn thread_cpu_seconds(start: Instant) -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|ns| ns.parse::<f64>().ok()))
        .map_or_else(|| start.elapsed().as_secs_f64(), |ns| ns / 1e9)
}

/// Splits the array and hands each record to `read`; the count of records `read` accepted.
fn split_and(bytes: &[u8], read: &mut dyn FnMut(&[u8]) -> bool) -> u64 {
    let lines = bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'[');
    let mut splitter = JsonSplitter::new(lines);
    let mut n = 0u64;
    let mut on = |r: RawJson<'_>| n += u64::from(read(r.bytes));
    for chunk in bytes.chunks(1 << 20) {
        if let Err(e) = splitter.feed(chunk, &mut on) {
            eprintln!("split: {e}");
            return n;
        }
    }
    if let Err(e) = splitter.finish(&mut on) {
        eprintln!("split: {e}");
    }
    n
}

fn run(reader: &str, bytes: &[u8]) -> Option<u64> {
    Some(match reader {
        "engine" => {
            let mut loader = StreamLoader::new("bench.json", LoadOptions::default());
            for chunk in bytes.chunks(1 << 20) {
                loader.feed(chunk);
            }
            loader.finish().summary.rows
        }
        "split-serde" => split_and(bytes, &mut |r| serde_json::from_slice::<Battle<'_>>(r).is_ok()),
        "split-simd-json" => {
            let mut scratch = Vec::new();
            let mut buffers = simd_json::Buffers::default();
            split_and(bytes, &mut |r| {
                scratch.clear();
                scratch.extend_from_slice(r);
                simd_json::serde::from_slice_with_buffers::<Battle<'_>>(&mut scratch, &mut buffers)
                    .is_ok()
            })
        }
        "split-sonic-rs" => {
            split_and(bytes, &mut |r| sonic_rs::from_slice::<Battle<'_>>(r).is_ok())
        }
        "sonic-rs-array" => {
            let mut n = 0u64;
            for element in sonic_rs::to_array_iter(bytes) {
                let Ok(raw) = element else { break };
                n += u64::from(sonic_rs::from_str::<Battle<'_>>(raw.as_raw_str()).is_ok());
            }
            n
        }
        _ => return None,
    })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let Some(path) = args.first() else {
        eprintln!("usage: battle_parse FILE [engine|split-serde|split-simd-json|split-sonic-rs|sonic-rs-array …]");
        return;
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            return;
        }
    };
    let all = ["engine", "split-serde", "split-simd-json", "split-sonic-rs", "sonic-rs-array"];
    let chosen: Vec<&str> =
        if args.len() > 1 { args[1..].iter().map(String::as_str).collect() } else { all.to_vec() };
    println!("reader,records,cpu_s,wall_s,mb_per_cpu_s");
    for reader in chosen {
        let wall = Instant::now();
        let cpu0 = thread_cpu_seconds(wall);
        let Some(records) = run(reader, &bytes) else {
            eprintln!("unknown reader {reader}");
            continue;
        };
        let cpu = thread_cpu_seconds(wall) - cpu0;
        let wall = wall.elapsed().as_secs_f64();
        let mb = bytes.len() as f64 / 1e6;
        println!("{reader},{records},{cpu:.3},{wall:.3},{:.0}", mb / cpu);
    }
}
