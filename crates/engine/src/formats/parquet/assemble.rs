//! One row group's decoded leaves to battles: what a FastChat `clean_battle` JSON record with the
//! same fields gives, row by row, with the first problem of a row that is not a battle.
//!
//! The leaves are read one at a time into per-row columns (names, style sums, category flags),
//! and only then are the rows assembled: a 140k shard's battle needs 44 leaves, and stepping
//! through all of them for every row missed the cache on each (it was most of the decode time).

use crate::battles::{BattleBuilder, TypedBattle};

use super::battles::{parse_datetime, BattlePlan, WinnerSource};
use super::columns::{LeafData, Value};

/// Why one record is not a battle: (column, problem).
pub type RowProblem = (String, String);

/// One record's value of one leaf, as the battle reads it.
#[derive(Clone, Copy)]
enum Cell<'a> {
    Null,
    Number(f64),
    Text(&'a str),
}

fn cells<'a>(data: &'a [LeafData], leaf: usize, rows: usize) -> Vec<Cell<'a>> {
    let mut out = vec![Cell::Null; rows];
    if let Some(d) = data.get(leaf) {
        d.each_scalar(rows, |r, _, v| {
            if let Some(slot) = out.get_mut(r) {
                *slot = match v {
                    None => Cell::Null,
                    Some(Value::Text(t)) => Cell::Text(t),
                    Some(other) => Cell::Number(other.number().unwrap_or(f64::NAN)),
                };
            }
        });
    }
    out
}

fn cells_of<'a>(data: &'a [LeafData], leaf: Option<usize>, rows: usize) -> Vec<Cell<'a>> {
    leaf.map_or_else(Vec::new, |l| cells(data, l, rows))
}

fn number(cell: Option<&Cell<'_>>) -> Option<f64> {
    match cell {
        Some(Cell::Number(x)) => Some(*x),
        _ => None,
    }
}

fn text<'a>(cell: Option<&Cell<'a>>) -> Option<&'a str> {
    match cell {
        Some(Cell::Text(t)) => Some(t),
        _ => None,
    }
}

/// Each row's style features (None: the row has no `conv_metadata`): a feature sums its leaves
/// where their group (`header_count_a`) is present, null counts adding 0; a feature none of
/// whose groups is present is NaN.
fn style_rows(plan: &BattlePlan, data: &[LeafData], rows: usize) -> Vec<Option<[f32; 8]>> {
    let Some(probe) = plan.style_probe.and_then(|p| data.get(p)) else { return Vec::new() };
    let Some(&present_at) = probe.leaf.present_at.first() else { return Vec::new() };
    let mut present = vec![false; rows];
    probe.each_scalar(rows, |r, d, _| {
        if let Some(p) = present.get_mut(r) {
            *p = d >= present_at;
        }
    });
    let mut out: Vec<Option<[f32; 8]>> = vec![None; rows];
    let mut sums: Vec<Option<f64>> = vec![None; rows];
    for (slot, leaves) in plan.style.iter().enumerate() {
        sums.iter_mut().for_each(|s| *s = None);
        for leaf in leaves.iter().filter_map(|&i| data.get(i)) {
            let Some(&group_at) = leaf.leaf.present_at.get(1) else { continue };
            leaf.each_scalar(rows, |r, d, v| {
                if d >= group_at {
                    if let Some(sum) = sums.get_mut(r) {
                        let x = match v {
                            None | Some(Value::Text(_)) => 0.0,
                            Some(other) => other.number().unwrap_or(f64::NAN),
                        };
                        *sum.get_or_insert(0.0) += x;
                    }
                }
            });
        }
        for ((row, sum), &p) in out.iter_mut().zip(&sums).zip(&present) {
            if p {
                row.get_or_insert([f32::NAN; 8])[slot] = sum.map_or(f32::NAN, |x| x as f32);
            }
        }
    }
    for (row, &p) in out.iter_mut().zip(&present) {
        if p && row.is_none() {
            *row = Some([f32::NAN; 8]);
        }
    }
    out
}

/// Each row's user turns in `conversation_a` (the `role` leaf).
fn user_turns(data: &[LeafData], roles: usize, rows: usize) -> Vec<u32> {
    let mut turns = vec![0u32; rows];
    if let Some(leaf) = data.get(roles) {
        leaf.each_level_bytes(|r, bytes| {
            if bytes == Some(b"user") {
                if let Some(t) = turns.get_mut(r) {
                    *t += 1;
                }
            }
        });
    }
    turns
}

