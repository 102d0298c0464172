//! The word-level diff shown for a near-duplicate pair.

use super::DiffOp;
use crate::defects::text::tokens;

/// Token-level diff (longest common subsequence after trimming the common prefix and suffix),
/// with runs of the same operation merged.
pub fn token_diff(a: &str, b: &str) -> Vec<DiffOp> {
    let ta = tokens(a);
    let tb = tokens(b);
    let pre = ta.iter().zip(&tb).take_while(|(x, y)| x == y).count();
    let suf =
        ta[pre..].iter().rev().zip(tb[pre..].iter().rev()).take_while(|(x, y)| x == y).count();
    let ma = &ta[pre..ta.len() - suf];
    let mb = &tb[pre..tb.len() - suf];
    let mut ops: Vec<(u8, &str)> = ta[..pre].iter().map(|t| (0, t.as_str())).collect();
    if ma.len() * mb.len() <= 4_000_000 {
        let (n, m) = (ma.len(), mb.len());
        let mut lcs = vec![0u32; (n + 1) * (m + 1)];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * (m + 1) + j] = if ma[i] == mb[j] {
                    lcs[(i + 1) * (m + 1) + j + 1] + 1
                } else {
                    lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && ma[i] == mb[j] {
                ops.push((0, &ma[i]));
                i += 1;
                j += 1;
            } else if i < n && (j == m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) {
                ops.push((1, &ma[i]));
                i += 1;
            } else {
                ops.push((2, &mb[j]));
                j += 1;
            }
        }
    } else {
        ops.extend(ma.iter().map(|t| (1, t.as_str())));
        ops.extend(mb.iter().map(|t| (2, t.as_str())));
    }
    ops.extend(ta[ta.len() - suf..].iter().map(|t| (0, t.as_str())));
    let mut out: Vec<DiffOp> = Vec::new();
    let mut cur: Option<(u8, String)> = None;
    for (op, t) in ops {
        match &mut cur {
            Some((o, s)) if *o == op => {
                s.push(' ');
                s.push_str(t);
            }
            _ => {
                if let Some((o, s)) = cur.take() {
                    out.push(make_op(o, s));
                }
                cur = Some((op, t.to_owned()));
            }
        }
    }
    if let Some((o, s)) = cur {
        out.push(make_op(o, s));
    }
    out
}

fn make_op(op: u8, s: String) -> DiffOp {
    match op {
        0 => DiffOp::Same(s),
        1 => DiffOp::Removed(s),
        _ => DiffOp::Added(s),
    }
}
