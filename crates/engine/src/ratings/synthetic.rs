//! A seeded synthetic LLM arena in FastChat `clean_battle` form, for samples, tests and
//! benchmarks. It is built so that the interesting effects are really there: every model has
//! per-language strengths (keeping only English reorders the board), answer length and markdown
//! sway the simulated voter (verbose models win more than their quality earns, which style
//! control removes), models enter the arena over time, and ties follow Davidson's model.
//! Everything here is invented: no name or number describes a real model.
//!
//! Records stream one at a time ([`SynthArena`] is an iterator and [`write_record`] writes one),
//! so a million battles (≈ 600 MB of JSON) never sit in memory.

use std::io::{self, Write};

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::battles::{Battles, Outcome};
use crate::stats::{self, SeededRng};

/// Languages and their share of battles.
pub const LANGUAGES: [(&str, f64); 9] = [
    ("English", 0.55),
    ("Chinese", 0.12),
    ("Russian", 0.07),
    ("German", 0.05),
    ("Spanish", 0.05),
    ("French", 0.05),
    ("Japanese", 0.05),
    ("Korean", 0.03),
    ("Portuguese", 0.03),
];

/// Category leaves, in bit order of [`Battles::categories`].
pub const CATEGORIES: [&str; 2] = ["math_v0.1.math", "if_v0.1.if"];

const NAMES: [&str; 40] = [
    "aurora-70b",
    "basalt-8x7b",
    "cobalt-13b",
    "dune-34b",
    "ember-7b",
    "fjord-72b",
    "granite-405b",
    "harbor-9b",
    "iris-27b",
    "juniper-3b",
    "kestrel-110b",
    "lumen-14b",
    "meadow-32b",
    "nimbus-8b",
    "obsidian-70b",
    "pebble-1b",
    "quartz-22b",
    "river-12b",
    "sable-180b",
    "tundra-40b",
    "umber-4b",
    "vale-65b",
    "willow-11b",
    "xenon-123b",
    "yarrow-6b",
    "zephyr-30b",
    "atlas-mini",
    "beacon-pro",
    "cinder-lite",
    "delta-max",
    "echo-turbo",
    "falcon-ultra",
    "glacier-flash",
    "heron-plus",
    "ion-chat",
    "jade-instruct",
    "kite-base",
    "lark-large",
    "mesa-medium",
    "nova-nano",
];

/// Start of the synthetic timeline: 2023-05-01 00:00 UTC.
const START: f64 = 1_682_899_200.0;
/// End: 2024-06-01 00:00 UTC.
const END: f64 = 1_717_200_000.0;
/// Log-odds per unit of length ratio (a − b)/(a + b + 1) that the simulated voter adds.
pub const LENGTH_EFFECT: f64 = 1.1;
/// Log-odds per unit of markdown ratio (headers + lists + bold).
pub const MARKDOWN_EFFECT: f64 = 0.35;
/// Davidson tie parameter of the simulated voter.
pub const TIE_NU: f64 = 0.7;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SynthConfig {
    pub n: u64,
    pub seed: u64,
}

/// One simulated model and its hidden truth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SynthModel {
    pub name: String,
    /// Quality in rating points (scale 400, base 10) before language and style effects.
    pub strength: f64,
    /// Added to `strength` per language, in [`LANGUAGES`] order.
    pub language_offset: Vec<f64>,
    /// Mean assistant tokens per turn.
    pub verbosity: f64,
    /// Markdown habit in [0, 1].
    pub markdown: f64,
    /// Unix time it enters the arena.
    pub release: f64,
}

/// One generated battle.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthBattle {
    pub question_id: u128,
    pub model_a: u32,
    pub model_b: u32,
    pub winner: Outcome,
    pub judge: u32,
    pub turn: u32,
    pub anony: bool,
    pub language: u32,
    pub tstamp: f64,
    pub tokens: [u32; 2],
    pub headers: [[u32; 6]; 2],
    pub lists: [[u32; 2]; 2],
    pub bold: [[u32; 2]; 2],
    pub high_freq: bool,
    pub sampled: bool,
    pub math: bool,
    pub instruction_following: bool,
    pub if_score: u32,
}

/// The generator: an iterator over `config.n` battles.
pub struct SynthArena {
    pub models: Vec<SynthModel>,
    rng: SeededRng,
    config: SynthConfig,
    produced: u64,
    judges: u32,
}

