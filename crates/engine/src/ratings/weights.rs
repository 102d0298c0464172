//! Per-battle weights (`--weights COLUMN`, the page's Weights select): arena-rank's `weights`,
//! e.g. inverse-propensity weights. A weight is one of the log's numeric side columns
//! ([`crate::battles::NumericColumn`]), chosen after loading. A battle with no usable weight
//! (missing, not a number, negative, infinite) is skipped and counted in the warnings, and one of
//! weight 0 carries nothing, so it is left out like a filtered battle. How each method uses the
//! weights is said where it does: [`super::aggregate`] (likelihoods, tallies, bootstrap),
//! [`super::sandwich`], [`super::elo`] (K·w per update) and [`super::style_model`].

use crate::battles::{is_valid_weight, Battles};
use crate::wording::counted;

use super::RatingsError;

/// The weight column of a log, the selection without the battles it cannot weigh, and what
/// was set aside, in words.
pub(crate) fn apply<'b>(
    battles: &'b Battles,
    column: &str,
    selection: &mut Vec<u32>,
    warnings: &mut Vec<String>,
) -> Result<&'b [f64], RatingsError> {
    let Some(c) = battles.numeric.iter().find(|c| c.name == column) else {
        let known: Vec<&str> = battles.numeric.iter().map(|c| c.name.as_str()).collect();
        return Err(RatingsError::Weights(format!(
            "the battle log has no numeric column `{column}` ({})",
            if known.is_empty() {
                "it has no numeric column beyond the battle fields".to_owned()
            } else {
                format!("numeric columns: {}", known.join(", "))
            }
        )));
    };
    let values = c.values.as_slice();
    let (mut invalid, mut zero) = (0u64, 0u64);
    selection.retain(|&i| match values.get(i as usize) {
        Some(&w) if is_valid_weight(w) && w > 0.0 => true,
        Some(&w) if is_valid_weight(w) => {
            zero += 1;
            false
        }
        _ => {
            invalid += 1;
            false
        }
    });
    if invalid > 0 {
        let first =
            c.first_invalid.as_ref().map(|f| format!(" (first at {f})")).unwrap_or_default();
        warnings.push(format!(
            "{} skipped: weight column `{column}` missing, not a number or negative{first}",
            counted(invalid, "row", "rows")
        ));
    }
    if zero > 0 {
        warnings.push(format!(
            "{} of weight 0 left out (they carry nothing)",
            counted(zero, "battle", "battles")
        ));
    }
    if selection.is_empty() {
        return Err(RatingsError::Weights(format!(
            "no battle has a usable weight in column `{column}`{}",
            c.first_invalid
                .as_ref()
                .map(|f| format!(" (first problem at {f})"))
                .unwrap_or_default()
        )));
    }
    Ok(values)
}
