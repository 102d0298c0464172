//! The published datasets benchlens reads, recognised by their columns: the intake names the
//! dataset a file is (or the nearest one, and what the file lacks) instead of only guessing a kind.

use super::norm;
use crate::dataset::DatasetKind;

/// A dataset as it is published, recognised by its columns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PublishedSchema {
    /// What people call it.
    pub name: &'static str,
    /// Where it comes from (Hugging Face id or repository).
    pub source: &'static str,
    pub kind: DatasetKind,
    /// Its top-level columns, space-separated (structs count once, by their own name).
    pub columns: &'static str,
}

/// The published schemas benchlens reads, checked against their dataset cards.
pub const PUBLISHED: &[PublishedSchema] = &[
    PublishedSchema {
        name: "LMArena arena-human-preference-140k / arena-expert-5k",
        source: "hf: lmarena-ai/arena-human-preference-140k, lmarena-ai/arena-expert-5k",
        kind: DatasetKind::BattleLog,
        columns: "id model_a model_b winner evaluation_session_id evaluation_order conversation_a \
                  conversation_b full_conversation conv_metadata category_tag language is_code \
                  timestamp",
    },
    PublishedSchema {
        name: "LMArena arena-human-preference-100k",
        source: "hf: lmarena-ai/arena-human-preference-100k",
        kind: DatasetKind::BattleLog,
        columns: "question_id model_a model_b winner judge turn anony language tstamp \
                  conv_metadata category_tag",
    },
    PublishedSchema {
        name: "Chatbot Arena conversations (33k)",
        source: "hf: lmsys/chatbot_arena_conversations",
        kind: DatasetKind::BattleLog,
        columns: "question_id model_a model_b winner judge conversation_a conversation_b turn \
                  anony language tstamp",
    },
    PublishedSchema {
        name: "FastChat clean_battle",
        source: "lm-sys/FastChat fastchat/serve/monitor/clean_battle_data.py",
        kind: DatasetKind::BattleLog,
        columns: "model_a model_b winner judge turn anony language tstamp",
    },
    PublishedSchema {
        name: "LMSYS arena-human-preference-55k (Kaggle)",
        source: "hf: lmsys/lmsys-arena-human-preference-55k",
        kind: DatasetKind::BattleLog,
        columns: "id model_a model_b prompt response_a response_b winner_model_a winner_model_b \
                  winner_tie",
    },
    PublishedSchema {
        name: "MMLU-Redux 2.0",
        source: "hf: edinburgh-dawg/mmlu-redux-2.0",
        kind: DatasetKind::BenchmarkItems,
        columns: "question choices answer error_type source correct_answer potential_reason",
    },
    PublishedSchema {
        name: "MMLU (cais/mmlu)",
        source: "hf: cais/mmlu",
        kind: DatasetKind::BenchmarkItems,
        columns: "question subject choices answer",
    },
    PublishedSchema {
        name: "TruthfulQA multiple_choice",
        source: "hf: truthfulqa/truthful_qa (multiple_choice)",
        kind: DatasetKind::BenchmarkItems,
        columns: "question mc1_targets mc2_targets",
    },
    PublishedSchema {
        name: "TruthfulQA generation",
        source: "hf: truthfulqa/truthful_qa (generation)",
        kind: DatasetKind::BenchmarkItems,
        columns: "type category question best_answer correct_answers incorrect_answers source",
    },
    PublishedSchema {
        name: "pair counts",
        source: "benchlens README (the DuckDB GROUP BY recipe)",
        kind: DatasetKind::PairCounts,
        columns: "model_a model_b wins_a wins_b ties",
    },
];

impl PublishedSchema {
    /// Its top-level columns, in published order.
    pub fn columns(&self) -> impl Iterator<Item = &'static str> {
        self.columns.split_whitespace()
    }
}

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
        .filter(|s| s.columns().all(|c| tops.iter().any(|t| t == c)))
        .max_by_key(|s| s.columns().count())
}

/// "LMArena … (columns …)" when the columns are a published schema's.
pub fn published_reason(columns: &[String]) -> Option<String> {
    recognise(columns)
        .map(|s| format!("{} columns ({})", s.name, s.columns().collect::<Vec<_>>().join(", ")))
}

/// The message for columns that match no known kind: what was found and the nearest published
/// schema, with what it lacks.
pub fn no_schema_message(columns: &[String]) -> String {
    let tops = top_level(columns);
    let nearest = PUBLISHED
        .iter()
        .map(|s| {
            let hits = s.columns().filter(|c| tops.iter().any(|t| t == c)).count();
            (hits as f64 / (s.columns().count() + tops.len() - hits).max(1) as f64, s)
        })
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let mut message = format!(
        "no known dataset schema matches these columns: {}",
        if columns.is_empty() { "(none)".to_owned() } else { columns.join(", ") }
    );
    if let Some((score, s)) = nearest.filter(|(score, _)| *score > 0.0) {
        let missing: Vec<&str> = s.columns().filter(|c| !tops.iter().any(|t| t == c)).collect();
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
