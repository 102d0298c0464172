//! Wording that ages or confuses: time-relative phrases with no year ("currently", "the latest"),
//! whose right answer changes as the world does; and fragment questions ("Demand reduction,")
//! that ask nothing, usually the tail of a lost list of statements.

use super::{flag, references::words, span};
use crate::defects::items::Item;
use crate::defects::{CheckId, Field, Flag};

/// Whether a lowercased question word (and the text after it) could start time-relative
/// wording (the prefilter run once per item by [`super::run`]).
pub(super) fn time_hint(w: &[u8], rest: &[u8]) -> bool {
    match w {
        b"currently" | b"nowadays" | b"presently" | b"today" | b"recently" | b"latest"
        | b"present" | b"current" | b"recent" | b"now" | b"year" => true,
        b"as" => rest.starts_with(b" of"),
        _ => false,
    }
}

pub(super) fn check(idx: usize, item: &Item, time_hinted: bool, out: &mut Vec<Flag>) {
    if let Some(f) = time_hinted.then(|| time_relative(idx, item)).flatten() {
        out.push(f);
    }
    if let Some(f) = fragment(idx, item) {
        out.push(f);
    }
}

const ONE_WORD: [&str; 5] = ["currently", "nowadays", "presently", "today", "recently"];
/// "the current" is left out: it is mostly electric current, "the current ratio" or a scenario's
/// own present ("the current owner").
const TWO_WORDS: [(&str, &str); 8] = [
    ("the", "latest"),
    ("at", "present"),
    ("this", "year"),
    ("as", "of"),
    ("in", "recent"),
    ("right", "now"),
    ("most", "recent"),
    ("last", "year"),
];
/// Questions longer than this are vignettes (law, medicine, accounting) whose "recently" and
/// "today" are the story's own time, not the reader's.
const VIGNETTE_WORDS: usize = 60;

fn has_year(text: &str) -> bool {
    words(text).iter().any(|(_, _, w)| {
        w.len() == 4 && w.parse::<u32>().is_ok_and(|y| (1000..=2100).contains(&y))
            || (w.len() == 5 && w.ends_with('s') && w[..4].parse::<u32>().is_ok())
    })
}

fn time_relative(idx: usize, item: &Item) -> Option<Flag> {
    let q = &item.question;
    let w = words(q);
    if w.len() > VIGNETTE_WORDS {
        return None;
    }
    let hit = w.iter().enumerate().find_map(|(k, (s, e, word))| {
        if ONE_WORD.contains(&word.as_ref()) {
            return Some((*s, *e));
        }
        let next = w.get(k + 1)?;
        // "as of" only counts when no date follows ("as of now").
        let pair = TWO_WORDS.iter().any(|&(a, b)| a == word && b == next.2)
            && !(word == "as" && w.get(k + 2).is_some_and(|n| n.2 != "now"));
        pair.then_some((*s, next.1))
    })?;
    if has_year(q) || item.options.iter().any(|o| has_year(o)) {
        return None;
    }
    Some(flag(
        idx,
        CheckId::TimeRelative,
        format!(
            "time-relative wording {:?} with no year: the answer may have changed",
            &q[hit.0..hit.1]
        ),
        vec![span(q, Field::Question, hit.0, hit.1)],
    ))
}

/// Words that ask a question wherever they stand; they also open one.
const QUESTION_WORDS: [&str; 9] =
    ["what", "which", "who", "whom", "whose", "when", "where", "why", "how"];

/// First words besides [`QUESTION_WORDS`] that make a text a question, an instruction, or a stem
/// the options complete ("According to Huemer," / "At a Nash equilibrium,").
const STARTERS: [&str; 63] = [
    "is",
    "are",
    "was",
    "were",
    "do",
    "does",
    "did",
    "can",
    "could",
    "should",
    "would",
    "will",
    "find",
    "compute",
    "calculate",
    "determine",
    "identify",
    "choose",
    "select",
    "evaluate",
    "simplify",
    "solve",
    "give",
    "name",
    "explain",
    "estimate",
    "complete",
    "let",
    "suppose",
    "consider",
    "statement",
    "write",
    "change",
    "use",
    "describe",
    "factor",
    "convert",
    "list",
    "express",
    "round",
    "state",
    "define",
    "according",
    "in",
    "at",
    "with",
    "for",
    "under",
    "unlike",
    "during",
    "after",
    "before",
    "if",
    "although",
    "as",
    "to",
    "on",
    "from",
    "by",
    "since",
    "compared",
    "like",
    "among",
];
/// Last words that leave a sentence to be completed by an option.
const CONTINUATIONS: [&str; 34] = [
    "the", "a", "an", "of", "to", "in", "is", "are", "was", "were", "be", "by", "for", "with",
    "as", "that", "than", "and", "or", "on", "at", "from", "its", "their", "his", "her", "has",
    "have", "had", "because", "into", "which", "will", "can",
];

/// Words besides [`QUESTION_WORDS`] that ask for something wherever they stand.
const ASKING: [&str; 8] =
    ["identify", "select", "choose", "determine", "following", "describes", "statement", "called"];
