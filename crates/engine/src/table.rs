//! A compact, column-named table of text cells: the generic dataset for every tabular kind that
//! is not a battle log (benchmark items, predictions, scaling tables, judge annotations).
//!
//! Cells live in one string buffer with end offsets, so a million-row CSV costs one allocation per
//! buffer growth rather than one per cell. Analyses read typed values out of it with their own
//! column mappings; the table itself never guesses types.

use serde::{Deserialize, Serialize};

/// Row-major text table. Every row has exactly `columns.len()` cells (short rows are padded with
/// empty cells by the loader, which records a warning).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Column names, in file order. Headerless files get `col1`, `col2`, ….
    pub columns: Vec<String>,
    text: String,
    cell_ends: Vec<u32>,
    /// 1-based physical line in the source file where each row starts (for error messages).
    row_lines: Vec<u64>,
}

impl Table {
    /// An empty table with the given columns.
    pub fn new(columns: Vec<String>) -> Self {
        Self { columns, ..Self::default() }
    }

    /// Number of data rows.
    pub fn n_rows(&self) -> usize {
        self.row_lines.len()
    }

    /// Number of columns.
    pub fn n_cols(&self) -> usize {
        self.columns.len()
    }

    /// Appends one row; missing trailing cells become empty, extra cells are dropped (the loader
    /// reports both). Returns false if the text buffer would overflow 4 GiB.
    pub fn push_row<'a, I: IntoIterator<Item = &'a str>>(&mut self, cells: I, line: u64) -> bool {
        let width = self.columns.len();
        let mut written = 0;
        for cell in cells.into_iter().take(width) {
            if self.text.len() + cell.len() > u32::MAX as usize {
                // Roll back the partial row so the table stays rectangular.
                let keep = self.cell_ends.len() - written;
                self.cell_ends.truncate(keep);
                self.text.truncate(self.cell_ends.last().map_or(0, |&e| e as usize));
                return false;
            }
            self.text.push_str(cell);
            self.cell_ends.push(self.text.len() as u32);
            written += 1;
        }
        while written < width {
            self.cell_ends.push(self.text.len() as u32);
            written += 1;
        }
        self.row_lines.push(line);
        true
    }

    /// The cell at (row, col), or "" when out of range.
    pub fn cell(&self, row: usize, col: usize) -> &str {
        let width = self.columns.len();
        if col >= width || row >= self.n_rows() {
            return "";
        }
        let idx = row * width + col;
        let start = if idx == 0 { 0 } else { self.cell_ends[idx - 1] as usize };
        let end = self.cell_ends[idx] as usize;
        self.text.get(start..end).unwrap_or("")
    }

    /// All cells of one row.
    pub fn row(&self, row: usize) -> impl Iterator<Item = &str> + '_ {
        (0..self.n_cols()).map(move |c| self.cell(row, c))
    }

    /// 1-based line in the source file where `row` starts.
    pub fn line_of(&self, row: usize) -> u64 {
        self.row_lines.get(row).copied().unwrap_or(0)
    }

    /// Index of the first column whose name matches `name` case-insensitively, ignoring
    /// surrounding whitespace.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        let want = name.trim();
        self.columns.iter().position(|c| c.trim().eq_ignore_ascii_case(want))
    }

    /// Bytes of cell text held (for memory accounting).
    pub fn text_bytes(&self) -> usize {
        self.text.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_short_rows_and_drops_extra_cells() {
        let mut t = Table::new(vec!["a".into(), "b".into()]);
        assert!(t.push_row(["1"], 2));
        assert!(t.push_row(["x", "y", "z"], 3));
        assert_eq!(t.n_rows(), 2);
        assert_eq!(t.cell(0, 0), "1");
        assert_eq!(t.cell(0, 1), "");
        assert_eq!(t.cell(1, 1), "y");
        assert_eq!(t.cell(5, 5), "");
        assert_eq!(t.line_of(1), 3);
        assert_eq!(t.column_index(" B "), Some(1));
    }
}