fn poisson(rng: &mut SeededRng, lambda: f64) -> u32 {
    if lambda <= 0.0 {
        return 0;
    }
    if lambda > 30.0 {
        return (lambda + lambda.sqrt() * stats::standard_normal(rng)).round().max(0.0) as u32;
    }
    let limit = (-lambda).exp();
    let mut k = 0;
    let mut p: f64 = rng.gen();
    while p > limit {
        k += 1;
        p *= rng.gen::<f64>();
    }
    k
}

impl SynthArena {
    /// A generator whose models and battles are fixed by the seed.
    pub fn new(config: SynthConfig) -> Self {
        let mut rng = stats::rng(config.seed);
        let mut models = Vec::with_capacity(NAMES.len());
        for (i, name) in NAMES.iter().enumerate() {
            let strength = 1000.0 + 110.0 * stats::standard_normal(&mut rng);
            let mut offsets: Vec<f64> =
                LANGUAGES.iter().map(|_| 70.0 * stats::standard_normal(&mut rng)).collect();
            // English is the bulk of the votes: make it pull against the other languages so the
            // English-only board visibly differs from the overall one.
            let others = offsets[1..].iter().sum::<f64>() / (offsets.len() - 1) as f64;
            offsets[0] = -0.9 * others + 25.0 * stats::standard_normal(&mut rng);
            let verbosity = 120.0 + 700.0 * rng.gen::<f64>();
            let markdown = rng.gen::<f64>();
            // A third of the models are in from day one; the rest arrive over the first 80 %.
            let release =
                if i % 3 == 0 { START } else { START + (END - START) * 0.8 * rng.gen::<f64>() };
            models.push(SynthModel {
                name: (*name).to_owned(),
                strength,
                language_offset: offsets,
                verbosity,
                markdown,
                release,
            });
        }
        let judges = (config.n / 8).clamp(100, 2_000_000) as u32;
        Self { models, rng, config, produced: 0, judges }
    }

    fn pick_language(&mut self) -> u32 {
        let u: f64 = self.rng.gen();
        let mut acc = 0.0;
        for (i, (_, w)) in LANGUAGES.iter().enumerate() {
            acc += w;
            if u < acc {
                return i as u32;
            }
        }
        (LANGUAGES.len() - 1) as u32
    }

    fn next_battle(&mut self) -> SynthBattle {
        let i = self.produced;
        let frac = (i as f64 + self.rng.gen::<f64>()) / self.config.n.max(1) as f64;
        let tstamp = ((START + (END - START) * frac) * 1e4).round() / 1e4;
        let live: Vec<u32> = (0..self.models.len() as u32)
            .filter(|&m| self.models[m as usize].release <= tstamp)
            .collect();
        let a = live[self.rng.gen_range(0..live.len() as u64) as usize];
        let mut b = live[self.rng.gen_range(0..live.len() as u64 - 1) as usize];
        if b >= a {
            b += 1;
        }
        let language = self.pick_language();
        let turn = match self.rng.gen::<f64>() {
            u if u < 0.75 => 1,
            u if u < 0.90 => 2,
            u if u < 0.95 => 3,
            _ => self.rng.gen_range(4..9),
        };
        let mut tokens = [0u32; 2];
        let mut headers = [[0u32; 6]; 2];
        let mut lists = [[0u32; 2]; 2];
        let mut bold = [[0u32; 2]; 2];
        for (side, &m) in [a, b].iter().enumerate() {
            let model = &self.models[m as usize];
            let (verbosity, md) = (model.verbosity, model.markdown);
            let noise = (0.4 * stats::standard_normal(&mut self.rng)).exp();
            tokens[side] = (verbosity * turn as f64 * noise).round().max(1.0) as u32;
            let t = turn as f64;
            for (h, weight) in [0.1, 0.5, 0.3, 0.1, 0.0, 0.0].iter().enumerate() {
                headers[side][h] = poisson(&mut self.rng, 3.0 * md * t * weight);
            }
            lists[side] =
                [poisson(&mut self.rng, 3.0 * md * t), poisson(&mut self.rng, 4.0 * md * t)];
            bold[side] = [poisson(&mut self.rng, 5.0 * md * t), poisson(&mut self.rng, 0.05 * t)];
        }
        let lang = language as usize;
        let ma = &self.models[a as usize];
        let mb = &self.models[b as usize];
        let quality =
            (ma.strength + ma.language_offset[lang] - mb.strength - mb.language_offset[lang])
                * std::f64::consts::LN_10
                / 400.0;
        let ratio = |x: f64, y: f64| (x - y) / (x + y + 1.0);
        let md = |s: usize| {
            (headers[s].iter().sum::<u32>()
                + lists[s].iter().sum::<u32>()
                + bold[s].iter().sum::<u32>()) as f64
        };
        let logit = quality
            + LENGTH_EFFECT * ratio(tokens[0] as f64, tokens[1] as f64)
            + MARKDOWN_EFFECT * ratio(md(0), md(1));
        // Davidson: P(a) ∝ e^{z/2}, P(b) ∝ e^{-z/2}, P(tie) ∝ ν.
        let (ea, eb) = ((logit / 2.0).exp(), (-logit / 2.0).exp());
        let total = ea + eb + TIE_NU;
        let u: f64 = self.rng.gen::<f64>() * total;
        let winner = if u < ea {
            Outcome::ModelA
        } else if u < ea + eb {
            Outcome::ModelB
        } else if self.rng.gen::<f64>() < 0.55 {
            Outcome::Tie
        } else {
            Outcome::TieBothBad
        };
        let judge_u: f64 = self.rng.gen();
        let high_freq = self.rng.gen::<f64>() < 0.1;
        let battle = SynthBattle {
            question_id: self.rng.gen(),
            model_a: a,
            model_b: b,
            winner,
            judge: (self.judges as f64 * judge_u * judge_u) as u32,
            turn,
            anony: self.rng.gen::<f64>() < 0.85,
            language,
            tstamp,
            tokens,
            headers,
            lists,
            bold,
            high_freq,
            sampled: !high_freq || self.rng.gen::<f64>() < 0.3,
            math: self.rng.gen::<f64>() < 0.12,
            instruction_following: self.rng.gen::<f64>() < 0.2,
            if_score: self.rng.gen_range(0..6),
        };
        self.produced += 1;
        battle
    }
}

