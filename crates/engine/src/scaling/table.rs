//! From a loaded [`Table`] to typed scaling rows: which column holds parameters, tokens, compute,
//! loss and a benchmark score, and what each cell means in absolute units.
//!
//! Scaling tables come from papers, model cards and spreadsheets, so headers and units vary
//! ("params_B", "Model Size", "Training FLOP", "15T+"). Detection is by header name; the user's
//! explicit column choices always win. Units come from a suffix in the cell ("7B") or, failing
//! that, from the header ("params_B", "tokens (T)"). C = 6ND derives whichever of the three is
//! missing.

use serde::{Deserialize, Serialize};

use super::cells::parse_plain;
pub use super::cells::{header_multiplier, parse_quantity, CellProblem, Quantity};
pub use super::columns::detect_columns;
use super::ScalingError;
use crate::dataset::{Severity, Warning};
use crate::table::Table;

/// Column choices; `None` means "detect from the header".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ColumnChoice {
    pub params: Option<String>,
    pub tokens: Option<String>,
    pub compute: Option<String>,
    pub loss: Option<String>,
    pub score: Option<String>,
    pub name: Option<String>,
}

/// The columns in use, by name, after detection and overrides: a choice with every column found
/// filled in.
pub type DetectedColumns = ColumnChoice;

/// Which of N, D, C was derived from the other two via C = 6ND.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Derived {
    None,
    Params,
    Tokens,
    Compute,
}

/// One model or training run in absolute units (parameters, tokens, FLOPs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScalingRow {
    /// Model or run name (or "row N" when the table has no name column).
    pub name: String,
    /// 1-based line in the source file.
    pub line: u64,
    pub params: Option<f64>,
    pub tokens: Option<f64>,
    pub compute: Option<f64>,
    pub loss: Option<f64>,
    pub score: Option<f64>,
    /// The token count (and hence compute) is a lower bound ("15T+").
    pub tokens_lower_bound: bool,
    pub derived: Derived,
}

impl ScalingRow {
    /// Rows with both N and D can go on compute axes and into loss fits.
    pub fn has_params_and_tokens(&self) -> bool {
        self.params.is_some() && self.tokens.is_some()
    }
}

/// A scaling table ready for analysis.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScalingData {
    pub columns: DetectedColumns,
    /// Every column of the source table, for messages that list them.
    pub table_columns: Vec<String>,
    pub rows: Vec<ScalingRow>,
    /// Names of rows that lack tokens (or parameters) and so stay off compute axes.
    pub off_compute: Vec<String>,
    pub warnings: Vec<Warning>,
}

/// Relative disagreement above which a given compute is reported as inconsistent with 6ND.
const COMPUTE_MISMATCH: f64 = 0.05;

struct Issues {
    warnings: Vec<Warning>,
}

impl Issues {
    fn push(&mut self, line: u64, column: &str, cell: &str, problem: &CellProblem) {
        let message = format!("value {:?} {}; row skipped", cell.trim(), problem.describe());
        // Group identical problems per column so a bad column is one line, not a thousand.
        if let Some(w) = self.warnings.iter_mut().find(|w| {
            w.field.as_deref() == Some(column) && w.message.ends_with(&problem.describe_tail())
        }) {
            w.count += 1;
            return;
        }
        self.warnings.push(Warning {
            severity: Severity::Warning,
            line: Some(line),
            field: Some(column.to_owned()),
            message,
            count: 1,
        });
    }
}

