//! Which model an AlpacaEval annotation file holds when its `generator_2` column does not say.
//!
//! alpaca_eval keeps every model's annotations at `results/<model>/<annotator>/annotations.json`;
//! the folder is the name the published leaderboard uses. `generator_2` is usually the same, but
//! not always: `results/NullModel` says `example` in all 805 rows, because its outputs were made
//! outside alpaca_eval with a placeholder generator name. Taken literally, such a file never
//! meets its published row, and two placeholder files would merge into one "model". So the file
//! (or folder) name is the model's name when `generator_2` is a placeholder, and it is an alias
//! for matching the published leaderboard in every case.

/// Generator names that stand for "no name given": `example` (alpaca_eval's example outputs,
/// kept by `results/NullModel`) and `Current model` (`utils.get_generator_name`'s fallback).
const PLACEHOLDERS: [&str; 4] = ["example", "current model", "model", "unknown"];

/// Whether a `generator_2` value is a placeholder rather than a model name.
pub fn is_placeholder(generator: &str) -> bool {
    let g = generator.trim();
    g.is_empty() || PLACEHOLDERS.iter().any(|p| g.eq_ignore_ascii_case(p))
}

/// Path parts that never name a model: alpaca_eval's generic file and folder names.
fn is_generic(part: &str) -> bool {
    let p = part.to_ascii_lowercase();
    matches!(
        p.as_str(),
        "annotations"
            | "annotation"
            | "results"
            | "model_outputs"
            | "outputs"
            | "judgments"
            | "data"
    ) || p.contains("alpaca_eval") // annotator configs: weighted_alpaca_eval_gpt4_turbo, …
}

/// The model a file is named after: its stem, or the nearest folder when the stem is generic
/// (`results/NullModel/weighted_alpaca_eval_gpt4_turbo/annotations.json` → `NullModel`).
pub fn file_label(name: &str) -> Option<String> {
    let mut parts: Vec<&str> = name.split(['/', '\\']).filter(|p| !p.is_empty()).collect();
    if let Some(last) = parts.last_mut() {
        for ext in [".gz", ".json", ".jsonl", ".csv"] {
            if let Some(stem) = last.strip_suffix(ext) {
                *last = stem;
            }
        }
    }
    parts.iter().rev().find(|p| !is_generic(p) && !p.trim().is_empty()).map(|p| p.trim().to_owned())
}

/// For each file, the name its judged model goes by when it is not the `generator_2` value:
/// `Some((generator_2, name))`. `generators[f]` is file `f`'s distinct `generator_2` values; only
/// a file with a single placeholder value and a telling name is renamed. A real generator name is
/// kept even when the file is named otherwise (a user's `run3.json`, or one model split over
/// several files); the file name is then only an alias for the published leaderboard.
pub fn renames(files: &[&str], generators: &[Vec<String>]) -> Vec<Option<(String, String)>> {
    files
        .iter()
        .zip(generators)
        .map(|(file, g)| {
            let [g] = g.as_slice() else { return None };
            if !is_placeholder(g) {
                return None;
            }
            let label = file_label(file).filter(|l| l != g)?;
            Some((g.clone(), label))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_skip_generic_parts() {
        let l = |n: &str| file_label(n);
        assert_eq!(
            l("results/NullModel/weighted_alpaca_eval_gpt4_turbo/annotations.json").as_deref(),
            Some("NullModel")
        );
        assert_eq!(l("NullModel.json").as_deref(), Some("NullModel"));
        assert_eq!(l("annotations/claude-2.1.json").as_deref(), Some("claude-2.1"));
        assert_eq!(l("annotations.json"), None);
    }

    #[test]
    fn placeholders_are_renamed_real_names_are_kept() {
        let files = ["NullModel.json", "other_null.json", "claude-2.1.json", "run3.json", "x.json"];
        let g = |s: &str| vec![s.to_owned()];
        let r = renames(
            &files,
            &[g("example"), g("Current model"), g("claude-2.1"), g("my-model"), vec![]],
        );
        assert_eq!(r[0], Some(("example".into(), "NullModel".into())));
        assert_eq!(r[1], Some(("Current model".into(), "other_null".into())));
        assert_eq!(r[2], None);
        assert_eq!(r[3], None);
        assert_eq!(r[4], None);
        // A placeholder in a generically named file has nothing better to go by.
        assert_eq!(renames(&["annotations.json"], &[g("example")]), vec![None]);
    }
}
