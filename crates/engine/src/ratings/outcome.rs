//! What one ratings run returns ([`super::run`]), and the reports it writes: the CSV and JSON of
//! `benchlens ratings`, so the terminal's report and the page's numbers come from one value.

use serde::{Deserialize, Serialize};

use super::compare::{Comparison, LanguageOverview};
use super::facets::BattleFacets;
use super::history::MonthlyRatings;
use super::published::PublishedComparison;
use super::results::RatingsResult;

/// A rating run and what the filter controls can offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingsOutcome {
    /// Its warnings start with the notes on the inputs (merged logs, pair-count rows skipped).
    pub result: RatingsResult,
    /// With `compare_with`: both runs lined up (`a` is `result` without the input notes).
    pub comparison: Option<Comparison>,
    /// Empty unless the job asked for extras.
    pub facets: BattleFacets,
    /// Each model's rank per language (when the log has several languages).
    #[serde(default)]
    pub languages: Option<LanguageOverview>,
    /// Cumulative Bradley–Terry at the end of each month (when the log spans several months).
    #[serde(default)]
    pub monthly: Vec<MonthlyRatings>,
    /// Our ratings against the loaded published leaderboard, when one names our models.
    #[serde(default)]
    pub published: Option<PublishedComparison>,
}

/// `to_json` without a comparison: the result's fields, plus `published` when there is one.
#[derive(Serialize)]
struct ResultJson<'a> {
    #[serde(flatten)]
    result: &'a RatingsResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<&'a PublishedComparison>,
}

fn number(x: f64) -> String {
    format!("{x:.4}")
}

fn coefficient(x: f64) -> String {
    format!("{x:.6}")
}

/// Rows under a header, as CSV text.
fn csv_table(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing into memory fails only if a row's length differs from the header's, and every
    // row here is built with the header's columns.
    let _ = w.write_record(header);
    for row in rows {
        let _ = w.write_record(&row);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

impl RatingsOutcome {
    /// The CSV report of `benchlens ratings`: the leaderboard (with `published,delta_published`
    /// when a leaderboard was compared), then, each after a blank line, the style coefficients
    /// (style control) and the Δ-rank table (with a comparison).
    pub fn to_csv(&self) -> String {
        let mut out = self.leaderboard_csv();
        if let Some(style) = &self.result.style {
            out.push('\n');
            let rows = style.coefficients.iter().map(|c| {
                vec![
                    c.feature.clone(),
                    coefficient(c.coefficient),
                    c.lower.map(coefficient).unwrap_or_default(),
                    c.upper.map(coefficient).unwrap_or_default(),
                ]
            });
            out.push_str(&csv_table(&["feature", "coefficient", "lower", "upper"], rows));
        }
        if let Some(comparison) = &self.comparison {
            out.push('\n');
            out.push_str(&delta_rank_csv(comparison));
        }
        if let Some(column) = &self.result.weights {
            // A last one-column table: the leaderboard's columns stay what they always were.
            out.push('\n');
            out.push_str(&csv_table(&["weights"], std::iter::once(vec![column.clone()])));
        }
        out
    }

    fn leaderboard_csv(&self) -> String {
        let published = self.published.as_ref();
        let rows = self.result.ratings.iter().map(|r| {
            let mut row = vec![
                r.model.clone(),
                number(r.rating),
                r.lower.map(number).unwrap_or_default(),
                r.upper.map(number).unwrap_or_default(),
                r.rank_ub.to_string(),
                r.battles.to_string(),
            ];
            if let Some(p) = published {
                let hit = p.rows.iter().find(|x| x.model == r.model);
                row.push(hit.map(|x| number(x.published)).unwrap_or_default());
                row.push(hit.map(|x| number(x.delta)).unwrap_or_default());
            }
            row
        });
        let mut header = vec!["model", "rating", "lower", "upper", "rank_ub", "battles"];
        if published.is_some() {
            header.extend(["published", "delta_published"]);
        }
        csv_table(&header, rows)
    }

    /// The JSON report of `benchlens ratings` (pretty-printed, no trailing newline): the
    /// comparison when there is one, else the result's fields plus `published`.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        match &self.comparison {
            Some(comparison) => serde_json::to_string_pretty(comparison),
            None => serde_json::to_string_pretty(&ResultJson {
                result: &self.result,
                published: self.published.as_ref(),
            }),
        }
    }
}

fn delta_rank_csv(comparison: &Comparison) -> String {
    let rank = |v: Option<u32>| v.map(|x| x.to_string()).unwrap_or_default();
    let rows = comparison.rows.iter().map(|r| {
        vec![
            r.model.clone(),
            rank(r.rank_a),
            rank(r.rank_b),
            r.delta_rank.map(|d| d.to_string()).unwrap_or_default(),
            r.rating_a.map(number).unwrap_or_default(),
            r.rating_b.map(number).unwrap_or_default(),
        ]
    });
    csv_table(
        &["model", "rank_all", "rank_subset", "delta_rank", "rating_all", "rating_subset"],
        rows,
    )
}
