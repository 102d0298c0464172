//! Which battles an analysis uses. The leaderboard's filter widgets and `--filter KEY=VALUE` both
//! end up here, so a subset on screen and on the command line is the same subset.

use serde::{Deserialize, Serialize};

use crate::battles::{Battles, Outcome, SelfBattle};

use super::dates;
use super::error::RatingsError;

/// Battle filters; every field's default keeps everything.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Filters {
    /// Keep battles in any of these languages (empty: all).
    pub languages: Vec<String>,
    /// Keep only anonymous (true) or only named (false) battles.
    pub anony: Option<bool>,
    /// Inclusive turn range.
    pub turn_min: Option<u32>,
    pub turn_max: Option<u32>,
    /// Keep battles with `tstamp >= date_from` (Unix seconds).
    pub date_from: Option<f64>,
    /// Keep battles with `tstamp < date_to` (Unix seconds).
    pub date_to: Option<f64>,
    /// Keep battles judged by any of these (empty: all).
    pub judges: Vec<String>,
    /// Keep battles tagged with any of these categories (empty: all).
    pub categories: Vec<String>,
    /// Keep only battles whose `dedup_tag.sampled` is true (FastChat's `--dedup` view: drops
    /// the over-represented repeated prompts).
    pub dedup_sampled: bool,
    /// Keep only battles between two of these models (empty: all).
    pub include_models: Vec<String>,
    /// Drop battles involving any of these models.
    pub exclude_models: Vec<String>,
    /// Drop models with fewer battles than this (after the other filters), with their battles.
    pub min_votes: u64,
    /// Drop tied battles entirely (they count for nothing, not even battle totals).
    pub exclude_ties: bool,
}

impl Filters {
    /// True when a filter that only a battle log can answer is set.
    pub fn needs_battle_log(&self) -> Option<&'static str> {
        if !self.languages.is_empty() {
            Some("language")
        } else if self.anony.is_some() {
            Some("anony")
        } else if self.turn_min.is_some() || self.turn_max.is_some() {
            Some("turn")
        } else if self.date_from.is_some() || self.date_to.is_some() {
            Some("date")
        } else if !self.judges.is_empty() {
            Some("judge")
        } else if !self.categories.is_empty() {
            Some("category")
        } else if self.dedup_sampled {
            Some("dedup")
        } else {
            None
        }
    }

    /// These filters narrowed by `extra`, for a comparison subset ("the same battles, English
    /// only"): every filter `extra` sets replaces this one's (lists, ranges, flags), excluded
    /// models add up, and the stricter `min_votes` wins.
    pub fn narrowed_by(&self, extra: &Filters) -> Filters {
        let mut f = self.clone();
        let replace = |mine: &mut Vec<String>, theirs: &Vec<String>| {
            if !theirs.is_empty() {
                mine.clone_from(theirs);
            }
        };
        replace(&mut f.languages, &extra.languages);
        replace(&mut f.judges, &extra.judges);
        replace(&mut f.categories, &extra.categories);
        replace(&mut f.include_models, &extra.include_models);
        f.exclude_models.extend(extra.exclude_models.iter().cloned());
        f.anony = extra.anony.or(f.anony);
        if extra.turn_min.is_some() || extra.turn_max.is_some() {
            (f.turn_min, f.turn_max) = (extra.turn_min, extra.turn_max);
        }
        if extra.date_from.is_some() || extra.date_to.is_some() {
            (f.date_from, f.date_to) = (extra.date_from, extra.date_to);
        }
        f.dedup_sampled |= extra.dedup_sampled;
        f.exclude_ties |= extra.exclude_ties;
        f.min_votes = f.min_votes.max(extra.min_votes);
        f
    }

    /// Parses one `KEY=VALUE` filter (the CLI's `--filter`), adding it to these filters.
    pub fn add(&mut self, spec: &str) -> Result<(), RatingsError> {
        let bad =
            |why: &str| RatingsError::BadFilter { spec: spec.to_owned(), why: why.to_owned() };
        let (key, value) = spec.split_once('=').ok_or_else(|| bad("expected KEY=VALUE"))?;
        let value = value.trim();
        let flag = |v: &str| match v.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Ok(true),
            "false" | "0" | "no" => Ok(false),
            _ => Err(bad("expected true or false")),
        };
        let list = |v: &str| -> Vec<String> {
            v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
        };
        match key.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "language" | "lang" => self.languages.extend(list(value)),
            "anony" => self.anony = Some(flag(value)?),
            "turn" => {
                let (lo, hi) = parse_range(value, |s| s.parse::<u32>().ok())
                    .ok_or_else(|| bad("expected N, MIN..MAX, MIN.. or ..MAX"))?;
                self.turn_min = lo;
                self.turn_max = hi;
            }
            "date" => {
                let (lo, hi) = parse_range(value, dates::parse_date)
                    .ok_or_else(|| bad("expected YYYY-MM-DD or FROM..TO (either side optional)"))?;
                self.date_from = lo;
                // The end date is inclusive: keep its whole day.
                self.date_to = hi.map(|t| t + 86_400.0);
            }
            "judge" => self.judges.extend(list(value)),
            "category" => self.categories.extend(list(value)),
            "dedup" => {
                self.dedup_sampled = match value.to_ascii_lowercase().as_str() {
                    "sampled" => true,
                    other => flag(other)?,
                }
            }
            "model" | "include_model" => self.include_models.extend(list(value)),
            "exclude_model" => self.exclude_models.extend(list(value)),
            "min_votes" => {
                self.min_votes = value.parse().map_err(|_| bad("expected a whole number"))?
            }
            "exclude_ties" => self.exclude_ties = flag(value)?,
            _ => return Err(bad("unknown key; see `benchlens ratings --help` for the list")),
        }
        Ok(())
    }
}

