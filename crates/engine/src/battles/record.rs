//! The reference reading of one JSON battle record: serde validates every field and the errors
//! name the field at fault. The fast scanner (`battle_scan`) hands over to this path whenever a
//! record is unusual, so both must yield the same [`Scanned`] fields.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::battle_scan::Scanned;

use super::BattleRowError;

#[derive(Deserialize)]
struct RawBattle<'a> {
    #[serde(borrow)]
    model_a: Cow<'a, str>,
    #[serde(borrow)]
    model_b: Cow<'a, str>,
    #[serde(borrow)]
    winner: Cow<'a, str>,
    #[serde(default, borrow)]
    judge: Option<Cow<'a, str>>,
    #[serde(default)]
    turn: Option<f64>,
    #[serde(default)]
    anony: Option<bool>,
    #[serde(default, borrow)]
    language: Option<Cow<'a, str>>,
    #[serde(default)]
    tstamp: Option<f64>,
    #[serde(default)]
    conv_metadata: Option<ConvMetadata>,
    #[serde(default)]
    dedup_tag: Option<DedupTag>,
    #[serde(default, borrow)]
    category_tag: Option<&'a RawValue>,
}

#[derive(Deserialize, Default)]
struct ConvMetadata {
    #[serde(default)]
    sum_assistant_a_tokens: Option<f64>,
    #[serde(default)]
    sum_assistant_b_tokens: Option<f64>,
    #[serde(default)]
    header_count_a: Option<SumOfValues>,
    #[serde(default)]
    header_count_b: Option<SumOfValues>,
    #[serde(default)]
    list_count_a: Option<SumOfValues>,
    #[serde(default)]
    list_count_b: Option<SumOfValues>,
    #[serde(default)]
    bold_count_a: Option<SumOfValues>,
    #[serde(default)]
    bold_count_b: Option<SumOfValues>,
}

/// The sum of a JSON object's numeric values (`{"h1": 0, "h2": 3}` → 3), read without allocating:
/// a million battles carry six such maps each.
struct SumOfValues(f64);

impl<'de> Deserialize<'de> for SumOfValues {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = SumOfValues;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of counts")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<SumOfValues, A::Error> {
                let mut sum = 0.0;
                while let Some((_, v)) = map.next_entry::<serde::de::IgnoredAny, Option<f64>>()? {
                    sum += v.unwrap_or(0.0);
                }
                Ok(SumOfValues(sum))
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

#[derive(Deserialize)]
struct DedupTag {
    #[serde(default)]
    sampled: Option<bool>,
}

fn sum_values(map: &Option<SumOfValues>) -> f32 {
    map.as_ref().map_or(f32::NAN, |m| m.0 as f32)
}

/// The first battle field that is missing or of the wrong JSON type, as a located error.
fn field_type_error(bytes: &[u8]) -> Option<BattleRowError> {
    let serde_json::Value::Object(map) = serde_json::from_slice(bytes).ok()? else { return None };
    for field in ["model_a", "model_b", "winner"] {
        if !map.contains_key(field) {
            return Some(BattleRowError::Field { field, problem: "missing".into() });
        }
    }
    let check = |field: &'static str, what: &str, ok: fn(&serde_json::Value) -> bool| {
        let v = map.get(field)?;
        (!ok(v)).then(|| BattleRowError::Field {
            field,
            problem: format!("expected {what}, found {v}"),
        })
    };
    check("model_a", "a string", |v| v.is_string())
        .or_else(|| check("model_b", "a string", |v| v.is_string()))
        .or_else(|| check("winner", "a string", |v| v.is_string()))
        .or_else(|| check("tstamp", "a number", |v| v.is_number() || v.is_null()))
        .or_else(|| check("turn", "a number", |v| v.is_number() || v.is_null()))
        .or_else(|| check("anony", "true or false", |v| v.is_boolean() || v.is_null()))
        .or_else(|| check("language", "a string", |v| v.is_string() || v.is_null()))
        .or_else(|| check("judge", "a string", |v| v.is_string() || v.is_null()))
}

/// The fields the battle struct does not know whose value is a JSON number, as the fast scanner
/// collects them (a weight column).
fn side_numbers(bytes: &[u8]) -> Vec<(Cow<'_, str>, f64)> {
    const KNOWN: [&str; 11] = [
        "model_a",
        "model_b",
        "winner",
        "judge",
        "turn",
        "anony",
        "language",
        "tstamp",
        "conv_metadata",
        "dedup_tag",
        "category_tag",
    ];
    let Ok(map) =
        serde_json::from_slice::<std::collections::BTreeMap<Cow<'_, str>, &RawValue>>(bytes)
    else {
        return Vec::new();
    };
    map.into_iter()
        .filter(|(k, v)| {
            !KNOWN.contains(&k.as_ref())
                && v.get().starts_with(|c: char| c.is_ascii_digit() || c == '-')
        })
        .filter_map(|(k, v)| Some((k, serde_json::from_str::<f64>(v.get()).ok()?)))
        .collect()
}

/// Reads one record (the bytes of one array element or JSONL line).
pub(super) fn parse(bytes: &[u8]) -> Result<Scanned<'_>, BattleRowError> {
    let raw: RawBattle<'_> = serde_json::from_slice(bytes).map_err(|e| {
        // serde does not say which field had the wrong type: find it, so the message can.
        if let Some(err) = field_type_error(bytes) {
            return err;
        }
        let msg = e.to_string();
        // serde names the missing field; keep its words, drop the column noise.
        match msg.find(" at line") {
            Some(cut) => BattleRowError::Json(msg[..cut].to_owned()),
            None => BattleRowError::Json(msg),
        }
    })?;
    let style = raw.conv_metadata.as_ref().map(|m| {
        [
            m.sum_assistant_a_tokens.map_or(f32::NAN, |v| v as f32),
            m.sum_assistant_b_tokens.map_or(f32::NAN, |v| v as f32),
            sum_values(&m.header_count_a),
            sum_values(&m.header_count_b),
            sum_values(&m.list_count_a),
            sum_values(&m.list_count_b),
            sum_values(&m.bold_count_a),
            sum_values(&m.bold_count_b),
        ]
    });
    Ok(Scanned {
        numbers: side_numbers(bytes),
        model_a: Some(raw.model_a),
        model_b: Some(raw.model_b),
        winner: Some(raw.winner),
        judge: raw.judge,
        language: raw.language,
        turn: raw.turn,
        tstamp: raw.tstamp,
        anony: raw.anony,
        dedup_sampled: raw.dedup_tag.and_then(|d| d.sampled),
        category_tag: raw.category_tag.map(RawValue::get),
        style,
    })
}
