//! The streaming loader: bytes in (any chunk size), a [`ParsedFile`] out.
//!
//! The first `SNIFF_BYTES` are held back to decide format, delimiter, header and kind; from then on
//! every chunk is split into records and folded straight into the dataset (battles become columns
//! of ids, everything else a compact [`Table`]), so memory follows the parsed data, not the file.

use std::collections::HashMap;

use serde_json::Value;

use crate::battles::{BattleBuilder, CsvBattleFields};
use crate::dataset::{Dataset, DatasetKind, FileSummary, Format, ParsedFile, Severity};
use crate::table::Table;

use super::encoding::bom_len;
use super::kind::{self, KindGuess};
use super::records::{cell_text, flatten, parse_json, FieldDecoder};
use super::sniff;
use super::split::{CsvSplitter, JsonSplitter, Piece, RawJson, RawRow};
use super::warnings::WarningSet;
use super::LoadOptions;

mod close;
mod rows;
mod segments;

pub use segments::SegmentPart;

/// Bytes looked at before deciding what the file is.
pub const SNIFF_BYTES: usize = 256 * 1024;
/// Rows shown in the dataset panel.
pub const PREVIEW_ROWS: usize = 5;

/// Longest preview cell, in characters: the preview crosses to the page and into the DOM, and
/// one 100 MB cell must not go with it.
pub const PREVIEW_CELL_CHARS: usize = 2_000;

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
    /// Every other column by name: numeric ones become side columns (a weight).
    others: Vec<(String, usize)>,
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
        self.warnings.close_rows(self.rows, self.skipped, self.failed);
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
                let mut cols = BattleColumns {
                    model_a,
                    model_b,
                    winner,
                    prompt_list,
                    judge: find(&["judge"]),
                    turn,
                    anony: find(&["anony", "anonymous"]),
                    language: find(&["language", "lang"]),
                    tstamp: find(&["tstamp", "timestamp"]),
                    others: Vec::new(),
                };
                let mut used = vec![Some(model_a), Some(model_b), cols.prompt_list, cols.judge];
                used.extend([cols.turn, cols.anony, cols.language, cols.tstamp]);
                match cols.winner {
                    WinnerColumns::Label(w) => used.push(Some(w)),
                    WinnerColumns::OneHot(flags) => used.extend(flags.map(Some)),
                }
                cols.others = (columns.iter().enumerate())
                    .filter(|(i, _)| !used.contains(&Some(*i)))
                    .map(|(i, name)| (name.clone(), i))
                    .collect();
                Some(cols)
            } else {
                None
            };
            let builder = BattleBuilder::new().skipping_judges(self.options.skip_judges);
            return Ok(Sink::Battles { builder, csv, json_columns });
        }
        Ok(Sink::Table { table: Table::new(columns.to_vec()), json_columns })
    }

    fn push(&mut self, chunk: &[u8]) {
        let skip = std::mem::take(&mut self.prefix_skip).min(chunk.len());
        let chunk = &chunk[skip..];
        let Some(mut running) = self.running.take() else { return };
        let result = match &mut running.splitter {
            Splitter::Json(splitter) => {
                // Battle records are read in place once the preview (which wants whole records)
                // is full.
                let battle_json = matches!(running.sink, Sink::Battles { csv: None, .. });
                let mut on_piece = |piece: Piece<'_>| match piece {
                    Piece::Record(r) => {
                        self.on_json(&mut running.sink, &mut running.decoder, r);
                        None
                    }
                    Piece::Prefix(bytes) if battle_json && self.preview.len() >= PREVIEW_ROWS => {
                        self.on_battle_prefix(&mut running.sink, bytes)
                    }
                    Piece::Prefix(_) => None,
                };
                splitter.feed_fused(chunk, &mut on_piece).map_err(|e| e.to_string())
            }
            Splitter::Csv(_) => self.feed_csv(&mut running, chunk),
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

    /// Splits CSV bytes into rows and folds them into the sink.
    fn feed_csv(&mut self, running: &mut Running, chunk: &[u8]) -> Result<(), String> {
        let Splitter::Csv(splitter) = &mut running.splitter else { return Ok(()) };
        let ctx = &mut RowContext {
            sink: &mut running.sink,
            decoder: &mut running.decoder,
            skip_first_row: &mut running.skip_first_row,
            width: running.width,
        };
        let mut on_row = |r: RawRow<'_>| self.on_row(ctx, r);
        splitter.feed(chunk, &mut on_row).map_err(|e| e.to_string())
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
