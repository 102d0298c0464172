//! The one entry point of the ratings analysis, called by the page's worker and by
//! `benchlens ratings` alike, so the two agree by construction. It turns loaded files into one
//! input (battle logs merged, pair-count tables summed), rates it, rates it again under a second
//! filter set when asked, and adds what the page draws beyond the leaderboard.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::battles::Battles;
use crate::dataset::{Dataset, DatasetKind, ParsedFile};
use crate::progress::{block_on, Ticker};

use super::compare::{line_up, ranks_by_language, Comparison, LanguageOverview};
use super::facets::{facets, BattleFacets};
use super::history::{monthly, MonthlyRatings};
use super::outcome::RatingsOutcome;
use super::published::{self, PublishedComparison, PublishedTable};
use super::RoundExecutor;
use super::{merge, pair_counts, rate_on, Aggregate, CiMethod, Method, RatingsError};
use super::{RatingsInput, RatingsResult, RatingsSettings};

/// A loaded file and the name messages call it by (the page's file name, the CLI's path).
#[derive(Debug, Clone, Copy)]
pub struct NamedFile<'a> {
    pub name: &'a str,
    pub parsed: &'a ParsedFile,
}

/// What to rate, and how.
#[derive(Debug, Clone, Copy)]
pub struct RatingsJob<'a> {
    /// Battle logs and pair-count tables, rated as one input.
    pub files: &'a [NamedFile<'a>],
    /// Published leaderboards to line the ratings up with.
    pub leaderboards: &'a [NamedFile<'a>],
    pub settings: &'a RatingsSettings,
    /// A second filter set (say, English only) to rate and line up with the first.
    pub compare_with: Option<&'a RatingsSettings>,
    /// What the page draws beyond the leaderboard. The CLI prints none of it and skips its cost.
    pub extras: Extras,
    /// Where likelihood bootstrap rounds can run besides here (the page's worker pool); None:
    /// all here. The numbers are the same either way.
    pub rounds: Option<&'a dyn RoundExecutor>,
}

/// What a run adds to the leaderboard for the page, by cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Extras {
    /// Nothing (the CLI).
    None,
    /// The filter facets: one pass over the log, what the controls offer. The page's first
    /// leaderboard carries only these, so it is not held up by the fits below.
    Facets,
    /// The facets, ranks per language and ratings per month: one more fit per language and per
    /// month (at 250 models these cost ten times the leaderboard's own fit).
    All,
}

/// True for a file rated as pair counts: a table of the kind the intake detected (or the page's
/// user chose), or one with every pair-count column under a spelling the detection does not
/// know (`a`, `b`, `tie`, …).
pub fn is_pair_counts(file: &ParsedFile) -> bool {
    file.table().is_some_and(|t| {
        file.summary.kind == DatasetKind::PairCounts || pair_counts::looks_like_pair_counts(t)
    })
}

/// [`run_async`] straight through, without progress.
pub fn run(job: RatingsJob<'_>) -> Result<RatingsOutcome, RatingsError> {
    block_on(run_async(job, &mut Ticker::silent()))
}

/// Runs the job; the bootstraps tell `ticker` how far they are and stop when it says so (the
/// comparison's as "comparison bootstrap").
pub async fn run_async(
    job: RatingsJob<'_>,
    ticker: &mut Ticker<'_>,
) -> Result<RatingsOutcome, RatingsError> {
    let Inputs { battles, counts, notes } = gather(job.files)?;
    let input = RatingsInput { battles: battles.as_deref(), pair_counts: counts.as_ref() };
    let s = job.settings;
    let mut result = rate_on(input, s, job.rounds, ticker).await?;
    let comparison = match job.compare_with {
        Some(other) => Some(compare_async(input, &result, other, job.rounds, ticker).await?),
        None => None,
    };
    result.warnings.splice(0..0, notes);
    let facets = match input.battles {
        Some(b) if job.extras != Extras::None => facets(b),
        _ => BattleFacets::default(),
    };
    let (languages, monthly) = match input.battles {
        Some(b) if job.extras == Extras::All => {
            (by_language(b, &facets, s), by_month(b, &facets, s))
        }
        _ => (None, Vec::new()),
    };
    let published = published_comparison(job.leaderboards, input, s, &result);
    Ok(RatingsOutcome { result, comparison, facets, languages, monthly, published })
}

