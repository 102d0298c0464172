//! What parallel intake (`formats::parallel` on threads, the page's worker pool) needs from a
//! loader: fork one for a later segment of the same file, check that a segment ends between two
//! elements, and take a finished segment over, in this thread or as a [`SegmentPart`] that came
//! from another worker. Kept apart so the loader itself stays about streaming.

use serde::{Deserialize, Serialize};

use super::{
    BattleBuilder, FieldDecoder, JsonSplitter, Running, Sink, Splitter, StreamLoader, PREVIEW_ROWS,
};
use crate::battles::{BuilderPart, ColumnSource, InPart};
use crate::formats::warnings::WarningsPart;

/// What a segment's loader hands to the loader of the segments before it, as plain data: a Web
/// Worker cannot share a loader, so the page's pool sends this (as bytes) instead. Only a segment
/// that ended exactly between two elements becomes one.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SegmentPart {
    builder: BuilderPart,
    warnings: WarningsPart,
    bytes_seen: u64,
    rows: u64,
    skipped: u64,
    preview: Vec<Vec<String>>,
    /// Line breaks in the segment: where the next segment's line numbers start.
    newlines: u64,
    /// The segment is the file's last and ends with the array's `]`: nothing may follow it.
    #[serde(default)]
    ends_array: bool,
}

impl SegmentPart {
    /// Rows the segment loaded.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The segment's battles (see [`BuilderPart::battles_mut`]).
    pub fn battles_mut(&mut self) -> &mut crate::battles::Battles {
        self.builder.battles_mut()
    }
}

impl StreamLoader {
    /// True once the prefix has been read and the format and kind are decided.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// The JSON splitter of a battle log read by the fast path: the only intake that parallel
    /// loading splits (its records are independent and its sink merges exactly).
    fn battle_json_splitter(&self) -> Option<&JsonSplitter> {
        match self.running.as_ref()? {
            Running {
                splitter: Splitter::Json(splitter),
                sink: Sink::Battles { csv: None, .. },
                ..
            } if !self.failed => Some(splitter),
            _ => None,
        }
    }

    /// Makes room for `rows` battles in all (a battle log's columns; nothing otherwise), so a
    /// caller that knows about how many the file holds avoids growing them by doubling (the
    /// page's pool: each doubling leaves its old block in a wasm memory that never shrinks).
    pub fn reserve_battles(&mut self, rows: usize) {
        if let Some(Running { sink: Sink::Battles { builder, .. }, .. }) = self.running.as_mut() {
            builder.reserve(rows.saturating_sub(builder.len()));
        }
    }

    /// True when this file can be cut into segments (a JSON battle log read by the fast path).
    pub fn can_split(&self) -> bool {
        self.battle_json_splitter().is_some()
    }

    /// Where an element probably starts in `window`; `None` when this file cannot be split.
    pub fn guess_element_start(&self, window: &[u8]) -> Option<usize> {
        self.battle_json_splitter()?.guess_element_start(window)
    }

    /// True when the bytes fed so far end exactly before an element.
    pub fn at_element_boundary(&self) -> bool {
        self.battle_json_splitter().is_some_and(JsonSplitter::at_element_boundary)
    }

    /// A loader with this one's decisions (format, kind, columns) for a later segment of the same
    /// file that starts at an element. `None` unless the file is a JSON battle log.
    pub fn fork(&self) -> Option<StreamLoader> {
        let splitter = self.battle_json_splitter()?.continuing();
        let Some(Running { sink: Sink::Battles { json_columns, .. }, width, .. }) = &self.running
        else {
            return None;
        };
        let sink = Sink::Battles {
            builder: BattleBuilder::new().skipping_judges(self.options.skip_judges),
            csv: None,
            json_columns: json_columns.clone(),
        };
        let mut fork = StreamLoader::new(&self.summary.name, self.options.clone());
        fork.summary = self.summary.clone();
        fork.running = Some(Running {
            splitter: Splitter::Json(splitter),
            sink,
            decoder: FieldDecoder::new(Vec::new()),
            skip_first_row: false,
            width: *width,
        });
        Some(fork)
    }

