//! Record splitters that accept a file in arbitrary chunks (Blob slices in the browser) and emit
//! whole records, so no file is ever held as one string.
//!
//! JSON arrays and JSONL yield the raw bytes of each top-level element; CSV yields fields through
//! `csv-core`, which handles quotes and embedded newlines across chunk boundaries.

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

/// The largest single record accepted. A bigger one is almost surely not a record at all (a
/// minified blob, a binary file) and would otherwise grow the buffer without bound.
pub const MAX_RECORD_BYTES: usize = 256 << 20;

/// A problem that stops splitting.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SplitError {
    #[error("a single record starting at line {line} is larger than {} MB", MAX_RECORD_BYTES >> 20)]
    RecordTooLarge { line: u64 },
    #[error("line {line}: expected `,` or `]` between array elements, found {found:?}")]
    BadSeparator { line: u64, found: char },
    #[error("line {line}: JSON nested deeper than {max} levels")]
    TooDeep { line: u64, max: u32 },
    #[error("the JSON array is not closed: the file ends inside it (truncated file?)")]
    Unterminated,
}

const MAX_DEPTH: u32 = 128;

/// One record as found in the file.
pub struct RawJson<'a> {
    pub bytes: &'a [u8],
    /// 1-based line where the record starts.
    pub line: u64,
}