/// One input from the files, and notes on how it was put together.
struct Inputs<'a> {
    battles: Option<Cow<'a, Battles>>,
    counts: Option<Aggregate>,
    notes: Vec<String>,
}

fn gather<'a>(files: &[NamedFile<'a>]) -> Result<Inputs<'a>, RatingsError> {
    let mut logs: Vec<&'a Battles> = Vec::new();
    let mut counts: Option<Aggregate> = None;
    let mut count_notes = Vec::new();
    for file in files {
        let in_file =
            |error| RatingsError::InFile { file: file.name.to_owned(), error: Box::new(error) };
        match &file.parsed.data {
            Dataset::Battles(b) => logs.push(b),
            Dataset::Table(t) if is_pair_counts(file.parsed) => {
                let (agg, warnings) = pair_counts::from_table(t).map_err(in_file)?;
                count_notes.extend(warnings.into_iter().map(|w| format!("{}: {w}", file.name)));
                counts = Some(match counts {
                    Some(earlier) => earlier.merged(&agg),
                    None => agg,
                });
            }
            Dataset::Table(_) => {
                return Err(RatingsError::NotRatable {
                    file: file.name.to_owned(),
                    detected: file.parsed.summary.kind_reason.clone(),
                })
            }
            Dataset::Empty => return Err(RatingsError::EmptyFile(file.name.to_owned())),
        }
    }
    let (battles, mut notes) = match logs.as_slice() {
        [] => (None, Vec::new()),
        [one] => (Some(Cow::Borrowed(*one)), Vec::new()),
        several => {
            let (merged, warnings) = merge::concat(several);
            (Some(Cow::Owned(merged)), warnings)
        }
    };
    if battles.is_none() && counts.is_none() {
        return Err(RatingsError::NoInput);
    }
    notes.extend(count_notes);
    Ok(Inputs { battles, counts, notes })
}

/// Rates the input under `other` too and lines the two runs up.
async fn compare_async(
    input: RatingsInput<'_>,
    first: &RatingsResult,
    other: &RatingsSettings,
    rounds: Option<&dyn RoundExecutor>,
    ticker: &mut Ticker<'_>,
) -> Result<Comparison, RatingsError> {
    // The second filter set's bootstrap, reported as such.
    let mut second = Ticker::new(|stage, done, total| {
        let stage = if stage == "bootstrap" { "comparison bootstrap" } else { stage };
        ticker.ask(stage, done, total)
    });
    let b = rate_on(input, other, rounds, &mut second).await?;
    Ok(line_up(first.clone(), b))
}

/// Intervals are not needed for ranks per language or month: those runs skip the bootstrap.
fn quick(s: &RatingsSettings) -> RatingsSettings {
    RatingsSettings { ci: CiMethod::None, style_control: false, ..s.clone() }
}

fn by_language(
    b: &Battles,
    facets: &BattleFacets,
    s: &RatingsSettings,
) -> Option<LanguageOverview> {
    if facets.languages.len() < 2 || s.legacy_l2 {
        return None;
    }
    ranks_by_language(b, &quick(s), &[], 100).ok()
}

fn by_month(b: &Battles, facets: &BattleFacets, s: &RatingsSettings) -> Vec<MonthlyRatings> {
    let spans_months = facets.date_range.is_some_and(|(lo, hi)| hi - lo > 40.0 * 86_400.0);
    if !spans_months || s.method != Method::Bt || s.legacy_l2 {
        return Vec::new();
    }
    monthly(b, &quick(s)).map(|(m, _)| m).unwrap_or_default()
}

