//! AlpacaEval annotation tables reduced to what the metrics need: who was judged on which
//! instruction, the judge's preference, and both answers' lengths.
//!
//! The answer texts are ~95% of an annotation file's bytes but the metrics only need their
//! lengths, so this pass measures them once (in Unicode code points, as Python's `str.len` does,
//! which is what the reference tool measures) and keeps a few integers per judgment.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::table::Table;

use super::answer_checks::{AnswerCheck, AnswerStats};
use super::error::required_column;
use super::model_names;
use super::JudgeError;

/// One judge verdict: model vs baseline on one instruction.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Judgment {
    /// Index into [`AlpacaAnnotations::models`].
    pub model: u32,
    /// Index into [`AlpacaAnnotations::instructions`].
    pub instruction: u32,
    /// Preference in [1, 2] (2 = the model's answer is preferred); `None` when the judge gave no
    /// usable verdict (null, NaN or out of range). The legacy draw code 0 is stored as 1.5.
    pub preference: Option<f64>,
    /// Length of the model's answer (output_2) in code points.
    pub model_len: u32,
    /// Length of the baseline's answer (output_1) in code points.
    pub baseline_len: u32,
    /// File the judgment came from (index into [`AlpacaAnnotations::files`]), for drill-downs.
    pub file: u32,
    /// Row in that file.
    pub row: u32,
}

/// All loaded AlpacaEval judgments against one baseline.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AlpacaAnnotations {
    pub baseline: String,
    /// Judged models, sorted by name.
    pub models: Vec<String>,
    /// Instruction texts in first-seen order.
    pub instructions: Vec<String>,
    pub judgments: Vec<Judgment>,
    /// File names in input order.
    pub files: Vec<String>,
    /// Rows skipped or altered, one sentence per cause with counts.
    pub warnings: Vec<String>,
    /// Per model (same order as `models`): what its answer texts look like across instructions.
    #[serde(default)]
    pub answer_checks: Vec<AnswerCheck>,
    /// Per model: other names it may go by in a published leaderboard (the `generator_2` value
    /// when the file name replaced it, the file or folder names when they differ), sorted.
    #[serde(default)]
    pub aliases: Vec<Vec<String>>,
}

const BENCH: &str = "AlpacaEval";

struct Columns {
    instruction: usize,
    output_1: usize,
    generator_1: usize,
    output_2: usize,
    generator_2: usize,
    preference: usize,
}

fn columns(file: &str, t: &Table) -> Result<Columns, JudgeError> {
    let need = |name: &str| required_column(t, file, name, BENCH);
    Ok(Columns {
        instruction: need("instruction")?,
        output_1: need("output_1")?,
        generator_1: need("generator_1")?,
        output_2: need("output_2")?,
        generator_2: need("generator_2")?,
        preference: need("preference")?,
    })
}

/// Parses one preference cell. `Err` carries the reason the verdict is unusable.
pub fn parse_preference(cell: &str) -> Result<f64, &'static str> {
    let s = cell.trim();
    if s.is_empty() || s.eq_ignore_ascii_case("nan") || s == "None" || s == "null" {
        return Err("no preference (empty, null or NaN)");
    }
    let v: f64 = s.parse().map_err(|_| "preference is not a number")?;
    // Reference (alpaca_eval metrics/helpers.py): 0 is the legacy draw code and means 1.5;
    // anything else outside [1, 2] is dropped as "not a preference".
    if v == 0.0 {
        return Ok(1.5);
    }
    if !(1.0..=2.0).contains(&v) {
        return Err("preference is outside [1, 2]");
    }
    Ok(v)
}

fn code_points(s: &str) -> u32 {
    u32::try_from(s.chars().count()).unwrap_or(u32::MAX)
}

impl AlpacaAnnotations {
    /// Collects judgments from named tables. The baseline is `baseline` when given, otherwise the
    /// single generator_1 value found; rows judged against another baseline are skipped with a
    /// warning. A model judged twice on the same instruction keeps its first judgment.
    pub fn from_tables(
        tables: &[(&str, &Table)],
        baseline: Option<&str>,
    ) -> Result<Self, JudgeError> {
        let mut cols = Vec::with_capacity(tables.len());
        for (name, t) in tables {
            cols.push(columns(name, t)?);
        }
        let baseline = match baseline {
            Some(b) => b.to_owned(),
            None => {
                let mut found = BTreeSet::new();
                for ((_, t), c) in tables.iter().zip(&cols) {
                    for r in 0..t.n_rows() {
                        let g = t.cell(r, c.generator_1).trim();
                        if !g.is_empty() {
                            found.insert(g);
                        }
                    }
                }
                match found.len() {
                    0 => {
                        return Err(JudgeError::NoJudgments {
                            reason: "generator_1 is empty in every row, so the baseline is \
                                     unknown; name it with --baseline NAME"
                                .into(),
                        })
                    }
                    1 => found.into_iter().next().unwrap_or_default().to_owned(),
                    _ => {
                        let list: Vec<&str> = found.into_iter().take(5).collect();
                        return Err(JudgeError::AmbiguousBaseline { found: list.join(", ") });
                    }
                }
            }
        };

        // Each file's generator_2 values, then the name each file's model goes by.
        let mut generators: Vec<Vec<String>> = Vec::with_capacity(tables.len());
        for ((_, t), c) in tables.iter().zip(&cols) {
            let mut found = BTreeSet::new();
            for r in 0..t.n_rows() {
                if t.cell(r, c.generator_1).trim() == baseline {
                    let m = t.cell(r, c.generator_2).trim();
                    if !m.is_empty() {
                        found.insert(m.to_owned());
                    }
                }
            }
            generators.push(found.into_iter().collect());
        }
        let file_names: Vec<&str> = tables.iter().map(|(n, _)| *n).collect();
        let renames = model_names::renames(&file_names, &generators);
        let model_of = |f: usize, generator: &'_ str| -> String {
            match renames.get(f).and_then(Option::as_ref) {
                Some((from, to)) if from == generator => to.clone(),
                _ => generator.to_owned(),
            }
        };
        let mut model_names = BTreeSet::new();
        for (f, g) in generators.iter().enumerate() {
            for m in g {
                model_names.insert(model_of(f, m));
            }
        }
        let models: Vec<String> = model_names.into_iter().collect();
        let model_index: HashMap<&str, u32> =
            models.iter().enumerate().map(|(i, m)| (m.as_str(), i as u32)).collect();
        let mut aliases: Vec<BTreeSet<String>> = vec![BTreeSet::new(); models.len()];
        for (f, g) in generators.iter().enumerate() {
            let label = file_names.get(f).and_then(|n| model_names::file_label(n));
            for m in g {
                let name = model_of(f, m);
                if let Some(&i) = model_index.get(name.as_str()) {
                    let set = &mut aliases[i as usize];
                    set.extend([m.clone()].into_iter().chain(label.clone()).filter(|a| *a != name));
                }
            }
        }

