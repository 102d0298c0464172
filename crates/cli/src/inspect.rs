//! `benchlens inspect FILE...`: what intake makes of each file, as JSON.

use std::path::PathBuf;

use benchlens_engine::dataset::DatasetKind;
use benchlens_engine::formats::{self, LoadOptions};

/// Arguments of `benchlens inspect`.
#[derive(clap::Args)]
pub struct InspectArgs {
    /// Files to inspect (folders are walked).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Force a kind instead of detecting it (battle_log, pair_counts, benchmark_items, …).
    #[arg(long)]
    pub kind: Option<String>,
    /// Include the preview rows.
    #[arg(long)]
    pub preview: bool,
}

pub fn run(args: &InspectArgs) -> Result<(), String> {
    let kind = match &args.kind {
        Some(k) => Some(DatasetKind::from_id(k).ok_or_else(|| format!("unknown kind {k:?}"))?),
        None => None,
    };
    let options = LoadOptions { kind, ..LoadOptions::default() };
    let mut summaries = Vec::new();
    for path in formats::expand_paths(&args.files).map_err(|e| e.to_string())? {
        let parsed =
            formats::load_path_parallel(&path, &options, formats::Parallelism::available())
                .map_err(|e| format!("{}: {e}", path.display()))?;
        let mut value = serde_json::to_value(&parsed.summary).map_err(|e| e.to_string())?;
        if let serde_json::Value::Object(map) = &mut value {
            map.insert("path".into(), path.display().to_string().into());
            if !args.preview {
                map.remove("preview");
            }
        }
        summaries.push(value);
    }
    crate::output::print_json(&summaries)
}
