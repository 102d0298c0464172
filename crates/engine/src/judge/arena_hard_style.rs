//! Arena-Hard style control: how much of a model's score against the baseline is answer length
//! or markdown, and what is left when both answers are styled alike.
//!
//! Facts carried from lmarena/arena-hard-auto v2 (`show_result.py`
//! `print_leaderboard_with_style_features`, `utils/add_markdown_info.py`, `utils/math_utils.py`):
//! - each answer's metadata holds `token_len` and counts of headers (h1–h6), list items
//!   (ordered, unordered) and bold spans (`**`, `__`); nested counts are summed per kind;
//! - per score row: length feature (len_m − len_b) / (len_m + len_b); each markdown feature
//!   (d_m − d_b) / (d_m + d_b + 1) with d = count / token_len; every feature is then
//!   standardised over the score rows (mean 0, sample sd 1);
//! - a Bradley–Terry model with one strength per model (the baseline's fixed at 0) plus one
//!   coefficient per style feature, fitted by maximum likelihood on the soft outcomes
//!   (1, ½, 0); the controlled score is σ(strength), the win probability at the average
//!   (standardised zero) style difference;
//! - `--control-features length`, `markdown` or both; intervals from 100 bootstrap resamples of
//!   the score rows, 5 % / 95 % quantiles.
//!
//! Every model is compared with the same baseline, so the design has one indicator per row plus
//! the style features: the Newton system is solved through its Schur complement on the few
//! style coefficients, O(rows + models) per step.

// Dense Newton algebra reads closest to its formulas with index loops.
#![allow(clippy::needless_range_loop)]

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::stats::{quantile_sorted, resample_counts, rng};
use crate::table::Table;

use super::arena_hard::Record;
use super::glm::row_loss;
use crate::stats::logistic::sigmoid;

/// Which style features to control for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StyleControl {
    Length,
    Markdown,
    LengthAndMarkdown,
}

impl StyleControl {
    fn features(self) -> &'static [usize] {
        match self {
            Self::Length => &[0],
            Self::Markdown => &[1, 2, 3],
            Self::LengthAndMarkdown => &[0, 1, 2, 3],
        }
    }
}

/// Names of the four style features, in order.
pub const STYLE_FEATURES: [&str; 4] = ["length", "headers", "lists", "bold"];

/// Fitted style coefficients (on standardised features).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StyleCoefficients {
    pub control: StyleControl,
    pub features: Vec<String>,
    pub coefficients: Vec<f64>,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
    /// Score rows used (after dropping those without style metadata for both answers).
    pub rows: u64,
}

/// Per-model controlled strength and its bootstrap interval (win probabilities, not percent).
pub(crate) struct StyleFit {
    pub models: Vec<String>,
    pub win: Vec<f64>,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
    pub strength: Vec<f64>,
    pub coefficients: StyleCoefficients,
}

/// True for an Arena-Hard answers file (with style metadata) rather than a judgments file.
pub fn is_answer_table(t: &Table) -> bool {
    t.column_index("games").is_none()
        && t.column_index("model").is_some()
        && (t.column_index("metadata.token_len").is_some() || t.column_index("metadata").is_some())
}

type Style = [f64; 4];

/// Sums the numbers in a cell that is a number or a JSON object of numbers.
fn cell_sum(cell: &str) -> Option<f64> {
    let s = cell.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(v) = s.parse::<f64>() {
        return Some(v);
    }
    let v: serde_json::Value = serde_json::from_str(s).ok()?;
    v.as_object().map(|o| o.values().filter_map(serde_json::Value::as_f64).sum())
}

