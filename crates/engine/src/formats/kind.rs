//! Which kind of dataset a file holds, decided from its column names, a few sample values and its
//! file name, with a confidence and the reason shown to the user. When unsure the kind is
//! `Unknown` and the page asks the user to pick one.

mod names;
mod schemas;

pub use names::{hub_shard, items_subject, subject_and_split};
pub use schemas::{no_schema_message, published_reason, recognise, PublishedSchema, PUBLISHED};

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