/// Reads every row into absolute units. Rows with an unreadable (non-empty) value in a used column
/// are skipped with a warning naming the line and column; empty cells are simply missing.
pub fn extract(table: &Table, choice: &ColumnChoice) -> Result<ScalingData, ScalingError> {
    let columns = detect_columns(table, choice)?;
    let idx = |c: &Option<String>| c.as_ref().and_then(|n| table.column_index(n));
    let (pi, ti, ci, li, si, ni) = (
        idx(&columns.params),
        idx(&columns.tokens),
        idx(&columns.compute),
        idx(&columns.loss),
        idx(&columns.score),
        idx(&columns.name),
    );
    let known = [pi, ti, ci].iter().filter(|c| c.is_some()).count();
    if known < 2 && li.is_some() {
        return Err(ScalingError::NeedTwoOfNDC { columns: table.columns.join(", ") });
    }
    let mult = |i: Option<usize>| i.map_or(1.0, |i| header_multiplier(&table.columns[i]));
    let (pm, tm, cm) = (mult(pi), mult(ti), mult(ci));
    let mut issues = Issues { warnings: Vec::new() };
    let mut rows = Vec::new();
    let mut off_compute = Vec::new();
    let mut mismatches = 0u64;
    let mut first_mismatch: Option<(u64, String)> = None;
    'rows: for r in 0..table.n_rows() {
        let line = table.line_of(r);
        let name = match ni {
            Some(i) if !table.cell(r, i).trim().is_empty() => table.cell(r, i).trim().to_owned(),
            _ => format!("row {}", r + 1),
        };
        let mut q = [None, None, None];
        for (slot, (col, m)) in q.iter_mut().zip([(pi, pm), (ti, tm), (ci, cm)]) {
            if let Some(c) = col {
                let cell = table.cell(r, c);
                match parse_quantity(cell, m) {
                    Ok(v) => *slot = Some(v),
                    Err(CellProblem::Empty) => {}
                    Err(p) => {
                        issues.push(line, &table.columns[c], cell, &p);
                        continue 'rows;
                    }
                }
            }
        }
        let mut plain = [None, None];
        for (slot, col, positive) in
            plain.iter_mut().zip([(li, true), (si, false)]).map(|(s, (c, p))| (s, c, p))
        {
            if let Some(c) = col {
                let cell = table.cell(r, c);
                match parse_plain(cell) {
                    Ok(v) if positive && v <= 0.0 => {
                        issues.push(line, &table.columns[c], cell, &CellProblem::NotPositive);
                        continue 'rows;
                    }
                    Ok(v) => *slot = Some(v),
                    Err(CellProblem::Empty) => {}
                    Err(p) => {
                        issues.push(line, &table.columns[c], cell, &p);
                        continue 'rows;
                    }
                }
            }
        }
        let [n, d, c] = q;
        let lower_bound = d.is_some_and(|d| d.lower_bound) || c.is_some_and(|c| c.lower_bound);
        let (mut params, mut tokens, mut compute) =
            (n.map(|x| x.value), d.map(|x| x.value), c.map(|x| x.value));
        let mut derived = Derived::None;
        match (params, tokens, compute) {
            (Some(n), Some(d), None) => {
                compute = Some(6.0 * n * d);
                derived = Derived::Compute;
            }
            (Some(n), None, Some(c)) => {
                tokens = Some(c / (6.0 * n));
                derived = Derived::Tokens;
            }
            (None, Some(d), Some(c)) => {
                params = Some(c / (6.0 * d));
                derived = Derived::Params;
            }
            (Some(n), Some(d), Some(c)) if ((6.0 * n * d) / c - 1.0).abs() > COMPUTE_MISMATCH => {
                mismatches += 1;
                first_mismatch.get_or_insert((line, name.clone()));
            }
            _ => {}
        }
        let row = ScalingRow {
            name,
            line,
            params,
            tokens,
            compute,
            loss: plain[0],
            score: plain[1],
            tokens_lower_bound: lower_bound,
            derived,
        };
        if !row.has_params_and_tokens() {
            off_compute.push(row.name.clone());
        }
        rows.push(row);
    }
    let mut warnings = issues.warnings;
    if let Some((line, name)) = first_mismatch {
        warnings.push(Warning {
            severity: Severity::Info,
            line: Some(line),
            field: columns.compute.clone(),
            message: format!(
                "compute differs from 6·N·D by more than {:.0}% (first: {name}); the given \
                 compute is kept for compute axes, N and D for loss fits",
                COMPUTE_MISMATCH * 100.0
            ),
            count: mismatches,
        });
    }
    if !off_compute.is_empty() {
        warnings.push(Warning {
            severity: Severity::Info,
            line: None,
            field: None,
            message: format!(
                "{} rows have no parameters or tokens and stay off compute axes: {}",
                off_compute.len(),
                off_compute.join(", ")
            ),
            count: 1,
        });
    }
    Ok(ScalingData { columns, table_columns: table.columns.clone(), rows, off_compute, warnings })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_suffixes_and_bounds() {
        let q = parse_quantity("7B", 1.0).expect("7B");
        assert_eq!(q.value, 7e9);
        assert!((parse_quantity("1.4T", 1.0).expect("1.4T").value - 1.4e12).abs() < 1.0);
        assert_eq!(parse_quantity("3.3e12", 1.0).expect("e").value, 3.3e12);
        let q = parse_quantity("15T+", 1.0).expect("15T+");
        assert_eq!(q.value, 15e12);
        assert!(q.lower_bound);
        assert_eq!(parse_quantity("175", 1e9).expect("header unit").value, 175e9);
        assert_eq!(parse_quantity("410M", 1e9).expect("own unit wins").value, 410e6);
        assert_eq!(parse_quantity("1,400", 1.0).expect("commas").value, 1400.0);
        assert_eq!(parse_quantity("", 1.0), Err(CellProblem::Empty));
        assert_eq!(parse_quantity("NaN", 1.0), Err(CellProblem::NotFinite));
        assert_eq!(parse_quantity("inf", 1.0), Err(CellProblem::NotFinite));
        assert_eq!(parse_quantity("-3B", 1.0), Err(CellProblem::NotPositive));
        assert_eq!(parse_quantity("0", 1.0), Err(CellProblem::NotPositive));
        assert_eq!(parse_quantity("lots", 1.0), Err(CellProblem::NotANumber));
        assert_eq!(parse_quantity("1e400", 1.0), Err(CellProblem::NotFinite));
    }

    #[test]
    fn header_units() {
        assert_eq!(header_multiplier("params_B"), 1e9);
        assert_eq!(header_multiplier("tokens (T)"), 1e12);
        assert_eq!(header_multiplier("Model Size"), 1.0);
        assert_eq!(header_multiplier("compute_6ND"), 1.0);
    }

    fn table(cols: &[&str], rows: &[&[&str]]) -> Table {
        let mut t = Table::new(cols.iter().map(|s| s.to_string()).collect());
        for (i, r) in rows.iter().enumerate() {
            t.push_row(r.iter().copied(), i as u64 + 2);
        }
        t
    }

    #[test]
    fn detects_common_headers() {
        let t = table(&["Model", "Model Size", "Training FLOP", "Loss", "MMLU"], &[]);
        let c = detect_columns(&t, &ColumnChoice::default()).expect("detect");
        assert_eq!(c.params.as_deref(), Some("Model Size"));
        assert_eq!(c.compute.as_deref(), Some("Training FLOP"));
        assert_eq!(c.tokens, None);
        assert_eq!(c.loss.as_deref(), Some("Loss"));
        assert_eq!(c.score.as_deref(), Some("MMLU"));
        assert_eq!(c.name.as_deref(), Some("Model"));
        let t = table(&["N", "D", "loss"], &[]);
        let c = detect_columns(&t, &ColumnChoice::default()).expect("detect");
        assert_eq!((c.params.as_deref(), c.tokens.as_deref()), (Some("N"), Some("D")));
        let choice = ColumnChoice { params: Some("d".into()), ..Default::default() };
        let c = detect_columns(&t, &choice).expect("override");
        assert_eq!(c.params.as_deref(), Some("D"));
        let bad = ColumnChoice { loss: Some("nope".into()), ..Default::default() };
        let err = detect_columns(&t, &bad).expect_err("missing column");
        assert!(err.to_string().contains("nope"));
    }

    #[test]
    fn derives_third_and_skips_bad_rows_with_location() {
        let t = table(
            &["name", "params", "FLOPs", "loss"],
            &[
                &["a", "1B", "6e19", "3.0"],
                &["b", "-2B", "6e19", "3.0"],
                &["c", "2B", "", "2.9"],
                &["d", "2B", "1.2e20", "NaN"],
            ],
        );
        let data = extract(&t, &ColumnChoice::default()).expect("extract");
        assert_eq!(data.rows.len(), 2);
        assert_eq!(data.rows[0].tokens, Some(1e10));
        assert_eq!(data.rows[0].derived, Derived::Tokens);
        assert_eq!(data.off_compute, vec!["c".to_string()]);
        let neg = data.warnings.iter().find(|w| w.field.as_deref() == Some("params")).expect("w");
        assert_eq!(neg.line, Some(3));
        assert!(neg.message.contains("-2B"));
        let nan = data.warnings.iter().find(|w| w.field.as_deref() == Some("loss")).expect("w");
        assert_eq!(nan.line, Some(5));
    }
}
