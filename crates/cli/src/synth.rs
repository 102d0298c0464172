//! `benchlens synth …`: seeded synthetic data for samples, tests and benchmarks.

/// Arguments of `benchlens synth`.
#[derive(clap::Args)]
pub struct SynthArgs {
    #[command(subcommand)]
    pub command: SynthCommand,
}

/// What to generate.
#[derive(clap::Subcommand)]
pub enum SynthCommand {
    /// A FastChat-format battle log with languages, turns, timestamps and `conv_metadata`.
    Battles(crate::synth_battles::SynthBattlesArgs),
    /// A table of training runs drawn from a known scaling law plus noise.
    Runs(crate::synth_runs::SynthRunsArgs),
}

pub fn run(args: &SynthArgs) -> Result<(), String> {
    match &args.command {
        SynthCommand::Battles(a) => crate::synth_battles::run(a),
        SynthCommand::Runs(a) => crate::synth_runs::run(a),
    }
}
