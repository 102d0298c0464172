//! `benchlens ratings` (placeholder until the engine side lands; replaced by its owner).

/// Arguments of `benchlens ratings`.
#[derive(clap::Args)]
pub struct RatingsArgs {
    /// Input files.
    pub files: Vec<std::path::PathBuf>,
}

pub fn run(_args: &RatingsArgs) -> Result<(), String> {
    Err("not built yet".into())
}
