//! The streaming loader: bytes in (any chunk size), a [`ParsedFile`] out.
//!
//! The first `SNIFF_BYTES` are held back to decide format, delimiter, header and kind; from then on
//! every chunk is split into records and folded straight into the dataset (battles become columns
//! of ids, everything else a compact [`Table`]), so memory follows the parsed data, not the file.

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::Value;

use crate::battles::{BattleBuilder, CsvBattleFields};
use crate::dataset::{Dataset, DatasetKind, FileSummary, Format, ParsedFile, Severity};
use crate::table::Table;

use super::encoding::bom_len;
use super::kind::{self, KindGuess};
use super::records::{cell_text, flatten, parse_json, FieldDecoder};
use super::sniff;
use super::split::{CsvSplitter, JsonSplitter, RawJson, RawRow};
use super::warnings::WarningSet;
use super::LoadOptions;

#[cfg(not(target_arch = "wasm32"))]
mod segments;

/// Bytes looked at before deciding what the file is.
pub const SNIFF_BYTES: usize = 256 * 1024;
/// Rows shown in the dataset panel.
pub const PREVIEW_ROWS: usize = 5;

/// Longest preview cell, in characters: the preview crosses to the page and into the DOM, and
/// one 100 MB cell must not go with it.
pub const PREVIEW_CELL_CHARS: usize = 2_000;

/// A CSV row longer than this is almost surely not a row of a table (a file without line
/// breaks, or an unclosed quote); loading continues, with a warning.
const LONG_ROW_BYTES: usize = 16 << 20;

