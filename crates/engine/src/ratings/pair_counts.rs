//! Pre-aggregated pair counts (`model_a, model_b, wins_a, wins_b, ties`): what one SQL GROUP BY
//! produces where billions of votes live. They enter the same fits as battle logs, through
//! [`Aggregate`]; only filters on battle fields are unavailable.

use crate::table::Table;

use super::aggregate::{Aggregate, RowOutcome};
use super::error::RatingsError;

/// Accepted spellings of each column (case-insensitive).
const MODEL_A: [&str; 2] = ["model_a", "a"];
const MODEL_B: [&str; 2] = ["model_b", "b"];
const WINS_A: [&str; 3] = ["wins_a", "win_a", "a_wins"];
const WINS_B: [&str; 3] = ["wins_b", "win_b", "b_wins"];
const TIES: [&str; 2] = ["ties", "tie"];

fn column(table: &Table, names: &[&str]) -> Result<usize, RatingsError> {
    names
        .iter()
        .find_map(|n| table.column_index(n))
        .ok_or_else(|| RatingsError::PairCountsColumn(names[0].to_owned()))
}

/// True when the table has the pair-count columns.
pub fn looks_like_pair_counts(table: &Table) -> bool {
    [&MODEL_A[..], &MODEL_B, &WINS_A, &WINS_B, &TIES].iter().all(|n| column(table, n).is_ok())
}

/// Largest count accepted in one cell.
const MAX_COUNT: u64 = 1_000_000_000_000_000;

fn count(text: &str, line: u64, field: &str) -> Result<u64, RatingsError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(0);
    }
    let bad = |why: String| RatingsError::PairCounts { line, field: field.to_owned(), why };
    // SQL engines often print counts as 12.0.
    let value = match t.parse::<u64>() {
        Ok(v) => v,
        Err(_) => match t.parse::<f64>() {
            Ok(v) if v >= 0.0 && v.fract() == 0.0 && v < 9.0e15 => v as u64,
            _ => return Err(bad(format!("expected a non-negative whole number, found {t:?}"))),
        },
    };
    // Sums of counts must not overflow; no arena has held a quadrillion votes.
    if value > MAX_COUNT {
        return Err(bad(format!(
            "{value} is more battles than benchlens accepts per cell ({MAX_COUNT})"
        )));
    }
    Ok(value)
}

/// Reads a pair-count table. Rows naming the same model twice are skipped with a warning.
pub fn from_table(table: &Table) -> Result<(Aggregate, Vec<String>), RatingsError> {
    let (ca, cb) = (column(table, &MODEL_A)?, column(table, &MODEL_B)?);
    let (cwa, cwb, ct) = (column(table, &WINS_A)?, column(table, &WINS_B)?, column(table, &TIES)?);
    let mut items: Vec<(String, String, RowOutcome, u64)> = Vec::new();
    let mut self_pairs = 0u64;
    for row in 0..table.n_rows() {
        let line = table.line_of(row);
        let a = table.cell(row, ca).trim();
        let b = table.cell(row, cb).trim();
        for (name, field) in [(a, "model_a"), (b, "model_b")] {
            if name.is_empty() {
                return Err(RatingsError::PairCounts {
                    line,
                    field: field.into(),
                    why: "empty".into(),
                });
            }
        }
        if a == b {
            self_pairs += 1;
            continue;
        }
        let wa = count(table.cell(row, cwa), line, "wins_a")?;
        let wb = count(table.cell(row, cwb), line, "wins_b")?;
        let t = count(table.cell(row, ct), line, "ties")?;
        for (outcome, c) in [(RowOutcome::AWins, wa), (RowOutcome::BWins, wb), (RowOutcome::Tie, t)]
        {
            if c > 0 {
                items.push((a.to_owned(), b.to_owned(), outcome, c));
            }
        }
    }
    let mut warnings = Vec::new();
    if self_pairs > 0 {
        warnings.push(format!(
            "{} skipped: model_a equals model_b",
            crate::wording::counted(self_pairs, "row", "rows")
        ));
    }
    let agg =
        Aggregate::from_named(items.iter().map(|(a, b, o, c)| (a.as_str(), b.as_str(), *o, *c)));
    Ok((agg, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_counts_and_names_bad_cells() {
        let mut t = Table::new(vec![
            "model_a".into(),
            "model_b".into(),
            "wins_a".into(),
            "wins_b".into(),
            "ties".into(),
        ]);
        t.push_row(["x", "y", "3", "1.0", ""], 2);
        t.push_row(["y", "x", "2", "0", "4"], 3);
        let (agg, w) = from_table(&t).expect("valid");
        assert!(w.is_empty());
        let tally = agg.tallies();
        assert_eq!((tally[0].wins_a, tally[0].wins_b, tally[0].ties), (3.0, 3.0, 4.0));
        t.push_row(["x", "z", "-1", "0", "0"], 4);
        let err = from_table(&t).expect_err("negative count");
        assert!(err.to_string().contains("line 4") && err.to_string().contains("wins_a"), "{err}");
    }
}
