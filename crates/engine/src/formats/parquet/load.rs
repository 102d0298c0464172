//! One Parquet file to a [`ParsedFile`]: check the magic numbers, read the footer, choose the
//! dataset kind from the schema, then decode the chosen leaves row group by row group.

use parquet::basic::Compression;
use parquet::file::reader::{ChunkReader, RowGroupReader};

use crate::battles::BattleBuilder;
use crate::dataset::{Dataset, DatasetKind, FileSummary, Format, ParsedFile, Severity};
use crate::formats::kind::{self, KindGuess};
use crate::formats::loader::{PREVIEW_CELL_CHARS, PREVIEW_ROWS};
use crate::formats::warnings::WarningSet;
use crate::formats::LoadOptions;
use crate::progress::{block_on, Tick, Ticker};
use crate::table::Table;

use super::battles::BattlePlan;
use super::columns::{leaves, Leaf, LeafData};
use super::groups::battle_groups;
use super::prefetch::OpenFile;
use super::table::TablePlan;
use super::MAGIC;

/// Progress callback: `(rows done, rows in the file)`, called before each row group and at the end.
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64);

/// The stage a load reports to its ticker.
pub const STAGE: &str = "rows";

pub(super) const CANCELLED: &str = "loading was cancelled; the rows before this row group are kept";

pub(super) struct Run {
    /// An error-severity problem was recorded (no "no data rows" on top of it).
    failed: bool,
    pub(super) warnings: WarningSet,
    summary: FileSummary,
    pub(super) rows: u64,
    pub(super) skipped: u64,
    preview: Vec<Vec<String>>,
}

impl Run {
    fn fail(mut self, message: String) -> ParsedFile {
        self.error(message);
        self.finish(Dataset::Empty)
    }

    pub(super) fn error(&mut self, message: String) {
        self.failed = true;
        self.warnings.file(Severity::Error, message);
    }

    fn finish(mut self, data: Dataset) -> ParsedFile {
        self.warnings.close_rows(self.rows, self.skipped, self.failed);
        let mut summary = self.summary;
        summary.rows = self.rows;
        summary.skipped_rows = self.skipped;
        summary.preview = self.preview;
        summary.warnings = self.warnings.into_vec();
        ParsedFile { summary, data }
    }
}

fn preview_cell(text: &str) -> String {
    match text.char_indices().nth(PREVIEW_CELL_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(" ")
}

fn codec_name(c: Compression) -> &'static str {
    match c {
        Compression::UNCOMPRESSED => "uncompressed",
        Compression::SNAPPY => "snappy",
        Compression::GZIP(_) => "gzip",
        Compression::LZO => "LZO",
        Compression::BROTLI(_) => "brotli",
        Compression::LZ4 | Compression::LZ4_RAW => "lz4",
        Compression::ZSTD(_) => "zstd",
    }
}

/// Why this build cannot decompress a codec, or None when it can.
fn unsupported_codec(c: Compression) -> Option<String> {
    match c {
        Compression::LZO => Some(
            "compressed with LZO, which no Parquet reader for the web supports; re-save the file with snappy or zstd (pyarrow: pq.write_table(t, path, compression=\"snappy\"))".into(),
        ),
        Compression::ZSTD(_) if !cfg!(feature = "parquet-zstd") => Some(
            "compressed with zstd, which this build cannot decompress; load it with the benchlens CLI, or re-save it with snappy".into(),
        ),
        _ => None,
    }
}

/// Loads a Parquet file from any random-access source (a file, bytes in memory).
pub fn load_reader<R: ChunkReader + 'static>(
    name: &str,
    reader: R,
    options: &LoadOptions,
    progress: Progress<'_>,
) -> ParsedFile {
    let mut ticker = Ticker::new(|_, done, total| {
        progress(done, total);
        Tick::Continue
    });
    block_on(load_reader_async(name, reader, options, &mut ticker))
}

