//! Builds [`Battles`] one record at a time from JSON, CSV or typed (Parquet) rows, interning
//! names as it goes, so a million battles never exist as records at once.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

use serde_json::value::RawValue;

use crate::battle_scan::Scanned;

use super::merge::BattleColumn;
use super::name_hash::NameMap;
use super::name_ids::NameIds;
use super::{category_index, Battles, Outcome, SelfBattle};

/// The order the first [`BattleBuilder::reserve`] lays the columns out in: field order.
const LAYOUT_ORDER: [BattleColumn; 11] = [
    BattleColumn::ModelA,
    BattleColumn::ModelB,
    BattleColumn::Outcome,
    BattleColumn::Tstamp,
    BattleColumn::Language,
    BattleColumn::Judge,
    BattleColumn::Turn,
    BattleColumn::Anony,
    BattleColumn::DedupSampled,
    BattleColumn::CategoryBits,
    BattleColumn::Style,
];

/// The order a merge grows the columns in. The wasm allocator (dlmalloc) extends a block in place
/// when the block after it is free, and the columns lie in [`LAYOUT_ORDER`]; grown roughly from
/// the last to the first, most extend into the block the one after them left, or land in it. In
/// layout order each grown column went to the top of the page's wasm memory, which never
/// shrinks: the merge of 3M battles took it from 195 to 363 MB, in this order to 303.
const GROWTH_ORDER: [BattleColumn; 11] = [
    BattleColumn::Style,
    BattleColumn::CategoryBits,
    BattleColumn::Tstamp,
    BattleColumn::DedupSampled,
    BattleColumn::Anony,
    BattleColumn::Turn,
    BattleColumn::Judge,
    BattleColumn::Language,
    BattleColumn::Outcome,
    BattleColumn::ModelB,
    BattleColumn::ModelA,
];

/// Why one record could not become a battle.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BattleRowError {
    #[error("field `{field}`: {problem}")]
    Field { field: &'static str, problem: String },
    #[error("not a battle record: {0}")]
    Json(String),
}

/// A winner value no outcome reads: how often it occurs and where it first stood ("line" or
/// "row" and its number, or "record" and its index), so the warning points at a line to fix.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(super) struct UnknownWinner {
    pub count: u64,
    pub first: (String, u64),
}

/// Builds [`Battles`] one record at a time, interning names as it goes.
#[derive(Default)]
pub struct BattleBuilder {
    pub(super) battles: Battles,
    pub(super) model_ids: NameIds,
    pub(super) language_ids: NameIds,
    pub(super) judge_ids: NameIds,
    /// Winner values no outcome reads, with where each first stood.
    pub(super) unknown: BTreeMap<String, UnknownWinner>,
    category_cache: NameMap<u64>,
    pub(super) category_overflow: bool,
    /// Where the record being pushed sits (`line` n or `row` n), for [`NumericColumn::first_invalid`].
    pub(super) position: (&'static str, u64),
    /// Where the first kept battle sat: a numeric column that first appears later is missing there.
    pub(super) first_kept: Option<(&'static str, u64)>,
    /// Records offered so far: the position when the caller never says where a record sits.
    pub(super) records: u64,
    /// Judges are not kept (see `LoadOptions::skip_judges`): every battle gets the unknown one.
    skip_judges: bool,
}

fn intern<S: BuildHasher>(
    map: &mut HashMap<String, u32, S>,
    names: &mut Vec<String>,
    name: &str,
) -> u32 {
    if let Some(&id) = map.get(name) {
        return id;
    }
    let id = names.len() as u32;
    names.push(name.to_owned());
    map.insert(name.to_owned(), id);
    id
}

/// Interns every name of `from` into `names` (indexed by `map`): the new id of each old id, for
/// appending another log's battles.
pub(crate) fn reintern<S: BuildHasher>(
    map: &mut HashMap<String, u32, S>,
    names: &mut Vec<String>,
    from: &[String],
) -> Vec<u32> {
    from.iter().map(|n| intern(map, names, n)).collect()
}

/// One battle from a typed, columnar source (Parquet): every value already has its type, so
/// nothing is parsed here, and the result is the same battle a JSON record with these fields gives.
#[derive(Debug, Clone, Default)]
pub struct TypedBattle<'a> {
    pub model_a: &'a str,
    pub model_b: &'a str,
    pub winner: &'a str,
    pub judge: &'a str,
    pub language: &'a str,
    /// 0 when unknown.
    pub turn: u32,
    /// Unix seconds; NaN when unknown.
    pub tstamp: f64,
    pub anony: Option<bool>,
    pub dedup_sampled: Option<bool>,
    /// Bits from [`BattleBuilder::category_bit`].
    pub category_bits: u64,
    pub style: Option<[f32; 8]>,
    /// Numeric side columns (a weight), by name; NaN = missing.
    pub numbers: Vec<(&'a str, f64)>,
}

/// Column values of one CSV battle row, by field name.
pub struct CsvBattleFields<'a> {
    pub model_a: &'a str,
    pub model_b: &'a str,
    pub winner: &'a str,
    pub judge: Option<&'a str>,
    pub turn: Option<&'a str>,
    pub anony: Option<&'a str>,
    pub language: Option<&'a str>,
    pub tstamp: Option<&'a str>,
    /// The other columns (name, text): numeric ones become [`Battles::numeric`].
    pub others: Vec<(&'a str, &'a str)>,
}

impl BattleBuilder {
    /// A builder with the unknown language and judge pre-interned as id 0.
    pub fn new() -> Self {
        let mut b = Self::default();
        b.language_ids.intern(&mut b.battles.languages, "");
        b.judge_ids.intern(&mut b.battles.judges, "");
        b
    }

