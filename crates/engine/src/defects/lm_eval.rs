//! Model answers from lm-evaluation-harness 0.4 output folders, and the one entry point that
//! turns any set of loaded prediction files into [`PredictionTable`]s.
//!
//! The harness writes one folder per run, `<output_path>/<model_name_sanitized>/`, holding
//! `results_<date_id>.json` (which names the model: `model_name`, or `config.model_args` before
//! 0.4.1) beside `samples_<task>_<date_id>.jsonl` (which does not). Users bring a folder of such
//! runs, so the samples of a run must take their model from the results file of the same run:
//! same `date_id`, else the same folder, else the folder's name. The worker sees bare file names
//! (a browser drop loses folders), which is why the `date_id` comes first.

use std::collections::BTreeMap;

use super::predictions::PredictionTable;
use crate::table::Table;

/// The prediction tables read from a set of files, and what went wrong on the way.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PredictionFiles {
    pub tables: Vec<PredictionTable>,
    /// One line per file that gave no answers, or whose model had to be guessed.
    pub warnings: Vec<String>,
}

/// `model_args` keys that name the model, in the harness's own order of preference
/// (`lm_eval/loggers/evaluation_tracker.py`, `_get_model_name`).
const MODEL_ARG_KEYS: [&str; 6] = ["peft", "delta", "pretrained", "model", "path", "engine"];

/// Reads every loaded predictions file (`(path or name, table)`, in the order given): wide,
/// long and JSONL tables as they are, and lm-evaluation-harness samples under the model named by
/// the results file of their run. Results files themselves only name models.
pub fn read_predictions(files: &[(String, &Table)]) -> PredictionFiles {
    let runs: Vec<Run> = files
        .iter()
        .filter(|(path, t)| is_results(path, t))
        .map(|(path, t)| Run {
            dir: parent(path).to_owned(),
            date: date_id(path).map(str::to_owned),
            model: model_of_results(t),
            path: path.clone(),
        })
        .collect();
    let mut out = PredictionFiles::default();
    let mut used_runs: BTreeMap<&str, ()> = BTreeMap::new();
    for (path, t) in files {
        if is_results(path, t) {
            continue;
        }
        let read = if is_samples(t) {
            let (model, run) = model_of_samples(path, &runs);
            if let Some(run) = run {
                used_runs.insert(run, ());
            } else {
                out.warnings.push(format!(
                    "{path}: no lm-evaluation-harness results_*.json of the same run beside it; \
                     its answers are counted as model `{model}`."
                ));
            }
            PredictionTable::read(path, t, &model)
        } else {
            PredictionTable::from_table(path, t)
        };
        match read {
            Ok(p) => out.tables.push(p),
            Err(e) => out.warnings.push(e.to_string()),
        }
    }
    for run in &runs {
        if !used_runs.contains_key(run.path.as_str()) {
            out.warnings.push(format!(
                "{}: lm-evaluation-harness results{} with no samples_*.jsonl of the same run; \
                 run lm_eval with --log_samples to get per-item answers.",
                run.path,
                run.model.as_deref().map(|m| format!(" of {m}")).unwrap_or_default(),
            ));
        }
    }
    out
}

/// One harness run, known from its results file.
struct Run {
    dir: String,
    date: Option<String>,
    model: Option<String>,
    path: String,
}

