//! `benchlens synth battles` (placeholder until its owner lands it).

/// Arguments of `benchlens synth battles`.
#[derive(clap::Args)]
pub struct SynthBattlesArgs {
    /// Seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

pub fn run(_args: &SynthBattlesArgs) -> Result<(), String> {
    Err("not built yet".into())
}
