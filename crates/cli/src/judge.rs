//! `benchlens judge` (placeholder until the engine side lands; replaced by its owner).

/// Arguments of `benchlens judge`.
#[derive(clap::Args)]
pub struct JudgeArgs {
    /// Input files.
    pub files: Vec<std::path::PathBuf>,
}

pub fn run(_args: &JudgeArgs) -> Result<(), String> {
    Err("not built yet".into())
}