fn preview_cell(text: &str) -> String {
    match text.char_indices().nth(PREVIEW_CELL_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}
/// A JSON object (not array, not lines) must be parsed whole; refuse absurd ones.
const MAX_JSON_OBJECT_BYTES: usize = 512 << 20;

// One value per loaded file, moved rarely: boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
enum Splitter {
    Json(JsonSplitter),
    Csv(CsvSplitter),
    /// Whole-document JSON object: bytes are buffered and parsed at the end.
    Document(Vec<u8>),
}

// One value per loaded file, moved rarely: boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
enum Sink {
    Battles {
        builder: BattleBuilder,
        /// Column positions when records arrive as rows (CSV, or JSON with mapped columns).
        csv: Option<BattleColumns>,
        json_columns: HashMap<String, usize>,
    },
    Table {
        table: Table,
        json_columns: HashMap<String, usize>,
    },
}

/// Where a CSV battle's winner is.
enum WinnerColumns {
    /// A `winner` label column.
    Label(usize),
    /// The 55k Kaggle release: `winner_model_a`, `winner_model_b`, `winner_tie`, exactly one 1.
    OneHot([usize; 3]),
}

/// Column positions of battle fields in a CSV header.
struct BattleColumns {
    model_a: usize,
    model_b: usize,
    winner: WinnerColumns,
    /// The 55k release's `prompt`: a JSON-encoded list of the user turns (its length is `turn`).
    prompt_list: Option<usize>,
    judge: Option<usize>,
    turn: Option<usize>,
    anony: Option<usize>,
    language: Option<usize>,
    tstamp: Option<usize>,
}

struct Running {
    splitter: Splitter,
    sink: Sink,
    decoder: FieldDecoder,
    /// CSV: skip the header row when it reaches the splitter.
    skip_first_row: bool,
    width: usize,
}

/// Incremental loader; the browser worker and `load_bytes` both drive it.
pub struct StreamLoader {
    options: LoadOptions,
    prefix: Vec<u8>,
    running: Option<Running>,
    failed: bool,
    bytes_seen: u64,
    rows: u64,
    skipped: u64,
    warnings: WarningSet,
    summary: FileSummary,
    preview: Vec<Vec<String>>,
    /// Bytes at the start of the next push that are not data (a BOM).
    prefix_skip: usize,
}

impl StreamLoader {
    /// A loader for a file called `name`.
    pub fn new(name: &str, options: LoadOptions) -> Self {
        Self {
            options,
            prefix: Vec::new(),
            running: None,
            failed: false,
            bytes_seen: 0,
            rows: 0,
            skipped: 0,
            warnings: WarningSet::default(),
            summary: FileSummary::unread(name),
            preview: Vec::new(),
            prefix_skip: 0,
        }
    }

    /// Bytes fed so far.
    pub fn bytes_seen(&self) -> u64 {
        self.bytes_seen
    }

    /// Rows loaded so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// True once the file is known to be unusable (later chunks are ignored).
    pub fn has_failed(&self) -> bool {
        self.failed
    }

    /// Feeds the next chunk of the file.
    pub fn feed(&mut self, chunk: &[u8]) {
        self.bytes_seen += chunk.len() as u64;
        if self.failed {
            return;
        }
        if self.running.is_none() {
            self.prefix.extend_from_slice(chunk);
            if self.prefix.len() >= SNIFF_BYTES {
                let prefix = std::mem::take(&mut self.prefix);
                self.start(&prefix, false);
                self.push(&prefix);
            }
            return;
        }
        self.push(chunk);
    }

    /// Ends the file and returns what was loaded.
    pub fn finish(mut self) -> ParsedFile {
        if !self.failed && self.running.is_none() {
            let prefix = std::mem::take(&mut self.prefix);
            self.start(&prefix, true);
            self.push(&prefix);
        }
        let data = match self.running.take() {
            Some(running) if !self.failed => self.close(running),
            _ => Dataset::Empty,
        };
        let mut summary = self.summary;
        summary.rows = self.rows;
        summary.skipped_rows = self.skipped;
        summary.bytes = self.bytes_seen;
        summary.preview = self.preview;
        if self.skipped > 0 {
            self.warnings.file(
                Severity::Warning,
                format!(
                    "{} skipped (reasons above)",
                    crate::wording::counted(self.skipped, "row", "rows")
                ),
            );
        }
        if self.rows == 0 && !self.failed {
            self.warnings.file(Severity::Error, "no data rows found");
        }
        summary.warnings = self.warnings.into_vec();
        ParsedFile { summary, data }
    }

    fn fail(&mut self, message: String) {
        self.failed = true;
        self.warnings.file(Severity::Error, message);
    }

    /// Decides format, delimiter, header, columns and kind from the prefix.
    fn start(&mut self, prefix: &[u8], whole: bool) {
        let bom = bom_len(prefix);
        if bom > 0 {
            self.summary.encoding = "utf-8 (BOM)".into();
        }
        let body = &prefix[bom..];
        if let Err(e) = sniff::check_text(body) {
            self.fail(e.to_string());
            return;
        }
        let format = sniff::detect_format(body);
        self.summary.format = Some(format);
        let evidence = prefix[..prefix.len().min(64 * 1024)].to_vec();
        let mut decoder = FieldDecoder::new(evidence);
        let (columns, sample, headerless, splitter, skip_first_row) = match format {
            Format::Csv => {
                let delimiter =
                    self.options.delimiter.unwrap_or_else(|| sniff::detect_delimiter(body, whole));
                self.summary.delimiter = Some(delimiter as char);
                let rows = sniff::sample_rows(body, delimiter, 200, whole);
                let header = self.options.header.unwrap_or_else(|| sniff::detect_header(&rows));
                self.summary.header = header;
                let (columns, sample) = if header {
                    let names =
                        dedupe_names(rows.first().cloned().unwrap_or_default(), &mut self.warnings);
                    (names, rows.get(1..).map(<[_]>::to_vec).unwrap_or_default())
                } else {
                    let width = modal_width(&rows);
                    let names = if rows.iter().take(50).all(|r| kind::is_mmlu_row(r)) && width == 6
                    {
                        ["question", "A", "B", "C", "D", "answer"]
                            .iter()
                            .map(|s| s.to_string())
                            .collect()
                    } else {
                        (1..=width).map(|i| format!("col{i}")).collect()
                    };
                    (names, rows)
                };
                let skip = header;
                (columns, sample, !header, Splitter::Csv(CsvSplitter::new(delimiter)), skip)
            }
            Format::JsonArray | Format::Jsonl => {
                let lines = format == Format::Jsonl;
                let (columns, sample) = json_sample(body, lines, &mut decoder);
                self.summary.header = true;
                (columns, sample, false, Splitter::Json(JsonSplitter::new(lines)), false)
            }
            Format::JsonObject => {
                self.summary.header = true;
                (Vec::new(), Vec::new(), false, Splitter::Document(Vec::new()), false)
            }
            // Text sniffing never answers Parquet (PAR1 is refused as binary above).
            Format::Parquet => {
                self.fail("Parquet is read by formats::parquet, not the text loader".into());
                return;
            }
        };
        let original = columns.clone();
        let columns: Vec<String> = columns
            .into_iter()
            .map(|c| {
                self.options
                    .rename
                    .iter()
                    .find(|(from, _)| *from == c)
                    .map_or(c, |(_, to)| to.clone())
            })
            .collect();
        let guess = match self.options.kind {
            Some(kind) => KindGuess { kind, confidence: 1.0, reason: "chosen by the user".into() },
            None if format == Format::JsonObject => KindGuess {
                kind: DatasetKind::Unknown,
                confidence: 0.0,
                reason: "a single JSON object: decided after reading it".into(),
            },
            None => kind::detect(&columns, &sample, headerless),
        };
        self.summary.kind = guess.kind;
        self.summary.kind_confidence = guess.confidence;
        self.summary.kind_reason = guess.reason;
        self.summary.columns = columns.clone();
        let sink = match self.make_sink(guess.kind, &columns, &original, format) {
            Ok(sink) => sink,
            Err(message) => {
                self.fail(message);
                return;
            }
        };
        self.running =
            Some(Running { splitter, sink, decoder, skip_first_row, width: columns.len() });
        // The BOM is not data.
        if bom > 0 {
            self.prefix_skip = bom;
        }
    }

    fn make_sink(
        &self,
        kind: DatasetKind,
        columns: &[String],
        original: &[String],
        format: Format,
    ) -> Result<Sink, String> {
        // JSON records are looked up by their own keys, cells land under the (renamed) columns.
        let json_columns: HashMap<String, usize> =
            original.iter().enumerate().map(|(i, c)| (c.clone(), i)).collect();
        if kind == DatasetKind::BattleLog {
            // Mapped JSON records take the row path too: the fast path reads fixed field names.
            let csv = if format == Format::Csv || !self.options.rename.is_empty() {
                let find = |names: &[&str]| {
                    columns
                        .iter()
                        .position(|c| names.iter().any(|n| c.trim().eq_ignore_ascii_case(n)))
                };
                let need = |name: &str| {
                    find(&[name]).ok_or_else(|| {
                        format!(
                            "a battle log needs columns model_a, model_b and winner; `{name}` is missing (columns: {})",
                            columns.join(", ")
                        )
                    })
                };
                // model_a and model_b are named first when missing, whatever the winner columns.
                let model_a = need("model_a")?;
                let model_b = need("model_b")?;
                let one_hot =
                    (find(&["winner_model_a"]), find(&["winner_model_b"]), find(&["winner_tie"]));
                let winner = match (find(&["winner"]), one_hot) {
                    (Some(w), _) => WinnerColumns::Label(w),
                    (None, (Some(a), Some(b), Some(tie))) => WinnerColumns::OneHot([a, b, tie]),
                    _ => WinnerColumns::Label(need("winner")?),
                };
                let turn = find(&["turn"]);
                let prompt_list = match (&winner, turn) {
                    (WinnerColumns::OneHot(_), None) => find(&["prompt"]),
                    _ => None,
                };
                Some(BattleColumns {
                    model_a,
                    model_b,
                    winner,
                    prompt_list,
                    judge: find(&["judge"]),
                    turn,
                    anony: find(&["anony", "anonymous"]),
                    language: find(&["language", "lang"]),
                    tstamp: find(&["tstamp", "timestamp"]),
                })
            } else {
                None
            };
            return Ok(Sink::Battles { builder: BattleBuilder::new(), csv, json_columns });
        }
        Ok(Sink::Table { table: Table::new(columns.to_vec()), json_columns })
    }

    fn push(&mut self, chunk: &[u8]) {
        let skip = std::mem::take(&mut self.prefix_skip).min(chunk.len());
        let chunk = &chunk[skip..];
        let Some(mut running) = self.running.take() else { return };
        let result = match &mut running.splitter {
            Splitter::Json(splitter) => {
                let mut on_record =
                    |r: RawJson<'_>| self.on_json(&mut running.sink, &mut running.decoder, r);
                splitter.feed(chunk, &mut on_record).map_err(|e| e.to_string())
            }
            Splitter::Csv(splitter) => {
                let ctx = &mut RowContext {
                    sink: &mut running.sink,
                    decoder: &mut running.decoder,
                    skip_first_row: &mut running.skip_first_row,
                    width: running.width,
                };
                let mut on_row = |r: RawRow<'_>| self.on_row(ctx, r);
                splitter.feed(chunk, &mut on_row).map_err(|e| e.to_string())
            }
            Splitter::Document(buf) => {
                if buf.len() + chunk.len() > MAX_JSON_OBJECT_BYTES {
                    Err(format!(
                        "a single JSON object larger than {} MB cannot be loaded; use a JSON array or JSONL",
                        MAX_JSON_OBJECT_BYTES >> 20
                    ))
                } else {
                    buf.extend_from_slice(chunk);
                    Ok(())
                }
            }
        };
        match result {
            Ok(()) => self.running = Some(running),
            Err(message) => {
                self.fail(message);
            }
        }
    }

    fn on_json(&mut self, sink: &mut Sink, decoder: &mut FieldDecoder, r: RawJson<'_>) {
        match sink {
            Sink::Battles { builder, csv: Some(cols), json_columns } => {
                let Some(cells) = self.json_cells(r.bytes, decoder, r.line, json_columns) else {
                    return;
                };
                let cells: Vec<Cow<'_, str>> = cells.into_iter().map(Cow::Owned).collect();
                self.push_battle_cells(builder, cols, &cells, r.line);
            }
            Sink::Battles { builder, .. } => match builder.push_json(r.bytes) {
                Ok(()) => {
                    self.rows += 1;
                    if self.preview.len() < PREVIEW_ROWS {
                        if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(r.bytes) {
                            let row = self
                                .summary
                                .columns
                                .iter()
                                .map(|c| {
                                    map.get(c)
                                        .map(|v| preview_cell(&cell_text(v)))
                                        .unwrap_or_default()
                                })
                                .collect();
                            self.preview.push(row);
                        }
                    }
                }
                Err(e) => self.battle_row_error(e, r.line),
            },
            Sink::Table { table, json_columns } => {
                let Some(cells) = self.json_cells(r.bytes, decoder, r.line, json_columns) else {
                    return;
                };
                self.accept_row(table, cells, r.line);
            }
        }
    }

    /// One JSON record as cells in column order; `None` (counted and reported) when it is not
    /// a JSON object. Keys outside the columns are reported once and ignored.
    fn json_cells(
        &mut self,
        bytes: &[u8],
        decoder: &mut FieldDecoder,
        line: u64,
        json_columns: &HashMap<String, usize>,
    ) -> Option<Vec<String>> {
        let map = match parse_json(bytes, decoder, line) {
            Ok(Value::Object(map)) => map,
            Ok(_) => {
                self.skipped += 1;
                self.warnings.add(Severity::Warning, Some(line), None, "not an object", || {
                    "expected a JSON object (a record with named fields)".into()
                });
                return None;
            }
            Err(message) => {
                self.skipped += 1;
                self.warnings.add(Severity::Warning, Some(line), None, "invalid JSON", || {
                    format!("invalid JSON: {message}")
                });
                return None;
            }
        };
        let mut pairs = Vec::with_capacity(map.len());
        flatten(&map, &mut pairs);
        let mut cells = vec![String::new(); json_columns.len()];
        for (key, text) in pairs {
            match json_columns.get(&key) {
                Some(&i) => cells[i] = text,
                None => {
                    self.warnings.add(Severity::Info, Some(line), Some(&key), "new field", || {
                        extra_field_message(&key)
                    })
                }
            }
        }
        Some(cells)
    }

    fn accept_row(&mut self, table: &mut Table, cells: Vec<String>, line: u64) {
        let cells: Vec<Cow<'_, str>> = cells.into_iter().map(Cow::Owned).collect();
        self.accept_cells(table, &cells, line);
    }

    fn accept_cells(&mut self, table: &mut Table, cells: &[Cow<'_, str>], line: u64) {
        if table.push_row(cells.iter().map(|c| c.as_ref()), line) {
            self.rows += 1;
            if self.preview.len() < PREVIEW_ROWS {
                self.preview.push(cells.iter().map(|c| preview_cell(c)).collect());
            }
        } else {
            self.skipped += 1;
            self.warnings.add(Severity::Error, Some(line), None, "table full", || {
                "more than 4 GiB of cell text: the rest of the file was not loaded".into()
            });
        }
    }

    fn on_row(&mut self, ctx: &mut RowContext<'_>, r: RawRow<'_>) {
        if std::mem::take(ctx.skip_first_row) {
            return;
        }
        let row_bytes: usize = r.fields.iter().map(|f| f.len()).sum();
        if row_bytes > LONG_ROW_BYTES {
            self.warnings.add(Severity::Warning, Some(r.line), None, "huge row", || {
                format!(
                    "one row of {:.0} MB: this does not look like a table of records (no line breaks, or a quote that never closes?)",
                    row_bytes as f64 / 1e6
                )
            });
        }
        let mut cells: Vec<Cow<'_, str>> =
            r.fields.iter().map(|f| ctx.decoder.decode(f, r.line)).collect();
        if cells.len() != ctx.width {
            let (found, want) = (cells.len(), ctx.width);
            // A quote that never closes swallows the following lines into one field: say so,
            // since "row has 2 fields" alone hides the cause.
            let spanned: usize =
                r.fields.iter().map(|f| memchr::memchr_iter(b'\n', f).count()).sum();
            let class = match (spanned > 0, found < want) {
                (true, _) => "unbalanced quote",
                (false, true) => "short row",
                (false, false) => "long row",
            };
            self.warnings.add(Severity::Warning, Some(r.line), None, class, || {
                if spanned > 0 {
                    format!("row has {found} fields, expected {want}: a quoted field runs over the next {spanned} line(s), so a quote is probably never closed (unbalanced quotes); fix the quote and reload")
                } else if found < want {
                    format!("row has {found} fields, expected {want}: missing ones left empty")
                } else {
                    format!("row has {found} fields, expected {want}: extra ones dropped (unbalanced quotes or a stray delimiter?)")
                }
            });
            cells.resize(want, Cow::Borrowed(""));
        }
        match ctx.sink {
            Sink::Table { table, .. } => self.accept_cells(table, &cells, r.line),
            Sink::Battles { builder, csv, .. } => {
                let Some(cols) = csv.as_ref() else { return };
                self.push_battle_cells(builder, cols, &cells, r.line);
            }
        }
    }

    fn push_battle_cells(
        &mut self,
        builder: &mut BattleBuilder,
        cols: &BattleColumns,
        cells: &[Cow<'_, str>],
        line: u64,
    ) {
        let get = |i: Option<usize>| i.and_then(|i| cells.get(i)).map(|c| c.as_ref());
        let winner = match &cols.winner {
            WinnerColumns::Label(w) => get(Some(*w)).unwrap_or(""),
            WinnerColumns::OneHot(flags) => match one_hot_winner(flags.map(|i| get(Some(i)))) {
                Ok(label) => label,
                Err(problem) => {
                    self.skipped += 1;
                    self.warnings.add(
                        Severity::Warning,
                        Some(line),
                        Some("winner_model_a/winner_model_b/winner_tie"),
                        &problem.clone(),
                        || problem,
                    );
                    return;
                }
            },
        };
        let prompt_turns = cols
            .prompt_list
            .and_then(|i| get(Some(i)))
            .and_then(|text| serde_json::from_str::<Vec<serde_json::Value>>(text).ok())
            .map(|turns| turns.len().to_string());
        let fields = CsvBattleFields {
            model_a: get(Some(cols.model_a)).unwrap_or(""),
            model_b: get(Some(cols.model_b)).unwrap_or(""),
            winner,
            judge: get(cols.judge),
            turn: get(cols.turn).or(prompt_turns.as_deref()),
            anony: get(cols.anony),
            language: get(cols.language),
            tstamp: get(cols.tstamp),
        };
        match builder.push_fields(&fields) {
            Ok(()) => {
                self.rows += 1;
                if self.preview.len() < PREVIEW_ROWS {
                    self.preview.push(cells.iter().map(|c| preview_cell(c)).collect());
                }
            }
            Err(e) => self.battle_row_error(e, line),
        }
    }

    /// Counts a skipped battle and reports why, under its field when there is one.
    fn battle_row_error(&mut self, e: crate::battles::BattleRowError, line: u64) {
        self.skipped += 1;
        let (field, message) = match e {
            crate::battles::BattleRowError::Field { field, problem } => (Some(field), problem),
            other @ crate::battles::BattleRowError::Json(_) => (None, other.to_string()),
        };
        self.warnings.add(Severity::Warning, Some(line), field, &message.clone(), || message);
    }

    fn close(&mut self, mut running: Running) -> Dataset {
        // Flush the splitter.
        let flushed = match &mut running.splitter {
            Splitter::Json(splitter) => {
                let sink = &mut running.sink;
                let decoder = &mut running.decoder;
                let mut on_record = |r: RawJson<'_>| self.on_json(sink, decoder, r);
                splitter.finish(&mut on_record).map_err(|e| e.to_string())
            }
            Splitter::Csv(splitter) => {
                let ctx = &mut RowContext {
                    sink: &mut running.sink,
                    decoder: &mut running.decoder,
                    skip_first_row: &mut running.skip_first_row,
                    width: running.width,
                };
                let mut on_row = |r: RawRow<'_>| self.on_row(ctx, r);
                splitter.feed(&[], &mut on_row).map_err(|e| e.to_string())
            }
            Splitter::Document(buf) => {
                let buf = std::mem::take(buf);
                return self.close_document(&buf, running.decoder);
            }
        };
        if let Err(message) = flushed {
            let severity = if self.rows > 0 { Severity::Warning } else { Severity::Error };
            self.warnings.file(severity, message);
        }
        if let Some(line) = running.decoder.first_fallback_line {
            let name = running.decoder.legacy.map_or("a legacy encoding", |l| l.name());
            self.summary.encoding = name.to_owned();
            self.warnings.file(
                Severity::Info,
                format!(
                    "not valid UTF-8 (first at line {line}); {} fields decoded as {name}",
                    running.decoder.fallback_fields
                ),
            );
        }
        match running.sink {
            Sink::Battles { builder, .. } => {
                let (battles, notes) = builder.finish();
                for note in notes {
                    self.warnings.file(Severity::Warning, note);
                }
                Dataset::Battles(battles)
            }
            Sink::Table { table, .. } => Dataset::Table(table),
        }
    }

    /// A whole JSON object: its first array of objects holds the records (`{"data": [...]}`), or
    /// the object itself is one record.
    fn close_document(&mut self, buf: &[u8], mut decoder: FieldDecoder) -> Dataset {
        let value = match parse_json(buf, &mut decoder, 1) {
            Ok(v) => v,
            Err(message) => {
                self.fail(format!("invalid JSON: {message}"));
                return Dataset::Empty;
            }
        };
        let records: Vec<&serde_json::Map<String, Value>> = match &value {
            Value::Object(map) => {
                let array = map.values().find_map(|v| match v {
                    Value::Array(items) if items.iter().any(Value::is_object) => Some(items),
                    _ => None,
                });
                match array {
                    Some(items) => items.iter().filter_map(Value::as_object).collect(),
                    None => vec![map],
                }
            }
            _ => Vec::new(),
        };
        let mut columns: Vec<String> = Vec::new();
        let mut flat_rows = Vec::with_capacity(records.len());
        for record in records {
            let mut pairs = Vec::new();
            flatten(record, &mut pairs);
            for (k, _) in &pairs {
                if !columns.contains(k) {
                    columns.push(k.clone());
                }
            }
            flat_rows.push(pairs);
        }
        let sample: Vec<Vec<String>> = flat_rows
            .iter()
            .take(200)
            .map(|pairs| columns.iter().map(|c| lookup(pairs, c)).collect())
            .collect();
        if self.options.kind.is_none() {
            let guess = kind::detect(&columns, &sample, false);
            self.summary.kind = guess.kind;
            self.summary.kind_confidence = guess.confidence;
            self.summary.kind_reason = guess.reason;
        }
        self.summary.columns = columns.clone();
        if self.summary.kind == DatasetKind::BattleLog {
            let mut builder = BattleBuilder::new();
            for pairs in &flat_rows {
                let mut obj = serde_json::Map::new();
                for (k, v) in pairs {
                    obj.insert(k.clone(), Value::String(v.clone()));
                }
                let bytes = Value::Object(obj).to_string();
                if builder.push_json(bytes.as_bytes()).is_ok() {
                    self.rows += 1;
                } else {
                    self.skipped += 1;
                }
            }
            let (battles, notes) = builder.finish();
            for note in notes {
                self.warnings.file(Severity::Warning, note);
            }
            return Dataset::Battles(battles);
        }
        let mut table = Table::new(columns.clone());
        for pairs in &flat_rows {
            let cells: Vec<String> = columns.iter().map(|c| lookup(pairs, c)).collect();
            self.accept_row(&mut table, cells, 1);
        }
        Dataset::Table(table)
    }
}

/// The winner label of a 55k-style row from its three flags (`1`/`0`, `True`/`False`).
fn one_hot_winner(flags: [Option<&str>; 3]) -> Result<&'static str, String> {
    let mut set = [false; 3];
    for (slot, flag) in set.iter_mut().zip(flags) {
        *slot = match flag.map(str::trim) {
            Some("1" | "1.0" | "true" | "True" | "TRUE") => true,
            Some("0" | "0.0" | "false" | "False" | "FALSE" | "") | None => false,
            Some(other) => {
                return Err(format!("a winner flag must be 0 or 1, found {other:?}"));
            }
        };
    }
    match set {
        [true, false, false] => Ok("model_a"),
        [false, true, false] => Ok("model_b"),
        [false, false, true] => Ok("tie"),
        [false, false, false] => {
            Err("no winner flag set (exactly one of the three must be 1)".into())
        }
        _ => Err(format!(
            "{} winner flags set (exactly one of the three must be 1)",
            set.iter().filter(|&&f| f).count()
        )),
    }
}

struct RowContext<'a> {
    sink: &'a mut Sink,
    decoder: &'a mut FieldDecoder,
    skip_first_row: &'a mut bool,
    width: usize,
}

fn lookup(pairs: &[(String, String)], key: &str) -> String {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default()
}

/// Columns and sample rows from the first JSON records of a prefix.
fn json_sample(
    prefix: &[u8],
    lines: bool,
    decoder: &mut FieldDecoder,
) -> (Vec<String>, Vec<Vec<String>>) {
    let mut splitter = JsonSplitter::new(lines);
    let mut flat: Vec<Vec<(String, String)>> = Vec::new();
    let mut on_record = |r: RawJson<'_>| {
        if flat.len() >= 200 {
            return;
        }
        if let Ok(Value::Object(map)) = parse_json(r.bytes, decoder, r.line) {
            let mut pairs = Vec::new();
            flatten(&map, &mut pairs);
            flat.push(pairs);
        }
    };
    // A prefix usually ends mid-record; errors there are expected and irrelevant for a sample.
    let _ = splitter.feed(prefix, &mut on_record);
    if lines {
        let _ = splitter.finish(&mut on_record);
    }
    let mut columns: Vec<String> = Vec::new();
    for pairs in &flat {
        for (k, _) in pairs {
            if !columns.contains(k) {
                columns.push(k.clone());
            }
        }
    }
    let sample =
        flat.iter().map(|pairs| columns.iter().map(|c| lookup(pairs, c)).collect()).collect();
    (columns, sample)
}