/// `N`, `MIN..MAX`, `MIN..` or `..MAX`.
fn parse_range<T: Copy>(
    text: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<(Option<T>, Option<T>)> {
    match text.split_once("..") {
        None => {
            let v = parse(text)?;
            Some((Some(v), Some(v)))
        }
        Some((lo, hi)) => {
            let lo = if lo.trim().is_empty() { None } else { Some(parse(lo.trim())?) };
            let hi = if hi.trim().is_empty() { None } else { Some(parse(hi.trim())?) };
            Some((lo, hi))
        }
    }
}

/// What the filters kept and why the rest went.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FilterReport {
    pub total: u64,
    pub kept: u64,
    /// (filter name, battles it removed), in the order the filters run; zero counts omitted.
    pub removed_by: Vec<(String, u64)>,
    /// Models dropped by `min_votes`, sorted.
    pub below_min_votes: Vec<String>,
}

/// Ids of the names in `wanted` that exist in `names`, with a warning for each that does not.
fn resolve(
    what: &str,
    wanted: &[String],
    names: &[String],
    warnings: &mut Vec<String>,
) -> Option<Vec<bool>> {
    if wanted.is_empty() {
        return None;
    }
    let mut mask = vec![false; names.len()];
    for w in wanted {
        match names.iter().position(|n| n == w) {
            Some(i) => mask[i] = true,
            None => warnings.push(format!("{what} `{w}` does not occur in the data")),
        }
    }
    Some(mask)
}

/// Indices of the battles that pass every filter except `min_votes` (which needs the
/// aggregate). Warnings name filter values that match nothing.
pub fn select(
    battles: &Battles,
    f: &Filters,
    warnings: &mut Vec<String>,
) -> (Vec<u32>, FilterReport) {
    let languages = resolve("language", &f.languages, &battles.languages, warnings);
    let judges = resolve("judge", &f.judges, &battles.judges, warnings);
    let include = resolve("model", &f.include_models, &battles.models, warnings);
    let exclude = resolve("excluded model", &f.exclude_models, &battles.models, warnings);
    let mut category_bits = 0u64;
    for c in &f.categories {
        match battles.categories.iter().position(|x| x == c) {
            Some(i) => category_bits |= 1 << i,
            None => warnings.push(format!("category `{c}` does not occur in the data")),
        }
    }
    const NAMES: [&str; 9] = [
        "language",
        "anony",
        "turn",
        "date",
        "judge",
        "category",
        "dedup",
        "models",
        "exclude_ties",
    ];
    let mut removed = [0u64; 9];
    let mut kept = Vec::with_capacity(battles.len());
    for i in 0..battles.len() {
        let failing = if languages.as_ref().is_some_and(|m| !m[battles.language[i] as usize]) {
            Some(0)
        } else if f.anony.is_some_and(|want| battles.anony[i] != Some(want)) {
            Some(1)
        } else if f.turn_min.is_some_and(|lo| battles.turn[i] < lo)
            || f.turn_max.is_some_and(|hi| battles.turn[i] > hi)
        {
            Some(2)
        } else if f
            .date_from
            .is_some_and(|lo| battles.tstamp[i].partial_cmp(&lo).is_none_or(|o| o.is_lt()))
            || f.date_to
                .is_some_and(|hi| battles.tstamp[i].partial_cmp(&hi).is_none_or(|o| o.is_ge()))
        {
            Some(3)
        } else if judges.as_ref().is_some_and(|m| !m[battles.judge[i] as usize]) {
            Some(4)
        } else if !f.categories.is_empty() && battles.category_bits[i] & category_bits == 0 {
            Some(5)
        } else if f.dedup_sampled && battles.dedup_sampled[i] != Some(true) {
            Some(6)
        } else if include
            .as_ref()
            .is_some_and(|m| !m[battles.model_a[i] as usize] || !m[battles.model_b[i] as usize])
            || exclude
                .as_ref()
                .is_some_and(|m| m[battles.model_a[i] as usize] || m[battles.model_b[i] as usize])
        {
            Some(7)
        } else if f.exclude_ties && matches!(battles.outcome[i], Outcome::Tie | Outcome::TieBothBad)
        {
            Some(8)
        } else {
            None
        };
        match failing {
            Some(k) => removed[k] += 1,
            None => kept.push(i as u32),
        }
    }
    let report = FilterReport {
        total: battles.len() as u64,
        kept: kept.len() as u64,
        removed_by: NAMES
            .iter()
            .zip(removed)
            .filter(|(_, n)| *n > 0)
            .map(|(k, n)| ((*k).to_owned(), n))
            .collect(),
        below_min_votes: Vec::new(),
    };
    (kept, report)
}

