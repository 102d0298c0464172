//! Which kind of dataset a file holds, decided from its column names, a few sample values and its
//! file name, with a confidence and the reason shown to the user. When unsure the kind is
//! `Unknown` and the page asks the user to pick one.

use crate::dataset::DatasetKind;

/// The outcome of kind detection.
#[derive(Debug, Clone, PartialEq)]
pub struct KindGuess {
    pub kind: DatasetKind,
    pub confidence: f32,
    pub reason: String,
}

fn norm(name: &str) -> String {
    name.trim().to_ascii_lowercase().replace([' ', '-'], "_")
}

fn letter_like(v: &str) -> bool {
    let v = v.trim();
    v.len() == 1 && v.as_bytes()[0].is_ascii_uppercase() && v.as_bytes()[0] <= b'J'
}

/// True when a headerless row looks like MMLU: question, 4 options, an answer letter A–D.
pub fn is_mmlu_row(row: &[String]) -> bool {
    row.len() == 6 && matches!(row[5].trim(), "A" | "B" | "C" | "D")
}

/// Guesses the kind from column names and sample rows (cells in column order).
pub fn detect(columns: &[String], sample: &[Vec<String>], headerless: bool) -> KindGuess {
    let cols: Vec<String> = columns.iter().map(|c| norm(c)).collect();
    let has = |name: &str| cols.iter().any(|c| c == name);
    let has_any = |names: &[&str]| names.iter().any(|n| has(n));
    let contains = |part: &str| cols.iter().any(|c| c.contains(part));
    let guess =
        |kind, confidence, reason: &str| KindGuess { kind, confidence, reason: reason.into() };

    if headerless {
        let mmlu_rows = sample.iter().filter(|r| is_mmlu_row(r)).count();
        if !sample.is_empty() && mmlu_rows * 10 >= sample.len() * 9 {
            return guess(
                DatasetKind::BenchmarkItems,
                0.9,
                "headerless rows of question, four options and an answer letter (MMLU layout)",
            );
        }
        return guess(DatasetKind::Unknown, 0.0, "no header row and no known layout");
    }

    // lm-evaluation-harness output: per-sample loglikelihoods, and the results file that names
    // the model of the samples beside it (`defects::lm_eval`).
    if has("filtered_resps") || (has("resps") && has("doc_id")) {
        return guess(
            DatasetKind::ModelPredictions,
            0.95,
            "lm-evaluation-harness samples: doc, resps, filtered_resps",
        );
    }
    if (has("model_name") || contains("config.model_args")) && contains("results.") {
        return guess(
            DatasetKind::ModelPredictions,
            0.8,
            "lm-evaluation-harness results: names the model of the samples files of its run",
        );
    }

    if has("model_a") && has("model_b") {
        if has_any(&["wins_a", "wins_b", "ties", "win_a", "win_b"]) {
            return guess(
                DatasetKind::PairCounts,
                0.95,
                "columns model_a, model_b, wins_a/wins_b/ties",
            );
        }
        if has_any(&["winner", "winner_model_a"]) {
            return guess(DatasetKind::BattleLog, 0.95, "columns model_a, model_b, winner");
        }
        return guess(DatasetKind::BattleLog, 0.5, "columns model_a, model_b but no winner");
    }
    if has("instruction") && has("output_1") && has("output_2") {
        let conf = if has("preference") { 0.95 } else { 0.6 };
        return guess(
            DatasetKind::JudgeAnnotations,
            conf,
            "AlpacaEval annotations: instruction, output_1, output_2, preference",
        );
    }
    if has("question_id") && has("model") && (has("games") || contains("judgment")) {
        return guess(
            DatasetKind::JudgeAnnotations,
            0.9,
            "Arena-Hard judgments: question_id, model, games",
        );
    }
    if has("question_id") && has("model") && has("score") && has("turn") {
        return guess(
            DatasetKind::JudgeAnnotations,
            0.9,
            "MT-Bench grades: question_id, model, turn, score",
        );
    }
    if has_any(&["length_controlled_winrate", "lc_win_rate"])
        || (has("win_rate") && has_any(&["standard_error", "n_total", "avg_length"]))
        || cols.iter().any(|c| c.contains("elo_rating") || c.contains("arena_elo"))
    {
        return guess(DatasetKind::Leaderboard, 0.85, "win-rate or rating columns per model");
    }

    if has("question") && has("mc1_targets.choices") {
        return guess(
            DatasetKind::BenchmarkItems,
            0.95,
            "TruthfulQA multiple choice: question, mc1_targets, mc2_targets",
        );
    }
    let question = has_any(&["question", "prompt", "input", "query", "problem"]);
    let options =
        has_any(&["choices", "options", "choice0", "choice_0", "option_a", "a", "correct_answers"])
            || (has("a") && has("b"));
    let answer = has_any(&[
        "answer",
        "target",
        "label",
        "gold",
        "correct_answer",
        "answer_index",
        "best_answer",
        "answerkey",
    ]);
    if question {
        // Extra columns holding answer letters are model predictions (one column per model).
        let known = [
            "question",
            "choices",
            "answer",
            "subject",
            "id",
            "a",
            "b",
            "c",
            "d",
            "error_type",
            "source",
            "correct_answer",
            "potential_reason",
            "split",
        ];
        let letter_cols = cols
            .iter()
            .enumerate()
            .filter(|(_, c)| !known.contains(&c.as_str()))
            .filter(|(i, _)| {
                let vals: Vec<&String> = sample.iter().filter_map(|r| r.get(*i)).collect();
                !vals.is_empty()
                    && vals.iter().filter(|v| letter_like(v)).count() * 10 >= vals.len() * 8
            })
            .count();
        if letter_cols >= 2 {
            return guess(
                DatasetKind::ModelPredictions,
                0.9,
                "a question column plus several columns of answer letters (one per model)",
            );
        }
        if options && answer {
            return guess(DatasetKind::BenchmarkItems, 0.9, "question, options and answer columns");
        }
        if answer {
            return guess(
                DatasetKind::BenchmarkItems,
                0.6,
                "question and answer columns (no options)",
            );
        }
    }
    if (has_any(&["item_id", "doc_id", "question_id", "id"]) && has("model"))
        && has_any(&["answer", "prediction", "pred", "response"])
    {
        return guess(DatasetKind::ModelPredictions, 0.85, "long format: item, model, answer");
    }

    let params = cols.iter().any(|c| {
        c == "n"
            || c.starts_with("param")
            || c.contains("model_size")
            || c == "size"
            || c.starts_with("n_params")
    });
    let tokens = cols
        .iter()
        .any(|c| c == "d" || c.starts_with("token") || c.contains("_tokens") || c == "data");
    let compute = cols.iter().any(|c| c.contains("flop") || c.contains("compute") || c == "c");
    let target = cols.iter().any(|c| {
        c.contains("loss") || c.contains("mmlu") || c.contains("score") || c.contains("acc")
    });
    let n_dims = [params, tokens, compute].iter().filter(|&&b| b).count();
    if n_dims >= 2 || (n_dims == 1 && target && params) {
        let conf = if n_dims >= 2 && target { 0.9 } else { 0.7 };
        return guess(DatasetKind::ScalingTable, conf, "parameters / tokens / compute columns");
    }
    guess(DatasetKind::Unknown, 0.0, "no known set of columns")
}

