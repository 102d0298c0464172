//! Tabular kinds from Parquet: leaves become the text cells a JSON record of the same data gives.
//!
//! Structs are flattened to dotted columns as the JSON loader flattens objects; a list of
//! scalars (`choices`, TruthfulQA's `mc1_targets.labels`) is one cell holding a JSON list; a list
//! of messages (`conversation_a`: `{role, content}` items) becomes what analyses use of it, its
//! user turns (`conversation_a.turns`) and text length in characters (`conversation_a.chars`);
//! any other list of records gives one JSON-list cell per field.

use serde_json::Value as Json;

use super::columns::{Leaf, LeafData, Value};

/// How an output column is filled from leaves (indices into the file's leaves).
#[derive(Debug, Clone)]
enum Source {
    Scalar(usize),
    List(usize),
    Turns(usize),
    Chars(Vec<usize>),
}

/// The output columns of a file, and the leaves each reads.
#[derive(Debug, Clone)]
pub struct TablePlan {
    pub columns: Vec<String>,
    sources: Vec<Source>,
    /// Leaves to decode, in file order.
    pub projection: Vec<usize>,
}

impl TablePlan {
    /// The columns of every leaf of the file.
    pub fn new(leaves: &[Leaf]) -> Self {
        let mut columns = Vec::new();
        let mut sources = Vec::new();
        let mut done_lists: Vec<String> = Vec::new();
        for (i, leaf) in leaves.iter().enumerate() {
            let Some(at) = leaf.list_at else {
                columns.push(leaf.name());
                sources.push(Source::Scalar(i));
                continue;
            };
            let key = leaf.logical.get(..at).unwrap_or(&leaf.logical).join(".");
            if done_lists.contains(&key) {
                continue;
            }
            done_lists.push(key.clone());
            let members: Vec<usize> = leaves
                .iter()
                .enumerate()
                .filter(|(_, l)| {
                    l.list_at == Some(at) && l.logical.get(..at).is_some_and(|p| p.join(".") == key)
                })
                .map(|(j, _)| j)
                .collect();
            let rest = |j: usize| leaves.get(j).and_then(|l| l.logical.get(at..)).unwrap_or(&[]);
            let role = members.iter().copied().find(|&j| rest(j) == ["role".to_owned()]);
            if let Some(role) = role {
                let text: Vec<usize> = members
                    .iter()
                    .copied()
                    .filter(|&j| {
                        rest(j).first().is_some_and(|p| p == "content")
                            && rest(j).last().is_some_and(|p| p == "content" || p == "text")
                    })
                    .collect();
                columns.push(format!("{key}.turns"));
                sources.push(Source::Turns(role));
                columns.push(format!("{key}.chars"));
                sources.push(Source::Chars(text));
            } else if members.len() == 1 && rest(i).is_empty() {
                columns.push(key);
                sources.push(Source::List(i));
            } else {
                for j in members {
                    columns.push(leaves.get(j).map(Leaf::name).unwrap_or_default());
                    sources.push(Source::List(j));
                }
            }
        }
        let mut projection: Vec<usize> = sources
            .iter()
            .flat_map(|s| match s {
                Source::Scalar(i) | Source::List(i) | Source::Turns(i) => vec![*i],
                Source::Chars(v) => v.clone(),
            })
            .collect();
        projection.sort_unstable();
        projection.dedup();
        Self { columns, sources, projection }
    }

    /// The cells of the next record; `data` holds the projected leaves in projection order.
    pub fn next_row(&self, data: &mut [LeafData], cells: &mut Vec<String>) {
        let mut per_leaf: Vec<Leafed> = Vec::with_capacity(data.len());
        for leaf in data.iter_mut() {
            let mut values: Vec<Json> = Vec::new();
            let mut chars = 0usize;
            let mut users = 0usize;
            let mut scalar = String::new();
            let repeated = leaf.leaf.list_at.is_some();
            leaf.next_record(|_, v| {
                if let Some(Value::Text(t)) = v {
                    chars += t.chars().count();
                    users += usize::from(t == "user");
                }
                if repeated {
                    values.push(v.map_or(Json::Null, json));
                } else {
                    scalar = v.map(cell).unwrap_or_default();
                }
            });
            per_leaf.push(Leafed { values, chars, users, scalar });
        }
        cells.clear();
        let at = |i: usize| self.projection.binary_search(&i).ok().and_then(|p| per_leaf.get(p));
        for source in &self.sources {
            cells.push(match source {
                Source::Scalar(i) => at(*i).map(|l| l.scalar.clone()).unwrap_or_default(),
                Source::List(i) => {
                    at(*i).map(|l| Json::Array(l.values.clone()).to_string()).unwrap_or_default()
                }
                Source::Turns(i) => at(*i).map_or(0, |l| l.users).to_string(),
                Source::Chars(v) => {
                    v.iter().filter_map(|&i| at(i)).map(|l| l.chars).sum::<usize>().to_string()
                }
            });
        }
    }
}

struct Leafed {
    values: Vec<Json>,
    chars: usize,
    users: usize,
    scalar: String,
}

fn number(x: f64) -> Json {
    serde_json::Number::from_f64(x).map_or(Json::Null, Json::Number)
}

fn json(v: Value<'_>) -> Json {
    match v {
        Value::Bool(b) => Json::Bool(b),
        Value::Int(i) => Json::Number(i.into()),
        Value::Float(x) | Value::Time(x) => number(x),
        Value::Text(t) => Json::String(t.to_owned()),
        Value::Binary(n) => Json::String(format!("<{n} bytes>")),
    }
}

/// The text of one value as a cell, spelled as the JSON loader spells the same value.
pub fn cell(v: Value<'_>) -> String {
    match v {
        Value::Text(t) => t.to_owned(),
        other => match json(other) {
            Json::String(s) => s,
            Json::Null => String::new(),
            j => j.to_string(),
        },
    }
}
