//! Text helpers shared by the checks: the normalisation that decides when two texts are "the
//! same", the tokeniser behind near-duplicate shingles, byte↔character offsets for evidence spans,
//! and a stable 64-bit hash (std's hasher may change between Rust releases; ours may not, so the
//! same input gives bit-identical output everywhere, wasm32 included).

/// Normalises a text for equality: trims, collapses all whitespace (NBSP included) to one space,
/// drops trailing `.,;:!?`, and lowercases ordinary words. Case is kept where it carries meaning:
/// tokens shorter than 3 letters, all-caps tokens (acronyms, "II"), and mixed-case tokens
/// ("Bb", "sC"), so genotypes and logic symbols stay distinct.
pub fn normalize(text: &str) -> String {
    if text.is_ascii() {
        return normalize_ascii(text.as_bytes());
    }
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| c.is_whitespace()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        if word.is_ascii() {
            if is_plain_ascii_word(word.as_bytes()) {
                out.extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
            } else {
                out.push_str(word);
            }
        } else if is_plain_word(word) {
            out.extend(word.chars().flat_map(char::to_lowercase));
        } else {
            out.push_str(word);
        }
    }
    let trimmed = out.trim_end_matches(['.', ',', ';', ':', '!', '?', ' ']).len();
    out.truncate(trimmed);
    out
}

/// `hash64(normalize(text), seed)` without building the normal form for ASCII text.
pub fn normalized_hash(text: &str, seed: u64) -> u64 {
    if !text.is_ascii() {
        return hash64(normalize(text).as_bytes(), seed);
    }
    let body = text.trim_end_matches(|c: char| {
        c.is_ascii_whitespace() || matches!(c, '.' | ',' | ';' | ':' | '!' | '?')
    });
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let mut feed = |b: u8| {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    };
    let mut first = true;
    for word in body.as_bytes().split(|b| b.is_ascii_whitespace()) {
        if word.is_empty() {
            continue;
        }
        if !first {
            feed(b' ');
        }
        first = false;
        if is_plain_ascii_word(word) {
            word.iter().for_each(|b| feed(b.to_ascii_lowercase()));
        } else {
            word.iter().for_each(|&b| feed(b));
        }
    }
    mix64(h)
}

/// [`normalize`] for ASCII text, byte by byte.
fn normalize_ascii(text: &[u8]) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    for word in text.split(|b| b.is_ascii_whitespace()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(b' ');
        }
        if is_plain_ascii_word(word) {
            out.extend(word.iter().map(u8::to_ascii_lowercase));
        } else {
            out.extend_from_slice(word);
        }
    }
    while out.last().is_some_and(|b| matches!(b, b'.' | b',' | b';' | b':' | b'!' | b'?' | b' ')) {
        out.pop();
    }
    String::from_utf8(out).unwrap_or_default()
}

/// [`is_plain_word`] for ASCII, without allocating.
fn is_plain_ascii_word(word: &[u8]) -> bool {
    let mut letters = word.iter().filter(|b| b.is_ascii_alphabetic());
    let Some(_) = letters.next() else { return false };
    let mut n = 1;
    for b in letters {
        if b.is_ascii_uppercase() {
            return false;
        }
        n += 1;
    }
    n >= 3
}

/// Lowercase words and Capitalised words of 3+ letters (punctuation around them allowed).
fn is_plain_word(word: &str) -> bool {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() < 3 {
        return false;
    }
    letters[1..].iter().all(|c| c.is_lowercase())
}

