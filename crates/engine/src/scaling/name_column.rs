//! Which column names a model or run. A header like `model` or `run` says so; failing that, the
//! first column of mostly text. Text is not enough: digitised tables (Epoch AI's
//! `svg_extracted_data.csv`) carry the marker colour of every point as `#f47a54`, and logged runs
//! carry UUIDs or hashes. A colour or an opaque id as a "model name" turns every label, outlier
//! list and export into noise, so such columns are never picked automatically (a user may still
//! choose one).

use crate::table::Table;

/// Headers that name a row outright.
const NAME_NAMES: &[&str] = &["model", "name", "model_name", "run", "run_name"];

/// Header words of columns that hold colours or identifiers, never names.
const NOT_NAME_WORDS: &[&str] =
    &["color", "colour", "hex", "rgb", "id", "uuid", "guid", "hash", "sha", "index", "idx", "key"];

/// Rows looked at to judge a column's values.
const SAMPLE_ROWS: usize = 50;

/// The name column: a name-like header first, then the first column of mostly text that is
/// neither colours nor ids.
pub fn detect_name_column(
    table: &Table,
    find: impl Fn(&[&str]) -> Option<String>,
) -> Option<String> {
    find(NAME_NAMES).or_else(|| {
        table.columns.iter().enumerate().find_map(|(i, c)| {
            if header_says_not_a_name(c) {
                return None;
            }
            let values: Vec<&str> = (0..table.n_rows().min(SAMPLE_ROWS))
                .map(|r| table.cell(r, i).trim())
                .filter(|v| !v.is_empty())
                .collect();
            let texty = values.iter().filter(|v| v.parse::<f64>().is_err()).count();
            let opaque = values.iter().filter(|v| is_colour(v) || is_opaque_id(v)).count();
            // Mostly text, and not mostly colours or ids.
            (!values.is_empty() && texty * 2 > values.len() && opaque * 2 <= values.len())
                .then(|| c.clone())
        })
    })
}

fn header_says_not_a_name(header: &str) -> bool {
    let lower = header.to_lowercase();
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .any(|w| NOT_NAME_WORDS.contains(&w))
}

/// `#rgb`, `#rrggbb` or `#rrggbbaa`, or a CSS `rgb(…)` / `hsl(…)` value.
pub fn is_colour(v: &str) -> bool {
    let v = v.trim();
    if let Some(hex) = v.strip_prefix('#') {
        return matches!(hex.len(), 3 | 4 | 6 | 8) && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    let lower = v.to_ascii_lowercase();
    ["rgb(", "rgba(", "hsl(", "hsla("].iter().any(|p| lower.starts_with(p)) && lower.ends_with(')')
}

/// A UUID, or a hex digest of 7 or more characters with at least one digit (git short hashes,
/// wandb run ids are often like this).
pub fn is_opaque_id(v: &str) -> bool {
    let v = v.trim();
    let compact: String = v.chars().filter(|c| *c != '-').collect();
    let uuid_like = v.len() == 36
        && v.chars().filter(|c| *c == '-').count() == 4
        && compact.chars().all(|c| c.is_ascii_hexdigit());
    let digest = v.len() >= 7
        && v.chars().all(|c| c.is_ascii_hexdigit())
        && v.chars().any(|c| c.is_ascii_digit())
        && v.chars().any(|c| c.is_ascii_alphabetic());
    uuid_like || digest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_and_ids_are_recognised() {
        for c in ["#faebdd", "#F47A54", "#fff", "rgb(1, 2, 3)", "#12345678"] {
            assert!(is_colour(c), "{c}");
        }
        for c in ["#model", "Chinchilla", "#1234567", "7B"] {
            assert!(!is_colour(c), "{c}");
        }
        assert!(is_opaque_id("3f2a9c1"));
        assert!(is_opaque_id("123e4567-e89b-12d3-a456-426614174000"));
        assert!(!is_opaque_id("llama-7b"));
        assert!(!is_opaque_id("Chinchilla"));
        assert!(!is_opaque_id("deadbeef"), "all letters: a word, not a digest");
    }

    #[test]
    fn header_words() {
        assert!(header_says_not_a_name("hex_color"));
        assert!(header_says_not_a_name("Run ID"));
        assert!(header_says_not_a_name("colour"));
        assert!(!header_says_not_a_name("Model"));
        assert!(!header_says_not_a_name("width"), "words, not substrings");
    }
}
