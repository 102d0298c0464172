//! Battle logs from Parquet: which leaves a battle needs (the projection), and how one record of
//! them becomes the battle a FastChat `clean_battle` JSON record with the same fields gives.
//!
//! LMArena's releases keep FastChat's field names for what matters here (`model_a`, `model_b`,
//! `winner`, `conv_metadata`, `category_tag`), so the mapping is by name: `timestamp` stands in
//! for `tstamp`, the user turns of `conversation_a` for `turn` when there is no `turn` column, and
//! `is_code` becomes a category next to `category_tag`'s.

use crate::battles::style_index;

use super::columns::{Conversion, Leaf};

/// Where the winner comes from.
pub enum WinnerSource {
    /// A `winner` label column.
    Label(usize),
    /// One-hot columns (`winner_model_a`, `winner_model_b`, `winner_tie`), as in the 55k release.
    OneHot { a: usize, b: usize, tie: usize },
}

/// Positions (in the projected leaf list) of everything a battle reads.
pub struct BattlePlan {
    /// Indices into the file's leaves, in the order they are decoded.
    pub projection: Vec<usize>,
    pub(super) model_a: usize,
    pub(super) model_b: usize,
    pub(super) winner: WinnerSource,
    pub(super) judge: Option<usize>,
    pub(super) language: Option<usize>,
    pub(super) turn: Option<usize>,
    /// `conversation_a`'s `role` leaf: user turns are counted when there is no `turn` column.
    pub(super) roles: Option<usize>,
    pub(super) anony: Option<usize>,
    pub(super) tstamp: Option<usize>,
    pub(super) dedup_sampled: Option<usize>,
    pub(super) is_code: Option<usize>,
    /// (leaf, `group.name`) of `category_tag`'s boolean leaves, groups sorted as a JSON map is.
    pub(super) categories: Vec<(usize, String)>,
    /// Leaves summed into each style feature, and the `conv_metadata` presence level.
    pub(super) style: [Vec<usize>; 8],
    /// Any one `conv_metadata` leaf (its definition level says whether the row has metadata).
    pub(super) style_probe: Option<usize>,
    /// Other top-level numeric columns (a weight), projected leaf and name: the log's
    /// [`crate::battles::NumericColumn`]s, as a JSON record's extra numbers would be.
    pub(super) numbers: Vec<(usize, String)>,
    /// Whether the file has an `anony` column (LMArena's 2025 releases do not: all anonymous).
    pub has_anony: bool,
}

