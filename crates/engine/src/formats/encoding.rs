//! Text encodings: UTF-8 (with or without BOM) first, then a legacy 8-bit fallback.
//!
//! Spreadsheet exports and old annotation files arrive as Windows-1252 or MacRoman. Both decode
//! every byte, so the choice between them is a plausibility score over the decoded characters:
//! typographic punctuation and lowercase accents are likely, isolated capital accents and control
//! characters are not.

use encoding_rs::{Encoding, MACINTOSH, WINDOWS_1252};

/// A legacy single-byte encoding benchlens can fall back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    Windows1252,
    MacRoman,
}

impl Legacy {
    fn encoding(self) -> &'static Encoding {
        match self {
            Self::Windows1252 => WINDOWS_1252,
            Self::MacRoman => MACINTOSH,
        }
    }

    /// Name shown to users and in `inspect`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Windows1252 => "windows-1252",
            Self::MacRoman => "macintosh",
        }
    }

    /// Decodes bytes; never fails (every byte maps to a character).
    pub fn decode(self, bytes: &[u8]) -> String {
        let (text, _, _) = self.encoding().decode(bytes);
        text.into_owned()
    }

    /// Picks the more plausible legacy encoding for bytes that are not UTF-8.
    pub fn guess(bytes: &[u8]) -> Self {
        let score = |legacy: Legacy| -> i64 {
            let text = legacy.decode(bytes);
            text.chars().filter(|c| !c.is_ascii()).map(plausibility).sum()
        };
        if score(Self::MacRoman) > score(Self::Windows1252) {
            Self::MacRoman
        } else {
            Self::Windows1252
        }
    }
}

fn plausibility(c: char) -> i64 {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}' | '\u{2013}' | '\u{2014}'
        | '\u{2026}' => 3,
        '\u{00B0}' | '\u{00A9}' | '\u{00AE}' | '\u{2122}' | '\u{00D7}' | '\u{00B1}'
        | '\u{2022}' => 2,
        '\u{00A0}' => 1,
        c if c.is_control() => -5,
        c if c.is_alphabetic() && c.is_lowercase() => 1,
        c if c.is_alphabetic() && c.is_uppercase() => -1,
        _ => 0,
    }
}

/// Length of a UTF-8 byte-order mark at the start of `bytes` (0 or 3).
pub fn bom_len(bytes: &[u8]) -> usize {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        3
    } else {
        0
    }
}

/// True when the bytes start with a UTF-16 byte-order mark (not supported: reported clearly).
pub fn is_utf16(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF])
}

/// How many bytes at the end of `bytes` are an incomplete (not invalid) UTF-8 sequence, so a
/// chunk boundary inside a character is not mistaken for bad encoding.
pub fn incomplete_utf8_tail(bytes: &[u8]) -> usize {
    match std::str::from_utf8(bytes) {
        Ok(_) => 0,
        Err(e) if e.error_len().is_none() => bytes.len() - e.valid_up_to(),
        Err(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_macroman_from_curly_quotes() {
        // "don’t" with MacRoman's right single quote (0xD5) and "café" (0x8E).
        let bytes = b"don\xD5t go to the caf\x8E";
        assert_eq!(Legacy::guess(bytes), Legacy::MacRoman);
        assert_eq!(Legacy::MacRoman.decode(bytes), "don\u{2019}t go to the caf\u{e9}");
    }

    #[test]
    fn guesses_windows_1252_from_curly_quotes() {
        let bytes = b"don\x92t go to the caf\xE9";
        assert_eq!(Legacy::guess(bytes), Legacy::Windows1252);
        assert_eq!(Legacy::Windows1252.decode(bytes), "don\u{2019}t go to the caf\u{e9}");
    }

    #[test]
    fn incomplete_tail_is_not_invalid() {
        let euro = "€".as_bytes();
        assert_eq!(incomplete_utf8_tail(&euro[..2]), 2);
        assert_eq!(incomplete_utf8_tail(b"abc"), 0);
        assert_eq!(incomplete_utf8_tail(b"ab\xFF"), 0);
    }
}
