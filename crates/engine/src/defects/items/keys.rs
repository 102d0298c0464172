//! Reading answer keys: one style per file (letters, option texts, 0- or 1-based integers),
//! chosen by which reading makes most of the file's keys valid.

use super::{Item, KeyStyle};

/// Reads every key of a file under one style: letters, option texts, or integers whose base is
/// decided for the whole file (a 0 anywhere means 0-based; a key equal to the option count with no
/// 0 means 1-based).
pub(super) fn resolve_keys(items: &mut [Item]) -> KeyStyle {
    // Count the keys each reading makes valid; the file gets the reading that explains most.
    let (mut letters, mut texts) = (0usize, 0usize);
    let mut ints = Vec::new();
    for it in items.iter() {
        let k = key_token(&it.key_text);
        let b = k.as_bytes();
        if b.len() == 1
            && b[0].is_ascii_alphabetic()
            && usize::from(b[0].to_ascii_uppercase() - b'A') < it.options.len()
        {
            letters += 1;
        } else if let Ok(n) = k.parse::<i64>() {
            ints.push((n, it.options.len() as i64));
        } else if !k.is_empty() {
            let want = crate::defects::text::normalize(&it.key_text);
            texts +=
                usize::from(it.options.iter().any(|o| crate::defects::text::normalize(o) == want));
        }
    }
    let style = if letters == 0 && ints.is_empty() {
        if texts > 0 {
            KeyStyle::OptionText
        } else if items.iter().any(|i| !i.key_text.is_empty()) {
            KeyStyle::Letter
        } else {
            KeyStyle::None
        }
    } else if texts > letters.max(ints.len()) {
        KeyStyle::OptionText
    } else if letters >= ints.len() {
        KeyStyle::Letter
    } else if ints.iter().any(|&(n, _)| n == 0) {
        KeyStyle::ZeroBased
    } else if ints.iter().any(|&(n, len)| n == len) {
        KeyStyle::OneBased
    } else {
        KeyStyle::ZeroBased
    };
    for it in items.iter_mut() {
        let k = key_token(&it.key_text);
        let idx = match style {
            KeyStyle::Letter => {
                let b = k.as_bytes();
                (b.len() == 1 && b[0].is_ascii_alphabetic())
                    .then(|| (b[0].to_ascii_uppercase() - b'A') as usize)
            }
            KeyStyle::ZeroBased => k.parse::<usize>().ok(),
            KeyStyle::OneBased => k.parse::<usize>().ok().and_then(|n| n.checked_sub(1)),
            KeyStyle::OptionText => {
                let want = crate::defects::text::normalize(&it.key_text);
                it.options.iter().position(|o| crate::defects::text::normalize(o) == want)
            }
            KeyStyle::None => None,
        };
        it.key = idx.filter(|&i| i < it.options.len());
    }
    style
}

/// "(B)", "B.", " b " → "B"-like token; numbers pass through.
fn key_token(raw: &str) -> &str {
    raw.trim().trim_start_matches('(').trim_end_matches([')', '.', ':']).trim()
}

pub(super) fn modal(values: impl Iterator<Item = usize>) -> usize {
    let mut counts = std::collections::BTreeMap::new();
    for v in values {
        *counts.entry(v).or_insert(0usize) += 1;
    }
    // Highest count; ties go to the larger option count.
    counts.into_iter().max_by_key(|&(v, c)| (c, v)).map_or(0, |(v, _)| v)
}
