//! Our ratings next to a published leaderboard, the way the judge view lines AlpacaEval up: which
//! published models we found, the difference per model, and whether the 2023–24 L2 method would
//! reproduce the published numbers when the current settings do not. The CLI's
//! `benchlens ratings --published` and the page both call [`compare`].
//!
//! Published arena CSVs are the FastChat / GenAI-Arena / MTEB-Arena `generate_leaderboard.py`
//! shape: `key,Model,Arena Elo rating (anony),Arena Elo rating (full),…` (MTEB-Arena adds
//! `MTEB Overall Avg` and per-task averages; a model missing from one subset gets `0`).
//! GenAI-Arena's battle logs name models `imagenhub_<Name>_generation` / `_edition` while its
//! CSVs say `<Name>`, so matching also tries the names without that prefix and task suffix.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::settings::{CiMethod, Method, RatingsSettings, TieRule};
use super::{rate, RatingsInput, RatingsResult};
use crate::wording::plural;
use crate::Table;

/// Largest |ours − published| (rating points) we call "reproduces": the published CSVs carry
/// full floats, and the L2 fit lands within 0.01 of them; 1 point leaves room for other
/// solvers while staying far below any interval width.
pub const REPRODUCES_WITHIN: f64 = 1.0;

/// One loaded leaderboard file.
#[derive(Debug, Clone, Copy)]
pub struct PublishedTable<'a> {
    /// File name, for messages.
    pub name: &'a str,
    pub table: &'a Table,
}

/// One of our models with its published value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedRow {
    /// Our model name.
    pub model: String,
    /// The name in the published file (differs when matched without prefix/suffix).
    pub published_name: String,
    /// File it came from.
    pub source: String,
    pub published: f64,
    /// Ours − published, rating points.
    pub delta: f64,
}

/// The other method's fit against the same published values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlternativeFit {
    /// True: the 2023–24 L2 method; false: the Bradley–Terry MLE (shown when L2 is on).
    pub legacy_l2: bool,
    pub max_abs_delta: f64,
    pub reproduces: bool,
}

/// Our ratings against a published leaderboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedComparison {
    /// Files that contributed matches.
    pub sources: Vec<String>,
    /// Rating column compared, e.g. `Arena Elo rating (full)`.
    pub column: String,
    /// Why that column (e.g. "all battles are rated").
    pub column_reason: String,
    /// Matched models, in our leaderboard order.
    pub rows: Vec<PublishedRow>,
    /// Published models with a rating in `column`, over all files.
    pub published_models: usize,
    /// Matches found only after dropping a `imagenhub_` prefix / `_generation`, `_edition` suffix.
    pub matched_renamed: usize,
    /// Our rated models with no published row, sorted.
    pub unmatched_ours: Vec<String>,
    /// Published models we did not rate, sorted.
    pub unmatched_published: Vec<String>,
    /// Largest |Δ| over the matched rows.
    pub max_abs_delta: f64,
    /// Whether the current settings reproduce the published values.
    pub reproduces: bool,
    /// The other Bradley–Terry method's fit (when it can run on these settings).
    pub alternative: Option<AlternativeFit>,
    /// Rows skipped and other partial failures, each naming file, line and field.
    pub warnings: Vec<String>,
}

impl PublishedComparison {
    /// True when switching to the 2023–24 L2 method would reproduce the published values and
    /// the current settings do not: the page offers the switch.
    pub fn offers_legacy_l2(&self) -> bool {
        !self.reproduces && self.alternative.as_ref().is_some_and(|a| a.legacy_l2 && a.reproduces)
    }

    /// One sentence on how well we match, for the CLI's stderr and the page's notes.
    pub fn summary(&self) -> String {
        let renamed = if self.matched_renamed > 0 {
            format!(
                " ({} after dropping the imagenhub_ prefix and _generation/_edition suffix)",
                self.matched_renamed
            )
        } else {
            String::new()
        };
        let mut s = format!(
            "published leaderboard {} (column \"{}\", {}): {} of {} published {} matched{renamed}; largest |ours − published| {:.2} points",
            self.sources.join(", "),
            self.column,
            self.column_reason,
            self.rows.len(),
            self.published_models,
            plural(self.published_models as u64, "model", "models"),
            self.max_abs_delta,
        );
        if self.reproduces {
            s.push_str(&format!(
                " — these settings reproduce the published values (within {REPRODUCES_WITHIN} point)"
            ));
        } else if let Some(a) = &self.alternative {
            let name =
                if a.legacy_l2 { "the 2023–24 L2 method" } else { "the Bradley–Terry MLE" };
            if a.reproduces {
                s.push_str(&format!(
                    " — {name} reproduces them (largest |Δ| {:.2}){}",
                    a.max_abs_delta,
                    if a.legacy_l2 { ": use --legacy-l2" } else { "" }
                ));
            } else {
                s.push_str(&format!(
                    " — neither these settings nor {name} (largest |Δ| {:.2}) reproduce them",
                    a.max_abs_delta
                ));
            }
        }
        s
    }
}

