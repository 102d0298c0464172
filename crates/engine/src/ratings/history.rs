//! Ratings over time: Bradley–Terry refitted on all battles up to the end of each calendar month
//! (UTC), the "monthly BT" line next to the online Elo trajectory.

use crate::progress::{block_on, Ticker};
use serde::{Deserialize, Serialize};

use crate::battles::Battles;

use super::error::RatingsError;
use super::round_work::Resamples;
use super::settings::{CiMethod, RatingsSettings};
use super::{dates, rate_aggregate, select, Aggregate, RatingsInput};

/// Ratings fitted on every battle before the end of `month`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthlyRatings {
    /// `YYYY-MM`.
    pub month: String,
    /// Battles up to the end of the month.
    pub battles: u64,
    /// (model, rating), sorted by rating (highest first) then name.
    pub ratings: Vec<(String, f64)>,
}

/// Cumulative monthly Bradley–Terry fits (no intervals) under the given filters and tie rule.
/// Battles without a timestamp are left out (and counted in the warnings).
pub fn monthly(
    battles: &Battles,
    s: &RatingsSettings,
) -> Result<(Vec<MonthlyRatings>, Vec<String>), RatingsError> {
    let mut warnings = Vec::new();
    let input = RatingsInput { battles: Some(battles), pair_counts: None };
    let (selection, _) = select(input, s, &mut warnings)?;
    let mut timed: Vec<u32> =
        selection.iter().copied().filter(|&i| battles.tstamp[i as usize].is_finite()).collect();
    let untimed = selection.len() - timed.len();
    if untimed > 0 {
        warnings.push(format!(
            "{untimed} {} no tstamp and {} left out of the monthly ratings",
            crate::wording::plural(untimed as u64, "battle has", "battles have"),
            crate::wording::plural(untimed as u64, "is", "are")
        ));
    }
    timed.sort_by(|&x, &y| battles.tstamp[x as usize].total_cmp(&battles.tstamp[y as usize]));
    let settings = RatingsSettings { ci: CiMethod::None, style_control: false, ..s.clone() };
    let mut out = Vec::new();
    let mut end = 0usize;
    while end < timed.len() {
        let boundary = dates::next_month_start(battles.tstamp[timed[end] as usize]);
        while end < timed.len() && battles.tstamp[timed[end] as usize] < boundary {
            end += 1;
        }
        let month = dates::month_label(boundary - 1.0);
        let (agg, _) = Aggregate::from_battles(battles, &timed[..end], s.ties);
        let mut month_warnings = Vec::new();
        let mut silent = Ticker::silent();
        let fit = rate_aggregate(
            &agg,
            &settings,
            Resamples::Seeded(None),
            &[],
            &mut month_warnings,
            &mut silent,
        );
        match block_on(fit) {
            Ok(result) => {
                let mut ratings: Vec<(String, f64)> =
                    result.ratings.into_iter().map(|r| (r.model, r.rating)).collect();
                ratings.sort_by(|x, y| y.1.total_cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
                out.push(MonthlyRatings { month, battles: end as u64, ratings });
            }
            Err(e) => warnings.push(format!("{month}: {e}")),
        }
    }
    Ok((out, warnings))
}