impl Iterator for SynthArena {
    type Item = SynthBattle;

    fn next(&mut self) -> Option<SynthBattle> {
        (self.produced < self.config.n).then(|| self.next_battle())
    }
}

/// Writes one battle as a FastChat `clean_battle` JSON object (no trailing newline).
pub fn write_record(
    models: &[SynthModel],
    b: &SynthBattle,
    out: &mut impl Write,
) -> io::Result<()> {
    let h = |s: usize| {
        let x = &b.headers[s];
        format!(
            r#"{{"h1":{},"h2":{},"h3":{},"h4":{},"h5":{},"h6":{}}}"#,
            x[0], x[1], x[2], x[3], x[4], x[5]
        )
    };
    write!(
        out,
        r#"{{"question_id":"{:032x}","model_a":"{}","model_b":"{}","winner":"{}","judge":"arena_user_{}","turn":{},"anony":{},"language":"{}","tstamp":{},"#,
        b.question_id,
        models[b.model_a as usize].name,
        models[b.model_b as usize].name,
        b.winner.label(),
        b.judge,
        b.turn,
        b.anony,
        LANGUAGES[b.language as usize].0,
        b.tstamp,
    )?;
    write!(
        out,
        r#""conv_metadata":{{"sum_assistant_a_tokens":{},"sum_assistant_b_tokens":{},"header_count_a":{},"list_count_a":{{"ordered":{},"unordered":{}}},"bold_count_a":{{"**":{},"__":{}}},"header_count_b":{},"list_count_b":{{"ordered":{},"unordered":{}}},"bold_count_b":{{"**":{},"__":{}}}}},"#,
        b.tokens[0],
        b.tokens[1],
        h(0),
        b.lists[0][0],
        b.lists[0][1],
        b.bold[0][0],
        b.bold[0][1],
        h(1),
        b.lists[1][0],
        b.lists[1][1],
        b.bold[1][0],
        b.bold[1][1],
    )?;
    write!(
        out,
        r#""dedup_tag":{{"high_freq":{},"sampled":{}}},"category_tag":{{"math_v0.1":{{"math":{}}},"if_v0.1":{{"if":{},"score":{}}}}}}}"#,
        b.high_freq, b.sampled, b.math, b.instruction_following, b.if_score,
    )
}

/// Output layout of [`write_all`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SynthFormat {
    /// One JSON array (what FastChat's `clean_battle_*.json` files are).
    Json,
    /// One record per line.
    Jsonl,
}

