//! `benchlens synth battles`: a seeded synthetic LLM arena in FastChat `clean_battle` form,
//! streamed to stdout (a million battles is ≈ 650 MB; nothing is held in memory).

use std::io::{BufWriter, Write};

use benchlens_engine::ratings::synthetic::{self, SynthConfig, SynthFormat};

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
}

pub fn run(args: &SynthBattlesArgs) -> Result<(), String> {
    let config = SynthConfig { n: args.n, seed: args.seed };
    let format = match args.format {
        FormatArg::Json => SynthFormat::Json,
        FormatArg::Jsonl => SynthFormat::Jsonl,
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    let written = synthetic::write_all(config, format, &mut out).and_then(|()| out.flush());
    crate::output::stdout_result(written, "battles")
}
