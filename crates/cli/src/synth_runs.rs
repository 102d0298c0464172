//! `benchlens synth runs` (placeholder until its owner lands it).

/// Arguments of `benchlens synth runs`.
#[derive(clap::Args)]
pub struct SynthRunsArgs {
    /// Seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

pub fn run(_args: &SynthRunsArgs) -> Result<(), String> {
    Err("not built yet".into())
}
