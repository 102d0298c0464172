//! What a benchmark file's name says: its MMLU subject and its split. The intake records them on
//! each file's summary and the defect checks file items under them; both read this one rule.

/// `(split, shard)` of a Hugging Face shard name: `train-00000-of-00004.parquet` → `train`.
pub fn hub_shard(file_name: &str) -> Option<&str> {
    let stem = file_name.split('.').next()?;
    let (split, rest) = stem.split_once('-')?;
    let (a, b) = rest.split_once("-of-")?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    (digits(a) && digits(b) && !split.is_empty()).then_some(split)
}

/// The name without folders.
fn base(file_name: &str) -> &str {
    file_name.rsplit(['/', '\\']).next().unwrap_or(file_name)
}

/// The base name without its extension and MMLU's `mmlu_` prefix.
fn stem(base: &str) -> &str {
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    stem.strip_prefix("mmlu_").unwrap_or(stem)
}

/// Subject and split from an MMLU-style file name: `abstract_algebra_test.csv` →
/// (`abstract_algebra`, `test`); `mmlu_anatomy.csv` → (`anatomy`, none). Hub shards keep their
/// config folder: `abstract_algebra/test-00000-of-00001.parquet` → (`abstract_algebra`, `test`).
pub fn subject_and_split(file_name: &str) -> (Option<String>, Option<String>) {
    let mut parts = file_name.rsplit(['/', '\\']);
    let base = parts.next().unwrap_or(file_name);
    if let Some(split) = hub_shard(base) {
        let split = match split {
            "validation" => "val",
            other => other,
        };
        let subject = parts.next().filter(|d| !d.is_empty() && *d != "data" && *d != "all");
        return (subject.map(str::to_owned), Some(split.to_owned()));
    }
    let stem = stem(base);
    for split in ["test", "dev", "val", "validation", "train", "auxiliary_train"] {
        if let Some(subject) = stem.strip_suffix(&format!("_{split}")) {
            let split = if split == "validation" { "val" } else { split };
            return (Some(subject.to_owned()), Some(split.to_owned()));
        }
    }
    // Only MMLU-style names carry a subject; "TruthfulQA.csv" is not one.
    match base.strip_prefix("mmlu_") {
        Some(_) if !stem.is_empty() => (Some(stem.to_owned()), None),
        _ => (None, None),
    }
}

/// The subject the defect checks file a benchmark's items under: the MMLU subject of its name,
/// else the name itself without folders and extension (`TruthfulQA.csv` → `TruthfulQA`), so every
/// file's items still form a group of their own. None only for an empty name.
pub fn items_subject(file_name: &str) -> Option<String> {
    subject_and_split(file_name).0.or_else(|| {
        let stem = stem(base(file_name));
        (!stem.is_empty()).then(|| stem.to_owned())
    })
}