/// [`load_reader`] decoding a battle log's row groups on up to `threads` threads; the result is
/// the same as [`load_reader`]'s. Other dataset kinds are read in one thread.
#[cfg(not(target_arch = "wasm32"))]
pub fn load_reader_parallel<R: ChunkReader + 'static>(
    name: &str,
    reader: R,
    options: &LoadOptions,
    progress: Progress<'_>,
    threads: usize,
) -> ParsedFile {
    let mut ticker = Ticker::new(|_, done, total| {
        progress(done, total);
        Tick::Continue
    });
    block_on(load_with(name, reader, options, &mut ticker, threads))
}

/// [`load_reader`] as a pausable computation: `ticker` hears `("rows", done, total)` before each
/// row group (and once at the end), so the browser worker can report progress, let a Cancel
/// message in between row groups, and stop. A stopped load returns the rows read so far with an
/// error saying so; the caller that cancelled discards it.
pub async fn load_reader_async<R: ChunkReader + 'static>(
    name: &str,
    reader: R,
    options: &LoadOptions,
    ticker: &mut Ticker<'_>,
) -> ParsedFile {
    load_with(name, reader, options, ticker, 1).await
}

async fn load_with<R: ChunkReader + 'static>(
    name: &str,
    reader: R,
    options: &LoadOptions,
    ticker: &mut Ticker<'_>,
    threads: usize,
) -> ParsedFile {
    let size = reader.len();
    let mut run = Run {
        failed: false,
        warnings: WarningSet::default(),
        summary: FileSummary {
            format: Some(Format::Parquet),
            encoding: "parquet".into(),
            header: true,
            bytes: size,
            ..FileSummary::unread(name)
        },
        rows: 0,
        skipped: 0,
        preview: Vec::new(),
    };
    if size < 12 {
        return run.fail(format!(
            "{size} bytes is too short for a Parquet file (at least 12: magic, footer length, magic)"
        ));
    }
    let head = reader.get_bytes(0, 4).map(|b| b.to_vec()).unwrap_or_default();
    let tail = reader.get_bytes(size - 4, 4).map(|b| b.to_vec()).unwrap_or_default();
    if head != MAGIC {
        return run.fail(format!(
            "wrong magic number: a Parquet file starts with PAR1 (50 41 52 31), this one with {}; it is not Parquet, or it is damaged",
            hex(&head)
        ));
    }
    if tail == b"PARE" {
        return run
            .fail("encrypted Parquet (footer magic PARE) cannot be read; decrypt it first".into());
    }
    if tail != MAGIC {
        return run.fail(format!(
            "truncated Parquet file: it starts with PAR1 but its last 4 bytes are {} instead of PAR1, so the footer (the schema and where the row groups are) is missing; the download or copy was probably cut short ({size} bytes)",
            hex(&tail)
        ));
    }
    let file = match OpenFile::new(reader) {
        Ok(f) => f,
        Err(e) => {
            return run.fail(format!(
                "the Parquet footer cannot be read ({e}); the file is damaged or truncated"
            ))
        }
    };
    let meta = file.metadata();
    let leaves = leaves(meta.file_metadata().schema_descr());
    let mut codecs: Vec<&str> = Vec::new();
    for g in meta.row_groups() {
        for c in g.columns() {
            let name = codec_name(c.compression());
            if !codecs.contains(&name) {
                codecs.push(name);
            }
        }
    }
    codecs.sort_unstable();
    run.summary.encoding = format!("parquet ({})", codecs.join(", "));
    let rename = |n: String| {
        options.rename.iter().find(|(from, _)| *from == n).map_or(n, |(_, to)| to.clone())
    };
    let table_plan = TablePlan::new(&leaves);
    let columns: Vec<String> = table_plan.columns.iter().cloned().map(rename).collect();
    run.summary.columns = columns.clone();
    let guess = match options.kind {
        Some(kind) => KindGuess { kind, confidence: 1.0, reason: "chosen by the user".into() },
        None => kind::detect(&columns, &[], false),
    };
    let total = meta.file_metadata().num_rows().max(0) as u64;
    if guess.kind == DatasetKind::BattleLog {
        run.summary.kind = guess.kind;
        run.summary.kind_confidence = guess.confidence;
        run.summary.kind_reason = kind::published_reason(&columns).unwrap_or(guess.reason);
        let name_of = |l: &Leaf| rename(l.name());
        let plan = match BattlePlan::new(&leaves, &name_of) {
            Ok(plan) => plan,
            Err(missing) => {
                return run.fail(format!(
                    "a battle log needs columns model_a, model_b and winner (or winner_model_a, winner_model_b, winner_tie); missing: {} (columns: {})",
                    missing.0.join(", "),
                    columns.join(", ")
                ))
            }
        };
        if !plan.has_anony {
            run.warnings.file(
                Severity::Info,
                "no `anony` column: in LMArena's releases every vote is anonymous, so all rows are kept and the anonymous-only filter does not apply",
            );
        }
        let projected: Vec<Leaf> =
            plan.projection.iter().filter_map(|&i| leaves.get(i).cloned()).collect();
        let mut builder = BattleBuilder::new();
        let done =
            battle_groups(&file, &projected, &plan, &mut run, ticker, threads, &mut builder).await;
        ticker.tick(STAGE, done, total).await;
        let (mut battles, notes) = builder.finish();
        battles.name_source(&run.summary.name);
        run.summary.numeric_columns = battles.numeric_names();
        for note in notes {
            run.warnings.file(Severity::Warning, note);
        }
        // The preview shows the battle columns that were read, as the columns list names them.
        fill_battle_preview(&mut run, &battles);
        return run.finish(Dataset::Battles(battles));
    }

    let projected: Vec<Leaf> =
        table_plan.projection.iter().filter_map(|&i| leaves.get(i).cloned()).collect();
    let mut table = Table::new(columns.clone());
    let mut cells = Vec::new();
    let per_row = |data: &mut [LeafData], row: u64, _: usize, run: &mut Run| {
        table_plan.next_row(data, &mut cells);
        if table.push_row(cells.iter().map(String::as_str), row) {
            run.rows += 1;
            if run.preview.len() < PREVIEW_ROWS {
                run.preview.push(cells.iter().map(|c| preview_cell(c)).collect());
            }
            true
        } else {
            run.skipped += 1;
            run.warnings.add(Severity::Error, Some(row), None, "table full", || {
                "more than 4 GiB of cell text: the rest of the file was not loaded".into()
            });
            false
        }
    };
    let done = each_row(&file, &projected, &mut run, ticker, total, per_row).await;
    ticker.tick(STAGE, done, total).await;
    let guess = match options.kind {
        Some(_) => guess,
        None => {
            let sample: Vec<Vec<String>> = (0..table.n_rows().min(200))
                .map(|r| table.row(r).map(str::to_owned).collect())
                .collect();
            kind::detect(&columns, &sample, false)
        }
    };
    run.summary.kind = guess.kind;
    run.summary.kind_confidence = guess.confidence;
    run.summary.kind_reason = kind::published_reason(&columns).unwrap_or(guess.reason);
    if guess.kind == DatasetKind::Unknown {
        run.warnings.file(Severity::Warning, kind::no_schema_message(&columns));
    }
    run.finish(Dataset::Table(table))
}

