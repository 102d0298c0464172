//! References that point outside the item or at its own option list: parse bleed (option labels
//! such as "(A)" or "(E)" leaked into the text when options were split), dangling references
//! ("question 15", "the figure above" with no figure), and options that refer to other options
//! ("all of the above", "A and B"), which break when options are shuffled or rendered alone.

use super::{flag, letter, span, whole_option};
use crate::defects::items::Item;
use crate::defects::{CheckId, Field, Flag};

/// A word's byte range and its lowercase form (borrowed when already lowercase).
pub(super) type Word<'a> = (usize, usize, std::borrow::Cow<'a, str>);

/// Lowercased words with their byte ranges.
pub(super) fn words(text: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        let is_word = c.is_alphanumeric() || c == '\'';
        match (is_word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let w = &text[s..i];
                let lower = if w.chars().any(char::is_uppercase) {
                    std::borrow::Cow::Owned(w.to_lowercase())
                } else {
                    std::borrow::Cow::Borrowed(w)
                };
                out.push((s, i, lower));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Whether a lowercased question word could start a dangling reference (the prefilter run once
/// per item by [`super::run`]).
pub(super) fn dangling_hint(w: &[u8]) -> bool {
    matches!(
        w,
        b"question"
            | b"questions"
            | b"problem"
            | b"number"
            | b"above"
            | b"below"
            | b"shown"
            | b"chapter"
            | b"chapter's"
    ) || VISUALS.iter().chain(&TEXTUALS).any(|v| v.as_bytes() == w)
}

pub(super) fn check(idx: usize, item: &Item, dangling_hinted: bool, out: &mut Vec<Flag>) {
    if let Some(f) = parse_bleed(idx, item) {
        out.push(f);
    }
    if let Some(f) = dangling_hinted.then(|| dangling(idx, item)).flatten() {
        out.push(f);
    }
    if let Some(f) = option_reference(idx, item) {
        out.push(f);
    }
}

/// Byte ranges of "(X)" labels with X an uppercase letter A–H ("(I)" is a Roman numeral as often
/// as a label, so it does not count).
fn labels(text: &str) -> Vec<(usize, usize, u8)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    for i in 0..b.len().saturating_sub(2) {
        if b[i] == b'(' && (b'A'..=b'H').contains(&b[i + 1]) && b[i + 2] == b')' {
            let before_ok = i == 0 || !b[i - 1].is_ascii_alphanumeric();
            let after_ok = b.get(i + 3).is_none_or(|c| c.is_ascii_whitespace());
            if before_ok && after_ok {
                out.push((i, i + 3, b[i + 1]));
            }
        }
    }
    out
}

fn parse_bleed(idx: usize, item: &Item) -> Option<Flag> {
    let mut evidence = Vec::new();
    let mut first = None;
    for (i, o) in item.options.iter().enumerate() {
        let ls = labels(o);
        // A label at the very start of an option ("(E) I, II, and III"); labels further in are
        // usually references to other options ("(A) and (C)"), the option_reference check's job.
        let reference = |end: usize| {
            let rest = o[end..].trim_start();
            letters_combined(&words(o), o)
                || rest.starts_with("and ")
                || rest.starts_with("or ")
                || rest.starts_with([',', '&'])
        };
        if let Some(&(s, e, l)) =
            ls.first().filter(|l| o[..l.0].trim().is_empty() && !reference(l.1))
        {
            first.get_or_insert((format!("option {}", letter(i)), l));
            evidence.push(span(o, Field::Option(i), s, e));
        }
    }
    let q = labels(&item.question);
    let distinct: std::collections::BTreeSet<u8> = q.iter().map(|l| l.2).collect();
    // An option list pasted into the question: (A) and (B) and (C). A lone "(E)" is too often an
    // allele or a variable to count.
    if distinct.len() >= 3 && distinct.contains(&b'A') && distinct.contains(&b'B') {
        for &(s, e, l) in &q {
            first.get_or_insert(("the question".to_owned(), l));
            evidence.push(span(&item.question, Field::Question, s, e));
        }
    }
    if let Some((place, l)) = first {
        evidence.sort();
        return Some(flag(
            idx,
            CheckId::ParseBleed,
            format!("option label \"({})\" inside {place}: options were split badly", l as char),
            evidence,
        ));
    }
    text_bleed(idx, item)
}

/// Question text that ended up in an option: one option repeats the question's opening, or one
/// lone option is a bracketed aside ("[ɣ = 1.569 x 10^8 T-1 s-1]") that belongs to the question.
fn text_bleed(idx: usize, item: &Item) -> Option<Flag> {
    let q = item.question.trim();
    let head: String = q.chars().take(40).collect();
    if head.chars().count() == 40 {
        if let Some(i) = item.options.iter().position(|o| o.trim_start().starts_with(&head)) {
            return Some(flag(
                idx,
                CheckId::ParseBleed,
                format!("option {} repeats the question: options were split badly", letter(i)),
                vec![whole_option(item, i)],
            ));
        }
    }
    let bracketed: Vec<usize> = (0..item.options.len())
        .filter(|&i| {
            let o = item.options[i].trim();
            // Givens are equations; answers in brackets are intervals or lists.
            o.starts_with('[') && o.ends_with(']') && o.contains('=')
        })
        .collect();
    if bracketed.len() == 1 && item.options.len() >= 3 {
        let i = bracketed[0];
        return Some(flag(
            idx,
            CheckId::ParseBleed,
            format!(
                "option {} is a bracketed aside {:?}: part of the question leaked into the options",
                letter(i),
                item.options[i].trim()
            ),
            vec![whole_option(item, i)],
        ));
    }
    None
}

const VISUALS: [&str; 11] = [
    "figure",
    "fig",
    "diagram",
    "graph",
    "image",
    "picture",
    "photo",
    "photograph",
    "map",
    "chart",
    "illustration",
];
const TEXTUALS: [&str; 5] = ["table", "passage", "excerpt", "graphic", "exhibit"];

fn dangling(idx: usize, item: &Item) -> Option<Flag> {
    let q = &item.question;
    let w = words(q);
    for (k, (s, e, word)) in w.iter().enumerate() {
        let next = w.get(k + 1).map(|x| x.2.as_ref());
        let prev = k.checked_sub(1).map(|p| w[p].2.as_ref());
        let prev2 = k.checked_sub(2).map(|p| w[p].2.as_ref());
        // "question 15", "questions 3-5", "problem 2" refer to a neighbouring item.
        let same_line_next = w.get(k + 1).is_some_and(|n| q[*e..n.0].bytes().all(|b| b == b' '));
        if matches!(word.as_ref(), "question" | "questions" | "problem")
            && same_line_next
            && next.is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
            && !matches!(prev, Some("this") | Some("the"))
        {
            let end = w[k + 1].1;
            return Some(flag(
                idx,
                CheckId::DanglingReference,
                format!("refers to another item: {:?}", &q[*s..end]),
                vec![span(q, Field::Question, *s, end)],
            ));
        }
        // "The basis for the answer in number 1 is": an answer to another item, by its number.
        if word == "number"
            && same_line_next
            && next.is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
            && matches!(prev, Some("in") | Some("to") | Some("for"))
            && matches!(prev2, Some("answer") | Some("answers"))
        {
            let (start, end) = (w[k - 2].0, w[k + 1].1);
            return Some(flag(
                idx,
                CheckId::DanglingReference,
                format!("refers to another item: {:?}", &q[start..end]),
                vec![span(q, Field::Question, start, end)],
            ));
        }
        // "In this chapter's Senior View…": material from the textbook the item came from.
        if matches!(word.as_ref(), "chapter" | "chapter's")
            && matches!(prev, Some("this") | Some("our"))
            && !next.is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
        {
            let start = w[k - 1].0;
            return Some(flag(
                idx,
                CheckId::DanglingReference,
                format!("refers to the source textbook: {:?}", &q[start..*e]),
                vec![span(q, Field::Question, start, *e)],
            ));
        }
        let visual = VISUALS.contains(&word.as_ref());
        let textual = TEXTUALS.contains(&word.as_ref());
        if !visual && !textual {
            continue;
        }
        let prev3 = k.checked_sub(3).map(|p| w[p].2.as_ref());
        let after = matches!(next, Some("above") | Some("below"));
        // "shown in the figure", "findings in the photograph", "see the map", "the accompanying
        // chart": phrasings that point at something printed next to the item.
        let lead = prev == Some("accompanying")
            || (prev == Some("following") && next != Some("of"))
            || (prev == Some("the") && matches!(prev2, Some("see")))
            || (prev == Some("the")
                && prev2 == Some("in")
                && matches!(
                    prev3,
                    Some("shown")
                        | Some("depicted")
                        | Some("illustrated")
                        | Some("pictured")
                        | Some("findings")
                        | Some("presented")
                        | Some("displayed")
                ))
            || (prev == Some("the") && prev2 == Some("to") && prev3 == Some("refer"));
        let fires = if visual {
            after || lead
        } else {
            // A table or passage "above" needs text above it.
            (next == Some("above") || prev == Some("above")) && *s < 40
        };
        if fires {
            let start = if lead { w[k.saturating_sub(1)].0 } else { *s };
            let end = if after { w[k + 1].1 } else { *e };
            return Some(flag(
                idx,
                CheckId::DanglingReference,
                format!("refers to a {word} the item does not contain: {:?}", &q[start..end]),
                vec![span(q, Field::Question, start, end)],
            ));
        }
    }
    None
}

fn option_reference(idx: usize, item: &Item) -> Option<Flag> {
    for (i, o) in item.options.iter().enumerate() {
        if !o.contains(" ") {
            continue;
        }
        let lower = o.to_ascii_lowercase();
        let joins = o.len() < 80
            && (lower.contains(" and ") || lower.contains(" or ") || lower.contains(" nor "));
        let of = lower.contains(" of ");
        let refers = (of && lower.contains("of the above"))
            || (of
                && lower.contains(" of these")
                && ["all", "none", "both", "neither", "combination", "each"]
                    .iter()
                    .any(|w| lower.contains(&format!("{w} of these"))))
            || (of && (lower.contains("of the options") || lower.contains("of the choices")))
            || (joins && letters_combined(&words(o), o));
        if refers {
            return Some(flag(
                idx,
                CheckId::OptionReference,
                format!("option {} refers to other options: {:?}", letter(i), o.trim()),
                vec![whole_option(item, i)],
            ));
        }
    }
    None
}

/// "A and B", "Both A and C are correct", "neither (a) nor (b)": an option made only of option
/// letters and connectives. "Vitamin A or C" has other words and does not count.
fn letters_combined(w: &[Word<'_>], original: &str) -> bool {
    let mut letters = 0;
    let all = w.iter().all(|(s, e, lw)| {
        let is_letter = lw.len() == 1
            && (b'a'..=b'j').contains(&lw.as_bytes()[0])
            && (original[*s..*e].chars().all(|c| c.is_ascii_uppercase())
                || (original[..*s].ends_with('(') && original[*e..].starts_with(')')));
        letters += usize::from(is_letter);
        is_letter
            || matches!(
                lw.as_ref(),
                "and"
                    | "or"
                    | "nor"
                    | "both"
                    | "neither"
                    | "either"
                    | "only"
                    | "answers"
                    | "options"
                    | "choices"
                    | "are"
                    | "is"
                    | "correct"
                    | "true"
            )
    });
    all && letters >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(q: &str, opts: &[&str]) -> Item {
        crate::defects::checks::test_item(q, opts, Some(0))
    }

    fn ids(it: &Item) -> Vec<CheckId> {
        let mut out = Vec::new();
        let lower = it.question.to_ascii_lowercase();
        let hinted = crate::defects::text::any_word(&lower, |w, _| dangling_hint(w));
        check(0, it, hinted, &mut out);
        out.iter().map(|f| f.check).collect()
    }

    #[test]
    fn parse_bleed_fires_on_leaked_labels() {
        assert_eq!(
            ids(&item("Q", &["I only", "II only", "x", "(E) I, II, and III"])),
            [CheckId::ParseBleed]
        );
        assert_eq!(
            ids(&item("Pick: (A) red (B) blue (C) green", &["a", "b", "c", "d"])),
            [CheckId::ParseBleed]
        );
        assert!(ids(&item("Vitamin (A) levels in f(x)", &["a", "b (C)", "c", "d"])).is_empty());
        assert!(
            ids(&item("If the dominant allele (E) is absent", &["a", "b", "c", "d"])).is_empty()
        );
        let q = "Which intervals?\n(I) [1, 3)\n(II) (0, 1]";
        assert!(ids(&item(q, &["Only (II)", "(I) and (II)", "c", "d"])).is_empty());
        assert_eq!(
            ids(&item("GDP measures", &["x", "y", "z", "(A) and (C)"])),
            [CheckId::OptionReference]
        );
        assert_eq!(
            ids(&item(
                "What is the magnetic moment of 205Tl?",
                &["[ɣ = 1.569 x 108 T-1 s-1, I = ½]", "0.717", "1.434", "2.151"]
            )),
            [CheckId::ParseBleed]
        );
        assert!(ids(&item("Which interval?", &["[0, 1]", "[1, 2]", "[2, 3]", "[3, 4]"])).is_empty());
        assert!(ids(&item("Which interval?", &["(0, 1)", "[-1,1]", "(2, 3)", "(3, 4)"])).is_empty());
        let q =
            "An eager AP Biology student interested in osmosis took a dialysis bag. What happened?";
        assert_eq!(ids(&item(q, &[q, "b", "c", "d"])), [CheckId::ParseBleed]);
    }

    #[test]
    fn dangling_references() {
        assert_eq!(
            ids(&item("In the figure above, what is x?", &["1", "2", "3", "4"])),
            [CheckId::DanglingReference]
        );
        assert_eq!(
            ids(&item("Refer to question 15. Which?", &["1", "2", "3", "4"])),
            [CheckId::DanglingReference]
        );
        assert!(ids(&item("The graph of y = x^2 is a", &["line", "parabola", "circle", "dot"]))
            .is_empty());
        // MMLU high_school_microeconomics 219 (MMLU-Redux: bad_question_clarity).
        assert_eq!(
            ids(&item("The basis for the answer in number 1 is", &["a", "b", "c", "d"])),
            [CheckId::DanglingReference]
        );
        for ok in [
            "The answer is a number 1 more than x. Which?",
            "Add 3 to number 4. What is the answer in total?",
            "What is the answer in number theory to question ten?",
        ] {
            assert!(ids(&item(ok, &["a", "b", "c", "d"])).is_empty(), "{ok}");
        }
        assert!(ids(&item("What happens to the image formed by a mirror?", &["a", "b"])).is_empty());
        assert!(ids(&item(
            "Use the figures below.\n1848: x. Answer the questions.\n1848",
            &["a", "b"]
        ))
        .is_empty());
        assert_eq!(
            ids(&item(
                "Physical examination shows the findings in the photograph. Cause?",
                &["a", "b"]
            )),
            [CheckId::DanglingReference]
        );
        let long = format!("{} As the passage above shows, x.", "Word ".repeat(30));
        assert!(ids(&item(&long, &["1", "2", "3", "4"])).is_empty());
    }

    #[test]
    fn option_references() {
        assert_eq!(
            ids(&item("Q", &["a", "b", "c", "All of the above"])),
            [CheckId::OptionReference]
        );
        assert_eq!(ids(&item("Q", &["x", "y", "z", "A and B"])), [CheckId::OptionReference]);
        assert!(ids(&item("Q", &["a vector and a scalar", "I and II", "Vitamin A or C", "d"]))
            .is_empty());
        assert!(ids(&item("Q", &["a cloud of these particles burns up", "b", "c", "d"])).is_empty());
        assert_eq!(ids(&item("Q", &["a", "b", "c", "None of these"])), [CheckId::OptionReference]);
    }
}