fn published_comparison(
    leaderboards: &[NamedFile<'_>],
    input: RatingsInput<'_>,
    s: &RatingsSettings,
    result: &RatingsResult,
) -> Option<PublishedComparison> {
    let boards: Vec<PublishedTable<'_>> = leaderboards
        .iter()
        .filter_map(|f| f.parsed.table().map(|table| PublishedTable { name: f.name, table }))
        .collect();
    if boards.is_empty() {
        return None;
    }
    published::compare(input, s, result, &boards)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::{load_bytes, LoadOptions};

    fn load(name: &str, text: &str) -> ParsedFile {
        load_bytes(name, text.as_bytes(), &LoadOptions::default())
    }

    fn quick() -> RatingsSettings {
        RatingsSettings { ci: CiMethod::None, ..RatingsSettings::default() }
    }

    fn job<'a>(files: &'a [NamedFile<'a>], settings: &'a RatingsSettings) -> RatingsJob<'a> {
        RatingsJob {
            files,
            leaderboards: &[],
            settings,
            compare_with: None,
            extras: Extras::None,
            rounds: None,
        }
    }

    #[test]
    fn logs_and_pair_counts_are_rated_as_one_with_notes_first() {
        let log = load("log.csv", "model_a,model_b,winner\nx,y,model_a\ny,z,model_b\nz,x,tie\n");
        let counts = load(
            "counts.csv",
            "model_a,model_b,wins_a,wins_b,ties\nx,y,3,1,0\ny,x,1,1,1\nx,x,1,0,0\n",
        );
        assert!(is_pair_counts(&counts) && !is_pair_counts(&log));
        let files = [
            NamedFile { name: "log.csv", parsed: &log },
            NamedFile { name: "counts.csv", parsed: &counts },
        ];
        let s = quick();
        let outcome = run(RatingsJob { extras: Extras::All, ..job(&files, &s) }).expect("rates");
        assert_eq!(outcome.result.battles_used, 3 + 4 + 3);
        assert_eq!(
            outcome.result.warnings.first().map(String::as_str),
            Some("counts.csv: 1 row skipped: model_a equals model_b")
        );
        assert_eq!(outcome.facets.models, ["x", "y", "z"]);
        assert!(outcome.to_csv().starts_with("model,rating,lower,upper,rank_ub,battles\n"));
    }

    #[test]
    fn files_that_cannot_be_rated_are_named() {
        let scores = load("scores.csv", "model,score\nx,1\n");
        let files = [NamedFile { name: "scores.csv", parsed: &scores }];
        let s = quick();
        let err = run(job(&files, &s)).expect_err("not ratable").to_string();
        assert!(err.starts_with("scores.csv: neither a battle log"), "{err}");
        assert_eq!(run(job(&[], &s)).expect_err("no input"), RatingsError::NoInput);
    }

    #[test]
    fn a_comparison_lines_up_the_second_filter_set() {
        let log = load(
            "log.csv",
            "model_a,model_b,winner,language\nx,y,model_a,English\ny,z,model_a,German\nz,x,model_b,English\ny,x,tie,German\n",
        );
        let files = [NamedFile { name: "log.csv", parsed: &log }];
        // A weak prior: so few battles have no finite maximum-likelihood ratings.
        let s = RatingsSettings { prior_games: 1.0, ..quick() };
        let mut english = s.clone();
        english.filters.languages = vec!["English".into()];
        let outcome =
            run(RatingsJob { compare_with: Some(&english), ..job(&files, &s) }).expect("rates");
        let comparison = outcome.comparison.as_ref().expect("compared");
        assert_eq!(comparison.b.battles_used, 2);
        let csv = outcome.to_csv();
        assert!(
            csv.contains("\n\nmodel,rank_all,rank_subset,delta_rank,rating_all,rating_subset\n"),
            "{csv}"
        );
    }
}