/// The set-aside self-battles (see [`SelfBattle`]) that pass the filters. Filters on fields a
/// self-battle does not keep (category, dedup) exclude them all.
pub fn select_self<'a>(battles: &'a Battles, f: &Filters) -> Vec<&'a SelfBattle> {
    if !f.categories.is_empty() || f.dedup_sampled {
        return Vec::new();
    }
    let listed = |list: &[String], v: &str| list.is_empty() || list.iter().any(|x| x == v);
    battles
        .self_battle_rows
        .iter()
        .filter(|b| {
            listed(&f.languages, &b.language)
                && listed(&f.judges, &b.judge)
                && listed(&f.include_models, &b.model)
                && !f.exclude_models.contains(&b.model)
                && f.anony.is_none_or(|want| b.anony == Some(want))
                && f.turn_min.is_none_or(|lo| b.turn >= lo)
                && f.turn_max.is_none_or(|hi| b.turn <= hi)
                && f.date_from.is_none_or(|lo| b.tstamp >= lo)
                && f.date_to.is_none_or(|hi| b.tstamp < hi)
                && !(f.exclude_ties && matches!(b.outcome, Outcome::Tie | Outcome::TieBothBad))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_filter_specs() {
        let mut f = Filters::default();
        f.add("language=English,German").expect("ok");
        f.add("anony=true").expect("ok");
        f.add("turn=2..").expect("ok");
        f.add("date=2024-01-01..2024-01-31").expect("ok");
        f.add("dedup=sampled").expect("ok");
        f.add("min-votes=30").expect("ok");
        assert_eq!(f.languages, vec!["English".to_string(), "German".to_string()]);
        assert_eq!(f.anony, Some(true));
        assert_eq!((f.turn_min, f.turn_max), (Some(2), None));
        assert_eq!(f.date_from, Some(1_704_067_200.0));
        assert_eq!(f.date_to, Some(1_706_745_600.0));
        assert!(f.dedup_sampled);
        assert_eq!(f.min_votes, 30);
        assert!(f.add("colour=red").is_err());
        assert!(f.add("anony=maybe").is_err());
        assert!(f.add("turn=x..3").is_err());
    }

    #[test]
    fn a_subset_replaces_what_it_sets_and_keeps_the_rest() {
        let mut base = Filters::default();
        base.add("language=English,German").expect("ok");
        base.add("anony=true").expect("ok");
        base.add("exclude_model=x").expect("ok");
        base.add("min_votes=10").expect("ok");
        let mut extra = Filters::default();
        extra.add("language=German").expect("ok");
        extra.add("turn=1").expect("ok");
        extra.add("exclude_model=y").expect("ok");
        extra.add("min_votes=5").expect("ok");
        let f = base.narrowed_by(&extra);
        assert_eq!(f.languages, vec!["German".to_string()]);
        assert_eq!(f.anony, Some(true));
        assert_eq!((f.turn_min, f.turn_max), (Some(1), Some(1)));
        assert_eq!(f.exclude_models, vec!["x".to_string(), "y".to_string()]);
        assert_eq!(f.min_votes, 10);
        assert_eq!(base.narrowed_by(&Filters::default()), base);
    }
}
