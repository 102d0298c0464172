//! The leaf columns of a Parquet file as benchlens names them, and one row group's worth of a
//! leaf decoded into levels and typed values that can be walked record by record.
//!
//! Parquet stores nested data as leaf columns with definition and repetition levels. Battle logs
//! need a few dozen small leaves of a 140k shard (models, winner, style counts, tags) and none of
//! its conversation text, so decoding happens per leaf: whoever loads chooses the leaves
//! (projection), and everything else in the file is never decompressed.

use parquet::basic::{ConvertedType, LogicalType, Repetition, TimeUnit, Type as Physical};
use parquet::column::reader::{ColumnReader, ColumnReaderImpl};
use parquet::data_type::{ByteArray, DataType, Int96};
use parquet::file::reader::RowGroupReader;
use parquet::schema::types::{SchemaDescriptor, Type};

/// How a leaf's physical values become benchlens values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Conversion {
    Bool,
    Int,
    Float,
    /// UTF-8 text (or bytes that happen to be text: JSON encoded as plain BYTE_ARRAY).
    Text,
    /// Opaque bytes (images and the like): shown as their size.
    Binary,
    /// Seconds since the epoch, from a timestamp of this many units per second.
    Time(f64),
    /// INT96 timestamps (legacy Spark/Hive).
    Time96,
    /// A type benchlens does not read (decimals, UUIDs, float16): named in the error.
    Unsupported(&'static str),
}

/// One leaf column of the file, with the names benchlens uses for it.
#[derive(Debug, Clone)]
pub struct Leaf {
    /// Index among the file's leaf columns.
    pub index: usize,
    /// Physical path, dotted (`conversation_a.list.element.role`), for messages.
    pub physical: String,
    /// Path without list wrappers (`conversation_a`, `role`): the names a JSON record would use.
    pub logical: Vec<String>,
    /// How many leading `logical` parts lead to the first list (None: no list above the leaf).
    pub list_at: Option<usize>,
    pub max_def: i16,
    pub max_rep: i16,
    /// For each `logical` part: the definition level at which that node is present (not null).
    pub present_at: Vec<i16>,
    pub conversion: Conversion,
}

impl Leaf {
    /// The dotted logical name (`conv_metadata.header_count_a.h1`).
    pub fn name(&self) -> String {
        self.logical.join(".")
    }

    /// The top-level column this leaf belongs to.
    pub fn top(&self) -> &str {
        self.logical.first().map_or("", String::as_str)
    }
}

fn is_list(t: &Type) -> bool {
    let info = t.get_basic_info();
    matches!(info.logical_type_ref(), Some(LogicalType::List | LogicalType::Map))
        || matches!(info.converted_type(), ConvertedType::LIST | ConvertedType::MAP)
}

fn conversion(t: &Type) -> Conversion {
    let info = t.get_basic_info();
    let logical = info.logical_type_ref();
    let converted = info.converted_type();
    match t.get_physical_type() {
        Physical::BOOLEAN => Conversion::Bool,
        Physical::INT32 | Physical::INT64 => match (logical, converted) {
            (Some(LogicalType::Timestamp(ts)), _) => Conversion::Time(match ts.unit {
                TimeUnit::MILLIS => 1e3,
                TimeUnit::MICROS => 1e6,
                TimeUnit::NANOS => 1e9,
            }),
            (_, ConvertedType::TIMESTAMP_MILLIS) => Conversion::Time(1e3),
            (_, ConvertedType::TIMESTAMP_MICROS) => Conversion::Time(1e6),
            (Some(LogicalType::Decimal(_)), _) | (_, ConvertedType::DECIMAL) => {
                Conversion::Unsupported("DECIMAL")
            }
            _ => Conversion::Int,
        },
        Physical::INT96 => Conversion::Time96,
        Physical::FLOAT | Physical::DOUBLE => Conversion::Float,
        Physical::BYTE_ARRAY => match (logical, converted) {
            (Some(LogicalType::String | LogicalType::Json | LogicalType::Enum), _)
            | (_, ConvertedType::UTF8 | ConvertedType::JSON | ConvertedType::ENUM) => {
                Conversion::Text
            }
            (Some(LogicalType::Decimal(_)), _) => Conversion::Unsupported("DECIMAL"),
            _ => Conversion::Binary,
        },
        Physical::FIXED_LEN_BYTE_ARRAY => match logical {
            // pyarrow writes decimal128 columns this way.
            Some(LogicalType::Decimal(_)) => Conversion::Unsupported("DECIMAL"),
            _ if converted == ConvertedType::DECIMAL => Conversion::Unsupported("DECIMAL"),
            Some(LogicalType::Uuid) => Conversion::Unsupported("UUID"),
            Some(LogicalType::Float16) => Conversion::Unsupported("FLOAT16"),
            _ => Conversion::Unsupported("FIXED_LEN_BYTE_ARRAY"),
        },
    }
}

