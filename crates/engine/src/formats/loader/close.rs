//! The end of a streamed file: flush the splitter, report the encoding fallback, and turn the
//! sink (or a whole JSON document) into the dataset.

use super::*;

impl StreamLoader {
    pub(super) fn close(&mut self, mut running: Running) -> Dataset {
        // Flush the splitter.
        let flushed = match &mut running.splitter {
            Splitter::Json(splitter) => {
                let sink = &mut running.sink;
                let decoder = &mut running.decoder;
                let mut on_record = |r: RawJson<'_>| self.on_json(sink, decoder, r);
                splitter.finish(&mut on_record).map_err(|e| e.to_string())
            }
            // An empty chunk flushes the last record.
            Splitter::Csv(_) => self.feed_csv(&mut running, &[]),
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
                let (mut battles, notes) = builder.finish();
                battles.name_source(&self.summary.name);
                self.summary.numeric_columns = battles.numeric_names();
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
            let mut builder = BattleBuilder::new().skipping_judges(self.options.skip_judges);
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