    /// A builder that keeps no judge names (see `LoadOptions::skip_judges`) when `skip` is set.
    pub fn skipping_judges(self, skip: bool) -> Self {
        Self { skip_judges: skip, ..self }
    }

    /// Makes room for `additional` more battles in every per-battle column at once.
    pub fn reserve(&mut self, additional: usize) {
        for column in LAYOUT_ORDER {
            self.battles.reserve_column(column, additional);
        }
    }

    /// [`Self::reserve`] for a merge, which grows columns already sized for one segment (see
    /// [`GROWTH_ORDER`]).
    pub(crate) fn grow_for_merge(&mut self, additional: usize) {
        for column in GROWTH_ORDER {
            self.battles.reserve_column(column, additional);
        }
    }

    /// Battles kept so far.
    pub fn len(&self) -> usize {
        self.battles.len()
    }

    /// True before the first kept battle.
    pub fn is_empty(&self) -> bool {
        self.battles.is_empty()
    }

    /// Adds one JSON record (the bytes of one array element or JSONL line).
    pub fn push_json(&mut self, bytes: &[u8]) -> Result<(), BattleRowError> {
        if let Some(fast) = crate::battle_scan::scan(bytes) {
            self.push_scanned(fast);
            return Ok(());
        }
        self.push_json_serde(bytes)
    }

    /// Adds the battle object at the start of `bytes` (which may go on past it) if the fast
    /// scanner reads it, returning the length of its text; `None` adds nothing (the caller
    /// splits the record out and calls [`Self::push_json`], which words any error).
    pub(crate) fn push_json_prefix(&mut self, bytes: &[u8]) -> Option<usize> {
        let (fast, len) = crate::battle_scan::scan_prefix(bytes)?;
        // The fused scan does not count lines: a record the message must point at goes to the
        // path that does.
        let new_unknown = |w: &str| Outcome::parse(w).is_none() && !self.unknown.contains_key(w);
        if self.needs_position(&fast.numbers) || fast.winner.as_deref().is_some_and(new_unknown) {
            return None;
        }
        self.push_scanned(fast);
        Some(len)
    }

    /// The reference path: serde validates everything and words the errors.
    fn push_json_serde(&mut self, bytes: &[u8]) -> Result<(), BattleRowError> {
        let fields = super::record::parse(bytes)?;
        self.push_scanned(fields);
        Ok(())
    }