/// Every leaf of the schema, in file order.
pub fn leaves(schema: &SchemaDescriptor) -> Vec<Leaf> {
    let mut out = Vec::with_capacity(schema.num_columns());
    let mut index = 0;
    for field in schema.root_schema().get_fields() {
        walk(field, &mut Vec::new(), &mut Walk::default(), &mut index, &mut out);
    }
    out
}

#[derive(Default, Clone)]
struct Walk {
    logical: Vec<String>,
    present_at: Vec<i16>,
    def: i16,
    rep: i16,
    list_at: Option<usize>,
    /// The parent was a LIST/MAP group: this node is its repeated wrapper.
    parent_is_list: bool,
    /// The parent was a list wrapper with one child: this node is the element.
    parent_is_wrapper: bool,
}

fn walk(
    t: &Type,
    physical: &mut Vec<String>,
    state: &mut Walk,
    index: &mut usize,
    out: &mut Vec<Leaf>,
) {
    let mut s = state.clone();
    physical.push(t.name().to_owned());
    let info = t.get_basic_info();
    let repetition = if info.has_repetition() { info.repetition() } else { Repetition::REQUIRED };
    if repetition != Repetition::REQUIRED {
        s.def += 1;
    }
    if repetition == Repetition::REPEATED {
        s.rep += 1;
    }
    let wrapper = s.parent_is_list;
    let element = s.parent_is_wrapper;
    // List wrappers and elements are Parquet's plumbing: a JSON record has no names for them.
    if !wrapper && !element {
        s.logical.push(t.name().to_owned());
        s.present_at.push(s.def);
    }
    let list_here = is_list(t) || (repetition == Repetition::REPEATED && !wrapper);
    if list_here && s.list_at.is_none() {
        s.list_at = Some(s.logical.len());
    }
    s.parent_is_list = is_list(t);
    s.parent_is_wrapper = wrapper && t.is_group() && t.get_fields().len() == 1;
    if t.is_group() {
        for child in t.get_fields() {
            walk(child, physical, &mut s, index, out);
        }
    } else {
        out.push(Leaf {
            index: *index,
            physical: physical.join("."),
            logical: s.logical.clone(),
            list_at: s.list_at,
            max_def: s.def,
            max_rep: s.rep,
            present_at: s.present_at.clone(),
            conversion: conversion(t),
        });
        *index += 1;
    }
    physical.pop();
}

/// Decoded physical values of one leaf in one row group (non-null ones only, in order).
pub enum Values {
    Bool(Vec<bool>),
    I32(Vec<i32>),
    I64(Vec<i64>),
    I96(Vec<Int96>),
    F32(Vec<f32>),
    F64(Vec<f64>),
    Bytes(Vec<ByteArray>),
    None,
}

/// One value, borrowed from [`Values`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(&'a str),
    /// Bytes that are not text (the size is what a table shows).
    Binary(usize),
    Time(f64),
}

impl Value<'_> {
    /// As a number (booleans count 0/1), for counts and timestamps.
    pub fn number(self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(i as f64),
            Value::Float(f) | Value::Time(f) => Some(f),
            Value::Bool(b) => Some(f64::from(u8::from(b))),
            Value::Text(_) | Value::Binary(_) => None,
        }
    }
}