/// Style counts per (model, question) from answer tables; the intake flattens `metadata` into
/// `metadata.token_len`, `metadata.header_count.h1`, …; an unflattened `metadata` JSON column
/// is read too.
pub(crate) fn answer_styles(
    tables: &[(&str, &Table)],
    warnings: &mut Vec<String>,
) -> HashMap<(String, String), Style> {
    let mut out = HashMap::new();
    const KINDS: [&str; 3] = ["header_count", "list_count", "bold_count"];
    for (name, t) in tables {
        let (Some(model_col), Some(q_col)) = (
            t.column_index("model"),
            t.column_index("uid").or_else(|| t.column_index("question_id")),
        ) else {
            warnings.push(format!(
                "{name}: answers need `model` and `uid` (or `question_id`) columns; file ignored"
            ));
            continue;
        };
        let len_col = t.column_index("metadata.token_len");
        let kind_cols: Vec<Vec<usize>> = KINDS
            .iter()
            .map(|k| {
                let prefix = format!("metadata.{k}");
                (0..t.n_cols())
                    .filter(|&c| {
                        t.columns[c] == prefix || t.columns[c].starts_with(&format!("{prefix}."))
                    })
                    .collect()
            })
            .collect();
        let meta_col = t.column_index("metadata");
        let mut missing = 0u64;
        for r in 0..t.n_rows() {
            let style = if let Some(lc) = len_col {
                let len = cell_sum(t.cell(r, lc));
                len.map(|len| {
                    let mut s = [len, 0.0, 0.0, 0.0];
                    for (k, cols) in kind_cols.iter().enumerate() {
                        s[k + 1] = cols.iter().filter_map(|&c| cell_sum(t.cell(r, c))).sum();
                    }
                    s
                })
            } else {
                meta_col.and_then(|mc| {
                    let v: serde_json::Value = serde_json::from_str(t.cell(r, mc)).ok()?;
                    let len = v.get("token_len")?.as_f64()?;
                    let mut s = [len, 0.0, 0.0, 0.0];
                    for (k, kind) in KINDS.iter().enumerate() {
                        s[k + 1] = v.get(*kind).and_then(|o| o.as_object()).map_or(0.0, |o| {
                            o.values().filter_map(serde_json::Value::as_f64).sum()
                        });
                    }
                    Some(s)
                })
            };
            match style {
                Some(s) if s.iter().all(|v| v.is_finite()) => {
                    let key = (
                        t.cell(r, model_col).trim().to_owned(),
                        t.cell(r, q_col).trim().to_owned(),
                    );
                    out.insert(key, s);
                }
                _ => missing += 1,
            }
        }
        if missing > 0 {
            warnings.push(format!(
                "{name}: {missing} answers have no readable metadata.token_len and were ignored"
            ));
        }
    }
    out
}

/// The style feature row of one battle (model answer vs baseline answer).
fn features(m: &Style, b: &Style) -> [f64; 4] {
    let ratio = |x: f64, y: f64, extra: f64| {
        let d = x + y + extra;
        if d > 0.0 {
            (x - y) / d
        } else {
            0.0
        }
    };
    let density = |s: &Style, k: usize| if s[0] > 0.0 { s[k] / s[0] } else { 0.0 };
    let mut f = [ratio(m[0], b[0], 0.0), 0.0, 0.0, 0.0];
    for k in 1..4 {
        f[k] = ratio(density(m, k), density(b, k), 1.0);
    }
    f
}

/// Score rows of the style fit: model index, standardised features, outcome, count.
struct Rows {
    model: Vec<u32>,
    x: Vec<Vec<f64>>,
    y: Vec<f64>,
    count: Vec<u64>,
}

const RIDGE: f64 = 1e-6;

fn objective(rows: &Rows, weight: &[f64], d: &[f64], beta: &[f64]) -> f64 {
    let mut f = 0.0;
    for r in 0..rows.y.len() {
        if weight[r] == 0.0 {
            continue;
        }
        let z =
            d[rows.model[r] as usize] + rows.x[r].iter().zip(beta).map(|(a, b)| a * b).sum::<f64>();
        f += weight[r] * row_loss(z, rows.y[r]);
    }
    f + 0.5
        * RIDGE
        * (d.iter().map(|v| v * v).sum::<f64>() + beta.iter().map(|v| v * v).sum::<f64>())
}

