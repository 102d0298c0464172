//! `benchlens synth runs`: a CSV of training runs drawn from a known scaling law plus noise, for
//! the sample data set (labelled synthetic in every row), tests and benchmarks.

use benchlens_engine::scaling::synthetic::{generate, SyntheticSpec};
use benchlens_engine::scaling::LawParams;

use crate::output::print_csv;

/// Arguments of `benchlens synth runs`. Law defaults: Epoch AI's replication fit.
#[derive(clap::Args)]
pub struct SynthRunsArgs {
    /// Seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Number of runs.
    #[arg(long, default_value_t = 250)]
    pub n: usize,
    /// Irreducible loss E.
    #[arg(long = "E", default_value_t = 1.8169)]
    pub e: f64,
    /// A (parameter term).
    #[arg(long = "A", default_value_t = 482.01)]
    pub a: f64,
    /// B (data term).
    #[arg(long = "B", default_value_t = 2085.43)]
    pub b: f64,
    /// alpha (parameter exponent).
    #[arg(long, default_value_t = 0.3478)]
    pub alpha: f64,
    /// beta (data exponent).
    #[arg(long, default_value_t = 0.3659)]
    pub beta: f64,
    /// Standard deviation of the multiplicative log-normal noise on the loss.
    #[arg(long, default_value_t = 0.01)]
    pub noise: f64,
}

pub fn run(args: &SynthRunsArgs) -> Result<(), String> {
    let law = LawParams { E: args.e, A: args.a, B: args.b, alpha: args.alpha, beta: args.beta };
    let ok = [law.E, law.A, law.B, law.alpha, law.beta].iter().all(|v| v.is_finite() && *v > 0.0);
    if !ok {
        return Err("E, A, B, alpha and beta must all be positive finite numbers".into());
    }
    if !(args.noise >= 0.0 && args.noise.is_finite()) {
        return Err(format!("--noise must be a non-negative number, got {}", args.noise));
    }
    if args.n == 0 || args.n > 10_000_000 {
        return Err(format!("--n must be between 1 and 10,000,000, got {}", args.n));
    }
    let spec = SyntheticSpec {
        law,
        n: args.n,
        noise: args.noise,
        seed: args.seed,
        ..SyntheticSpec::default()
    };
    let label = format!(
        "synthetic: E={} A={} B={} alpha={} beta={} noise={} seed={}",
        law.E, law.A, law.B, law.alpha, law.beta, args.noise, args.seed
    );
    let rows = generate(&spec).into_iter().map(|r| {
        vec![
            r.name,
            format!("{:e}", r.params),
            format!("{:e}", r.tokens),
            format!("{:e}", r.compute),
            format!("{}", r.loss),
            r.compute_level.to_string(),
            label.clone(),
        ]
    });
    print_csv(&["run", "params", "tokens", "compute", "loss", "compute_level", "source"], rows)
}
