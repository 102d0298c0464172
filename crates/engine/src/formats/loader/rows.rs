//! How the streaming loader folds each record into its dataset: JSON records and CSV rows into
//! table rows or battles, with the per-row warnings (ragged rows, unreadable winners, fields that
//! only later records carry). Kept apart so the loader itself stays about splitting and closing.

use std::borrow::Cow;

use super::*;

/// A CSV row longer than this is almost surely not a row of a table (a file without line
/// breaks, or an unclosed quote); loading continues, with a warning.
const LONG_ROW_BYTES: usize = 16 << 20;

fn preview_cell(text: &str) -> String {
    match text.char_indices().nth(PREVIEW_CELL_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
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

impl StreamLoader {
    pub(super) fn on_json(&mut self, sink: &mut Sink, decoder: &mut FieldDecoder, r: RawJson<'_>) {
        match sink {
            Sink::Battles { builder, csv: Some(cols), json_columns } => {
                let Some(cells) = self.json_cells(r.bytes, decoder, r.line, json_columns) else {
                    return;
                };
                let cells: Vec<Cow<'_, str>> = cells.into_iter().map(Cow::Owned).collect();
                self.push_battle_cells(builder, cols, &cells, r.line);
            }
            Sink::Battles { builder, .. } => match builder.at_line(r.line).push_json(r.bytes) {
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

    /// The battle record at the start of `bytes`, read in place (see
    /// [`JsonSplitter::feed_fused`]): its length, or `None` to have it split out and read by
    /// [`Self::on_json`].
    pub(super) fn on_battle_prefix(&mut self, sink: &mut Sink, bytes: &[u8]) -> Option<usize> {
        let Sink::Battles { builder, csv: None, .. } = sink else { return None };
        let len = builder.push_json_prefix(bytes)?;
        self.rows += 1;
        Some(len)
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

    pub(super) fn accept_row(&mut self, table: &mut Table, cells: Vec<String>, line: u64) {
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

    pub(super) fn on_row(&mut self, ctx: &mut RowContext<'_>, r: RawRow<'_>) {
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
            others: cols
                .others
                .iter()
                .map(|(name, i)| (name.as_str(), get(Some(*i)).unwrap_or("")))
                .collect(),
        };
        builder.at_line(line);
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
}
