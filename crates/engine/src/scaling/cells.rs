//! What one cell of a scaling table means: "7B", "1.4T", "3.3e12", "15T+" and "~70 B" as positive
//! quantities in absolute units (a unit written in the header, "params_B", applies when the cell
//! has none), plain losses and scores, and why a cell could not be read.

use serde::{Deserialize, Serialize};

/// A positive quantity read from a cell; `lower_bound` when written like "15T+".
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    pub value: f64,
    pub lower_bound: bool,
}

/// Multipliers for value suffixes (case-sensitive where it matters: "M" is million, "m" too, since
/// nobody trains milli-parameter models).
fn suffix_multiplier(s: &str) -> Option<f64> {
    match s {
        "" => Some(1.0),
        "k" | "K" => Some(1e3),
        "m" | "M" | "mn" | "Mn" => Some(1e6),
        "b" | "B" | "bn" | "Bn" | "G" => Some(1e9),
        "t" | "T" | "tn" | "Tn" => Some(1e12),
        "P" => Some(1e15),
        _ => None,
    }
}

/// Why a cell could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum CellProblem {
    Empty,
    NotANumber,
    NotFinite,
    NotPositive,
}

impl CellProblem {
    pub(super) fn describe(&self) -> &'static str {
        match self {
            Self::Empty => "is empty",
            Self::NotANumber => "is not a number (expected e.g. 7B, 1.4T, 3.3e12 or 15T+)",
            Self::NotFinite => "is not finite",
            Self::NotPositive => "must be positive",
        }
    }
}

/// Parses "7B", "1.4T", "3.3e12", "15T+", "~70 B", "1,400" into a positive quantity; the
/// multiplier from the header applies only when the cell has no suffix of its own.
pub fn parse_quantity(cell: &str, header_multiplier: f64) -> Result<Quantity, CellProblem> {
    let mut s = cell.trim();
    if s.is_empty() || s.eq_ignore_ascii_case("na") || s.eq_ignore_ascii_case("n/a") || s == "-" {
        return Err(CellProblem::Empty);
    }
    let mut lower_bound = false;
    if let Some(rest) = s.strip_suffix('+') {
        lower_bound = true;
        s = rest.trim_end();
    }
    if let Some(rest) = s.strip_prefix(">=").or_else(|| s.strip_prefix('>')) {
        lower_bound = true;
        s = rest.trim_start();
    }
    s = s.trim_start_matches(['~', '≈']).trim();
    let cleaned: String = s.chars().filter(|c| *c != ',' && *c != '_').collect();
    // Split the numeric prefix from an alphabetic suffix, keeping exponents ("3.3e12") numeric.
    let split = cleaned
        .char_indices()
        .find(|&(i, c)| {
            c.is_alphabetic()
                && !((c == 'e' || c == 'E')
                    && cleaned[i + 1..]
                        .starts_with(|d: char| d.is_ascii_digit() || d == '-' || d == '+'))
        })
        .map(|(i, _)| i)
        .unwrap_or(cleaned.len());
    let (num, suffix) = cleaned.split_at(split);
    let suffix = suffix.trim();
    let lower = num.trim().to_ascii_lowercase();
    if lower == "nan" || suffix.eq_ignore_ascii_case("nan") {
        return Err(CellProblem::NotFinite);
    }
    if suffix.eq_ignore_ascii_case("inf") || suffix.eq_ignore_ascii_case("infinity") {
        return Err(CellProblem::NotFinite);
    }
    let value: f64 = num.trim().parse().map_err(|_| CellProblem::NotANumber)?;
    let multiplier = if suffix.is_empty() {
        header_multiplier
    } else {
        suffix_multiplier(suffix).ok_or(CellProblem::NotANumber)?
    };
    let value = value * multiplier;
    if !value.is_finite() {
        return Err(CellProblem::NotFinite);
    }
    if value <= 0.0 {
        return Err(CellProblem::NotPositive);
    }
    Ok(Quantity { value, lower_bound })
}

/// A plain finite number (loss, score): no unit suffixes, may be any sign for scores.
pub(super) fn parse_plain(cell: &str) -> Result<f64, CellProblem> {
    let s = cell.trim().trim_end_matches('%').trim();
    if s.is_empty() || s.eq_ignore_ascii_case("na") || s.eq_ignore_ascii_case("n/a") || s == "-" {
        return Err(CellProblem::Empty);
    }
    let v: f64 = s.parse().map_err(|_| CellProblem::NotANumber)?;
    if !v.is_finite() {
        return Err(CellProblem::NotFinite);
    }
    Ok(v)
}

/// Header normalised for matching: lower case, separators unified to `_`.
pub(super) fn norm(header: &str) -> String {
    let mut out = String::new();
    for c in header.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_owned()
}

/// Unit multiplier written in a header: "params_B", "tokens (T)", "Model Size (M)".
pub fn header_multiplier(header: &str) -> f64 {
    let n = norm(header);
    let last = n.rsplit('_').next().unwrap_or("");
    if n.contains('_') {
        match last {
            "k" => return 1e3,
            "m" | "millions" | "million" => return 1e6,
            "b" | "bn" | "billions" | "billion" => return 1e9,
            "t" | "tn" | "trillions" | "trillion" => return 1e12,
            _ => {}
        }
    }
    1.0
}

impl CellProblem {
    pub(super) fn describe_tail(&self) -> String {
        format!("{}; row skipped", self.describe())
    }
}
