//! A seeded synthetic LLM arena in FastChat `clean_battle` form, for samples, tests and
//! benchmarks. It is built so that the interesting effects are really there: every model has
//! per-language strengths (keeping only English reorders the board), answer length and markdown
//! sway the simulated voter (verbose models win more than their quality earns, which style
//! control removes), models enter the arena over time, and ties follow Davidson's model.
//! Everything here is invented: no name or number describes a real model.
//!
//! Records stream one at a time ([`SynthArena`] is an iterator and [`write_record`] writes one),
//! so a million battles (≈ 600 MB of JSON) never sit in memory.

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::battles::Outcome;
use crate::stats::{self, SeededRng};

mod names;
mod write;

pub use write::{
    to_battles, to_battles_with, write_all, write_all_with, write_record, SynthFormat,
};

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

/// How battles pick their two models.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pairing {
    /// Two distinct models uniformly among those released (the original generator).
    #[default]
    Uniform,
    /// As in a real arena: popular models get many more battles (log-normal popularity, a few
    /// models take a large share) and a newly released model is boosted for its first weeks.
    Realistic,
}

/// Size and pairing of the arena beyond [`SynthConfig`]; the default is the original 40-model
/// uniform arena, byte for byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SynthOptions {
    /// Number of models (at least 2).
    pub models: usize,
    pub pairing: Pairing,
}

impl Default for SynthOptions {
    fn default() -> Self {
        Self { models: names::NAMES.len(), pairing: Pairing::Uniform }
    }
}

/// Spread (σ of ln) of the realistic popularity: exp(1.2·N(0, 1)) gives the busiest of 100
/// models some 30 times the median model's battles, roughly what arena logs show.
const POPULARITY_SIGMA: f64 = 1.2;
/// Extra weight of a newly released model (multiplies its popularity by 1 + this at release).
const NOVELTY_BOOST: f64 = 4.0;
/// Decay time of the novelty boost, in seconds (30 days).
const NOVELTY_DECAY: f64 = 30.0 * 86_400.0;

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
    /// Relative share of battles under [`Pairing::Realistic`] (1 under uniform pairing).
    pub popularity: f64,
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
    pairing: Pairing,
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
        Self::with_options(config, SynthOptions::default())
    }

    /// A generator with `options.models` models (at least 2) and the given pairing.
    pub fn with_options(config: SynthConfig, options: SynthOptions) -> Self {
        let mut rng = stats::rng(config.seed);
        let count = options.models.max(2);
        let mut models = Vec::with_capacity(count);
        for i in 0..count {
            let name = names::model_name(i);
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
            // (In arenas of 2 or 3 models the second is in from day one too, so that every
            // battle has two models to choose from.)
            let from_start = i % 3 == 0 || (count < 4 && i == 1);
            let release =
                if from_start { START } else { START + (END - START) * 0.8 * rng.gen::<f64>() };
            models.push(SynthModel {
                name,
                strength,
                language_offset: offsets,
                verbosity,
                markdown,
                release,
                popularity: 1.0,
            });
        }
        if options.pairing == Pairing::Realistic {
            // Drawn after every model so the models themselves match the uniform arena's.
            for m in &mut models {
                m.popularity = (POPULARITY_SIGMA * stats::standard_normal(&mut rng)).exp();
            }
        }
        let judges = (config.n / 8).clamp(100, 2_000_000) as u32;
        Self { models, rng, config, pairing: options.pairing, produced: 0, judges }
    }

    /// Two distinct live models, each drawn with probability ∝ popularity × novelty boost
    /// (the second among the others).
    fn pick_weighted(&mut self, live: &[u32], tstamp: f64) -> (u32, u32) {
        let weights: Vec<f64> = live
            .iter()
            .map(|&m| {
                let model = &self.models[m as usize];
                let age = (tstamp - model.release).max(0.0);
                model.popularity * (1.0 + NOVELTY_BOOST * (-age / NOVELTY_DECAY).exp())
            })
            .collect();
        let total: f64 = weights.iter().sum();
        let pick = |u: f64, skip: Option<usize>| -> usize {
            let mut acc = 0.0;
            let mut last = 0;
            for (i, w) in weights.iter().enumerate() {
                if Some(i) == skip {
                    continue;
                }
                last = i;
                acc += w;
                if u < acc {
                    return i;
                }
            }
            last
        };
        let a = pick(self.rng.gen::<f64>() * total, None);
        let rest = total - weights[a];
        let b = pick(self.rng.gen::<f64>() * rest, Some(a));
        (live[a], live[b])
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
        let (a, b) = match self.pairing {
            Pairing::Uniform => {
                let a = live[self.rng.gen_range(0..live.len() as u64) as usize];
                let mut b = live[self.rng.gen_range(0..live.len() as u64 - 1) as usize];
                if b >= a {
                    b += 1;
                }
                (a, b)
            }
            Pairing::Realistic => self.pick_weighted(&live, tstamp),
        };
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