    fn push_scanned(&mut self, f: Scanned<'_>) {
        let before = self.battles.len();
        let category_bits = match f.category_tag {
            Some(text) => self.category_bits_cached(text),
            None => 0,
        };
        self.push(
            f.model_a.as_deref().unwrap_or(""),
            f.model_b.as_deref().unwrap_or(""),
            f.winner.as_deref().unwrap_or(""),
            Extras {
                judge: f.judge.as_deref().unwrap_or(""),
                language: f.language.as_deref().unwrap_or(""),
                turn: f.turn.map_or(0, |t| t.max(0.0) as u32),
                tstamp: f.tstamp.unwrap_or(f64::NAN),
                anony: f.anony,
                dedup_sampled: f.dedup_sampled,
                category_bits,
                style: f.style,
            },
        );
        if self.battles.len() > before {
            self.push_numbers(f.numbers.iter().map(|(k, v)| (k.as_ref(), Ok(*v))));
        }
    }

    /// Category tags repeat a few hundred distinct texts across millions of battles.
    fn category_bits_cached(&mut self, text: &str) -> u64 {
        if let Some(&bits) = self.category_cache.get(text) {
            return bits;
        }
        let bits = match serde_json::from_str::<&RawValue>(text) {
            Ok(raw) => self.category_bits(raw),
            Err(_) => 0,
        };
        if self.category_cache.len() < 100_000 {
            self.category_cache.insert(text.to_owned(), bits);
        }
        bits
    }

    /// Adds one CSV row.
    pub fn push_fields(&mut self, f: &CsvBattleFields<'_>) -> Result<(), BattleRowError> {
        let number = |field: &'static str,
                      v: Option<&str>|
         -> Result<Option<f64>, BattleRowError> {
            match v.map(str::trim) {
                None | Some("") => Ok(None),
                Some(text) => text.parse::<f64>().map(Some).map_err(|_| BattleRowError::Field {
                    field,
                    problem: format!("expected a number, found {text:?}"),
                }),
            }
        };
        let anony = match f.anony.map(|s| s.trim().to_ascii_lowercase()) {
            None => None,
            Some(s) if s.is_empty() => None,
            Some(s) if s == "true" || s == "1" => Some(true),
            Some(s) if s == "false" || s == "0" => Some(false),
            Some(s) => {
                return Err(BattleRowError::Field {
                    field: "anony",
                    problem: format!("expected true or false, found {s:?}"),
                })
            }
        };
        let turn = number("turn", f.turn)?.map_or(0, |t| t.max(0.0) as u32);
        let tstamp = number("tstamp", f.tstamp)?.unwrap_or(f64::NAN);
        if f.model_a.trim().is_empty() {
            return Err(BattleRowError::Field { field: "model_a", problem: "empty".into() });
        }
        if f.model_b.trim().is_empty() {
            return Err(BattleRowError::Field { field: "model_b", problem: "empty".into() });
        }
        let before = self.battles.len();
        self.push(
            f.model_a.trim(),
            f.model_b.trim(),
            f.winner,
            Extras {
                judge: f.judge.unwrap_or(""),
                language: f.language.unwrap_or(""),
                turn,
                tstamp,
                anony,
                dedup_sampled: None,
                category_bits: 0,
                style: None,
            },
        );
        if self.battles.len() > before {
            self.push_numbers(f.others.iter().map(|&(k, text)| {
                let text = text.trim();
                (k, text.parse::<f64>().map_err(|_| text))
            }));
        }
        Ok(())
    }

    /// Adds one typed battle (see [`TypedBattle`]).
    pub fn push_typed(&mut self, b: &TypedBattle<'_>) {
        let before = self.battles.len();
        self.push(
            b.model_a,
            b.model_b,
            b.winner,
            Extras {
                judge: b.judge,
                language: b.language,
                turn: b.turn,
                tstamp: b.tstamp,
                anony: b.anony,
                dedup_sampled: b.dedup_sampled,
                category_bits: b.category_bits,
                style: b.style,
            },
        );
        if self.battles.len() > before {
            self.push_numbers(b.numbers.iter().map(|&(k, v)| (k, Ok(v))));
        }
    }

    /// The bit of a category (`math_v0.1.math`), registering it on first use as a JSON
    /// `category_tag` would; 0 once 64 categories exist (reported by [`Self::finish`]).
    pub fn category_bit(&mut self, full: &str) -> u64 {
        match category_index(&mut self.battles.categories, full) {
            Some(i) => 1 << i,
            None => {
                self.category_overflow = true;
                0
            }
        }
    }

