//! `benchlens defects` (placeholder until the engine side lands; replaced by its owner).

/// Arguments of `benchlens defects`.
#[derive(clap::Args)]
pub struct DefectsArgs {
    /// Input files.
    pub files: Vec<std::path::PathBuf>,
}

pub fn run(_args: &DefectsArgs) -> Result<(), String> {
    Err("not built yet".into())
}