/// A published model: name, value, source file.
struct Entry {
    name: String,
    value: f64,
    source: String,
}

/// GenAI-Arena's battle-log names without the `imagenhub_` prefix and the task suffix, lowercase.
fn normalised(name: &str) -> String {
    let n = name.trim();
    let n = n.strip_prefix("imagenhub_").unwrap_or(n);
    let n = n.strip_suffix("_generation").or_else(|| n.strip_suffix("_edition")).unwrap_or(n);
    n.to_lowercase()
}

/// The rating column for these settings: `(anony)` when only anonymous battles are rated,
/// `(full)` otherwise; any one column naming an Elo rating or rating when those are absent.
fn rating_column(t: &Table, s: &RatingsSettings) -> Option<(usize, String, String)> {
    let find = |want: &str| t.column_index(want).map(|c| (c, t.columns[c].trim().to_owned()));
    let anony = s.filters.anony == Some(true);
    let (first, second, reason) = if anony {
        ("Arena Elo rating (anony)", "Arena Elo rating (full)", "only anonymous battles are rated")
    } else {
        ("Arena Elo rating (full)", "Arena Elo rating (anony)", "all battles are rated")
    };
    if let Some((c, name)) = find(first) {
        return Some((c, name, reason.to_owned()));
    }
    if let Some((c, name)) = find(second) {
        return Some((c, name, format!("{reason}, but the file has only this column")));
    }
    let fallback = ["Arena Elo rating", "arena_elo", "elo_rating", "elo", "rating", "score"];
    fallback.iter().find_map(|w| find(w)).map(|(c, n)| (c, n, "the file's rating column".into()))
}

/// The model-name column: `key`, `model`, `Model`, `name`, else the first column.
fn name_column(t: &Table) -> usize {
    ["key", "model", "name"].iter().find_map(|w| t.column_index(w)).unwrap_or(0)
}