/// A dataset as it is published, recognised by its columns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PublishedSchema {
    /// What people call it.
    pub name: &'static str,
    /// Where it comes from (Hugging Face id or repository).
    pub source: &'static str,
    pub kind: DatasetKind,
    /// Its top-level columns (structs count once, by their own name).
    pub columns: &'static [&'static str],
}

/// The published schemas benchlens reads, checked against their dataset cards.
pub const PUBLISHED: &[PublishedSchema] = &[
    PublishedSchema {
        name: "LMArena arena-human-preference-140k / arena-expert-5k",
        source: "hf: lmarena-ai/arena-human-preference-140k, lmarena-ai/arena-expert-5k",
        kind: DatasetKind::BattleLog,
        columns: &[
            "id",
            "model_a",
            "model_b",
            "winner",
            "evaluation_session_id",
            "evaluation_order",
            "conversation_a",
            "conversation_b",
            "full_conversation",
            "conv_metadata",
            "category_tag",
            "language",
            "is_code",
            "timestamp",
        ],
    },
    PublishedSchema {
        name: "LMArena arena-human-preference-100k",
        source: "hf: lmarena-ai/arena-human-preference-100k",
        kind: DatasetKind::BattleLog,
        columns: &[
            "question_id",
            "model_a",
            "model_b",
            "winner",
            "judge",
            "turn",
            "anony",
            "language",
            "tstamp",
            "conv_metadata",
            "category_tag",
        ],
    },
    PublishedSchema {
        name: "Chatbot Arena conversations (33k)",
        source: "hf: lmsys/chatbot_arena_conversations",
        kind: DatasetKind::BattleLog,
        columns: &[
            "question_id",
            "model_a",
            "model_b",
            "winner",
            "judge",
            "conversation_a",
            "conversation_b",
            "turn",
            "anony",
            "language",
            "tstamp",
        ],
    },
    PublishedSchema {
        name: "FastChat clean_battle",
        source: "lm-sys/FastChat fastchat/serve/monitor/clean_battle_data.py",
        kind: DatasetKind::BattleLog,
        columns: &["model_a", "model_b", "winner", "judge", "turn", "anony", "language", "tstamp"],
    },
    PublishedSchema {
        name: "LMSYS arena-human-preference-55k (Kaggle)",
        source: "hf: lmsys/lmsys-arena-human-preference-55k",
        kind: DatasetKind::BattleLog,
        columns: &[
            "id",
            "model_a",
            "model_b",
            "prompt",
            "response_a",
            "response_b",
            "winner_model_a",
            "winner_model_b",
            "winner_tie",
        ],
    },
    PublishedSchema {
        name: "MMLU-Redux 2.0",
        source: "hf: edinburgh-dawg/mmlu-redux-2.0",
        kind: DatasetKind::BenchmarkItems,
        columns: &[
            "question",
            "choices",
            "answer",
            "error_type",
            "source",
            "correct_answer",
            "potential_reason",
        ],
    },
    PublishedSchema {
        name: "MMLU (cais/mmlu)",
        source: "hf: cais/mmlu",
        kind: DatasetKind::BenchmarkItems,
        columns: &["question", "subject", "choices", "answer"],
    },
    PublishedSchema {
        name: "TruthfulQA multiple_choice",
        source: "hf: truthfulqa/truthful_qa (multiple_choice)",
        kind: DatasetKind::BenchmarkItems,
        columns: &["question", "mc1_targets", "mc2_targets"],
    },
    PublishedSchema {
        name: "TruthfulQA generation",
        source: "hf: truthfulqa/truthful_qa (generation)",
        kind: DatasetKind::BenchmarkItems,
        columns: &[
            "type",
            "category",
            "question",
            "best_answer",
            "correct_answers",
            "incorrect_answers",
            "source",
        ],
    },
    PublishedSchema {
        name: "pair counts",
        source: "benchlens README (the DuckDB GROUP BY recipe)",
        kind: DatasetKind::PairCounts,
        columns: &["model_a", "model_b", "wins_a", "wins_b", "ties"],
    },
];

