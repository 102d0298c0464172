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

/// How deep a skipped value may nest (the splitter allows 128 for the whole record).
const MAX_SKIP_DEPTH: u32 = 64;

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
        if let Some((value, end)) = plain_decimal(self.b, start) {
            self.i = end;
            return Some(value);
        }
        while self.i < self.b.len()
            && matches!(self.b[self.i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
        {
            self.i += 1;
        }
        std::str::from_utf8(&self.b[start..self.i]).ok()?.parse::<f64>().ok()
    }

    /// An object key, packed, and its bytes, the cursor left past its closing quote; `None` for
    /// a key with escapes (serde then reads the record). A key that ends within the next 32
    /// bytes (every key a battle has) is found and packed from one load of four words, where the
    /// string scan and then [`Self::key_at`] loaded it twice: keys are most of a record's strings.
    fn key(&mut self) -> Option<(Key, &'a [u8])> {
        self.eat(b'"')?;
        let start = self.i;
        if let Some(window) = self.b.get(start..start + 32) {
            let mut words = [0u64; 4];
            for (word, bytes) in words.iter_mut().zip(window.chunks_exact(8)) {
                let mut w = [0u8; 8];
                w.copy_from_slice(bytes);
                *word = u64::from_le_bytes(w);
            }
            for (j, &word) in words.iter().enumerate() {
                let hits = crate::formats::split::quote_or_backslash_bits(word);
                if hits == 0 {
                    continue;
                }
                let len = 8 * j + (hits.trailing_zeros() / 8) as usize;
                if window[len] == b'\\' {
                    return None;
                }
                self.i = start + len + 1;
                let name = &window[..len];
                let mut packed = [0u64; 3];
                if len <= KEY_BYTES {
                    for (k, p) in packed.iter_mut().enumerate() {
                        *p = key_word(words[k], len, k);
                    }
                }
                return Some((Key { len, words: packed }, name));
            }
        }
        // Near the end of the bytes, or a longer key: the string scan.
        self.i = start - 1;
        let (name, escaped) = self.raw_string()?;
        if escaped {
            return None;
        }
        Some((self.key_at(self.i - 1 - name.len(), name.len()), name))
    }

    /// The key that starts at `start` and is `len` bytes long, as a [`Key`].
    fn key_at(&self, start: usize, len: usize) -> Key {
        if len > KEY_BYTES {
            return Key { len, words: [0; 3] };
        }
        let mut words = [0u64; 3];
        match self.b.get(start..start + KEY_BYTES) {
            // Whole words, then the bytes past the key masked off.
            Some(window) => {
                for (j, (word, bytes)) in words.iter_mut().zip(window.chunks_exact(8)).enumerate() {
                    let mut w = [0u8; 8];
                    w.copy_from_slice(bytes);
                    *word = key_word(u64::from_le_bytes(w), len, j);
                }
                Key { len, words }
            }
            None => key(&self.b[start..start + len]),
        }
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

    /// Skips any value, checking only bracket pairing and string boundaries.
    ///
    /// Brackets must pair by kind (`{` with `}`, `[` with `]`) and nest at most
    /// [`MAX_SKIP_DEPTH`] deep: the JSON splitter counts only the element's own bracket kind and
    /// refuses deep nesting, so a record read in place (`scan_prefix`) must end where the
    /// splitter would have ended it, and be one the splitter would have accepted.
    fn skip(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.raw_string().map(|_| ()),
            b'{' | b'[' => {
                // Bit d set = the bracket open at depth d is `[`.
                let mut kinds = 0u64;
                let mut depth = 0u32;
                loop {
                    match self.b.get(self.i)? {
                        b'"' => {
                            self.raw_string()?;
                            continue;
                        }
                        &open @ (b'{' | b'[') => {
                            if depth >= MAX_SKIP_DEPTH {
                                return None;
                            }
                            kinds = (kinds & !(1 << depth)) | (u64::from(open == b'[') << depth);
                            depth += 1;
                        }
                        &close @ (b'}' | b']') => {
                            depth -= 1;
                            if (kinds >> depth) & 1 != u64::from(close == b']') {
                                return None;
                            }
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
    fn object(&mut self, mut field: impl FnMut(&mut Self, Key) -> Option<()>) -> Option<()> {
        self.named_object(|c, key, _| field(c, key))
    }

    /// [`Self::object`], also handing each field its name as written (for the numeric side
    /// columns, whose names are only known at run time and may be longer than a [`Key`]).
    fn named_object(
        &mut self,
        mut field: impl FnMut(&mut Self, Key, &'a [u8]) -> Option<()>,
    ) -> Option<()> {
        self.eat(b'{')?;
        if self.peek()? == b'}' {
            self.i += 1;
            return Some(());
        }
        loop {
            let (key, name) = self.key()?;
            self.eat(b':')?;
            field(self, key, name)?;
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

/// A plain decimal (`123`, `-4.25`, `1682899232.4797`) of at most 15 digits at `start`, read as
/// the float parser reads it, and where it ends; `None` for anything else (exponents, more
/// digits, a malformed number), which the parser then judges. Counts and timestamps are most of a
/// battle's numbers: with ≤ 15 digits the digits are an exact integer m and 10^k (k ≤ 15) is exact
/// too, so m / 10^k is one correctly rounded division, which is the parser's answer.
fn plain_decimal(b: &[u8], start: usize) -> Option<(f64, usize)> {
    let mut i = start;
    let negative = b.get(i) == Some(&b'-');
    i += usize::from(negative);
    let mut m = 0u64;
    let digits_from = i;
    while let Some(d @ b'0'..=b'9') = b.get(i) {
        m = m.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
        i += 1;
    }
    let whole = i - digits_from;
    let mut fraction = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let from = i;
        while let Some(d @ b'0'..=b'9') = b.get(i) {
            m = m.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
            i += 1;
        }
        fraction = i - from;
        // JSON wants a digit after the dot.
        if fraction == 0 {
            return None;
        }
    }
    let ends_here = !matches!(b.get(i), Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'));
    if !ends_here || whole == 0 || whole + fraction > 15 {
        return None;
    }
    const POW10: [f64; 16] =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
    let v = m as f64 / POW10.get(fraction).copied()?;
    Some((if negative { -v } else { v }, i))
}

/// Longest key a [`Key`] holds exactly; every key the scanner looks for is shorter.
const KEY_BYTES: usize = 24;

/// An object key packed into three little-endian words, zero-padded: matching a record's ~25
/// keys against the wanted names is then a few register compares per key instead of a `memcmp`
/// call per same-length candidate. Keys longer than [`KEY_BYTES`] get zero words, which no
/// wanted name has (every wanted name is non-empty and shorter). A name looked up at run time
/// (a column the user names) must be at most [`KEY_BYTES`] long to be found this way: for a longer
/// one the scan must defer to serde instead of reading past it.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Key {
    len: usize,
    words: [u64; 3],
}

/// Word `j` of a [`Key`] `len` bytes long, from the 8 bytes loaded there: the bytes past the key
/// masked off.
fn key_word(word: u64, len: usize, j: usize) -> u64 {
    let kept = len.saturating_sub(8 * j).min(8);
    let mask = if kept == 8 { u64::MAX } else { (1u64 << (8 * kept)) - 1 };
    word & mask
}

const fn key(name: &[u8]) -> Key {
    let mut words = [0u64; 3];
    let mut i = 0;
    while i < name.len() && i < KEY_BYTES {
        words[i / 8] |= (name[i] as u64) << (8 * (i % 8));
        i += 1;
    }
    Key { len: name.len(), words }
}

const MODEL_A: Key = key(b"model_a");
const MODEL_B: Key = key(b"model_b");
const WINNER: Key = key(b"winner");
const JUDGE: Key = key(b"judge");
const LANGUAGE: Key = key(b"language");
const TURN: Key = key(b"turn");
const TSTAMP: Key = key(b"tstamp");
const ANONY: Key = key(b"anony");
const CONV_METADATA: Key = key(b"conv_metadata");
const DEDUP_TAG: Key = key(b"dedup_tag");
const CATEGORY_TAG: Key = key(b"category_tag");
const SAMPLED: Key = key(b"sampled");
const TOKENS_A: Key = key(b"sum_assistant_a_tokens");
const TOKENS_B: Key = key(b"sum_assistant_b_tokens");
const HEADERS_A: Key = key(b"header_count_a");
const HEADERS_B: Key = key(b"header_count_b");
const LISTS_A: Key = key(b"list_count_a");
const LISTS_B: Key = key(b"list_count_b");
const BOLD_A: Key = key(b"bold_count_a");
const BOLD_B: Key = key(b"bold_count_b");

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
            TOKENS_A => 0,
            TOKENS_B => 1,
            HEADERS_A => 2,
            HEADERS_B => 3,
            LISTS_A => 4,
            LISTS_B => 5,
            BOLD_A => 6,
            BOLD_B => 7,
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
    let (out, end) = scan_prefix(bytes)?;
    // Trailing bytes after the object: leave it to serde.
    let mut c = Cursor { b: bytes, i: end };
    c.ws();
    (c.i == bytes.len()).then_some(out)
}

/// Reads the battle object at the start of `bytes` (which may go on past it) and the length of
/// its text, or `None` to defer to the splitter and serde: the fused scan of the JSON loader.
pub(crate) fn scan_prefix(bytes: &[u8]) -> Option<(Scanned<'_>, usize)> {
    let mut c = Cursor { b: bytes, i: 0 };
    let mut out = Scanned::default();
    let mut seen_meta = false;
    let mut seen_dedup = false;
    c.named_object(|c, key, name| match key {
        MODEL_A => {
            let s = c.string()?;
            set(&mut out.model_a, s)
        }
        MODEL_B => {
            let s = c.string()?;
            set(&mut out.model_b, s)
        }
        WINNER => {
            let s = c.string()?;
            set(&mut out.winner, s)
        }
        JUDGE => opt_string(c, &mut out.judge),
        LANGUAGE => opt_string(c, &mut out.language),
        TURN => opt_number(c, &mut out.turn),
        TSTAMP => opt_number(c, &mut out.tstamp),
        ANONY => {
            if c.is_null() {
                return Some(());
            }
            let v = c.bool()?;
            set(&mut out.anony, v)
        }
        CONV_METADATA => {
            if std::mem::replace(&mut seen_meta, true) {
                return None;
            }
            if c.is_null() {
                return Some(());
            }
            out.style = Some(conv_metadata(c)?);
            Some(())
        }
        DEDUP_TAG => {
            if std::mem::replace(&mut seen_dedup, true) {
                return None;
            }
            if c.is_null() {
                return Some(());
            }
            let mut sampled = None;
            c.object(|c, k| {
                if k == SAMPLED {
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
        CATEGORY_TAG => {
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
        _ => match c.peek()? {
            b'0'..=b'9' | b'-' => {
                let start = c.i;
                match (c.number(), std::str::from_utf8(name)) {
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
    let end = c.i;
    (out.model_a.is_some() && out.model_b.is_some() && out.winner.is_some()).then_some((out, end))
}

#[cfg(test)]
mod tests;
