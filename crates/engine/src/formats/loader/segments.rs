//! What parallel intake (`formats::parallel`) needs from a loader: fork one for a later segment
//! of the same file, check that a segment ends between two elements, and take a finished
//! segment over. Native only; kept apart so the loader itself stays about streaming.

use super::{
    BattleBuilder, FieldDecoder, JsonSplitter, Running, Sink, Splitter, StreamLoader, PREVIEW_ROWS,
};

impl StreamLoader {
    /// True once the prefix has been read and the format and kind are decided.
    pub(crate) fn is_running(&self) -> bool {
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

    /// True when this file can be cut into segments (a JSON battle log read by the fast path).
    pub(crate) fn can_split(&self) -> bool {
        self.battle_json_splitter().is_some()
    }

    /// Where an element probably starts in `window`; `None` when this file cannot be split.
    pub(crate) fn guess_element_start(&self, window: &[u8]) -> Option<usize> {
        self.battle_json_splitter()?.guess_element_start(window)
    }

    /// True when the bytes fed so far end exactly before an element.
    pub(crate) fn at_element_boundary(&self) -> bool {
        self.battle_json_splitter().is_some_and(JsonSplitter::at_element_boundary)
    }

    /// A loader with this one's decisions (format, kind, columns) for a later segment of the same
    /// file that starts at an element. `None` unless the file is a JSON battle log.
    pub(crate) fn fork(&self) -> Option<StreamLoader> {
        let splitter = self.battle_json_splitter()?.continuing();
        let Some(Running { sink: Sink::Battles { json_columns, .. }, width, .. }) = &self.running
        else {
            return None;
        };
        let sink = Sink::Battles {
            builder: BattleBuilder::new(),
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
    pub(crate) fn absorb(&mut self, mut later: StreamLoader) -> bool {
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
        self.bytes_seen += later.bytes_seen;
        self.rows += later.rows;
        self.skipped += later.skipped;
        self.warnings.absorb(later.warnings, line_offset);
        let room = PREVIEW_ROWS.saturating_sub(self.preview.len());
        self.preview.extend(later.preview.into_iter().take(room));
        true
    }
}