/// Imperatives that ask for something when they open a sentence.
const IMPERATIVES: [&str; 30] = [
    "find",
    "calculate",
    "compute",
    "write",
    "solve",
    "simplify",
    "estimate",
    "express",
    "name",
    "restate",
    "round",
    "use",
    "check",
    "explain",
    "evaluate",
    "complete",
    "describe",
    "give",
    "list",
    "state",
    "predict",
    "compare",
    "classify",
    "convert",
    "factor",
    "show",
    "prove",
    "suppose",
    "assume",
    "consider",
];

fn fragment(idx: usize, item: &Item) -> Option<Flag> {
    let q = item.question.trim();
    if q.is_empty() {
        return Some(flag(idx, CheckId::Fragment, "the question is empty".into(), Vec::new()));
    }
    if let Some(f) = no_instruction(idx, item) {
        return Some(f);
    }
    // Without end punctuation the text is a stem the options complete ("Ovaries and testes").
    if !q.ends_with(['.', ',', ';']) {
        return None;
    }
    if q.contains(['?', ':', '_', '\n']) || q.contains("...") || q.contains('…') {
        return None;
    }
    let w = words(q);
    if w.len() > 8 || w.is_empty() {
        return None;
    }
    if QUESTION_WORDS.contains(&w[0].2.as_ref())
        || STARTERS.contains(&w[0].2.as_ref())
        || CONTINUATIONS.contains(&w[w.len() - 1].2.as_ref())
    {
        return None;
    }
    // A sentence with a finite verb reads as a premise ("Dogs are mammals."); a fragment has none.
    let verbish = w.iter().any(|(_, _, x)| {
        matches!(
            x.as_ref(),
            "is" | "are" | "was" | "were" | "has" | "have" | "had" | "do" | "does" | "can" | "will"
        )
    });
    if verbish {
        return None;
    }
    Some(flag(
        idx,
        CheckId::Fragment,
        format!(
            "the question {q:?} asks nothing: no question, instruction or sentence to complete"
        ),
        vec![span(&item.question, Field::Question, 0, item.question.len())],
    ))
}

/// A passage of several sentences that never asks anything and does not end as a stem for the
/// options ("All things that are spoiled are inedible. Timothy is spoiled. So, Timothy is
/// inedible."): the instruction ("Select the fallacy…") was lost.
fn no_instruction(idx: usize, item: &Item) -> Option<Flag> {
    let q = item.question.trim();
    if !q.ends_with(['.', '!', '"', '\u{201d}'])
        || q.contains(['?', '_', ':', '|', '…'])
        || q.contains("...")
    {
        return None;
    }
    let w = words(q);
    let opens_sentence = |k: usize| k == 0 || q[..w[k].0].trim_end().ends_with(['.', '!']);
    let asks = w.iter().enumerate().any(|(k, (_, _, x))| {
        QUESTION_WORDS.contains(&x.as_ref())
            || ASKING.contains(&x.as_ref())
            || (IMPERATIVES.contains(&x.as_ref()) && opens_sentence(k))
    });
    if w.len() < 9 || asks {
        return None;
    }
    let sentences = q.matches(". ").count() + 1;
    if sentences < 2 {
        return None;
    }
    Some(flag(
        idx,
        CheckId::Fragment,
        "the question is a statement with no question or instruction: what to do with it was lost"
            .into(),
        vec![span(&item.question, Field::Question, 0, item.question.len())],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(q: &str) -> Item {
        crate::defects::checks::test_item(q, &["a", "b"], Some(0))
    }

    fn ids(q: &str) -> Vec<CheckId> {
        let mut out = Vec::new();
        let lower = q.to_ascii_lowercase();
        let hinted = crate::defects::text::any_word(&lower, time_hint);
        check(0, &item(q), hinted, &mut out);
        out.iter().map(|f| f.check).collect()
    }

    #[test]
    fn time_relative_needs_no_year() {
        assert_eq!(
            ids("Which country currently has the largest population?"),
            [CheckId::TimeRelative]
        );
        assert_eq!(ids("What is the latest version of the standard?"), [CheckId::TimeRelative]);
        assert!(ids("Which country currently (2019) has the largest population?").is_empty());
        assert!(ids("As of 2020, which country is largest?").is_empty());
        assert!(ids("What is the current through the 2-ohm resistor?").is_empty());
        let vignette = format!("{} A patient recently moved here. Diagnosis?", "Word ".repeat(60));
        assert!(ids(&vignette).is_empty());
    }

    #[test]
    fn fragments() {
        assert_eq!(ids("Demand reduction,"), [CheckId::Fragment]);
        assert_eq!(ids("The complexity of the theory."), [CheckId::Fragment]);
        assert!(ids("The primary function of the liver is").is_empty());
        assert!(ids("Find the degree of the extension.").is_empty());
        assert!(ids("Cells are the basic unit of life.").is_empty());
        assert!(ids("Which is largest?").is_empty());
        assert!(ids("Ovaries and testes").is_empty());
        assert_eq!(
            ids("All things that are spoiled are inedible. Timothy is spoiled. So, Timothy is inedible."),
            [CheckId::Fragment]
        );
        assert!(ids("A ball is dropped from rest. It falls for 2 s. Find the distance.").is_empty());
    }
}
