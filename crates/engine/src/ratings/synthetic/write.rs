//! Output of the synthetic arena: FastChat `clean_battle` JSON records streamed to a writer, or
//! the same battles straight into a [`Battles`] log.

use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use crate::battles::Battles;

use super::{
    SynthArena, SynthBattle, SynthConfig, SynthModel, SynthOptions, CATEGORIES, LANGUAGES,
};

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
    write_all_with(config, SynthOptions::default(), format, out)
}

/// [`write_all`] for an arena of `options.models` models with the given pairing.
pub fn write_all_with(
    config: SynthConfig,
    options: SynthOptions,
    format: SynthFormat,
    out: &mut impl Write,
) -> io::Result<()> {
    let mut arena = SynthArena::with_options(config, options);
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
    to_battles_with(config, SynthOptions::default())
}

/// [`to_battles`] for an arena of `options.models` models with the given pairing.
pub fn to_battles_with(config: SynthConfig, options: SynthOptions) -> (Battles, Vec<SynthModel>) {
    let mut arena = SynthArena::with_options(config, options);
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
    fn realistic_pairing_favours_popular_models() {
        let config = SynthConfig { n: 40_000, seed: 3 };
        let options = SynthOptions { models: 120, pairing: super::super::Pairing::Realistic };
        let (b, models) = to_battles_with(config, options);
        assert_eq!(b.models.len(), 120);
        let mut per_model = vec![0u64; 120];
        for (&a, &c) in b.model_a.iter().zip(&b.model_b) {
            assert_ne!(a, c);
            per_model[a as usize] += 1;
            per_model[c as usize] += 1;
        }
        // Popularity must show: the busiest model far above the median, and more popular
        // models (among those in from day one) busier on average.
        let mut sorted = per_model.clone();
        sorted.sort_unstable();
        assert!(sorted[119] > 5 * sorted[60].max(1), "{sorted:?}");
        let day_one: Vec<usize> = (0..120).filter(|i| i % 3 == 0).collect();
        let corr = {
            let xs: Vec<f64> = day_one.iter().map(|&i| models[i].popularity.ln()).collect();
            let ys: Vec<f64> = day_one.iter().map(|&i| (per_model[i] as f64).ln()).collect();
            let (mx, my) = (xs.iter().sum::<f64>() / 40.0, ys.iter().sum::<f64>() / 40.0);
            let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
            let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
            let syy: f64 = ys.iter().map(|y| (y - my).powi(2)).sum();
            sxy / (sxx * syy).sqrt()
        };
        assert!(corr > 0.9, "log popularity vs log battles: r = {corr}");
    }

    #[test]
    fn uniform_arena_of_any_size_is_valid() {
        for models in [2, 3, 250] {
            let options = SynthOptions { models, pairing: Default::default() };
            let (b, _) = to_battles_with(SynthConfig { n: 2_000, seed: 1 }, options);
            assert_eq!(b.len(), 2_000);
            assert_eq!(b.models.len(), models);
            assert!(b.model_a.iter().zip(&b.model_b).all(|(a, c)| a != c));
        }
    }

    /// FNV-1a, 64 bit: enough to pin a generator's bytes without a hashing dependency.
    fn fnv1a(bytes: &[u8]) -> u64 {
        bytes
            .iter()
            .fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
    }

    #[test]
    fn default_arena_keeps_its_bytes() {
        // `benchlens synth battles --n 300 --seed 5 [--format jsonl]` before `--models` and
        // `--pairing` existed (commit 0887a191): samples and benchmarks built from it stay valid.
        let config = SynthConfig { n: 300, seed: 5 };
        for (format, len, hash) in [
            (SynthFormat::Json, 203_669, 0xe99f_c420_64af_1f20_u64),
            (SynthFormat::Jsonl, 203_366, 0x2d79_a8a9_acd4_e20c),
        ] {
            let mut text = Vec::new();
            write_all(config, format, &mut text).expect("write to memory");
            assert_eq!((text.len(), fnv1a(&text)), (len, hash), "{format:?}");
            let mut explicit = Vec::new();
            let options = SynthOptions { models: 40, pairing: super::super::Pairing::Uniform };
            write_all_with(config, options, format, &mut explicit).expect("write to memory");
            assert!(explicit == text);
        }
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