/// Why a JSON field that only later records carry is not in the table, in words that say what
/// was (not) lost. The columns come from the first records; a field they lack has no column.
fn extra_field_message(key: &str) -> String {
    let top = key.split('.').next().unwrap_or(key);
    // Fields AlpacaEval annotation files add that no metric reads.
    let what = match top {
        "raw_completion" => " (the judge's raw API reply, which no AlpacaEval metric reads)",
        "price_per_example" | "time_per_example" => {
            " (the judge call's cost or time, which no AlpacaEval metric reads)"
        }
        _ => "",
    };
    format!(
        "optional field{what}, absent from the first records that set the columns, so its values are not loaded; no row was skipped and the other fields were read in full"
    )
}

fn modal_width(rows: &[Vec<String>]) -> usize {
    let mut counts: HashMap<usize, usize> = HashMap::new();
    for r in rows {
        *counts.entry(r.len()).or_default() += 1;
    }
    counts.into_iter().max_by_key(|&(w, n)| (n, w)).map_or(1, |(w, _)| w)
}

/// Empty header cells get `col<i>`; repeated names get `.1`, `.2` suffixes (as pandas does).
fn dedupe_names(names: Vec<String>, warnings: &mut WarningSet) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::with_capacity(names.len());
    for (i, name) in names.into_iter().enumerate() {
        let base =
            if name.trim().is_empty() { format!("col{}", i + 1) } else { name.trim().to_owned() };
        let n = seen.entry(base.clone()).or_default();
        if *n > 0 {
            let renamed = format!("{base}.{n}");
            warnings.add(Severity::Warning, Some(1), Some(&base), "duplicate header", || {
                format!("header repeated; later copy renamed `{renamed}`")
            });
            out.push(renamed);
        } else {
            out.push(base);
        }
        *n += 1;
    }
    out
}