/// Feeds every row of every row group to `per_row(leaves, row number, row group, run)`, which
/// reads one record from the group's decoded leaves; false skips the rest of that group. Returns
/// the rows walked (the file's, unless the ticker stopped the load or a group was unreadable).
async fn each_row<R: ChunkReader + 'static>(
    file: &OpenFile<R>,
    projected: &[Leaf],
    run: &mut Run,
    ticker: &mut Ticker<'_>,
    total: u64,
    mut per_row: impl FnMut(&mut [LeafData], u64, usize, &mut Run) -> bool,
) -> u64 {
    let mut done = 0u64;
    for g in 0..file.num_row_groups() {
        let Some((mut data, rows)) =
            next_group(file, g, projected, run, ticker, (done, total)).await
        else {
            break;
        };
        for r in 0..rows {
            if !per_row(&mut data, done + r + 1, g, run) {
                break;
            }
        }
        done += rows;
    }
    done
}

/// Row group `g`'s projected leaves and its row count, after telling `ticker` how far the load is
/// (`progress` = rows done, rows in the file); None when the ticker stops the load or the group
/// cannot be read (the error is recorded).
async fn next_group<R: ChunkReader + 'static>(
    file: &OpenFile<R>,
    g: usize,
    projected: &[Leaf],
    run: &mut Run,
    ticker: &mut Ticker<'_>,
    progress: (u64, u64),
) -> Option<(Vec<LeafData>, u64)> {
    if !ticker.tick(STAGE, progress.0, progress.1).await {
        run.error(CANCELLED.into());
        return None;
    }
    match read_group(file, g, projected, run.rows + run.skipped) {
        Ok(data) => Some((data, file.group_rows(g))),
        Err(message) => {
            run.error(message);
            None
        }
    }
}