/// Reads the first `rows` records of a row group's projected leaves into `builder`; returns the
/// rows (0-based within the group) that are not battles, with their first problem, in order.
pub fn push_group<'a>(
    plan: &BattlePlan,
    data: &'a [LeafData],
    rows: usize,
    builder: &mut BattleBuilder,
) -> Vec<(usize, RowProblem)> {
    let name = |i: usize| data.get(i).map_or_else(String::new, |d| d.leaf.name());
    let model_a = cells(data, plan.model_a, rows);
    let model_b = cells(data, plan.model_b, rows);
    let winner: Vec<Vec<Cell<'_>>> = match plan.winner {
        WinnerSource::Label(w) => vec![cells(data, w, rows)],
        WinnerSource::OneHot { a, b, tie } => {
            [a, b, tie].iter().map(|&l| cells(data, l, rows)).collect()
        }
    };
    let judge = cells_of(data, plan.judge, rows);
    let language = cells_of(data, plan.language, rows);
    let turn = cells_of(data, plan.turn, rows);
    let tstamp = cells_of(data, plan.tstamp, rows);
    let anony = cells_of(data, plan.anony, rows);
    let dedup = cells_of(data, plan.dedup_sampled, rows);
    let is_code = cells_of(data, plan.is_code, rows);
    let turns = match (plan.turn, plan.roles) {
        (None, Some(roles)) => user_turns(data, roles, rows),
        _ => Vec::new(),
    };
    let style = style_rows(plan, data, rows);
    let side_numbers: Vec<(&str, Vec<Cell<'_>>)> =
        plan.numbers.iter().map(|(leaf, name)| (name.as_str(), cells(data, *leaf, rows))).collect();
    // Category flags per row, one column per category (then `is_code`); their builder bits are
    // looked up on first use, in the order a record-by-record read meets them.
    let flags: Vec<Vec<bool>> = plan
        .categories
        .iter()
        .map(|(leaf, _)| {
            cells(data, *leaf, rows).iter().map(|c| number(Some(c)) == Some(1.0)).collect()
        })
        .collect();
    let mut bit_of: Vec<Option<u64>> = vec![None; plan.categories.len() + 1];
    let mut cached_bit = |builder: &mut BattleBuilder, k: usize, category: &str| -> u64 {
        match bit_of.get(k).copied().flatten() {
            Some(bit) => bit,
            None => {
                let bit = builder.category_bit(category);
                if let Some(slot) = bit_of.get_mut(k) {
                    *slot = Some(bit);
                }
                bit
            }
        }
    };
    let need_text = |column: &[Cell<'a>], leaf: usize, r: usize| -> Result<&'a str, RowProblem> {
        match column.get(r).copied().unwrap_or(Cell::Null) {
            Cell::Text(t) => Ok(t),
            Cell::Null => Err((name(leaf), "missing (null)".into())),
            Cell::Number(_) => Err((name(leaf), "expected text, found a number".into())),
        }
    };
    let mut problems = Vec::new();
    for r in 0..rows {
        // The checks run in the order a record-by-record read made them, since a row that fails
        // its date has already registered its categories.
        let names = || -> Result<(&str, &str, &str), RowProblem> {
            let model_a = need_text(&model_a, plan.model_a, r)?;
            let model_b = need_text(&model_b, plan.model_b, r)?;
            let winner = match plan.winner {
                WinnerSource::Label(w) => {
                    need_text(winner.first().map_or(&[], Vec::as_slice), w, r)?
                }
                WinnerSource::OneHot { a, b, tie } => {
                    let flag = |k: usize| {
                        number(winner.get(k).and_then(|c| c.get(r))).is_some_and(|x| x > 0.0)
                    };
                    one_hot_winner(flag(0), flag(1), flag(2)).map_err(|problem| {
                        (format!("{}/{}/{}", name(a), name(b), name(tie)), problem)
                    })?
                }
            };
            Ok((model_a, model_b, winner))
        };
        let (model_a, model_b, winner) = match names() {
            Ok(names) => names,
            Err(problem) => {
                problems.push((r, problem));
                continue;
            }
        };
        let mut category_bits = 0;
        for (k, (column, (_, category))) in flags.iter().zip(&plan.categories).enumerate() {
            if column.get(r).copied().unwrap_or(false) {
                category_bits |= cached_bit(builder, k, category);
            }
        }
        if number(is_code.get(r)) == Some(1.0) {
            category_bits |= cached_bit(builder, plan.categories.len(), "is_code");
        }
        let turn = match (plan.turn, plan.roles) {
            (Some(_), _) => number(turn.get(r)).map_or(0, |t| t.max(0.0) as u32),
            (None, Some(_)) => turns.get(r).copied().unwrap_or(0),
            (None, None) => 0,
        };
        let tstamp = match (plan.tstamp, tstamp.get(r).copied().unwrap_or(Cell::Null)) {
            (None, _) | (_, Cell::Null) => f64::NAN,
            (_, Cell::Number(x)) => x,
            (Some(i), Cell::Text(raw)) => match parse_datetime(raw) {
                Some(t) => t,
                None => {
                    problems
                        .push((r, (name(i), format!("expected a date and time, found {raw:?}"))));
                    continue;
                }
            },
        };
        let flag = |column: &[Cell<'_>]| number(column.get(r)).map(|x| x != 0.0);
        builder.at_row(r as u64 + 1);
        builder.push_typed(&TypedBattle {
            model_a,
            model_b,
            winner,
            judge: text(judge.get(r)).unwrap_or(""),
            language: text(language.get(r)).unwrap_or(""),
            turn,
            tstamp,
            anony: flag(&anony),
            dedup_sampled: flag(&dedup),
            category_bits,
            style: style.get(r).copied().flatten(),
            numbers: side_numbers
                .iter()
                .map(|(name, column)| (*name, number(column.get(r)).unwrap_or(f64::NAN)))
                .collect(),
        });
    }
    problems
}

/// The winner label of the 55k release's one-hot flags, or why there is none.
fn one_hot_winner(a: bool, b: bool, tie: bool) -> Result<&'static str, String> {
    match (a, b, tie) {
        (true, false, false) => Ok("model_a"),
        (false, true, false) => Ok("model_b"),
        (false, false, true) => Ok("tie"),
        (x, y, z) => Err(match [x, y, z].iter().filter(|&&f| f).count() {
            0 => "no winner flag set (exactly one of the three must be 1)".to_owned(),
            n => format!("{n} winner flags set (exactly one of the three must be 1)"),
        }),
    }
}