/// What [`JsonSplitter::feed_fused`] hands over.
pub enum Piece<'a> {
    /// The buffered bytes from an object element's `{` on: the element and whatever follows.
    Prefix(&'a [u8]),
    /// A whole element.
    Record(RawJson<'a>),
}

/// Splits a top-level JSON array (`[ {...}, {...} ]`) or JSON Lines into elements.
///
/// Inside an element only its own bracket pair and string quotes matter, so the scan jumps
/// between them with `memchr` instead of visiting every byte; line numbers are counted lazily
/// (one vectorised count per record) because only error messages need them.
pub struct JsonSplitter {
    lines_mode: bool,
    buf: Vec<u8>,
    /// Bytes of `buf` already scanned.
    scan: usize,
    /// Start of the element being scanned, if inside one.
    start: Option<usize>,
    start_line: u64,
    /// The element's opening and closing bracket (`{}` or `[]`), or 0 for a scalar element.
    open: u8,
    close: u8,
    depth: u32,
    in_string: bool,
    escaped: bool,
    /// Top-level `[` seen (array mode).
    opened: bool,
    closed: bool,
    /// Expecting a separator after an element (array mode).
    after_element: bool,
    /// `line` is the 1-based line number at offset `line_pos` of `buf`.
    line: u64,
    line_pos: usize,
}

impl JsonSplitter {
    /// Splitter for a JSON array (`lines = false`) or JSON Lines (`lines = true`).
    pub fn new(lines: bool) -> Self {
        Self {
            lines_mode: lines,
            buf: Vec::new(),
            scan: 0,
            start: None,
            start_line: 1,
            open: 0,
            close: 0,
            depth: 0,
            in_string: false,
            escaped: false,
            opened: false,
            closed: false,
            after_element: false,
            line: 1,
            line_pos: 0,
        }
    }

    /// A splitter in the same mode that starts between two elements, as if the array's `[` and
    /// an element plus its `,` had already been read: it takes a segment of the file that begins
    /// at an element (parallel intake).
    pub fn continuing(&self) -> Self {
        let mut next = Self::new(self.lines_mode);
        next.opened = !self.lines_mode;
        next
    }

    /// True when everything fed so far ends exactly before an element: no element is open and,
    /// in an array, the separator after the last element has been read. A segment boundary
    /// chosen by guessing is confirmed by this.
    pub fn at_element_boundary(&self) -> bool {
        self.start.is_none()
            && self.scan == self.buf.len()
            && !self.closed
            && (self.lines_mode || (self.opened && !self.after_element))
    }

    /// True when the array was closed and nothing after its `]` is pending: a file's last
    /// segment, read to the end, ends so (the page's pool parses it in a helper).
    pub fn ended_array(&self) -> bool {
        !self.lines_mode && self.closed && self.start.is_none() && self.scan == self.buf.len()
    }

    /// Marks the array closed: the merging side took over a last segment that [`Self::ended_array`].
    pub fn mark_closed(&mut self) {
        self.closed = true;
    }

    /// Where an element probably starts in `window` (a stretch of the file taken at an
    /// arbitrary offset): an object opening after a closed one, with the array's `,` or a line
    /// break between them. A guess (the bytes may sit inside a string or a nested array);
    /// [`Self::at_element_boundary`] confirms it.
    pub fn guess_element_start(&self, window: &[u8]) -> Option<usize> {
        let ws = |b: u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
        memchr::memchr_iter(b'{', window).find(|&open| {
            let mut j = open;
            let mut newline = false;
            while j > 0 && ws(window[j - 1]) {
                newline |= window[j - 1] == b'\n';
                j -= 1;
            }
            if !self.lines_mode {
                if j == 0 || window[j - 1] != b',' {
                    return false;
                }
                j -= 1;
                while j > 0 && ws(window[j - 1]) {
                    j -= 1;
                }
            } else if !newline {
                return false;
            }
            j > 0 && window[j - 1] == b'}'
        })
    }

    /// Line breaks in everything fed so far.
    pub fn newlines_fed(&self) -> u64 {
        self.line - 1 + count_newlines(&self.buf[self.line_pos..])
    }

    /// Moves every line number by `offset`: a segment's splitter counts from its own start.
    pub fn shift_lines(&mut self, offset: u64) {
        self.line += offset;
        self.start_line += offset;
    }

    /// Line number at offset `pos` (which must not be before `line_pos`).
    fn line_at(&mut self, pos: usize) -> u64 {
        if pos > self.line_pos {
            self.line += count_newlines(&self.buf[self.line_pos..pos]);
            self.line_pos = pos;
        }
        self.line
    }

    /// Feeds a chunk; calls `emit` for each complete element.
    pub fn feed(
        &mut self,
        chunk: &[u8],
        emit: &mut dyn FnMut(RawJson<'_>),
    ) -> Result<(), SplitError> {
        self.feed_fused(chunk, &mut |piece| {
            if let Piece::Record(r) = piece {
                emit(r);
            }
            None
        })
    }

    /// [`Self::feed`] that first offers each object element to `on` as a [`Piece::Prefix`]: a
    /// reader that recognises the record reads it in place and returns its length, so the
    /// element's bytes are scanned once instead of twice (split, then read). `None` leaves the
    /// element to the splitter, which hands it over whole as a [`Piece::Record`].
    pub fn feed_fused(
        &mut self,
        chunk: &[u8],
        on: &mut dyn FnMut(Piece<'_>) -> Option<usize>,
    ) -> Result<(), SplitError> {
        self.buf.extend_from_slice(chunk);
        let mut i = self.scan;
        let n = self.buf.len();
        while i < n {
            if let Some(s) = self.start {
                if self.in_string {
                    if self.escaped {
                        self.escaped = false;
                        i += 1;
                        continue;
                    }
                    match find_quote_or_backslash(&self.buf[i..n]) {
                        Some(off) => {
                            i += off;
                            if self.buf[i] == b'\\' {
                                self.escaped = true;
                            } else {
                                self.in_string = false;
                            }
                            i += 1;
                        }
                        None => i = n,
                    }
                    continue;
                }
                if self.open == 0 {
                    // A scalar element ends at a separator or line end.
                    let end = self.buf[i..n]
                        .iter()
                        .position(|&b| matches!(b, b',' | b']' | b'\n'))
                        .map(|off| i + off);
                    match end {
                        Some(e) => {
                            on(Piece::Record(RawJson {
                                bytes: trim_ascii(&self.buf[s..e]),
                                line: self.start_line,
                            }));
                            self.start = None;
                            self.after_element = true;
                            i = e;
                        }
                        None => i = n,
                    }
                    continue;
                }
                match find_structural(&self.buf[i..n], self.open, self.close) {
                    Some(off) => {
                        i += off;
                        let b = self.buf[i];
                        i += 1;
                        if b == b'"' {
                            self.in_string = true;
                        } else if b == self.open {
                            self.depth += 1;
                            if self.depth > MAX_DEPTH {
                                let line = self.line_at(i);
                                return Err(SplitError::TooDeep { line, max: MAX_DEPTH });
                            }
                        } else {
                            self.depth -= 1;
                            if self.depth == 0 {
                                on(Piece::Record(RawJson {
                                    bytes: &self.buf[s..i],
                                    line: self.start_line,
                                }));
                                self.start = None;
                                self.after_element = true;
                            }
                        }
                    }
                    None => i = n,
                }
                continue;
            }
            // Between elements: whitespace, separators, the array's own brackets.
            let byte = self.buf[i];
            match byte {
                b' ' | b'\t' | b'\r' | b'\n' => {}
                _ if self.closed => {}
                b'[' if !self.lines_mode && !self.opened => self.opened = true,
                b']' if !self.lines_mode => self.closed = true,
                b',' if !self.lines_mode => self.after_element = false,
                _ => {
                    if !self.lines_mode && self.after_element {
                        let line = self.line_at(i);
                        return Err(SplitError::BadSeparator { line, found: byte as char });
                    }
                    if byte == b'{' {
                        // The reader saw the whole object (it ends inside `buf`) and needed
                        // no line (it declines records whose messages would name one), so the
                        // lazy line count simply passes over it later.
                        if let Some(len) = on(Piece::Prefix(&self.buf[i..n])).filter(|&l| l > 0) {
                            self.after_element = true;
                            i += len;
                            continue;
                        }
                    }
                    self.start = Some(i);
                    self.start_line = self.line_at(i);
                    self.after_element = false;
                    match byte {
                        b'{' => (self.open, self.close, self.depth) = (b'{', b'}', 1),
                        b'[' => (self.open, self.close, self.depth) = (b'[', b']', 1),
                        b'"' => {
                            // A bare string element: scan it as a string, then as a scalar.
                            (self.open, self.close, self.depth) = (0, 0, 0);
                            self.in_string = true;
                        }
                        _ => (self.open, self.close, self.depth) = (0, 0, 0),
                    }
                }
            }
            i += 1;
        }
        self.scan = i;
        // Drop consumed bytes, keeping the line count in step.
        let keep_from = self.start.unwrap_or(self.scan);
        if keep_from > 0 {
            self.line_at(keep_from);
            self.buf.drain(..keep_from);
            self.scan -= keep_from;
            self.line_pos -= keep_from;
            if self.start.is_some() {
                self.start = Some(0);
            }
        }
        if self.buf.len() > MAX_RECORD_BYTES {
            return Err(SplitError::RecordTooLarge { line: self.start_line });
        }
        Ok(())
    }

    /// Flushes the last element at end of file.
    pub fn finish(&mut self, emit: &mut dyn FnMut(RawJson<'_>)) -> Result<(), SplitError> {
        if let Some(s) = self.start.take() {
            let bytes = trim_ascii(&self.buf[s..]);
            if !bytes.is_empty() {
                emit(RawJson { bytes, line: self.start_line });
            }
        }
        if !self.lines_mode && self.opened && !self.closed {
            return Err(SplitError::Unterminated);
        }
        Ok(())
    }
}

fn trim_ascii(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(start, |e| e + 1);
    &bytes[start..end]
}

/// One CSV record: field bytes, with the line it starts on.
pub struct RawRow<'a> {
    pub fields: &'a [&'a [u8]],
    pub line: u64,
}

/// Incremental CSV splitter over `csv-core`.
pub struct CsvSplitter {
    reader: Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
    out_len: usize,
    ends_len: usize,
    record_start_line: u64,
    /// Between records: blank lines are skipped here so the next record's start line is exact.
    at_record_start: bool,
    /// Newlines in every byte consumed so far (by csv-core or skipped here).
    newlines: u64,
    fields_scratch: Vec<(usize, usize)>,
}

impl CsvSplitter {
    /// Splitter with the given delimiter (quote `"`, doubled quotes as escapes).
    pub fn new(delimiter: u8) -> Self {
        Self {
            reader: ReaderBuilder::new().delimiter(delimiter).build(),
            out: vec![0; 64 * 1024],
            ends: vec![0; 64],
            out_len: 0,
            ends_len: 0,
            record_start_line: 1,
            at_record_start: true,
            newlines: 0,
            fields_scratch: Vec::new(),
        }
    }

    /// Feeds a chunk (empty at end of file); calls `emit` for each complete record.
    pub fn feed(
        &mut self,
        mut input: &[u8],
        emit: &mut dyn FnMut(RawRow<'_>),
    ) -> Result<(), SplitError> {
        let at_end = input.is_empty();
        loop {
            if self.at_record_start {
                let skip = input.iter().take_while(|&&b| b == b'\n' || b == b'\r').count();
                self.newlines += count_newlines(&input[..skip]);
                input = &input[skip..];
                if input.is_empty() && !at_end {
                    return Ok(());
                }
                self.record_start_line = self.newlines + 1;
                self.at_record_start = false;
            }
            let (result, n_in, n_out, n_ends) = self.reader.read_record(
                input,
                &mut self.out[self.out_len..],
                &mut self.ends[self.ends_len..],
            );
            self.newlines += count_newlines(&input[..n_in]);
            input = &input[n_in..];
            self.out_len += n_out;
            self.ends_len += n_ends;
            match result {
                ReadRecordResult::InputEmpty => {
                    if !at_end {
                        return Ok(());
                    }
                    // At end: call again with empty input to flush.
                }
                ReadRecordResult::OutputFull => {
                    if self.out.len() >= MAX_RECORD_BYTES {
                        return Err(SplitError::RecordTooLarge { line: self.record_start_line });
                    }
                    let grow = self.out.len();
                    self.out.resize(self.out.len() + grow, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let grow = self.ends.len();
                    self.ends.resize(self.ends.len() + grow, 0);
                }
                ReadRecordResult::Record => {
                    self.emit_record(emit);
                }
                ReadRecordResult::End => return Ok(()),
            }
        }
    }

    fn emit_record(&mut self, emit: &mut dyn FnMut(RawRow<'_>)) {
        self.fields_scratch.clear();
        let mut prev = 0;
        for &end in &self.ends[..self.ends_len] {
            self.fields_scratch.push((prev, end));
            prev = end;
        }
        let out = &self.out[..self.out_len];
        let fields: Vec<&[u8]> = self.fields_scratch.iter().map(|&(s, e)| &out[s..e]).collect();
        let line = self.record_start_line;
        // Blank lines produce a record with one empty field: skip them like pandas does.
        let blank = fields.len() == 1 && fields[0].is_empty();
        if !blank {
            emit(RawRow { fields: &fields, line });
        }
        self.out_len = 0;
        self.ends_len = 0;
        self.at_record_start = true;
    }
}

/// Offset of the first `"` or `\\`. JSON strings are mostly short keys and values, where eight
/// bytes at a time in a register beat memchr's setup; long ones (answer texts) go to memchr after
/// 32 bytes.
pub(crate) fn find_quote_or_backslash(bytes: &[u8]) -> Option<usize> {
    let head = bytes.len().min(32);
    let mut words = bytes[..head].chunks_exact(8);
    let mut base = 0;
    for w in &mut words {
        let mut word = [0u8; 8];
        word.copy_from_slice(w);
        let hits = quote_or_backslash_bits(u64::from_le_bytes(word));
        if hits != 0 {
            return Some(base + (hits.trailing_zeros() / 8) as usize);
        }
        base += 8;
    }
    if let Some(i) = words.remainder().iter().position(|&b| b == b'"' || b == b'\\') {
        return Some(base + i);
    }
    memchr::memchr2(b'"', b'\\', &bytes[head..]).map(|i| i + head)
}

/// The high bit of each byte of `word` (little-endian) that is a quote or a backslash. Only the
/// lowest flagged byte is sure to be a hit (a borrow can flag bytes above one), and the first
/// hit is all any caller asks.
pub(crate) fn quote_or_backslash_bits(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let quote = word ^ (ONES * u64::from(b'"'));
    let slash = word ^ (ONES * u64::from(b'\\'));
    ((quote.wrapping_sub(ONES) & !quote) | (slash.wrapping_sub(ONES) & !slash)) & HIGH
}

/// The next quote, `open` or `close` byte. Records with no long text (clean_battle logs) have
/// one every few bytes, where a plain loop beats setting up a vector search per hit.
fn find_structural(bytes: &[u8], open: u8, close: u8) -> Option<usize> {
    let head = bytes.len().min(32);
    if let Some(i) = bytes[..head].iter().position(|&b| b == b'"' || b == open || b == close) {
        return Some(i);
    }
    memchr::memchr3(b'"', open, close, &bytes[head..]).map(|i| i + head)
}

/// Line breaks in `bytes`. Every byte of the file passes through here once (the lazy line
/// count). Natively the compiler vectorises the plain loop; wasm32 has no vectors in this
/// build, so there a word of 8 bytes is tested at once.
#[cfg(not(target_arch = "wasm32"))]
fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

/// Line breaks in `bytes`, 8 bytes at a time (see the native version).
#[cfg(target_arch = "wasm32")]
fn count_newlines(bytes: &[u8]) -> u64 {
    count_newlines_by_word(bytes)
}

/// Counts the zero bytes of `word ^ "\n\n…"`: `(x & 0x7f…) + 0x7f…` sets a byte's high bit
/// when its low seven bits are not all zero, without carrying into the next byte, and `| x`
/// when its own high bit is set; what stays clear is exactly a zero byte.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn count_newlines_by_word(bytes: &[u8]) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let mut words = bytes.chunks_exact(8);
    let mut count = 0u64;
    for w in &mut words {
        let mut word = [0u8; 8];
        word.copy_from_slice(w);
        let x = u64::from_le_bytes(word) ^ (ONES * u64::from(b'\n'));
        count += u64::from((!(((x & LOW7) + LOW7) | x | LOW7)).count_ones());
    }
    count + words.remainder().iter().filter(|&&b| b == b'\n').count() as u64
}

#[cfg(test)]
mod tests;
