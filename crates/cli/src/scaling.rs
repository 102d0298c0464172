//! `benchlens scaling` (placeholder until the engine side lands; replaced by its owner).

/// Arguments of `benchlens scaling`.
#[derive(clap::Args)]
pub struct ScalingArgs {
    /// Input files.
    pub files: Vec<std::path::PathBuf>,
}

pub fn run(_args: &ScalingArgs) -> Result<(), String> {
    Err("not built yet".into())
}
