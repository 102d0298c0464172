//! `benchlens synth battles`: a seeded synthetic LLM arena in FastChat `clean_battle` form,
//! streamed to stdout (a million battles is ≈ 650 MB; nothing is held in memory).

use std::io::{BufWriter, Write};

use benchlens_engine::ratings::synthetic::{self, Pairing, SynthConfig, SynthFormat, SynthOptions};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// One JSON array, as FastChat's clean_battle_*.json.
    Json,
    /// One record per line.
    Jsonl,
}

/// Arguments of `benchlens synth battles`.
#[derive(clap::Args)]
pub struct SynthBattlesArgs {
    /// Number of battles.
    #[arg(long, default_value_t = 10_000)]
    pub n: u64,
    /// Seed: the same seed gives the same bytes.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Output layout.
    #[arg(long, value_enum, default_value = "json")]
    pub format: FormatArg,
    /// Number of models (2 to 100000). The default 40 keeps the arena `synth battles` always
    /// wrote; larger arenas add `-v2`, `-v3`, … versions of the same names.
    #[arg(long, value_name = "K", default_value_t = 40)]
    pub models: usize,
    /// How battles pick their models: uniformly among released models, or realistically
    /// (popular models and models just released get many more battles).
    #[arg(long, value_enum, default_value = "uniform")]
    pub pairing: PairingArg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PairingArg {
    /// Two distinct released models, uniformly.
    Uniform,
    /// Log-normal popularity and a boost for new models.
    Realistic,
}

pub fn run(args: &SynthBattlesArgs) -> Result<(), String> {
    if !(2..=100_000).contains(&args.models) {
        return Err(format!("--models {}: expected 2 to 100000 models", args.models));
    }
    let config = SynthConfig { n: args.n, seed: args.seed };
    let options = SynthOptions {
        models: args.models,
        pairing: match args.pairing {
            PairingArg::Uniform => Pairing::Uniform,
            PairingArg::Realistic => Pairing::Realistic,
        },
    };
    let format = match args.format {
        FormatArg::Json => SynthFormat::Json,
        FormatArg::Jsonl => SynthFormat::Jsonl,
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    let written =
        synthetic::write_all_with(config, options, format, &mut out).and_then(|()| out.flush());
    crate::output::stdout_result(written, "battles")
}