/// Reads the published values of every file; rows without a usable number are skipped with a
/// warning (the MTEB-Arena script writes `0` for a model missing from one subset).
fn read_entries(
    tables: &[PublishedTable<'_>],
    s: &RatingsSettings,
    warnings: &mut Vec<String>,
) -> Option<(Vec<Entry>, String, String)> {
    let mut entries = Vec::new();
    let mut chosen: Option<(String, String)> = None;
    for pt in tables {
        let Some((col, column, reason)) = rating_column(pt.table, s) else {
            warnings.push(format!(
                "{}: no rating column (expected \"Arena Elo rating (full)\" or \"(anony)\"); not compared",
                pt.name
            ));
            continue;
        };
        let names = name_column(pt.table);
        let (mut skipped, mut first_bad) = (0usize, None);
        for r in 0..pt.table.n_rows() {
            let name = pt.table.cell(r, names).trim();
            let raw = pt.table.cell(r, col).trim();
            match raw.parse::<f64>() {
                Ok(v) if v.is_finite() && v != 0.0 && !name.is_empty() => {
                    entries.push(Entry { name: name.to_owned(), value: v, source: pt.name.into() })
                }
                _ => {
                    skipped += 1;
                    first_bad.get_or_insert((pt.table.line_of(r), raw.to_owned()));
                }
            }
        }
        if let Some((line, raw)) = first_bad {
            warnings.push(format!(
                "{}: {skipped} {} without a rating skipped (first: line {line}, field `{column}`: {raw:?})",
                pt.name,
                plural(skipped as u64, "row", "rows"),
            ));
        }
        chosen.get_or_insert((column, reason));
    }
    let (column, reason) = chosen?;
    Some((entries, column, reason))
}

/// Lines `result` up with the published leaderboards. Runs the other Bradley–Terry method
/// (without intervals) on the same input to say whether it would reproduce the published
/// numbers. `None` when no file has a rating column or no published model is among ours.
pub fn compare(
    input: RatingsInput<'_>,
    s: &RatingsSettings,
    result: &RatingsResult,
    tables: &[PublishedTable<'_>],
) -> Option<PublishedComparison> {
    let mut warnings = Vec::new();
    let (entries, column, column_reason) = read_entries(tables, s, &mut warnings)?;
    let ours: Vec<(&str, f64)> = result
        .ratings
        .iter()
        .filter(|r| r.rating.is_finite())
        .map(|r| (r.model.as_str(), r.rating))
        .collect();
    let matches = match_models(&ours, &entries, &mut warnings);
    if matches.is_empty() {
        return None;
    }
    let mut rows: Vec<PublishedRow> = Vec::new();
    let mut matched_renamed = 0;
    for (model, rating) in &ours {
        if let Some(&e) = matches.get(*model) {
            let entry = &entries[e];
            if entry.name != *model {
                matched_renamed += 1;
            }
            rows.push(PublishedRow {
                model: (*model).to_owned(),
                published_name: entry.name.clone(),
                source: entry.source.clone(),
                published: entry.value,
                delta: rating - entry.value,
            });
        }
    }
    let max_abs_delta = max_delta(rows.iter().map(|r| r.delta));
    let mut sources: Vec<String> = rows.iter().map(|r| r.source.clone()).collect();
    sources.sort();
    sources.dedup();
    let mut unmatched_ours: Vec<String> =
        ours.iter().filter(|(m, _)| !matches.contains_key(*m)).map(|(m, _)| (*m).into()).collect();
    unmatched_ours.sort();
    let used: Vec<usize> = matches.values().copied().collect();
    let mut unmatched_published: Vec<String> =
        (0..entries.len()).filter(|i| !used.contains(i)).map(|i| entries[i].name.clone()).collect();
    unmatched_published.sort();
    unmatched_published.dedup();
    let alternative = alternative_fit(input, s, &rows);
    Some(PublishedComparison {
        sources,
        column,
        column_reason,
        published_models: entries.len(),
        matched_renamed,
        unmatched_ours,
        unmatched_published,
        reproduces: max_abs_delta <= REPRODUCES_WITHIN,
        max_abs_delta,
        rows,
        alternative,
        warnings,
    })
}

fn max_delta(deltas: impl Iterator<Item = f64>) -> f64 {
    deltas.map(f64::abs).fold(0.0, f64::max)
}

/// Our model → index of its published entry: exact names first, then names without the
/// GenAI-Arena prefix/suffix, case-insensitively. A normalised name that fits several published
/// rows (or several of ours) is ambiguous and left unmatched, with a warning.
fn match_models<'m>(
    ours: &[(&'m str, f64)],
    entries: &[Entry],
    warnings: &mut Vec<String>,
) -> BTreeMap<&'m str, usize> {
    let mut out = BTreeMap::new();
    let mut taken = vec![false; entries.len()];
    for (m, _) in ours {
        let exact: Vec<usize> = (0..entries.len()).filter(|&i| entries[i].name == *m).collect();
        if let [i] = exact[..] {
            out.insert(*m, i);
            taken[i] = true;
        }
    }
    let mut by_key: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        if !taken[i] {
            by_key.entry(normalised(&e.name)).or_default().push(i);
        }
    }
    let mut ours_by_key: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (m, _) in ours.iter().filter(|(m, _)| !out.contains_key(m)) {
        ours_by_key.entry(normalised(m)).or_default().push(m);
    }
    for (key, models) in ours_by_key {
        let Some(candidates) = by_key.get(&key) else { continue };
        match (&models[..], &candidates[..]) {
            ([m], [i]) => {
                out.insert(*m, *i);
            }
            _ => warnings.push(format!(
                "published name {:?} fits {} of our models and {} published rows; left unmatched",
                key,
                models.len(),
                candidates.len()
            )),
        }
    }
    out
}

/// The other Bradley–Terry method on the same input, without intervals: L2 when the MLE is
/// on, the MLE when L2 is on. None for Elo, style control or the Davidson tie model (no L2
/// variant), and when the fit fails.
fn alternative_fit(
    input: RatingsInput<'_>,
    s: &RatingsSettings,
    rows: &[PublishedRow],
) -> Option<AlternativeFit> {
    if s.method != Method::Bt || s.style_control || s.ties == TieRule::Davidson {
        return None;
    }
    let other = RatingsSettings { legacy_l2: !s.legacy_l2, ci: CiMethod::None, ..s.clone() };
    let fit = rate(input, &other).ok()?;
    let deltas: Vec<f64> = rows
        .iter()
        .filter_map(|r| fit.rating_of(&r.model).map(|m| m.rating - r.published))
        .filter(|d| d.is_finite())
        .collect();
    if deltas.len() != rows.len() {
        return None;
    }
    let max_abs_delta = max_delta(deltas.into_iter());
    Some(AlternativeFit {
        legacy_l2: other.legacy_l2,
        max_abs_delta,
        reproduces: max_abs_delta <= REPRODUCES_WITHIN,
    })
}

#[cfg(test)]
mod tests {
    use super::normalised;

    #[test]
    fn genai_arena_names_lose_prefix_and_task_suffix() {
        assert_eq!(normalised("imagenhub_Prompt2prompt_edition"), "prompt2prompt");
        assert_eq!(normalised("imagenhub_SDXL_generation"), "sdxl");
        assert_eq!(normalised("GritLM/GritLM-7B"), "gritlm/gritlm-7b");
    }
}
