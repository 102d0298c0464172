//! References that point outside the item or at its own option list: parse bleed (option labels
//! such as "(A)" or "(E)" leaked into the text when options were split), dangling references
//! ("question 15", "the figure above" with no figure), and options that refer to other options
//! ("all of the above", "A and B"), which break when options are shuffled or rendered alone.

use super::{flag, letter, span, whole_option};
use crate::defects::items::Item;
use crate::defects::{CheckId, Field, Flag};

/// Lowercased words with their byte ranges.
pub(super) fn words(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        let is_word = c.is_alphanumeric() || c == '\'';
        match (is_word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i, text[s..i].to_lowercase()));
                start = None;
            }
            _ => {}
        }
    }
    out
}

pub(super) fn check(idx: usize, item: &Item, out: &mut Vec<Flag>) {
    if let Some(f) = parse_bleed(idx, item) {
        out.push(f);
    }
    if let Some(f) = dangling(idx, item) {
        out.push(f);
    }
    if let Some(f) = option_reference(idx, item) {
        out.push(f);
    }
}

/// Byte ranges of "(X)" labels with X an uppercase letter A–J.
fn labels(text: &str) -> Vec<(usize, usize, u8)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    for i in 0..b.len().saturating_sub(2) {
        if b[i] == b'(' && (b'A'..=b'J').contains(&b[i + 1]) && b[i + 2] == b')' {
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
        // A label at the very start of an option, or two labels inside one.
        let leading = ls.first().filter(|l| o[..l.0].trim().is_empty());
        if leading.is_some() || ls.len() >= 2 {
            for &(s, e, l) in &ls {
                first.get_or_insert((format!("option {}", letter(i)), l));
                evidence.push(span(o, Field::Option(i), s, e));
            }
        }
    }
    let q = labels(&item.question);
    let distinct: std::collections::BTreeSet<u8> = q.iter().map(|l| l.2).collect();
    let beyond = q.iter().any(|l| usize::from(l.2 - b'A') >= item.options.len().max(4));
    // An option list pasted into the question: (A) and (B) and (C), or a label past the last option.
    if distinct.len() >= 3 && distinct.contains(&b'A') && distinct.contains(&b'B') || beyond {
        for &(s, e, l) in &q {
            first.get_or_insert(("the question".to_owned(), l));
            evidence.push(span(&item.question, Field::Question, s, e));
        }
    }
    let (place, l) = first?;
    evidence.sort();
    Some(flag(
        idx,
        CheckId::ParseBleed,
        format!("option label \"({})\" inside {place}: options were split badly", l as char),
        evidence,
    ))
}

const VISUALS: [&str; 14] = [
    "figure", "figures", "fig", "diagram", "diagrams", "graph", "image", "picture", "photo",
    "photograph", "map", "chart", "illustration", "cartoon",
];
const TEXTUALS: [&str; 5] = ["table", "passage", "excerpt", "graphic", "exhibit"];

fn dangling(idx: usize, item: &Item) -> Option<Flag> {
    let q = &item.question;
    let w = words(q);
    for (k, (s, e, word)) in w.iter().enumerate() {
        let next = w.get(k + 1).map(|x| x.2.as_str());
        let prev = k.checked_sub(1).map(|p| w[p].2.as_str());
        let prev2 = k.checked_sub(2).map(|p| w[p].2.as_str());
        // "question 15", "questions 3-5", "problem 2" refer to a neighbouring item.
        if matches!(word.as_str(), "question" | "questions" | "problem")
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
        let visual = VISUALS.contains(&word.as_str());
        let textual = TEXTUALS.contains(&word.as_str());
        if !visual && !textual {
            continue;
        }
        let after = matches!(next, Some("above") | Some("below") | Some("shown"));
        let lead = matches!(prev, Some("accompanying") | Some("following") | Some("above"))
            || (prev == Some("the")
                && matches!(
                    prev2,
                    Some("in") | Some("on") | Some("from") | Some("to") | Some("using") | Some("see")
                )
                && next != Some("of"));
        let fires = if visual {
            after || lead
        } else {
            // A table or passage "above" needs text above it.
            (next == Some("above") || prev == Some("above")) && *s < 40
        };
        if fires {
            let start = if lead && k >= 1 { w[k - 1].0 } else { *s };
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
        let lower = o.to_lowercase();
        let w = words(o);
        let refers = lower.contains("of the above")
            || lower.contains("of these")
            || lower.contains("of the options")
            || lower.contains("of the choices")
            || letters_combined(&w, o);
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
fn letters_combined(w: &[(usize, usize, String)], original: &str) -> bool {
    let mut letters = 0;
    let all = w.iter().all(|(s, e, lw)| {
        let is_letter = lw.len() == 1
            && (b'a'..=b'j').contains(&lw.as_bytes()[0])
            && (original[*s..*e].chars().all(|c| c.is_ascii_uppercase())
                || (original[..*s].ends_with('(') && original[*e..].starts_with(')')));
        letters += usize::from(is_letter);
        is_letter
            || matches!(
                lw.as_str(),
                "and" | "or" | "nor" | "both" | "neither" | "either" | "only" | "answers" | "options"
                    | "choices" | "are" | "is" | "correct" | "true"
            )
    });
    all && letters >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(q: &str, opts: &[&str]) -> Item {
        Item {
            file: 0,
            row: 0,
            id: None,
            question: q.into(),
            options: opts.iter().map(|s| (*s).to_owned()).collect(),
            key: Some(0),
            key_text: "A".into(),
            tqa: None,
            label: None,
        }
    }

    fn ids(it: &Item) -> Vec<CheckId> {
        let mut out = Vec::new();
        check(0, it, &mut out);
        out.iter().map(|f| f.check).collect()
    }

    #[test]
    fn parse_bleed_fires_on_leaked_labels() {
        assert_eq!(ids(&item("Q", &["I only", "II only", "x", "(E) I, II, and III"])), [CheckId::ParseBleed]);
        assert_eq!(ids(&item("Pick: (A) red (B) blue (C) green", &["a", "b", "c", "d"])), [CheckId::ParseBleed]);
        assert!(ids(&item("Vitamin (A) levels in f(x)", &["a", "b (C)", "c", "d"])).is_empty());
    }

    #[test]
    fn dangling_references() {
        assert_eq!(ids(&item("In the figure above, what is x?", &["1", "2", "3", "4"])), [CheckId::DanglingReference]);
        assert_eq!(ids(&item("Refer to question 15. Which?", &["1", "2", "3", "4"])), [CheckId::DanglingReference]);
        assert!(ids(&item("The graph of y = x^2 is a", &["line", "parabola", "circle", "dot"])).is_empty());
        let long = format!("{} As the passage above shows, x.", "Word ".repeat(30));
        assert!(ids(&item(&long, &["1", "2", "3", "4"])).is_empty());
    }

    #[test]
    fn option_references() {
        assert_eq!(ids(&item("Q", &["a", "b", "c", "All of the above"])), [CheckId::OptionReference]);
        assert_eq!(ids(&item("Q", &["x", "y", "z", "A and B"])), [CheckId::OptionReference]);
        assert!(ids(&item("Q", &["a vector and a scalar", "I and II", "Vitamin A or C", "d"])).is_empty());
    }
}
