//! A fast path for the one record shape that arrives by the million: FastChat battle objects.
//!
//! serde_json builds and validates every field of a ~650-byte record, including the ones
//! benchlens ignores; this scanner reads only the fields a battle needs and skips the rest by
//! bracket matching, which roughly doubles intake speed. Anything unusual (escaped keys, a field
//! of an unexpected type, a duplicate key, malformed syntax) returns `None`, and the caller falls
//! back to serde, which gives the exact error message. So the fast path can be wrong only by
//! being slow, never by accepting what serde would reject in a needed field.

use std::borrow::Cow;

/// The battle fields of one record.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Scanned<'a> {
    pub model_a: Option<Cow<'a, str>>,
    pub model_b: Option<Cow<'a, str>>,
    pub winner: Option<Cow<'a, str>>,
    pub judge: Option<Cow<'a, str>>,
    pub language: Option<Cow<'a, str>>,
    pub turn: Option<f64>,
    pub tstamp: Option<f64>,
    pub anony: Option<bool>,
    pub dedup_sampled: Option<bool>,
    /// Raw JSON text of `category_tag`.
    pub category_tag: Option<&'a str>,
    pub style: Option<[f32; 8]>,
    /// Other top-level fields whose value is a number (a weight column), in record order.
    pub numbers: Vec<(Cow<'a, str>, f64)>,
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\n' | b'\r' | b'\t') {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.b.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    /// The raw bytes between the quotes of a string, and whether it holds escapes.
    fn raw_string(&mut self) -> Option<(&'a [u8], bool)> {
        self.eat(b'"')?;
        let start = self.i;
        let mut escaped = false;
        loop {
            let off = crate::formats::split::find_quote_or_backslash(&self.b[self.i..])?;
            self.i += off;
            if self.b[self.i] == b'\\' {
                escaped = true;
                self.i += 2;
                // A record cut right after a backslash (a truncated file) ends inside the escape:
                // not a string, and slicing past the end would panic.
                if self.i > self.b.len() {
                    return None;
                }
            } else {
                let s = &self.b[start..self.i];
                self.i += 1;
                return Some((s, escaped));
            }
        }
    }

    fn string(&mut self) -> Option<Cow<'a, str>> {
        let begin = self.i;
        let (raw, escaped) = self.raw_string()?;
        if escaped {
            // Rare: let serde unescape exactly.
            serde_json::from_slice::<String>(&self.b[begin..self.i]).ok().map(Cow::Owned)
        } else {
            let text = std::str::from_utf8(raw).ok()?;
            // Raw control characters are invalid JSON: leave the verdict to serde.
            (!text.bytes().any(|c| c < 0x20)).then_some(Cow::Borrowed(text))
        }
    }

    fn number(&mut self) -> Option<f64> {
        self.ws();
        let start = self.i;
        while self.i < self.b.len()
            && matches!(self.b[self.i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
        {
            self.i += 1;
        }
        let text = &self.b[start..self.i];
        // Most numbers in a battle are small counts: digits only, up to 15 of them, are exact in
        // an f64 and need no float parser (which gives the same value, more slowly).
        if !text.is_empty() && text.len() <= 15 && text.iter().all(u8::is_ascii_digit) {
            let n = text.iter().fold(0u64, |n, &d| n * 10 + u64::from(d - b'0'));
            return Some(n as f64);
        }
        std::str::from_utf8(text).ok()?.parse::<f64>().ok()
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        self.ws();
        self.b[self.i..].starts_with(word).then(|| self.i += word.len())
    }

    fn is_null(&mut self) -> bool {
        self.peek() == Some(b'n') && self.literal(b"null").is_some()
    }

    fn bool(&mut self) -> Option<bool> {
        match self.peek()? {
            b't' => self.literal(b"true").map(|_| true),
            b'f' => self.literal(b"false").map(|_| false),
            _ => None,
        }
    }

    /// Skips any value, checking only bracket balance and string boundaries.
    fn skip(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.raw_string().map(|_| ()),
            b'{' | b'[' => {
                let mut depth = 0u32;
                loop {
                    match self.b.get(self.i)? {
                        b'"' => {
                            self.raw_string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.i += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
            }
            _ => {
                while self.i < self.b.len()
                    && !matches!(self.b[self.i], b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
                {
                    self.i += 1;
                }
                Some(())
            }
        }
    }

    /// Calls `field` for each key of an object (the cursor is on the value when it runs).
    fn object(&mut self, mut field: impl FnMut(&mut Self, &'a [u8]) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        if self.peek()? == b'}' {
            self.i += 1;
            return Some(());
        }
        loop {
            let (key, escaped) = self.raw_string()?;
            if escaped {
                return None;
            }
            self.eat(b':')?;
            field(self, key)?;
            match self.peek()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// Sum of an object's numeric values (null counts as 0); `None` for any other shape.
    fn sum_object(&mut self) -> Option<f32> {
        let mut sum = 0.0f64;
        self.object(|c, _| {
            if c.is_null() {
                return Some(());
            }
            sum += c.number()?;
            Some(())
        })?;
        Some(sum as f32)
    }
}

fn set<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    // A repeated key is an error for serde's derived structs: let serde say so.
    if slot.is_some() {
        return None;
    }
    *slot = Some(value);
    Some(())
}

fn opt_string<'a>(c: &mut Cursor<'a>, slot: &mut Option<Cow<'a, str>>) -> Option<()> {
    if c.is_null() {
        return Some(());
    }
    let s = c.string()?;
    set(slot, s)
}

fn opt_number(c: &mut Cursor<'_>, slot: &mut Option<f64>) -> Option<()> {
    if c.is_null() {
        return Some(());
    }
    let v = c.number()?;
    set(slot, v)
}

fn conv_metadata(c: &mut Cursor<'_>) -> Option<[f32; 8]> {
    let mut style = [f32::NAN; 8];
    c.object(|c, key| {
        let slot = match key {
            b"sum_assistant_a_tokens" => 0,
            b"sum_assistant_b_tokens" => 1,
            b"header_count_a" => 2,
            b"header_count_b" => 3,
            b"list_count_a" => 4,
            b"list_count_b" => 5,
            b"bold_count_a" => 6,
            b"bold_count_b" => 7,
            _ => return c.skip(),
        };
        if c.is_null() {
            return Some(());
        }
        style[slot] = if slot < 2 { c.number()? as f32 } else { c.sum_object()? };
        Some(())
    })?;
    Some(style)
}

/// Reads one battle object, or `None` to defer to serde.
pub(crate) fn scan(bytes: &[u8]) -> Option<Scanned<'_>> {
    let mut c = Cursor { b: bytes, i: 0 };
    let mut out = Scanned::default();
    let mut seen_meta = false;
    let mut seen_dedup = false;
    c.object(|c, key| match key {
        b"model_a" => {
            let s = c.string()?;
            set(&mut out.model_a, s)
        }
        b"model_b" => {
            let s = c.string()?;
            set(&mut out.model_b, s)
        }
        b"winner" => {
            let s = c.string()?;
            set(&mut out.winner, s)
        }
        b"judge" => opt_string(c, &mut out.judge),
        b"language" => opt_string(c, &mut out.language),
        b"turn" => opt_number(c, &mut out.turn),
        b"tstamp" => opt_number(c, &mut out.tstamp),
        b"anony" => {
            if c.is_null() {
                return Some(());
            }
            let v = c.bool()?;
            set(&mut out.anony, v)
        }
        b"conv_metadata" => {
            if std::mem::replace(&mut seen_meta, true) {
                return None;
            }
            if c.is_null() {
                return Some(());
            }
            out.style = Some(conv_metadata(c)?);
            Some(())
        }
        b"dedup_tag" => {
            if std::mem::replace(&mut seen_dedup, true) {
                return None;
            }
            if c.is_null() {
                return Some(());
            }
            let mut sampled = None;
            c.object(|c, k| {
                if k == b"sampled" {
                    if c.is_null() {
                        return Some(());
                    }
                    let v = c.bool()?;
                    set(&mut sampled, v)
                } else {
                    c.skip()
                }
            })?;
            out.dedup_sampled = sampled;
            Some(())
        }
        b"category_tag" => {
            let start = {
                c.ws();
                c.i
            };
            if c.is_null() {
                return Some(());
            }
            c.skip()?;
            let text = std::str::from_utf8(&c.b[start..c.i]).ok()?;
            set(&mut out.category_tag, text)
        }
        other => match c.peek()? {
            b'0'..=b'9' | b'-' => {
                let start = c.i;
                match (c.number(), std::str::from_utf8(other)) {
                    (Some(v), Ok(key)) => {
                        out.numbers.push((Cow::Borrowed(key), v));
                        Some(())
                    }
                    // Not a number this scanner reads: skipped, as any unneeded field is.
                    _ => {
                        c.i = start;
                        c.skip()
                    }
                }
            }
            _ => c.skip(),
        },
    })?;
    // Trailing bytes after the object: leave it to serde.
    c.ws();
    (c.i == bytes.len() && out.model_a.is_some() && out.model_b.is_some() && out.winner.is_some())
        .then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_fastchat_record() {
        let rec = br#"{"question_id": "x", "model_a": "a\u00e9", "model_b": "b", "winner": "tie",
            "judge": "j", "turn": 2, "anony": true, "language": "English", "tstamp": 1.5e9,
            "conv_metadata": {"sum_user_tokens": 3, "sum_assistant_a_tokens": 10, "sum_assistant_b_tokens": 20,
              "header_count_a": {"h1": 1, "h2": 2}, "header_count_b": {}, "list_count_a": {"ordered": 1, "unordered": null},
              "list_count_b": {"ordered": 0}, "bold_count_a": {"**": 3, "__": 1}, "bold_count_b": {"**": 0}},
            "is_code": false, "nested": [1, {"x": "]}"}], "dedup_tag": {"high_freq": false, "sampled": true},
            "category_tag": {"math_v0.1": {"math": true}}}"#;
        let s = scan(rec).expect("fast path");
        assert_eq!(s.model_a.as_deref(), Some("a\u{e9}"));
        assert_eq!(s.turn, Some(2.0));
        assert_eq!(s.tstamp, Some(1.5e9));
        assert_eq!(s.style, Some([10.0, 20.0, 3.0, 0.0, 1.0, 0.0, 4.0, 0.0]));
        assert_eq!(s.dedup_sampled, Some(true));
        assert_eq!(s.category_tag, Some(r#"{"math_v0.1": {"math": true}}"#));
    }

    #[test]
    fn integers_read_as_the_float_parser_reads_them() {
        for text in ["0", "7", "00012", "123456789012345", "1234567890123456", "1.5", "-3", "1e3"] {
            let rec =
                format!(r#"{{"model_a": "a", "model_b": "b", "winner": "tie", "turn": {text}}}"#);
            let s = scan(rec.as_bytes()).expect("fast path");
            assert_eq!(s.turn, text.parse::<f64>().ok(), "{text}");
        }
    }

    #[test]
    fn record_cut_after_a_backslash_defers_instead_of_panicking() {
        // Found by the battle_record fuzz target: the escape skip ran past the end.
        for rec in [&br#"{"model_a": "a\"#[..], br#"{"x": ["\"#, br#"{"model_\"#] {
            assert!(scan(rec).is_none(), "{}", String::from_utf8_lossy(rec));
        }
    }

    #[test]
    fn defers_anything_unusual() {
        for rec in [
            &br#"{"model_a": "a", "model_b": "b"}"#[..],
            br#"{"model_a": "a", "model_b": "b", "winner": "tie", "model_a": "c"}"#,
            br#"{"model_a": "a", "model_b": "b", "winner": "tie", "turn": "two"}"#,
            br#"{"model_a": "a", "model_b": "b", "winner": "tie""#,
            br#"{"model_a": "a", "model_b": "b", "winner": "tie"} x"#,
            br#"{"model_\u0061": "a", "model_b": "b", "winner": "tie"}"#,
            br#"{"model_a": 1, "model_b": "b", "winner": "tie"}"#,
        ] {
            assert!(scan(rec).is_none(), "{}", String::from_utf8_lossy(rec));
        }
    }
}
