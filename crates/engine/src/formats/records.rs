//! Turning one raw record (JSON element bytes or CSV field bytes) into text cells: UTF-8 first,
//! the file's legacy encoding for fields that are not UTF-8, and JSON objects flattened into
//! dotted column paths.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::encoding::Legacy;

/// Decodes field bytes, falling back to a legacy encoding chosen on first need.
pub struct FieldDecoder {
    pub legacy: Option<Legacy>,
    /// Fields that needed the fallback.
    pub fallback_fields: u64,
    /// Line of the first such field.
    pub first_fallback_line: Option<u64>,
    /// Evidence for choosing the legacy encoding (the file's first bytes).
    pub evidence: Vec<u8>,
}

impl FieldDecoder {
    /// A decoder that will use `evidence` to choose a legacy encoding if ever needed.
    pub fn new(evidence: Vec<u8>) -> Self {
        Self { legacy: None, fallback_fields: 0, first_fallback_line: None, evidence }
    }

    /// Text of one field.
    pub fn decode<'a>(&mut self, bytes: &'a [u8], line: u64) -> Cow<'a, str> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => {
                let legacy = *self.legacy.get_or_insert_with(|| {
                    let mut sample = std::mem::take(&mut self.evidence);
                    sample.extend_from_slice(bytes);
                    Legacy::guess(&sample)
                });
                self.fallback_fields += 1;
                self.first_fallback_line.get_or_insert(line);
                Cow::Owned(legacy.decode(bytes))
            }
        }
    }
}

/// Flattens a JSON object into (dotted path, text) pairs: nested objects become `a.b`, arrays stay
/// JSON text, null becomes empty, numbers and booleans their JSON spelling.
pub fn flatten(object: &Map<String, Value>, out: &mut Vec<(String, String)>) {
    fn walk(prefix: &str, value: &Value, depth: u32, out: &mut Vec<(String, String)>) {
        match value {
            Value::Object(map) if depth < 3 && !map.is_empty() => {
                for (k, v) in map {
                    walk(&format!("{prefix}.{k}"), v, depth + 1, out);
                }
            }
            other => out.push((prefix.to_owned(), cell_text(other))),
        }
    }
    for (k, v) in object {
        walk(k, v, 0, out);
    }
}

/// The text of a JSON value as a table cell.
pub fn cell_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// Parses one JSON element, decoding legacy bytes first if it is not UTF-8.
pub fn parse_json(bytes: &[u8], decoder: &mut FieldDecoder, line: u64) -> Result<Value, String> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v) => Ok(v),
        Err(e) if std::str::from_utf8(bytes).is_err() => {
            let text = decoder.decode(bytes, line);
            serde_json::from_str(&text).map_err(|_| json_error_text(&e))
        }
        Err(e) => Err(json_error_text(&e)),
    }
}

/// serde_json's message without its "at line X column Y" tail (the record's own line is given).
pub fn json_error_text(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    match msg.find(" at line ") {
        Some(cut) => format!("{} (column {})", &msg[..cut], e.column()),
        None => msg,
    }
}