fn top_level(columns: &[String]) -> Vec<String> {
    let mut tops: Vec<String> = Vec::new();
    for c in columns {
        let top = norm(c.split('.').next().unwrap_or(c));
        if !tops.contains(&top) {
            tops.push(top);
        }
    }
    tops
}

/// The published schema whose columns are all present (the most specific one).
pub fn recognise(columns: &[String]) -> Option<&'static PublishedSchema> {
    let tops = top_level(columns);
    PUBLISHED
        .iter()
        .filter(|s| s.columns.iter().all(|c| tops.iter().any(|t| t == c)))
        .max_by_key(|s| s.columns.len())
}

/// "LMArena … (columns …)" when the columns are a published schema's.
pub fn published_reason(columns: &[String]) -> Option<String> {
    recognise(columns).map(|s| format!("{} columns ({})", s.name, s.columns.join(", ")))
}

/// The message for columns that match no known kind: what was found and the nearest published
/// schema, with what it lacks.
pub fn no_schema_message(columns: &[String]) -> String {
    let tops = top_level(columns);
    let nearest = PUBLISHED
        .iter()
        .map(|s| {
            let hits = s.columns.iter().filter(|c| tops.iter().any(|t| t == *c)).count();
            (hits as f64 / (s.columns.len() + tops.len() - hits).max(1) as f64, s)
        })
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let mut message = format!(
        "no known dataset schema matches these columns: {}",
        if columns.is_empty() { "(none)".to_owned() } else { columns.join(", ") }
    );
    if let Some((score, s)) = nearest.filter(|(score, _)| *score > 0.0) {
        let missing: Vec<&str> =
            s.columns.iter().copied().filter(|c| !tops.iter().any(|t| t == c)).collect();
        message.push_str(&format!(
            ". Nearest known schema: {} ({}; {:.0} % overlap), which also has {}",
            s.name,
            s.source,
            score * 100.0,
            missing.join(", ")
        ));
    }
    message.push_str(". Pick the kind and map the columns, or rename them.");
    message
}

