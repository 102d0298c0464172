//! Structural rules: empty options (or a bare number standing where a sentence was lost),
//! unusable keys, a wrong option count for the file, and two options that are the same text. Any
//! of these makes an item unanswerable or ambiguous as written, so they are errors.

use super::{flag, letter, whole_option};
use crate::defects::items::Item;
use crate::defects::text::normalize;
use crate::defects::{CheckId, Flag};

pub(super) fn check(idx: usize, item: &Item, modal: usize, out: &mut Vec<Flag>) {
    let empty: Vec<usize> =
        (0..item.options.len()).filter(|&i| item.options[i].trim().is_empty()).collect();
    if !empty.is_empty() {
        let names: Vec<String> = empty.iter().map(|&i| letter(i)).collect();
        out.push(flag(
            idx,
            CheckId::EmptyOption,
            format!("option {} is empty", names.join(", ")),
            empty.iter().map(|&i| whole_option(item, i)).collect(),
        ));
    } else if let Some(i) = placeholder_option(&item.options) {
        out.push(flag(
            idx,
            CheckId::EmptyOption,
            format!(
                "option {} is only {:?} while every other option is a sentence: its text was \
                 probably lost",
                letter(i),
                item.options[i].trim()
            ),
            vec![whole_option(item, i)],
        ));
    }
    if item.key.is_none() {
        let reason = if item.key_text.is_empty() {
            "the answer key is missing".to_owned()
        } else {
            format!(
                "the answer key {:?} does not name one of the {} options",
                item.key_text,
                item.options.len()
            )
        };
        out.push(flag(idx, CheckId::KeyInvalid, reason, Vec::new()));
    }
    if modal > 0 && item.options.len() != modal {
        out.push(flag(
            idx,
            CheckId::OptionCount,
            format!("{} options where the rest of the file has {modal}", item.options.len()),
            Vec::new(),
        ));
    }
    if let Some(f) = duplicate_options(idx, item) {
        out.push(f);
    }
}

/// The one option that is a bare number ("0", "12", "-1.5") when every other option is prose
/// (at least three words of two or more letters): what is left when an option's text was lost,
/// as in MMLU high_school_biology 52 ("0" beside three sentences about island species). Numeric
/// options beside short or numeric ones ("4", "5 apples", "x + 1") never fire.
pub(super) fn placeholder_option(options: &[String]) -> Option<usize> {
    fn bare_number(s: &str) -> bool {
        let s = s.trim();
        let s = s.strip_prefix(['-', '+']).unwrap_or(s);
        let mut parts = s.splitn(2, ['.', ',']);
        let int = parts.next().unwrap_or("");
        let frac = parts.next();
        !int.is_empty()
            && int.bytes().all(|b| b.is_ascii_digit())
            && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
    }
    fn prose(s: &str) -> bool {
        s.split(|c: char| !c.is_alphabetic()).filter(|w| w.chars().count() >= 2).count() >= 3
    }
    if options.len() < 3 {
        return None;
    }
    let mut found = None;
    for (i, o) in options.iter().enumerate() {
        if bare_number(o) {
            if found.is_some() {
                return None;
            }
            found = Some(i);
        } else if !prose(o) {
            return None;
        }
    }
    found
}

/// Two or more options equal after [`normalize`] (case folded for ordinary words only).
fn duplicate_options(idx: usize, item: &Item) -> Option<Flag> {
    // Equal normalised texts have equal fingerprints, so most items never normalise.
    let prints: Vec<u64> = item.options.iter().map(|o| fingerprint(o)).collect();
    let collide = (0..prints.len()).any(|i| prints[i + 1..].contains(&prints[i]));
    if !collide {
        return None;
    }
    let norm: Vec<String> = item.options.iter().map(|o| normalize(o)).collect();
    let mut pairs = Vec::new();
    for i in 0..norm.len() {
        for j in i + 1..norm.len() {
            if !norm[i].is_empty() && norm[i] == norm[j] {
                pairs.push((i, j));
            }
        }
    }
    let &(i, j) = pairs.first()?;
    let mut involved: Vec<usize> = pairs.iter().flat_map(|&(a, b)| [a, b]).collect();
    involved.sort_unstable();
    involved.dedup();
    let key_note = match item.key {
        Some(k) if involved.contains(&k) => " (one of them is the key)",
        _ => "",
    };
    Some(flag(
        idx,
        CheckId::DuplicateOptions,
        format!(
            "options {} and {} are the same text: {:?}{key_note}",
            letter(i),
            letter(j),
            item.options[i].trim()
        ),
        involved.iter().map(|&k| whole_option(item, k)).collect(),
    ))
}