    fn category_bits(&mut self, tag: &RawValue) -> u64 {
        let Ok(map) = serde_json::from_str::<BTreeMap<String, serde_json::Value>>(tag.get()) else {
            return 0;
        };
        let mut bits = 0u64;
        for (group, value) in &map {
            let serde_json::Value::Object(inner) = value else { continue };
            for (name, flag) in inner {
                if flag.as_bool() == Some(true) {
                    bits |= self.category_bit(&format!("{group}.{name}"));
                }
            }
        }
        bits
    }

    fn push(&mut self, model_a: &str, model_b: &str, winner: &str, extras: Extras<'_>) {
        self.records += 1;
        let Some(outcome) = Outcome::parse(winner) else {
            let here = self.here();
            let entry = self
                .unknown
                .entry(winner.to_owned())
                .or_insert_with(|| UnknownWinner { count: 0, first: (here.0.to_owned(), here.1) });
            entry.count += 1;
            return;
        };
        if model_a == model_b {
            self.battles.self_battles += 1;
            self.battles.self_battle_rows.push(SelfBattle {
                model: model_a.to_owned(),
                outcome,
                anony: extras.anony,
                language: extras.language.to_owned(),
                judge: if self.skip_judges { String::new() } else { extras.judge.to_owned() },
                turn: extras.turn,
                tstamp: extras.tstamp,
            });
            return;
        }
        let b = &mut self.battles;
        b.model_a.push(self.model_ids.intern(&mut b.models, model_a));
        b.model_b.push(self.model_ids.intern(&mut b.models, model_b));
        b.outcome.push(outcome);
        b.tstamp.push(extras.tstamp);
        b.language.push(self.language_ids.intern(&mut b.languages, extras.language));
        b.judge.push(if self.skip_judges {
            0
        } else {
            self.judge_ids.intern(&mut b.judges, extras.judge)
        });
        b.turn.push(extras.turn);
        b.anony.push(extras.anony);
        b.dedup_sampled.push(extras.dedup_sampled);
        b.category_bits.push(extras.category_bits);
        match extras.style {
            Some(row) => {
                b.style.push(row);
                b.n_with_style += 1;
            }
            None => b.style.push([f32::NAN; 8]),
        }
    }