/// Solves a small dense system by Gaussian elimination with partial pivoting.
fn solve_dense(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-300 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        for row in col + 1..n {
            let f = a[row][col] / a[col][col];
            for k in col..n {
                a[row][k] -= f * a[col][k];
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let s: f64 = (i + 1..n).map(|k| a[i][k] * x[k]).sum();
        x[i] = (b[i] - s) / a[i][i];
    }
    Some(x)
}

/// Newton's method on (model strengths, style coefficients) with row weights, from `start`
/// (the full-data fit warm-starts every bootstrap round).
fn fit(rows: &Rows, weight: &[f64], start: (&[f64], &[f64])) -> (Vec<f64>, Vec<f64>) {
    let (mut d, mut beta) = (start.0.to_vec(), start.1.to_vec());
    let (k, f) = (d.len(), beta.len());
    let mut obj = f64::NAN;
    for _ in 0..100 {
        let mut gd = vec![0.0; k];
        let mut hd = vec![RIDGE; k];
        let mut gb = vec![0.0; f];
        let mut hdb = vec![vec![0.0; f]; k];
        let mut hbb = vec![vec![0.0; f]; f];
        for r in 0..rows.y.len() {
            let w = weight[r];
            if w == 0.0 {
                continue;
            }
            let m = rows.model[r] as usize;
            let x = &rows.x[r];
            let p = sigmoid(d[m] + x.iter().zip(&beta).map(|(a, b)| a * b).sum::<f64>());
            let g = w * (p - rows.y[r]);
            let h = w * p * (1.0 - p);
            gd[m] += g;
            hd[m] += h;
            for i in 0..f {
                gb[i] += g * x[i];
                hdb[m][i] += h * x[i];
                for j in 0..f {
                    hbb[i][j] += h * x[i] * x[j];
                }
            }
        }
        for i in 0..k {
            gd[i] += RIDGE * d[i];
        }
        for i in 0..f {
            gb[i] += RIDGE * beta[i];
            hbb[i][i] += RIDGE;
        }
        // Schur complement on the style block: S = Hbb − Hdbᵀ D⁻¹ Hdb.
        let mut s = hbb.clone();
        let mut rhs = gb.clone();
        for m in 0..k {
            for i in 0..f {
                rhs[i] -= hdb[m][i] * gd[m] / hd[m];
                for j in 0..f {
                    s[i][j] -= hdb[m][i] * hdb[m][j] / hd[m];
                }
            }
        }
        let step_b = if f == 0 {
            Vec::new()
        } else {
            match solve_dense(s, rhs) {
                Some(v) => v,
                None => break,
            }
        };
        let step_d: Vec<f64> = (0..k)
            .map(|m| (gd[m] - (0..f).map(|i| hdb[m][i] * step_b[i]).sum::<f64>()) / hd[m])
            .collect();
        let largest = step_d.iter().chain(&step_b).fold(0.0f64, |a, v| a.max(v.abs()));
        if largest < 1e-3 {
            // Near the optimum of a convex objective the full Newton step descends: take it
            // without the line search's objective passes.
            d.iter_mut().zip(&step_d).for_each(|(v, s)| *v -= s);
            beta.iter_mut().zip(&step_b).for_each(|(v, s)| *v -= s);
            if largest < 1e-10 {
                break;
            }
            obj = f64::NAN;
            continue;
        }
        if obj.is_nan() {
            obj = objective(rows, weight, &d, &beta);
        }
        let mut t = 1.0;
        let mut moved = false;
        for _ in 0..40 {
            let cd: Vec<f64> = d.iter().zip(&step_d).map(|(v, s)| v - t * s).collect();
            let cb: Vec<f64> = beta.iter().zip(&step_b).map(|(v, s)| v - t * s).collect();
            let co = objective(rows, weight, &cd, &cb);
            if co <= obj {
                d = cd;
                beta = cb;
                obj = co;
                moved = true;
                break;
            }
            t *= 0.5;
        }
        if !moved || largest * t < 1e-10 {
            break;
        }
    }
    (d, beta)
}

/// Style-controlled Bradley–Terry fit against the baseline, with bootstrap intervals.
#[allow(clippy::too_many_arguments)]
pub(crate) fn style_fit(
    records: &[Record],
    styles: &HashMap<(String, String), Style>,
    baseline: &str,
    control: StyleControl,
    rounds: u32,
    ci_level: f64,
    seed: u64,
    warnings: &mut Vec<String>,
) -> Option<StyleFit> {
    let mut models: Vec<String> =
        records.iter().map(|r| r.model.clone()).filter(|m| m != baseline).collect();
    models.sort();
    models.dedup();
    let index: HashMap<&str, u32> =
        models.iter().enumerate().map(|(i, m)| (m.as_str(), i as u32)).collect();
    let chosen = control.features();
    let mut rows = Rows { model: Vec::new(), x: Vec::new(), y: Vec::new(), count: Vec::new() };
    let mut raw: Vec<[f64; 4]> = Vec::new();
    let mut no_style = 0u64;
    for rec in records {
        let Some(&m) = index.get(rec.model.as_str()) else { continue };
        let ms = styles.get(&(rec.model.clone(), rec.question.clone()));
        let bs = styles.get(&(baseline.to_owned(), rec.question.clone()));
        let (Some(ms), Some(bs)) = (ms, bs) else {
            no_style += 1;
            continue;
        };
        let f = features(ms, bs);
        for &(score, n) in &rec.scores {
            rows.model.push(m);
            rows.y.push(score);
            rows.count.push(n);
            raw.push(f);
        }
    }
    if no_style > 0 {
        warnings.push(format!(
            "style control: {no_style} judgments skipped because the model's or the baseline \
             `{baseline}`'s answer to that question has no style metadata in the answer files"
        ));
    }
    let total: u64 = rows.count.iter().sum();
    if total < 2 {
        return None;
    }
    // Standardise over the (exploded) score rows, sample sd as torch.std.
    let mut mean = [0.0; 4];
    let mut sd = [0.0; 4];
    for k in 0..4 {
        mean[k] =
            raw.iter().zip(&rows.count).map(|(f, &c)| f[k] * c as f64).sum::<f64>() / total as f64;
        let ss: f64 =
            raw.iter().zip(&rows.count).map(|(f, &c)| c as f64 * (f[k] - mean[k]).powi(2)).sum();
        sd[k] = (ss / (total - 1) as f64).sqrt();
    }
    for (k, name) in STYLE_FEATURES.iter().enumerate() {
        if chosen.contains(&k) && sd[k].partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
            warnings
                .push(format!("style control: feature `{name}` does not vary, so it is left at 0"));
        }
    }
    rows.x = raw
        .iter()
        .map(|f| {
            chosen
                .iter()
                .map(|&k| if sd[k] > 0.0 { (f[k] - mean[k]) / sd[k] } else { 0.0 })
                .collect()
        })
        .collect();
    let (k, nf) = (models.len(), chosen.len());
    let weight: Vec<f64> = rows.count.iter().map(|&c| c as f64).collect();
    let (d, beta) = fit(&rows, &weight, (&vec![0.0; k], &vec![0.0; nf]));

    let mut r = rng(seed);
    let mut draws = Vec::new();
    let mut boot_win: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds as usize); k];
    let mut boot_beta: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds as usize); nf];
    for _ in 0..rounds {
        resample_counts(&rows.count, total, &mut r, &mut draws);
        let w: Vec<f64> = draws.iter().map(|&c| c as f64).collect();
        let (bd, bb) = fit(&rows, &w, (&d, &beta));
        for m in 0..k {
            boot_win[m].push(sigmoid(bd[m]));
        }
        for i in 0..nf {
            boot_beta[i].push(bb[i]);
        }
    }
    let (lo, hi) = ((1.0 - ci_level) / 2.0, (1.0 + ci_level) / 2.0);
    let bounds = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        if v.is_empty() {
            (f64::NAN, f64::NAN)
        } else {
            (quantile_sorted(v, lo), quantile_sorted(v, hi))
        }
    };
    let (mut lower, mut upper) = (Vec::with_capacity(k), Vec::with_capacity(k));
    for v in &mut boot_win {
        let (a, b) = bounds(v);
        lower.push(a);
        upper.push(b);
    }
    let (mut blo, mut bhi) = (Vec::with_capacity(nf), Vec::with_capacity(nf));
    for v in &mut boot_beta {
        let (a, b) = bounds(v);
        blo.push(a);
        bhi.push(b);
    }
    Some(StyleFit {
        win: d.iter().map(|&v| sigmoid(v)).collect(),
        strength: d,
        lower,
        upper,
        models,
        coefficients: StyleCoefficients {
            control,
            features: chosen.iter().map(|&k| STYLE_FEATURES[k].to_owned()).collect(),
            coefficients: beta,
            lower: blo,
            upper: bhi,
            rows: total,
        },
    })
}
