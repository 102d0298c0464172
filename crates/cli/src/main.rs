//! `benchlens`: the dashboard's engine on the command line, so every number on screen can be
//! reproduced (and scripted) in a terminal. Subcommands and their flags are a contract with
//! scripts outside this repository: add options freely, never rename or drop one.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod defects;
mod inspect;
mod judge;
mod output;
mod ratings;
mod scaling;
mod share;
mod synth;
mod synth_battles;
mod synth_runs;

#[derive(Parser)]
#[command(
    name = "benchlens",
    version,
    about = "Analyse LLM evaluation data: ratings, scaling fits, benchmark defects, judge scores"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Sniff files and print, as JSON, each one's kind, format, encoding, delimiter, header, rows, columns and warnings.
    Inspect(inspect::InspectArgs),
    /// Ratings from battle logs or pair counts (Elo, Bradley–Terry, CIs, style control).
    Ratings(ratings::RatingsArgs),
    /// Scaling-law fits and per-model compute-optimal allocation.
    Scaling(scaling::ScalingArgs),
    /// Benchmark defect checks.
    Defects(defects::DefectsArgs),
    /// Judge-based scores (AlpacaEval, Arena-Hard, MT-Bench).
    Judge(judge::JudgeArgs),
    /// Generate seeded synthetic data sets (samples, tests, benchmarks).
    Synth(synth::SynthArgs),
    /// Decode or encode the state a share link carries.
    Share(share::ShareArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Inspect(args) => inspect::run(&args),
        Command::Ratings(args) => ratings::run(&args),
        Command::Scaling(args) => scaling::run(&args),
        Command::Defects(args) => defects::run(&args),
        Command::Judge(args) => judge::run(&args),
        Command::Synth(args) => synth::run(&args),
        Command::Share(args) => share::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("benchlens: {message}");
            ExitCode::FAILURE
        }
    }
}