    /// Finishes the log. Warnings describe rows that were dropped.
    pub fn finish(mut self) -> (Battles, Vec<String>) {
        let mut warnings = Vec::new();
        self.battles.unknown_winners =
            self.unknown.iter().map(|(v, u)| (v.clone(), u.count)).collect();
        if !self.unknown.is_empty() {
            let listed: Vec<String> = self
                .unknown
                .iter()
                .map(|(v, u)| format!("{v:?} ×{} (first at {} {})", u.count, u.first.0, u.first.1))
                .collect();
            warnings.push(format!(
                "unknown winner values (rows not loaded; map them before rating): {}",
                listed.join(", ")
            ));
        }
        if self.battles.self_battles > 0 {
            warnings.push(format!(
                "{} of a model against itself skipped",
                crate::wording::counted(self.battles.self_battles, "battle", "battles")
            ));
        }
        if self.category_overflow {
            warnings.push("more than 64 category tags: the rest are ignored".into());
        }
        let n = self.battles.len();
        for c in &mut self.battles.numeric {
            c.values.resize(n, f64::NAN);
        }
        self.battles.numeric.sort_by(|a, b| a.name.cmp(&b.name));
        (self.battles, warnings)
    }
}

struct Extras<'a> {
    judge: &'a str,
    language: &'a str,
    turn: u32,
    tstamp: f64,
    anony: Option<bool>,
    dedup_sampled: Option<bool>,
    category_bits: u64,
    style: Option<[f32; 8]>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_fastchat_record_with_metadata() {
        let rec = br#"{"model_a":"x","model_b":"y","winner":"tie (bothbad)","judge":"j","turn":2,
            "anony":true,"language":"English","tstamp":1700000000.5,
            "conv_metadata":{"sum_assistant_a_tokens":10,"sum_assistant_b_tokens":20,
              "header_count_a":{"h1":1,"h2":2},"header_count_b":{"h1":0},
              "list_count_a":{"ordered":1,"unordered":2},"list_count_b":{"ordered":0,"unordered":0},
              "bold_count_a":{"**":3,"__":1},"bold_count_b":{"**":0,"__":0}},
            "dedup_tag":{"high_freq":false,"sampled":true},
            "category_tag":{"math_v0.1":{"math":true},"if_v0.1":{"if":false,"score":3}}}"#;
        let mut b = BattleBuilder::new();
        b.push_json(rec).expect("valid record");
        let (battles, warnings) = b.finish();
        assert!(warnings.is_empty());
        assert_eq!(battles.len(), 1);
        assert_eq!(battles.outcome[0], Outcome::TieBothBad);
        assert_eq!(battles.style[0], [10.0, 20.0, 3.0, 0.0, 3.0, 0.0, 4.0, 0.0]);
        assert_eq!(battles.categories, vec!["math_v0.1.math".to_string()]);
        assert_eq!(battles.category_bits[0], 1);
        assert_eq!(battles.languages[battles.language[0] as usize], "English");
        assert_eq!(battles.dedup_sampled[0], Some(true));
        assert_eq!(battles.turn[0], 2);
    }

    #[test]
    fn fast_path_equals_serde_path() {
        let records: Vec<&[u8]> = vec![
            br#"{"model_a":"x","model_b":"y","winner":"model_a","tstamp":1e9,"turn":-1,"anony":null,"language":null}"#,
            br#"{"model_a":"x\"q","model_b":"y","winner":"tie","judge":"j\u00e9","conv_metadata":{"sum_assistant_a_tokens":5.5,"bold_count_b":{"**":2,"__":null}}}"#,
            br#"{"model_b":"y","model_a":"z","winner":"model_b","dedup_tag":{"sampled":false,"high_freq":true},"category_tag":{"a":{"b":true,"c":false},"d":{"e":true}}}"#,
            br#"{"model_a":"x","model_b":"y","winner":"both_bad","conv_metadata":null,"dedup_tag":null,"category_tag":null,"extra":[{"]":"}"}]}"#,
            br#"{"model_a":"x","model_b":"x","winner":"tie"}"#,
            br#"{"model_a":"x","model_b":"y","winner":"draw"}"#,
        ];
        let mut fast = BattleBuilder::new();
        let mut slow = BattleBuilder::new();
        for r in &records {
            fast.push_json(r).expect("valid");
            slow.push_json_serde(r).expect("valid");
        }
        let (a, b) = (fast.finish(), slow.finish());
        assert_eq!(
            serde_json::to_string(&a.0).expect("serialises"),
            serde_json::to_string(&b.0).expect("serialises")
        );
        assert_eq!(a.1, b.1);
    }

    #[test]
    fn unknown_winners_are_counted_not_guessed() {
        let mut b = BattleBuilder::new();
        for w in ["model_a", "draw", "draw", "???"] {
            let rec = format!(r#"{{"model_a":"x","model_b":"y","winner":"{w}"}}"#);
            b.push_json(rec.as_bytes()).expect("valid json");
        }
        let (battles, warnings) = b.finish();
        assert_eq!(battles.len(), 1);
        assert_eq!(battles.unknown_winners, vec![("???".into(), 1), ("draw".into(), 2)]);
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn wrong_type_names_its_field() {
        let mut b = BattleBuilder::new();
        let err = b
            .push_json(br#"{"model_a":"x","model_b":"y","winner":"tie","tstamp":"soon"}"#)
            .expect_err("tstamp is text");
        assert_eq!(
            err,
            BattleRowError::Field {
                field: "tstamp",
                problem: "expected a number, found \"soon\"".into()
            }
        );
    }

    #[test]
    fn missing_field_is_named() {
        let mut b = BattleBuilder::new();
        let err = b.push_json(br#"{"model_a":"x","winner":"tie"}"#).expect_err("model_b missing");
        assert!(err.to_string().contains("model_b"), "{err}");
    }
}