/// Decodes the projected leaves of row group `g`, whose first row follows `before` rows; the error
/// names the row group, its rows and the column when one cannot be read.
pub(super) fn read_group<R: ChunkReader + 'static>(
    file: &OpenFile<R>,
    g: usize,
    projected: &[Leaf],
    before: u64,
) -> Result<Vec<LeafData>, String> {
    let meta = file.metadata().row_group(g);
    let rows = file.group_rows(g) as usize;
    let group: Box<dyn RowGroupReader + '_> = file.row_group(g, projected).map_err(|e| {
        format!(
            "row group {} of {}: cannot be read ({e}); the rows before it are kept",
            g + 1,
            file.num_row_groups()
        )
    })?;
    let mut data = Vec::with_capacity(projected.len());
    for leaf in projected {
        let located = |what: String| {
            format!(
                "row group {} of {} (rows {}–{}), column `{}`: {what}",
                g + 1,
                file.num_row_groups(),
                before + 1,
                before + rows as u64,
                leaf.physical
            )
        };
        if let Some(why) =
            meta.columns().get(leaf.index).and_then(|c| unsupported_codec(c.compression()))
        {
            return Err(located(why));
        }
        if let super::columns::Conversion::Unsupported(ty) = leaf.conversion {
            return Err(located(format!("type {ty} is not supported (benchlens reads text, numbers, booleans, timestamps, lists and structs: cast the column to one of those before saving, e.g. float64 or string)")));
        }
        match LeafData::read(group.as_ref(), leaf, rows) {
            Ok(d) => data.push(d),
            Err(e) => {
                return Err(located(format!(
                    "cannot be decoded ({e}); the rows before this row group are kept"
                )))
            }
        }
    }
    Ok(data)
}

fn fill_battle_preview(run: &mut Run, battles: &crate::Battles) {
    let cols = &run.summary.columns;
    let find = |n: &str| cols.iter().position(|c| c.eq_ignore_ascii_case(n));
    let (a, b, w) = (find("model_a"), find("model_b"), find("winner"));
    for i in 0..battles.len().min(PREVIEW_ROWS) {
        let mut row = vec![String::new(); cols.len()];
        let name = |ids: &Vec<u32>| {
            ids.get(i).and_then(|&id| battles.models.get(id as usize)).cloned().unwrap_or_default()
        };
        if let Some(a) = a.and_then(|a| row.get_mut(a)) {
            *a = name(&battles.model_a);
        }
        if let Some(b) = b.and_then(|b| row.get_mut(b)) {
            *b = name(&battles.model_b);
        }
        if let Some(w) = w.and_then(|w| row.get_mut(w)) {
            *w = battles.outcome.get(i).map(|o| o.label().to_owned()).unwrap_or_default();
        }
        run.preview.push(row);
    }
}