/// Tokens for shingling: lowercase alphanumeric runs split at letter/digit boundaries, and every
/// other non-space character as a token of its own, so "√2+√3" and "√2·√3" differ.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut cur_digit = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            let digit = c.is_ascii_digit();
            if !cur.is_empty() && digit != cur_digit {
                out.push(std::mem::take(&mut cur));
            }
            cur_digit = digit;
            cur.extend(c.to_lowercase());
        } else {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            if !c.is_whitespace() {
                out.push(c.to_string());
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Character offset of byte offset `byte` in `text` (for evidence spans).
pub fn char_offset(text: &str, byte: usize) -> usize {
    text.get(..byte).map_or_else(|| text.chars().count(), |s| s.chars().count())
}

/// Character range of the byte range `start..end`.
pub fn char_range(text: &str, start: usize, end: usize) -> (usize, usize) {
    let s = char_offset(text, start);
    let e = s + text.get(start..end).map_or(0, |t| t.chars().count());
    (s, e)
}

/// Stable 64-bit hash of bytes (FNV-1a folded through the splitmix64 finaliser), seeded.
pub fn hash64(bytes: &[u8], seed: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix64(h)
}

/// splitmix64 finaliser: a bijection that spreads every input bit over the output.
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Byte ranges of whole-word, ASCII-case-insensitive occurrences of `needle` in `haystack`.
pub fn find_words(haystack: &str, needle: &str) -> Vec<(usize, usize)> {
    let hay = haystack.as_bytes();
    let nee = needle.as_bytes();
    let mut out = Vec::new();
    if nee.is_empty() || hay.len() < nee.len() {
        return out;
    }
    let mut i = 0;
    while i + nee.len() <= hay.len() {
        if hay[i..i + nee.len()].eq_ignore_ascii_case(nee) {
            let before_ok = i == 0 || !is_word_byte(hay[i - 1]);
            let after_ok = i + nee.len() == hay.len() || !is_word_byte(hay[i + nee.len()]);
            if before_ok && after_ok {
                out.push((i, i + nee.len()));
                i += nee.len();
                continue;
            }
        }
        i += 1;
    }
    out
}

/// True when `pred(word, rest)` holds for some ASCII-alphanumeric word of `lower` (already
/// lowercased), where `rest` is the text after the word. One pass, no allocation: the prefilter
/// that keeps the phrase checks off most items.
pub fn any_word(lower: &str, mut pred: impl FnMut(&[u8], &[u8]) -> bool) -> bool {
    let b = lower.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_alphanumeric() {
            let start = i;
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if pred(&b[start..i], &b[i..]) {
                return true;
            }
        } else {
            i += 1;
        }
    }
    false
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_folds_prose_but_keeps_meaningful_case() {
        assert_eq!(normalize("  Employee   rights. "), normalize("employee rights"));
        assert_eq!(normalize("Increase \u{a0}\u{a0} Increase"), "increase increase");
        assert_ne!(normalize("Sc ≡ Ej"), normalize("sC ≡ eJ"));
        assert_ne!(normalize("BB Bb"), normalize("bb bb"));
        assert_ne!(normalize("II"), normalize("ii"));
        assert_ne!(normalize("BBEe will be brown."), normalize("BbEe will be brown."));
    }

    #[test]
    fn tokens_keep_operators_and_digits() {
        assert_eq!(tokens("√2+√3"), ["√", "2", "+", "√", "3"]);
        assert_ne!(tokens("√2+√3"), tokens("√2·√3"));
        assert_eq!(tokens("x2 ab12"), ["x", "2", "ab", "12"]);
    }

    #[test]
    fn char_ranges_count_characters() {
        let t = "café 12";
        assert_eq!(char_range(t, 6, 8), (5, 7));
        assert_eq!(find_words("The figure above; figures", "figure"), vec![(4, 10)]);
    }

    #[test]
    fn normalized_hash_matches_normal_form() {
        for t in ["  Employee   rights. ", "a .", "BB Bb?", "x", "", " ... ", "café  au lait."] {
            assert_eq!(normalized_hash(t, 7), hash64(normalize(t).as_bytes(), 7), "{t:?}");
        }
    }

    #[test]
    fn hash_is_stable() {
        assert_eq!(hash64(b"abc", 0), hash64(b"abc", 0));
        assert_ne!(hash64(b"abc", 0), hash64(b"abc", 1));
    }
}
