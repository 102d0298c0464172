//! A published AlpacaEval leaderboard (alpaca_eval's `leaderboards/…/*_leaderboard.csv`) lined
//! up with the models we computed, so each of our numbers can sit next to the published one.
//!
//! Models are matched by name, then by their aliases (the file or folder name, or the original
//! `generator_2`), because alpaca_eval names leaderboard rows after the `results/<model>` folder
//! while some annotation files carry another `generator_2` (NullModel's say `example`).

use serde::{Deserialize, Serialize};

use crate::table::Table;

/// A difference of at most this (percentage points, or characters for lengths) is a match:
/// the published CSV prints full precision, so real matches differ by ~1e-13.
pub const MATCH_TOLERANCE: f64 = 0.005;

/// A published AlpacaEval leaderboard, reduced to the models we computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Published {
    /// File it came from.
    pub source: String,
    pub rows: Vec<PublishedRow>,
}

/// Published numbers of one model (percent, like ours); `None` when the column is absent/empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedRow {
    /// Our name of the model.
    pub model: String,
    /// The row's name in the published table when it differs from ours (matched by alias).
    #[serde(default)]
    pub published_name: Option<String>,
    pub win_rate: Option<f64>,
    pub standard_error: Option<f64>,
    pub discrete_win_rate: Option<f64>,
    pub lc_win_rate: Option<f64>,
    pub lc_standard_error: Option<f64>,
    pub avg_length: Option<f64>,
}

/// The published rows of `models` (with their `aliases`, same order; may be shorter) in a
/// leaderboard table; `None` when it is not an AlpacaEval leaderboard or names none of them.
pub fn published_rows(
    source: &str,
    t: &Table,
    models: &[String],
    aliases: &[Vec<String>],
) -> Option<Published> {
    let col = |name: &str| t.column_index(name);
    let win = col("win_rate")?;
    let lc = col("length_controlled_winrate").or_else(|| col("lc_win_rate"));
    lc?;
    // The model name: a `name`/`model` column, else the (often unnamed) first column.
    let name_col = col("name").or_else(|| col("model")).or_else(|| col("")).unwrap_or(0);
    let number = |r: usize, c: Option<usize>| {
        c.and_then(|c| t.cell(r, c).trim().parse::<f64>().ok()).filter(|v| v.is_finite())
    };
    let row_of = |name: &str| (0..t.n_rows()).find(|&r| t.cell(r, name_col).trim() == name);
    let mut rows = Vec::new();
    for (i, model) in models.iter().enumerate() {
        let by_alias =
            || aliases.get(i)?.iter().find_map(|a| row_of(a).map(|r| (r, Some(a.clone()))));
        let Some((r, published_name)) = row_of(model).map(|r| (r, None)).or_else(by_alias) else {
            continue;
        };
        rows.push(PublishedRow {
            model: model.clone(),
            published_name,
            win_rate: number(r, Some(win)),
            standard_error: number(r, col("standard_error")),
            discrete_win_rate: number(r, col("discrete_win_rate")),
            lc_win_rate: number(r, lc),
            lc_standard_error: number(r, col("lc_standard_error")),
            avg_length: number(r, col("avg_length")),
        });
    }
    (!rows.is_empty()).then(|| Published { source: source.to_owned(), rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[[&str; 3]]) -> Table {
        let mut t =
            Table::new(vec!["".into(), "win_rate".into(), "length_controlled_winrate".into()]);
        for (i, r) in rows.iter().enumerate() {
            t.push_row(r.iter().copied(), i as u64 + 2);
        }
        t
    }

    #[test]
    fn models_meet_their_rows_by_name_then_alias() {
        let t = table(&[["NullModel", "76.9", "86.4"], ["claude-2.1", "15.7", "25.2"]]);
        let models = vec!["claude-2.1".to_owned(), "example".to_owned(), "mine".to_owned()];
        let aliases = vec![vec![], vec!["NullModel".to_owned()], vec!["run3".to_owned()]];
        let p = published_rows("lb.csv", &t, &models, &aliases).expect("rows");
        assert_eq!(p.rows.len(), 2);
        assert_eq!(
            (p.rows[0].model.as_str(), p.rows[0].published_name.as_deref()),
            ("claude-2.1", None)
        );
        assert_eq!(p.rows[1].model, "example");
        assert_eq!(p.rows[1].published_name.as_deref(), Some("NullModel"));
        assert_eq!(p.rows[1].lc_win_rate, Some(86.4));
    }

    #[test]
    fn a_table_without_win_rates_is_not_a_leaderboard() {
        let t = Table::new(vec!["model".into(), "score".into()]);
        assert_eq!(published_rows("x.csv", &t, &["m".into()], &[]), None);
    }
}