    /// Takes over a fork that was fed the bytes right after this loader's: its rows, warnings
    /// (lines moved to file lines) and its splitter state, so feeding can go on from the end of
    /// its segment. Returns false, changing nothing, when either side is not a battle log.
    pub fn absorb(&mut self, mut later: StreamLoader) -> bool {
        let (Some(mine), Some(theirs)) = (self.running.as_mut(), later.running.take()) else {
            return false;
        };
        let (
            Splitter::Json(my_splitter),
            Sink::Battles { builder: my_builder, .. },
            Splitter::Json(mut their_splitter),
            Sink::Battles { builder: their_builder, .. },
        ) = (&mut mine.splitter, &mut mine.sink, theirs.splitter, theirs.sink)
        else {
            return false;
        };
        let line_offset = my_splitter.newlines_fed();
        their_splitter.shift_lines(line_offset);
        *my_splitter = their_splitter;
        let mut their_builder = their_builder;
        their_builder.shift_positions(line_offset);
        my_builder.absorb(their_builder);
        let tallies = SegmentPart {
            warnings: std::mem::take(&mut later.warnings).into_part(),
            bytes_seen: later.bytes_seen,
            rows: later.rows,
            skipped: later.skipped,
            preview: std::mem::take(&mut later.preview),
            ..SegmentPart::default()
        };
        self.add_tallies(tallies, line_offset);
        true
    }

    /// Adds a later segment's counts, warnings (lines moved down by `line_offset`) and preview
    /// rows; its battles are the caller's to merge.
    fn add_tallies(&mut self, later: SegmentPart, line_offset: u64) {
        self.bytes_seen += later.bytes_seen;
        self.rows += later.rows;
        self.skipped += later.skipped;
        self.warnings.absorb_part(later.warnings, line_offset);
        let room = PREVIEW_ROWS.saturating_sub(self.preview.len());
        self.preview.extend(later.preview.into_iter().take(room));
    }

    /// This segment's results for [`Self::absorb_part`] in another worker; `None` unless it is a
    /// battle log that ended exactly between two elements, or (the file's last segment) right
    /// after the array's `]` (then the merging side reads this segment itself). A JSON Lines
    /// file whose last line has no line break gives no part for its last segment.
    pub fn into_segment_part(mut self) -> Option<SegmentPart> {
        let (newlines, ends_array) = match self.battle_json_splitter() {
            Some(splitter) if splitter.at_element_boundary() => (splitter.newlines_fed(), false),
            Some(splitter) if splitter.ended_array() => (splitter.newlines_fed(), true),
            _ => return None,
        };
        let Some(Running { sink: Sink::Battles { builder, .. }, .. }) = self.running.take() else {
            return None;
        };
        Some(SegmentPart {
            builder: builder.into_part(),
            warnings: std::mem::take(&mut self.warnings).into_part(),
            bytes_seen: self.bytes_seen,
            rows: self.rows,
            skipped: self.skipped,
            preview: self.preview,
            newlines,
            ends_array,
        })
    }

    /// Takes over a segment that was loaded elsewhere from the bytes right after this loader's,
    /// as [`Self::absorb`] does; feeding can go on from the end of that segment. Returns false,
    /// changing nothing, unless this loader is a battle log that ends between two elements.
    pub fn absorb_part(&mut self, later: SegmentPart) -> bool {
        self.absorb_part_from(later, &mut InPart)
    }

    /// [`Self::absorb_part`] for a part that arrived without its per-battle columns: `source`
    /// appends each onto the merged column when the merge comes to it (see [`ColumnSource`]).
    /// False when this loader cannot take the part (nothing changed) or the source failed (this
    /// loader is then half merged and must be discarded).
    pub fn absorb_part_from(
        &mut self,
        mut later: SegmentPart,
        source: &mut dyn ColumnSource,
    ) -> bool {
        if !self.at_element_boundary() {
            return false;
        }
        let Some(Running {
            splitter: Splitter::Json(my_splitter),
            sink: Sink::Battles { builder, .. },
            ..
        }) = self.running.as_mut()
        else {
            return false;
        };
        let line_offset = my_splitter.newlines_fed();
        // Both ends of the segment lie between elements, so the splitter's state after it is a
        // fresh continuing one, only further down the file.
        let mut after = my_splitter.continuing();
        after.shift_lines(line_offset + later.newlines);
        if later.ends_array {
            after.mark_closed();
        }
        *my_splitter = after;
        later.builder.shift_positions(line_offset);
        if !builder.absorb_part_from(std::mem::take(&mut later.builder), source) {
            return false;
        }
        self.add_tallies(later, line_offset);
        true
    }
}