/// Streams `config.n` battles to `out`.
pub fn write_all(config: SynthConfig, format: SynthFormat, out: &mut impl Write) -> io::Result<()> {
    let mut arena = SynthArena::new(config);
    let models = arena.models.clone();
    if format == SynthFormat::Json {
        out.write_all(b"[\n")?;
    }
    let mut first = true;
    for b in &mut arena {
        if format == SynthFormat::Json && !first {
            out.write_all(b",\n")?;
        }
        first = false;
        write_record(&models, &b, out)?;
        if format == SynthFormat::Jsonl {
            out.write_all(b"\n")?;
        }
    }
    if format == SynthFormat::Json {
        out.write_all(b"\n]\n")?;
    }
    Ok(())
}

/// The same battles as [`write_all`] would write, straight into a [`Battles`] log (what the
/// loader makes of that file), for tests and benchmarks that should not pay for JSON.
pub fn to_battles(config: SynthConfig) -> (Battles, Vec<SynthModel>) {
    let mut arena = SynthArena::new(config);
    let models = arena.models.clone();
    let mut out = Battles {
        models: models.iter().map(|m| m.name.clone()).collect(),
        languages: std::iter::once(String::new())
            .chain(LANGUAGES.iter().map(|(l, _)| (*l).to_owned()))
            .collect(),
        categories: CATEGORIES.iter().map(|c| (*c).to_owned()).collect(),
        ..Battles::default()
    };
    let judges = arena.judges;
    out.judges = std::iter::once(String::new())
        .chain((0..judges).map(|j| format!("arena_user_{j}")))
        .collect();
    for b in &mut arena {
        out.model_a.push(b.model_a);
        out.model_b.push(b.model_b);
        out.outcome.push(b.winner);
        out.tstamp.push(b.tstamp);
        out.language.push(b.language + 1);
        out.judge.push(b.judge + 1);
        out.turn.push(b.turn);
        out.anony.push(Some(b.anony));
        out.dedup_sampled.push(Some(b.sampled));
        out.category_bits.push(b.math as u64 | (b.instruction_following as u64) << 1);
        let sum = |x: &[u32]| x.iter().sum::<u32>() as f32;
        out.style.push([
            b.tokens[0] as f32,
            b.tokens[1] as f32,
            sum(&b.headers[0]),
            sum(&b.headers[1]),
            sum(&b.lists[0]),
            sum(&b.lists[1]),
            sum(&b.bold[0]),
            sum(&b.bold[1]),
        ]);
    }
    out.n_with_style = out.len();
    (out, models)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::battles::BattleBuilder;

    #[test]
    fn records_parse_back_to_the_same_battles() {
        let config = SynthConfig { n: 300, seed: 9 };
        let mut text = Vec::new();
        write_all(config, SynthFormat::Jsonl, &mut text).expect("write to memory");
        let mut builder = BattleBuilder::new();
        for line in text.split(|&c| c == b'\n').filter(|l| !l.is_empty()) {
            builder.push_json(line).expect("valid record");
        }
        let (parsed, warnings) = builder.finish();
        assert!(warnings.is_empty(), "{warnings:?}");
        let (direct, _) = to_battles(config);
        assert_eq!(parsed.len(), 300);
        for i in 0..300 {
            assert_eq!(
                parsed.models[parsed.model_a[i] as usize],
                direct.models[direct.model_a[i] as usize]
            );
            assert_eq!(parsed.outcome[i], direct.outcome[i]);
            assert_eq!(parsed.style[i], direct.style[i]);
            assert_eq!(parsed.tstamp[i], direct.tstamp[i]);
            assert_eq!(
                parsed.languages[parsed.language[i] as usize],
                direct.languages[direct.language[i] as usize]
            );
        }
        let mean_len = text.len() as f64 / 300.0;
        assert!((450.0..800.0).contains(&mean_len), "{mean_len} bytes per record");
    }

    #[test]
    fn same_seed_same_bytes() {
        let mut x = Vec::new();
        let mut y = Vec::new();
        write_all(SynthConfig { n: 50, seed: 1 }, SynthFormat::Json, &mut x).expect("write");
        write_all(SynthConfig { n: 50, seed: 1 }, SynthFormat::Json, &mut y).expect("write");
        assert_eq!(x, y);
        let v: serde_json::Value = serde_json::from_slice(&x).expect("valid JSON array");
        assert_eq!(v.as_array().map(Vec::len), Some(50));
    }
}