/// The columns a battle needs that the file lacks, as the error message wants them.
pub struct MissingBattleColumns(pub Vec<&'static str>);

impl BattlePlan {
    /// Chooses the leaves. `name_of` gives a leaf's (possibly renamed) dotted name.
    pub fn new(
        leaves: &[Leaf],
        name_of: &dyn Fn(&Leaf) -> String,
    ) -> Result<Self, MissingBattleColumns> {
        let mut projection: Vec<usize> = Vec::new();
        let mut take = |leaf: usize| -> usize {
            match projection.iter().position(|&l| l == leaf) {
                Some(i) => i,
                None => {
                    projection.push(leaf);
                    projection.len() - 1
                }
            }
        };
        let scalar = |names: &[&str]| {
            leaves.iter().position(|l| {
                l.list_at.is_none() && names.iter().any(|n| name_of(l).eq_ignore_ascii_case(n))
            })
        };
        let model_a = scalar(&["model_a"]);
        let model_b = scalar(&["model_b"]);
        let label = scalar(&["winner"]);
        let hot =
            (scalar(&["winner_model_a"]), scalar(&["winner_model_b"]), scalar(&["winner_tie"]));
        let mut missing = Vec::new();
        if model_a.is_none() {
            missing.push("model_a");
        }
        if model_b.is_none() {
            missing.push("model_b");
        }
        let winner = match (label, hot) {
            (Some(w), _) => Some(WinnerSource::Label(w)),
            (None, (Some(a), Some(b), Some(tie))) => Some(WinnerSource::OneHot { a, b, tie }),
            _ => {
                missing.push("winner");
                None
            }
        };
        let (Some(model_a), Some(model_b), Some(winner)) = (model_a, model_b, winner) else {
            return Err(MissingBattleColumns(missing));
        };
        let model_a = take(model_a);
        let model_b = take(model_b);
        let winner = match winner {
            WinnerSource::Label(w) => WinnerSource::Label(take(w)),
            WinnerSource::OneHot { a, b, tie } => {
                WinnerSource::OneHot { a: take(a), b: take(b), tie: take(tie) }
            }
        };
        let judge = scalar(&["judge"]).map(&mut take);
        let language = scalar(&["language", "lang"]).map(&mut take);
        let turn = scalar(&["turn"]).map(&mut take);
        let roles = match turn {
            Some(_) => None,
            None => leaves
                .iter()
                .position(|l| {
                    l.top() == "conversation_a"
                        && l.list_at.is_some()
                        && l.logical.last().is_some_and(|p| p == "role")
                        && l.conversion == Conversion::Text
                })
                .map(&mut take),
        };
        let anony_leaf = scalar(&["anony", "anonymous"]);
        let has_anony = anony_leaf.is_some();
        let anony = anony_leaf.map(&mut take);
        let tstamp = scalar(&["tstamp", "timestamp"]).map(&mut take);
        let dedup_sampled = scalar(&["dedup_tag.sampled"]).map(&mut take);
        let is_code = scalar(&["is_code"]).map(&mut take);

        let mut tagged: Vec<(usize, &str, String)> = leaves
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                l.list_at.is_none()
                    && l.logical.len() == 3
                    && l.top() == "category_tag"
                    && l.conversion == Conversion::Bool
            })
            .map(|(i, l)| (i, l.logical[1].as_str(), format!("{}.{}", l.logical[1], l.logical[2])))
            .collect();
        // A JSON category_tag is read as a sorted map of groups; keep that order of first use.
        tagged.sort_by(|x, y| x.1.cmp(y.1));
        let categories = tagged.into_iter().map(|(i, _, name)| (take(i), name)).collect();

        let metadata = |part: &str| -> Vec<usize> {
            leaves
                .iter()
                .enumerate()
                .filter(|(_, l)| {
                    l.list_at.is_none()
                        && l.top() == "conv_metadata"
                        && l.logical.get(1).is_some_and(|p| p == part)
                        && matches!(
                            l.conversion,
                            Conversion::Int | Conversion::Float | Conversion::Bool
                        )
                })
                .map(|(i, _)| i)
                .collect()
        };
        let mut style: [Vec<usize>; 8] = Default::default();
        let parts = [
            (style_index::TOKENS_A, "sum_assistant_a_tokens"),
            (style_index::TOKENS_B, "sum_assistant_b_tokens"),
            (style_index::HEADERS_A, "header_count_a"),
            (style_index::HEADERS_B, "header_count_b"),
            (style_index::LISTS_A, "list_count_a"),
            (style_index::LISTS_B, "list_count_b"),
            (style_index::BOLD_A, "bold_count_a"),
            (style_index::BOLD_B, "bold_count_b"),
        ];
        for (slot, part) in parts {
            style[slot] = metadata(part).into_iter().map(&mut take).collect();
        }
        let style_probe = style.iter().flatten().next().copied();
        const BATTLE_FIELDS: [&str; 15] = [
            "model_a",
            "model_b",
            "winner",
            "winner_model_a",
            "winner_model_b",
            "winner_tie",
            "judge",
            "language",
            "lang",
            "turn",
            "anony",
            "anonymous",
            "tstamp",
            "timestamp",
            "is_code",
        ];
        let numbers = leaves
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                l.list_at.is_none()
                    && l.logical.len() == 1
                    && matches!(l.conversion, Conversion::Int | Conversion::Float)
                    && !BATTLE_FIELDS.iter().any(|f| name_of(l).eq_ignore_ascii_case(f))
            })
            .take(crate::battles::MAX_NUMERIC_COLUMNS)
            .map(|(i, l)| (take(i), name_of(l)))
            .collect();
        Ok(Self {
            numbers,
            projection,
            model_a,
            model_b,
            winner,
            judge,
            language,
            turn,
            roles,
            anony,
            tstamp,
            dedup_sampled,
            is_code,
            categories,
            style,
            style_probe,
            has_anony,
        })
    }
}

/// Unix seconds from `2025-04-21 19:22:34`, `2025-04-21T19:22:34.5Z` or `…+00:00` (UTC only:
/// other offsets are applied), or from a number of seconds written as text.
pub fn parse_datetime(raw: &str) -> Option<f64> {
    let t = raw.trim();
    if let Ok(x) = t.parse::<f64>() {
        return Some(x);
    }
    let b = t.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> { t.get(r)?.parse().ok() };
    if b.len() < 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut secs = days_from_civil(y, m, d) as f64 * 86_400.0;
    if b.len() == 10 {
        return Some(secs);
    }
    if !matches!(b.get(10), Some(b' ' | b'T')) || b.len() < 19 {
        return None;
    }
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    secs += (hh * 3600 + mm * 60 + ss) as f64;
    let mut rest = &t[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        let f: f64 = format!("0.{}", &frac[..digits]).parse().ok()?;
        secs += f;
        rest = &frac[digits..];
    }
    match rest {
        "" | "Z" | "z" | "UTC" | " UTC" => Some(secs),
        offset if offset.len() == 6 && matches!(offset.as_bytes()[0], b'+' | b'-') => {
            let sign = if offset.starts_with('-') { -1.0 } else { 1.0 };
            let h: f64 = offset.get(1..3)?.parse().ok()?;
            let m: f64 = offset.get(4..6)?.parse().ok()?;
            Some(secs - sign * (h * 3600.0 + m * 60.0))
        }
        _ => None,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes() {
        assert_eq!(parse_datetime("1970-01-02"), Some(86_400.0));
        assert_eq!(parse_datetime("2024-05-01 12:00:00"), Some(1_714_564_800.0));
        assert_eq!(parse_datetime("2024-05-01T12:00:00.5Z"), Some(1_714_564_800.5));
        assert_eq!(parse_datetime("2024-05-01T14:00:00+02:00"), Some(1_714_564_800.0));
        assert_eq!(parse_datetime("1714564800"), Some(1_714_564_800.0));
        assert_eq!(parse_datetime("yesterday"), None);
        assert_eq!(parse_datetime("2024-13-01"), None);
    }
}