/// `(split, shard)` of a Hugging Face shard name: `train-00000-of-00004.parquet` → `train`.
pub fn hub_shard(file_name: &str) -> Option<&str> {
    let stem = file_name.split('.').next()?;
    let (split, rest) = stem.split_once('-')?;
    let (a, b) = rest.split_once("-of-")?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    (digits(a) && digits(b) && !split.is_empty()).then_some(split)
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
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    let stem = stem.strip_prefix("mmlu_").unwrap_or(stem);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn kinds_from_columns() {
        let k = |cols: &[&str]| detect(&s(cols), &[], false).kind;
        assert_eq!(k(&["model_a", "model_b", "winner", "tstamp"]), DatasetKind::BattleLog);
        assert_eq!(k(&["model_a", "model_b", "wins_a", "wins_b", "ties"]), DatasetKind::PairCounts);
        assert_eq!(
            k(&["instruction", "output_1", "generator_1", "output_2", "preference"]),
            DatasetKind::JudgeAnnotations
        );
        assert_eq!(k(&["question", "choices", "answer"]), DatasetKind::BenchmarkItems);
        assert_eq!(
            k(&["Type", "Category", "Question", "Best Answer", "Correct Answers"]),
            DatasetKind::BenchmarkItems
        );
        assert_eq!(k(&["model", "params_B", "tokens_T", "mmlu_5shot"]), DatasetKind::ScalingTable);
        assert_eq!(
            k(&["", "win_rate", "standard_error", "length_controlled_winrate"]),
            DatasetKind::Leaderboard
        );
        assert_eq!(k(&["foo", "bar"]), DatasetKind::Unknown);
    }

    #[test]
    fn predictions_need_letter_columns() {
        let cols = s(&["question", "choices", "answer", "m1", "m2", "m3"]);
        let rows = vec![s(&["q", "[]", "0", "A", "B", "A"]), s(&["q2", "[]", "1", "C", "C", "D"])];
        assert_eq!(detect(&cols, &rows, false).kind, DatasetKind::ModelPredictions);
    }

    #[test]
    fn lm_eval_harness_files() {
        let samples = s(&["doc_id", "doc.question", "target", "resps", "filtered_resps", "acc"]);
        assert_eq!(detect(&samples, &[], false).kind, DatasetKind::ModelPredictions);
        let results = s(&["results.mmlu_anatomy.acc,none", "config.model", "config.model_args"]);
        assert_eq!(detect(&results, &[], false).kind, DatasetKind::ModelPredictions);
    }

    #[test]
    fn headerless_mmlu() {
        let rows = vec![s(&["q", "1", "2", "3", "4", "B"]), s(&["q", "x", "y", "z", "w", "D"])];
        assert_eq!(detect(&s(&["col1"]), &rows, true).kind, DatasetKind::BenchmarkItems);
    }

    #[test]
    fn subjects() {
        assert_eq!(
            subject_and_split("abstract_algebra_test.csv"),
            (Some("abstract_algebra".into()), Some("test".into()))
        );
        assert_eq!(subject_and_split("data/mmlu_anatomy.csv"), (Some("anatomy".into()), None));
        assert_eq!(subject_and_split("x_dev.csv").1, Some("dev".into()));
        assert_eq!(subject_and_split("TruthfulQA.csv"), (None, None));
        assert_eq!(
            subject_and_split("abstract_algebra/test-00000-of-00001.parquet"),
            (Some("abstract_algebra".into()), Some("test".into()))
        );
        assert_eq!(
            subject_and_split("data/train-00002-of-00004.parquet"),
            (None, Some("train".into()))
        );
        assert_eq!(
            subject_and_split("all/validation-00000-of-00001.parquet").1,
            Some("val".into())
        );
    }

    #[test]
    fn published_schemas_by_columns() {
        let cols = s(&[
            "id",
            "model_a",
            "model_b",
            "winner",
            "evaluation_session_id",
            "evaluation_order",
            "conversation_a.turns",
            "conversation_a.chars",
            "conversation_b.turns",
            "conversation_b.chars",
            "full_conversation.turns",
            "full_conversation.chars",
            "conv_metadata.sum_assistant_a_tokens",
            "category_tag.math_v0.1.math",
            "language",
            "is_code",
            "timestamp",
        ]);
        assert_eq!(recognise(&cols).map(|s| s.name), Some(PUBLISHED[0].name));
        let mmlu = s(&["question", "subject", "choices", "answer"]);
        assert_eq!(recognise(&mmlu).map(|s| s.source), Some("hf: cais/mmlu"));
        let message = no_schema_message(&s(&["question", "choices", "error_type", "notes"]));
        assert!(message.contains("question, choices, error_type, notes"), "{message}");
        assert!(message.contains("Nearest known schema: MMLU-Redux 2.0"), "{message}");
        assert!(message.contains("answer, source, correct_answer, potential_reason"), "{message}");
    }
}