        let mut out = AlpacaAnnotations {
            baseline: baseline.clone(),
            models: models.clone(),
            files: tables.iter().map(|(n, _)| (*n).to_owned()).collect(),
            ..Self::default()
        };
        let mut stats: Vec<AnswerStats> =
            (0..models.len()).map(|_| AnswerStats::default()).collect();
        let mut instruction_index: HashMap<String, u32> = HashMap::new();
        let mut seen: HashMap<(u32, u32), ()> = HashMap::new();
        // (file, cause) -> (count, first line)
        let mut problems: BTreeMap<(usize, &'static str), (u64, u64)> = BTreeMap::new();
        let mut note = |file: usize, cause: &'static str, line: u64| {
            let e = problems.entry((file, cause)).or_insert((0, line));
            e.0 += 1;
        };

        for (f, ((_, t), c)) in tables.iter().zip(&cols).enumerate() {
            for r in 0..t.n_rows() {
                let line = t.line_of(r);
                if t.cell(r, c.generator_1).trim() != baseline {
                    note(f, "judged against another baseline (skipped)", line);
                    continue;
                }
                let name = model_of(f, t.cell(r, c.generator_2).trim());
                let Some(&model) = model_index.get(name.as_str()) else {
                    note(f, "generator_2 is empty (skipped)", line);
                    continue;
                };
                let text = t.cell(r, c.instruction);
                let next = instruction_index.len() as u32;
                let instruction = *instruction_index.entry(text.to_owned()).or_insert_with(|| {
                    out.instructions.push(text.to_owned());
                    next
                });
                if seen.insert((model, instruction), ()).is_some() {
                    note(
                        f,
                        "repeats a judgment of the same model on the same instruction (skipped)",
                        line,
                    );
                    continue;
                }
                let answer = t.cell(r, c.output_2);
                if let Some(s) = stats.get_mut(model as usize) {
                    s.add(text, answer);
                }
                let preference = match parse_preference(t.cell(r, c.preference)) {
                    Ok(p) => Some(p),
                    Err(cause) => {
                        note(f, cause, line);
                        None
                    }
                };
                out.judgments.push(Judgment {
                    model,
                    instruction,
                    preference,
                    model_len: code_points(answer),
                    baseline_len: code_points(t.cell(r, c.output_1)),
                    file: f as u32,
                    row: r as u32,
                });
            }
        }
        for ((f, cause), (count, line)) in problems {
            let name = tables.get(f).map_or("", |t| t.0);
            let what = if cause.contains("skipped") {
                cause.to_owned()
            } else {
                format!("{cause} (kept for lengths, left out of win rates)")
            };
            out.warnings.push(format!("{name}: {count} rows {what}; first at line {line}"));
        }
        for (f, rename) in renames.iter().enumerate() {
            let (Some((from, to)), Some(name)) = (rename, file_names.get(f)) else { continue };
            out.warnings.push(format!(
                "{name}: generator_2 is `{from}`, a placeholder rather than a model name, so the model is named `{to}` after the file"
            ));
        }
        out.answer_checks = stats.into_iter().map(AnswerStats::finish).collect();
        for (m, check) in out.answer_checks.iter().enumerate() {
            if let (Some(flag), Some(name)) = (&check.flag, out.models.get(m)) {
                out.warnings.push(format!(
                    "{name}: degenerate answers ({flag}); a judge that prefers these is being gamed, so this win rate says little about the model"
                ));
            }
        }
        out.aliases = aliases.into_iter().map(|a| a.into_iter().collect()).collect();
        if out.judgments.is_empty() {
            return Err(JudgeError::NoJudgments {
                reason: format!("no row is judged against the baseline `{baseline}`"),
            });
        }
        Ok(out)
    }

    /// Judgments of one model, in load order.
    pub fn of_model(&self, model: u32) -> impl Iterator<Item = &Judgment> + '_ {
        self.judgments.iter().filter(move |j| j.model == model)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preference_codes_follow_the_reference() {
        assert_eq!(parse_preference("2.0"), Ok(2.0));
        assert_eq!(parse_preference(" 1.25 "), Ok(1.25));
        assert_eq!(parse_preference("0"), Ok(1.5));
        assert!(parse_preference("").is_err());
        assert!(parse_preference("NaN").is_err());
        assert!(parse_preference("2.5").is_err());
        assert!(parse_preference("x").is_err());
    }

    #[test]
    fn lengths_are_code_points_not_bytes() {
        assert_eq!(code_points("héllo"), 5);
        assert_eq!(code_points("日本"), 2);
    }
}