fn base(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn parent(path: &str) -> &str {
    path.rsplit_once(['/', '\\']).map_or("", |(dir, _)| dir)
}

/// The run's timestamp in a harness file name: `results_2024-07-01T10-00-00.000001.json` and
/// `samples_mmlu_anatomy_2024-07-01T10-00-00.000001.jsonl` give `2024-07-01T10-00-00.000001`.
pub fn date_id(path: &str) -> Option<&str> {
    let name = base(path);
    let stem = name
        .strip_suffix(".jsonl")
        .or_else(|| name.strip_suffix(".json"))
        .or_else(|| name.strip_suffix(".jsonl.gz"))
        .unwrap_or(name);
    let (_, date) = stem.rsplit_once('_')?;
    // A date_id is an ISO timestamp with `:` replaced by `-`: starts with a 4-digit year.
    let b = date.as_bytes();
    (b.len() >= 10 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-').then_some(date)
}

/// A harness results file: named `results*.json…` with the harness's model or results fields.
pub fn is_results(path: &str, t: &Table) -> bool {
    base(path).starts_with("results")
        && !is_samples(t)
        && t.columns.iter().any(|c| {
            c == "model_name" || c.starts_with("config.model_args") || c.starts_with("results.")
        })
}

/// Harness per-sample rows: the loglikelihoods of each option.
pub fn is_samples(t: &Table) -> bool {
    let has = |n: &str| t.column_index(n).is_some();
    has("filtered_resps") || (has("resps") && has("doc_id"))
}

/// The model a results file names: `model_name` (0.4.1 on), else the `model_args` entry the
/// harness itself would use, else `model_name_sanitized` with its `__` turned back into `/`.
pub fn model_of_results(t: &Table) -> Option<String> {
    let cell = |name: &str| {
        t.column_index(name).map(|c| t.cell(0, c).trim().to_owned()).filter(|s| !s.is_empty())
    };
    if let Some(m) = cell("model_name") {
        return Some(m);
    }
    if let Some(args) = cell("config.model_args") {
        for key in MODEL_ARG_KEYS {
            let found = args.split(',').find_map(|kv| {
                kv.trim().strip_prefix(key).and_then(|rest| rest.trim_start().strip_prefix('='))
            });
            if let Some(m) = found.map(str::trim).filter(|m| !m.is_empty()) {
                return Some(m.to_owned());
            }
        }
    }
    // Newer configs keep model_args as an object, flattened to `config.model_args.pretrained`.
    for key in MODEL_ARG_KEYS {
        if let Some(m) = cell(&format!("config.model_args.{key}")) {
            return Some(m);
        }
    }
    cell("model_name_sanitized").map(|m| m.replace("__", "/"))
}

/// The model of a samples file and the results file it was taken from (`None` when guessed from
/// the folder name, the run's date or the file name).
fn model_of_samples<'r>(path: &str, runs: &'r [Run]) -> (String, Option<&'r str>) {
    let dir = parent(path);
    let date = date_id(path);
    let named = |r: &&Run| r.model.is_some();
    let pick = runs
        .iter()
        .filter(named)
        .find(|r| date.is_some() && r.date.as_deref() == date && r.dir == dir)
        .or_else(|| runs.iter().filter(named).find(|r| date.is_some() && r.date.as_deref() == date))
        .or_else(|| {
            let mut in_dir = runs.iter().filter(named).filter(|r| !dir.is_empty() && r.dir == dir);
            // Several runs in one folder and no date match: which one is unknowable.
            match (in_dir.next(), in_dir.next()) {
                (Some(r), None) => Some(r),
                _ => None,
            }
        });
    if let Some(r) = pick {
        if let Some(m) = &r.model {
            return (m.clone(), Some(r.path.as_str()));
        }
    }
    // The harness names the run's folder after the model (`/` written as `__`).
    let folder = base(dir);
    if !folder.is_empty() && folder != "." {
        return (folder.replace("__", "/"), None);
    }
    // A bare file (a browser drop loses folders): the tasks of one run still share one model.
    if let Some(date) = date {
        return (format!("lm-eval run {date}"), None);
    }
    let stem = base(path).split('.').next().unwrap_or(path);
    (stem.to_owned(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(cols: &[&str], row: &[&str]) -> Table {
        let mut t = Table::new(cols.iter().map(|c| c.to_string()).collect());
        t.push_row(row.iter().copied(), 2);
        t
    }

    #[test]
    fn model_names_from_every_results_version() {
        let t = table(&["results.mmlu.acc,none", "model_name"], &["0.5", "org/model-7b"]);
        assert_eq!(model_of_results(&t).as_deref(), Some("org/model-7b"));
        let t = table(&["config.model_args"], &["dtype=float,pretrained=EleutherAI/pythia-160m"]);
        assert_eq!(model_of_results(&t).as_deref(), Some("EleutherAI/pythia-160m"));
        let t = table(&["config.model_args.pretrained"], &["org/m"]);
        assert_eq!(model_of_results(&t).as_deref(), Some("org/m"));
        let t = table(&["config.model_args", "model_name_sanitized"], &["", "org__m"]);
        assert_eq!(model_of_results(&t).as_deref(), Some("org/m"));
    }

    #[test]
    fn date_ids_pair_results_with_samples() {
        assert_eq!(
            date_id("runs/m/results_2024-07-01T10-00-00.000001.json"),
            Some("2024-07-01T10-00-00.000001")
        );
        assert_eq!(
            date_id("samples_mmlu_high_school_us_history_2024-07-01T10-00-00.000001.jsonl"),
            Some("2024-07-01T10-00-00.000001")
        );
        assert_eq!(date_id("abstract_algebra_test.csv"), None);
    }

    #[test]
    fn samples_take_the_model_of_their_run() {
        let results = table(&["results.t.acc,none", "model_name"], &["1", "org/a"]);
        let other = table(&["results.t.acc,none", "model_name"], &["1", "org/b"]);
        let samples = table(
            &["doc_id", "doc.question", "doc.choices", "filtered_resps"],
            &["0", "What is 2+2?", r#"["3","4"]"#, r#"[["-2", "False"], ["-1", "False"]]"#],
        );
        let files = vec![
            ("results_2024-01-01T00-00-00.1.json".to_string(), &results),
            ("results_2024-01-02T00-00-00.2.json".to_string(), &other),
            ("samples_t_2024-01-02T00-00-00.2.jsonl".to_string(), &samples),
            ("x/org__c/samples_t_2024-01-03T00-00-00.3.jsonl".to_string(), &samples),
            ("samples_t_2024-01-04T00-00-00.4.jsonl".to_string(), &samples),
            ("samples_u_2024-01-04T00-00-00.4.jsonl".to_string(), &samples),
        ];
        let read = read_predictions(&files);
        let models: Vec<&str> = read.tables.iter().map(|t| t.rows[0].model.as_str()).collect();
        let bare = "lm-eval run 2024-01-04T00-00-00.4";
        assert_eq!(models, ["org/b", "org/c", bare, bare]);
        assert_eq!(read.tables[0].rows[0].answer, "1");
        assert!(read.tables[0].rows[0].id.is_none(), "doc_id is no item id");
        assert_eq!(read.warnings.len(), 4, "{:?}", read.warnings);
        assert!(read.warnings[0].contains("counted as model `org/c`"), "{:?}", read.warnings);
        assert!(
            read.warnings[3].contains("results of org/a with no samples"),
            "{:?}",
            read.warnings
        );
    }
}
