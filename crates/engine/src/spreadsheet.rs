//! Spreadsheet safety for CSV that people open in Excel, LibreOffice or Google Sheets: a cell
//! starting with `=`, `+`, `-` or `@` (or a tab or carriage return) is read as a formula there, so
//! a model named `=HYPERLINK(...)` or `=cmd|' /C calc'!A0` in someone's battle log would run when
//! the exported leaderboard is opened. OWASP's rule (CSV Injection): prefix such cells with a
//! single quote, which spreadsheets show as text and do not evaluate.
//!
//! Numbers are left alone ("-3.5", "+2", "-1e-5" are numbers, not formulas): only text cells are
//! escaped, so a column of signed offsets still reads back as numbers.

use std::borrow::Cow;

/// Characters that make a spreadsheet read a cell as a formula (OWASP, CSV Injection).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `cell` made safe to open in a spreadsheet: a single quote before a text cell that starts
/// with `=`, `+`, `-`, `@`, tab or carriage return; numbers and every other cell unchanged.
pub fn formula_safe(cell: &str) -> Cow<'_, str> {
    let risky = cell.starts_with(FORMULA_STARTS);
    if !risky || is_plain_number(cell) {
        Cow::Borrowed(cell)
    } else {
        Cow::Owned(format!("'{cell}"))
    }
}

/// A finite decimal number as a spreadsheet reads one: optional sign, digits, optional fraction
/// and exponent ("-3.5", "+2", "-1.5e-3"); not "-inf", "-NaN" or "-1+2".
fn is_plain_number(text: &str) -> bool {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    body.chars().next().is_some_and(|c| c.is_ascii_digit() || c == '.')
        && body.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        && text.parse::<f64>().is_ok_and(f64::is_finite)
}

#[cfg(test)]
mod tests {
    use super::formula_safe;

    #[test]
    fn formulas_are_quoted_as_text() {
        assert_eq!(formula_safe("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(
            formula_safe("=HYPERLINK(\"http://x\",\"y\")"),
            "'=HYPERLINK(\"http://x\",\"y\")"
        );
        assert_eq!(formula_safe("-1+2"), "'-1+2");
        assert_eq!(formula_safe("+A1"), "'+A1");
        assert_eq!(formula_safe("@SUM(A1:A2)"), "'@SUM(A1:A2)");
        assert_eq!(formula_safe("\tleading tab"), "'\tleading tab");
        assert_eq!(formula_safe("\rcr"), "'\rcr");
        assert_eq!(formula_safe("-inf"), "'-inf");
        assert_eq!(formula_safe("-NaN"), "'-NaN");
        assert_eq!(formula_safe("--3"), "'--3");
        assert_eq!(formula_safe("-1e5e5"), "'-1e5e5");
    }

    #[test]
    fn numbers_and_plain_text_are_unchanged() {
        for cell in ["-3.5", "+3.2", "-1e-5", "-.5", "1234.5678", "0", "", "gpt-4", "a=b", "x-1"] {
            assert_eq!(formula_safe(cell), cell, "{cell:?}");
        }
    }
}