/// One leaf of one row group, decoded, with a cursor for walking it record by record.
pub struct LeafData {
    pub leaf: Leaf,
    def: Vec<i16>,
    rep: Vec<i16>,
    values: Values,
    level: usize,
    value: usize,
    /// Number of levels (one per record when the leaf is not repeated).
    levels: usize,
}

fn read_all<T: DataType>(
    mut reader: ColumnReaderImpl<T>,
    rows: usize,
    def: &mut Vec<i16>,
    rep: &mut Vec<i16>,
) -> parquet::errors::Result<(Vec<T::T>, usize)> {
    let mut values = Vec::new();
    let mut records = 0;
    let mut levels = 0;
    while records < rows {
        let (r, _, l) = reader.read_records(rows - records, Some(def), Some(rep), &mut values)?;
        if r == 0 && l == 0 {
            break;
        }
        records += r;
        levels += l;
    }
    Ok((values, levels))
}

impl LeafData {
    /// Decodes every record of `leaf` in a row group of `rows` records.
    pub fn read(
        group: &dyn RowGroupReader,
        leaf: &Leaf,
        rows: usize,
    ) -> parquet::errors::Result<Self> {
        let mut def = Vec::new();
        let mut rep = Vec::new();
        let reader = group.get_column_reader(leaf.index)?;
        let (values, levels) = match reader {
            ColumnReader::BoolColumnReader(r) => {
                let (v, l) = read_all(r, rows, &mut def, &mut rep)?;
                (Values::Bool(v), l)
            }
            ColumnReader::Int32ColumnReader(r) => {
                let (v, l) = read_all(r, rows, &mut def, &mut rep)?;
                (Values::I32(v), l)
            }
            ColumnReader::Int64ColumnReader(r) => {
                let (v, l) = read_all(r, rows, &mut def, &mut rep)?;
                (Values::I64(v), l)
            }
            ColumnReader::Int96ColumnReader(r) => {
                let (v, l) = read_all(r, rows, &mut def, &mut rep)?;
                (Values::I96(v), l)
            }
            ColumnReader::FloatColumnReader(r) => {
                let (v, l) = read_all(r, rows, &mut def, &mut rep)?;
                (Values::F32(v), l)
            }
            ColumnReader::DoubleColumnReader(r) => {
                let (v, l) = read_all(r, rows, &mut def, &mut rep)?;
                (Values::F64(v), l)
            }
            ColumnReader::ByteArrayColumnReader(r) => {
                let (v, l) = read_all(r, rows, &mut def, &mut rep)?;
                (Values::Bytes(v), l)
            }
            ColumnReader::FixedLenByteArrayColumnReader(_) => (Values::None, 0),
        };
        Ok(Self { leaf: leaf.clone(), def, rep, values, level: 0, value: 0, levels })
    }