/// Hash of the lowercased alphanumeric characters: coarser than [`normalize`] (which only drops
/// whitespace and end punctuation and folds some case), so equal normal forms collide here.
fn fingerprint(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    if text.is_ascii() {
        for b in text.bytes().filter(u8::is_ascii_alphanumeric) {
            h = (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0000_0100_0000_01b3);
        }
        return h;
    }
    for c in text.chars().filter(|c| c.is_alphanumeric()) {
        for l in c.to_lowercase() {
            h = (h ^ u64::from(u32::from(l))).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(opts: &[&str], key: Option<usize>) -> Item {
        crate::defects::checks::test_item("Q?", opts, key)
    }

    fn checks(it: &Item, modal: usize) -> Vec<CheckId> {
        let mut out = Vec::new();
        check(0, it, modal, &mut out);
        out.iter().map(|f| f.check).collect()
    }

    #[test]
    fn bare_number_among_sentences_is_a_lost_option() {
        // MMLU high_school_biology 52: "0" beside three sentences.
        let lost = item(
            &[
                "0",
                "common environments are inhabited by the same organisms.",
                "the islands were originally part of the continent.",
                "the island forms and mainland forms are converging.",
            ],
            Some(0),
        );
        assert_eq!(checks(&lost, 4), [CheckId::EmptyOption]);
        let mut out = Vec::new();
        check(7, &lost, 4, &mut out);
        assert!(out[0].reason.contains("option A is only \"0\""), "{}", out[0].reason);
        assert_eq!(placeholder_option(&lost.options), Some(0));
        // Look-alikes: numeric answers, numbers with units or words, two bare numbers, short
        // options, too few options to judge, and statement lists such as "1,2,3".
        for opts in [
            &["1", "2", "3", "4"][..],
            &["4", "5 apples", "six apples in all", "none of the above are correct"],
            &["12", "-1.5", "it cannot be determined here", "the value is not defined"],
            &["0", "yes", "no", "maybe so"],
            &["0", "the islands were originally part"],
            &["1,2,3", "it depends on the context", "the answer is unknown here", "no idea at all"],
        ] {
            let it = item(opts, Some(0));
            assert!(placeholder_option(&it.options).is_none(), "{opts:?}");
        }
        // A bare number beside three sentences still fires wherever it stands.
        let last = ["none of these is right", "all of them are wrong", "some are partly true", "7"];
        let it = item(&last, Some(0));
        assert_eq!(placeholder_option(&it.options), Some(3));
        // An empty option is reported as empty, not as a placeholder.
        assert_eq!(
            checks(&item(&["", "a b c", "d e f", "g h i"], Some(1)), 4),
            [CheckId::EmptyOption]
        );
    }

    #[test]
    fn flags_duplicates_after_normalising() {
        assert_eq!(
            checks(&item(&["0.16 N", "0.16 N.", "b", "c"], Some(2)), 4),
            [CheckId::DuplicateOptions]
        );
        assert_eq!(
            checks(&item(&["Employee rights", "employee  rights", "b", "c"], Some(2)), 4),
            [CheckId::DuplicateOptions]
        );
    }

    #[test]
    fn keeps_meaningful_case_apart() {
        assert!(checks(&item(&["BB Bb", "bb bb", "Bb Bb", "Bb bb"], Some(0)), 4).is_empty());
        assert!(checks(&item(&["2", "II", "I", "ii"], Some(0)), 4).is_empty());
        assert!(checks(&item(&["Sc ≡ Ej", "sC ≡ eJ", "x", "y"], Some(0)), 4).is_empty());
    }

    #[test]
    fn flags_empty_options_keys_and_counts() {
        assert_eq!(checks(&item(&["a", " ", "c", "d"], Some(0)), 4), [CheckId::EmptyOption]);
        assert_eq!(checks(&item(&["a", "b", "c", "d"], None), 4), [CheckId::KeyInvalid]);
        assert_eq!(checks(&item(&["a", "b", "c"], Some(0)), 4), [CheckId::OptionCount]);
        assert!(checks(&item(&["a", "b", "c", "d"], Some(3)), 4).is_empty());
    }
}