    fn value_at(&self, i: usize) -> Option<Value<'_>> {
        let c = self.leaf.conversion;
        Some(match &self.values {
            Values::Bool(v) => Value::Bool(*v.get(i)?),
            Values::I32(v) => match c {
                Conversion::Time(per_second) => Value::Time(f64::from(*v.get(i)?) / per_second),
                _ => Value::Int(i64::from(*v.get(i)?)),
            },
            Values::I64(v) => match c {
                Conversion::Time(per_second) => Value::Time(*v.get(i)? as f64 / per_second),
                _ => Value::Int(*v.get(i)?),
            },
            Values::I96(v) => Value::Time(v.get(i)?.to_nanos() as f64 / 1e9),
            Values::F32(v) => Value::Float(f64::from(*v.get(i)?)),
            Values::F64(v) => Value::Float(*v.get(i)?),
            Values::Bytes(v) => {
                let bytes = v.get(i)?;
                // `data()` of a decoded value is always set; an empty one reads as "".
                let data = if bytes.is_empty() { &[][..] } else { bytes.data() };
                match (c, std::str::from_utf8(data)) {
                    (Conversion::Text | Conversion::Binary, Ok(text)) => Value::Text(text),
                    _ => Value::Binary(data.len()),
                }
            }
            Values::None => return None,
        })
    }

    /// Walks the next record: calls `f(definition level, value)` for each level entry of the
    /// record (one for an unrepeated leaf; one per list element, or one for an empty or null list,
    /// for a repeated one). Returns false when the row group has no more records.
    pub fn next_record(&mut self, mut f: impl FnMut(i16, Option<Value<'_>>)) -> bool {
        if self.leaf.max_def == 0 && self.leaf.max_rep == 0 {
            // Required, unrepeated: no levels are stored, one value per record.
            if self.value >= self.levels {
                return false;
            }
            let i = self.value;
            self.value += 1;
            f(0, self.value_at(i));
            return true;
        }
        if self.level >= self.levels {
            return false;
        }
        let mut first = true;
        while self.level < self.levels {
            if !first && self.rep.get(self.level).copied().unwrap_or(0) == 0 {
                break;
            }
            first = false;
            let d = self.def.get(self.level).copied().unwrap_or(self.leaf.max_def);
            if d == self.leaf.max_def {
                let i = self.value;
                self.value += 1;
                f(d, self.value_at(i));
            } else {
                f(d, None);
            }
            self.level += 1;
        }
        true
    }

    /// Calls `f(record, definition level, value)` for the first `records` records of an unrepeated
    /// leaf, in order, without moving the cursor: what [`Self::next_scalar`] would give for each.
    /// Walking one leaf at a time keeps its levels and values in cache; a record-by-record walk
    /// over a few dozen leaves misses it on every leaf.
    pub fn each_scalar<'a>(
        &'a self,
        records: usize,
        mut f: impl FnMut(usize, i16, Option<Value<'a>>),
    ) {
        if self.leaf.max_def == 0 && self.leaf.max_rep == 0 {
            for r in 0..records {
                f(r, 0, self.value_at(r));
            }
            return;
        }
        let mut value = 0;
        for r in 0..records {
            match self.def.get(r) {
                Some(&d) if d == self.leaf.max_def => {
                    f(r, d, self.value_at(value));
                    value += 1;
                }
                Some(&d) => f(r, d, None),
                None => f(r, 0, None),
            }
        }
    }

    /// For each level entry of a (repeated) leaf, in order: `f(record, raw bytes)` with the
    /// record it belongs to (as [`Self::next_record`] splits them) and its value's bytes when it
    /// has a byte-array value.
    pub fn each_level_bytes(&self, mut f: impl FnMut(usize, Option<&[u8]>)) {
        let Values::Bytes(values) = &self.values else { return };
        let bytes = |i: usize| values.get(i).map(|b| if b.is_empty() { &[][..] } else { b.data() });
        if self.leaf.max_def == 0 && self.leaf.max_rep == 0 {
            for r in 0..self.levels {
                f(r, bytes(r));
            }
            return;
        }
        let mut record = 0;
        let mut value = 0;
        for level in 0..self.levels {
            if level > 0 && self.rep.get(level).copied().unwrap_or(0) == 0 {
                record += 1;
            }
            if self.def.get(level).copied().unwrap_or(self.leaf.max_def) == self.leaf.max_def {
                f(record, bytes(value));
                value += 1;
            } else {
                f(record, None);
            }
        }
    }

    /// The next record's single value (unrepeated leaves), with its definition level.
    pub fn next_scalar(&mut self) -> (i16, Option<Value<'_>>) {
        if self.leaf.max_def == 0 && self.leaf.max_rep == 0 {
            let i = self.value;
            self.value += 1;
            return (0, self.value_at(i));
        }
        let Some(&d) = self.def.get(self.level) else { return (0, None) };
        self.level += 1;
        if d == self.leaf.max_def {
            let i = self.value;
            self.value += 1;
            (d, self.value_at(i))
        } else {
            (d, None)
        }
    }
}
