//! Tables as data: the on-screen `<table>` read back into columns and rows (headers with
//! colspan/rowspan flattened to one name per column; body cells with rowspan repeated on every
//! row they cover), then written as RFC 4180 CSV, JSON records or a static HTML table.
//!
//! A cell's exported value is its `data-value` attribute when it has one (the full-precision
//! number behind a rounded display), else its text. Cells of `num` columns become JSON numbers
//! (`""` and `—` become `null`); every other cell stays a string.

use benchlens_engine::spreadsheet::formula_safe;
use serde_json::{Map, Number, Value};

use super::html::escape;

/// One cell as read from the page (before spans are laid out).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawCell {
    /// Text as displayed, whitespace collapsed.
    pub text: String,
    /// `data-value`, when present.
    pub value: Option<String>,
    /// A numeric column (`class="num"`).
    pub numeric: bool,
    pub colspan: usize,
    pub rowspan: usize,
    /// A header cell's name in exports when it differs from its text (`data-export-name`: the
    /// CLI's `lower` for a column shown as "Lower", an ASCII name for a "−CI" header).
    pub export_name: Option<String>,
}

impl RawCell {
    /// A plain one-by-one cell (tests, simple callers).
    pub fn new(text: &str) -> Self {
        Self { text: text.into(), colspan: 1, rowspan: 1, ..Self::default() }
    }

    /// A numeric cell showing `text` with the full value `value`.
    pub fn num(text: &str, value: Option<&str>) -> Self {
        Self { value: value.map(str::to_owned), numeric: true, ..Self::new(text) }
    }
}

/// One laid-out cell.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    /// As displayed.
    pub text: String,
    /// What CSV and JSON get.
    pub value: String,
    pub numeric: bool,
}

/// A whole table: one name per column, every row as wide as the header.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableData {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// The full value of a number for a `data-value` attribute: shortest text that reads back as
/// the same f64; empty for NaN and ±∞ (exported as empty / null).
pub fn full(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        String::new()
    }
}

/// `full` for an optional number.
pub fn full_opt(v: Option<f64>) -> String {
    v.map_or(String::new(), full)
}

/// Collapses runs of whitespace to one space and trims.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Header text without a sort arrow.
fn header_label(text: &str) -> String {
    let t = collapse(text);
    t.trim_end_matches(['▲', '▼']).trim_end().to_owned()
}

/// Places cells on a grid, honouring colspan and rowspan; a spanned cell is repeated in every
/// slot it covers. Returns the grid rows (width = widest row).
fn lay_out(rows: &[Vec<RawCell>]) -> Vec<Vec<Option<RawCell>>> {
    let mut grid: Vec<Vec<Option<RawCell>>> = vec![Vec::new(); rows.len()];
    for (r, row) in rows.iter().enumerate() {
        let mut c = 0;
        for cell in row {
            while grid[r].get(c).is_some_and(Option::is_some) {
                c += 1;
            }
            let span_c = cell.colspan.clamp(1, 1000);
            let span_r = cell.rowspan.clamp(1, rows.len() - r);
            for dr in 0..span_r {
                let target = &mut grid[r + dr];
                for dc in 0..span_c {
                    if target.len() <= c + dc {
                        target.resize(c + dc + 1, None);
                    }
                    target[c + dc] = Some(cell.clone());
                }
            }
            c += span_c;
        }
    }
    let width = grid.iter().map(Vec::len).max().unwrap_or(0);
    for row in &mut grid {
        row.resize(width, None);
    }
    grid
}

impl TableData {
    /// Lays out header rows (flattened: the distinct non-empty labels of a column, top to
    /// bottom, joined by " / ") and body rows.
    pub fn from_raw(head: &[Vec<RawCell>], body: &[Vec<RawCell>]) -> Self {
        let head_grid = lay_out(head);
        let body_grid = lay_out(body);
        let width =
            head_grid.first().map_or(0, Vec::len).max(body_grid.first().map_or(0, Vec::len));
        let mut columns = Vec::with_capacity(width);
        for c in 0..width {
            let mut parts: Vec<String> = Vec::new();
            for row in &head_grid {
                if let Some(Some(cell)) = row.get(c) {
                    let label = match &cell.export_name {
                        Some(name) => collapse(name),
                        None => header_label(&cell.text),
                    };
                    if !label.is_empty() && parts.last() != Some(&label) {
                        parts.push(label);
                    }
                }
            }
            columns.push(if parts.is_empty() {
                format!("column {}", c + 1)
            } else {
                parts.join(" / ")
            });
        }
        let rows = body_grid
            .into_iter()
            .map(|row| {
                (0..width)
                    .map(|c| match row.get(c) {
                        Some(Some(cell)) => Cell {
                            // A text cell's data-value is its clean text (a model name without
                            // its badge, a whole instruction): show that in copies too.
                            text: match (&cell.value, cell.numeric) {
                                (Some(v), false) => collapse(v),
                                _ => collapse(&cell.text),
                            },
                            value: cell.value.clone().unwrap_or_else(|| collapse(&cell.text)),
                            numeric: cell.numeric,
                        },
                        _ => Cell::default(),
                    })
                    .collect()
            })
            .collect();
        Self { columns, rows }
    }

    /// RFC 4180: comma separated, CRLF line ends, fields with a comma, quote, CR or LF quoted
    /// with inner quotes doubled; a header line first. Text that a spreadsheet would run as a
    /// formula gets a leading `'` (OWASP's rule, [`formula_safe`]); numbers stay numbers.
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        write_csv_line(&mut out, self.columns.iter().map(|c| formula_safe(c)));
        for row in &self.rows {
            write_csv_line(&mut out, row.iter().map(|c| formula_safe(&c.value)));
        }
        out
    }

    /// The columns named in `first` (those present, in that order) moved before the others,
    /// which keep their order: the leaderboard's `lower,upper` next to its rating, with the
    /// offsets shown on screen after them.
    pub fn with_columns_first(mut self, first: &[&str]) -> Self {
        let mut order: Vec<usize> =
            first.iter().filter_map(|name| self.columns.iter().position(|c| c == name)).collect();
        order.dedup();
        let rest: Vec<usize> = (0..self.columns.len()).filter(|i| !order.contains(i)).collect();
        order.extend(rest);
        self.columns = order.iter().filter_map(|&i| self.columns.get(i).cloned()).collect();
        for row in &mut self.rows {
            *row = order.iter().map(|&i| row.get(i).cloned().unwrap_or_default()).collect();
        }
        self
    }

    /// Column names made unique for JSON keys ("x", "x (2)", …).
    fn unique_columns(&self) -> Vec<String> {
        let mut seen: Vec<String> = Vec::with_capacity(self.columns.len());
        for name in &self.columns {
            let mut key = name.clone();
            let mut n = 2;
            while seen.contains(&key) {
                key = format!("{name} ({n})");
                n += 1;
            }
            seen.push(key);
        }
        seen
    }

    /// An array of objects, one per row, keys in column order; numeric columns as numbers.
    pub fn to_json_value(&self) -> Value {
        let keys = self.unique_columns();
        let rows = self
            .rows
            .iter()
            .map(|row| {
                let mut obj = Map::new();
                for (key, cell) in keys.iter().zip(row) {
                    obj.insert(key.clone(), json_cell(cell));
                }
                Value::Object(obj)
            })
            .collect();
        Value::Array(rows)
    }

    /// [`Self::to_json_value`], pretty printed.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.to_json_value()).unwrap_or_else(|_| "[]".into())
    }

    /// A static HTML table (escaped text, no attributes but classes and `data-value`).
    pub fn to_html(&self) -> String {
        let mut out = String::from("<table><thead><tr>");
        for c in &self.columns {
            out.push_str("<th>");
            out.push_str(&escape(c));
            out.push_str("</th>");
        }
        out.push_str("</tr></thead><tbody>");
        for row in &self.rows {
            out.push_str("<tr>");
            for cell in row {
                if cell.numeric {
                    out.push_str("<td class=\"num\"");
                    if cell.value != cell.text {
                        out.push_str(" data-value=\"");
                        out.push_str(&escape(&cell.value));
                        out.push('"');
                    }
                    out.push('>');
                } else {
                    out.push_str("<td>");
                }
                out.push_str(&escape(&cell.text));
                out.push_str("</td>");
            }
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table>");
        out
    }
}

fn write_csv_line<S: AsRef<str>>(out: &mut String, fields: impl Iterator<Item = S>) {
    for (i, f) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&csv_field(f.as_ref()));
    }
    out.push_str("\r\n");
}

/// One CSV field, quoted when RFC 4180 requires it.
pub fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

/// A number in a numeric column as displayed ("1,234", "+3.2", "12.5%", "2.0×"): the number,
/// if the text is one once thousands separators and a unit suffix are dropped.
fn parse_number(text: &str) -> Option<f64> {
    let t = text.trim().trim_end_matches(['%', '×']).trim_end();
    let t = if thousands_grouped(t) { t.replace(',', "") } else { t.to_owned() };
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// "14,079" or "-1,234.5": digits grouped by threes with commas.
fn thousands_grouped(t: &str) -> bool {
    let digits = t.trim_start_matches(['-', '+']);
    let int = digits.split('.').next().unwrap_or("");
    let mut groups = int.split(',');
    let first_ok = groups.next().is_some_and(|g| (1..=3).contains(&g.len()));
    let rest: Vec<&str> = groups.collect();
    first_ok
        && !rest.is_empty()
        && rest.iter().all(|g| g.len() == 3)
        && int.chars().all(|c| c.is_ascii_digit() || c == ',')
}

fn json_cell(cell: &Cell) -> Value {
    if !cell.numeric {
        return Value::String(cell.value.clone());
    }
    let v = cell.value.trim();
    if v.is_empty() || v == "—" || v == "-" {
        return Value::Null;
    }
    match parse_number(v).and_then(Number::from_f64) {
        Some(n) => Value::Number(n),
        None => Value::String(cell.value.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(text: &str, colspan: usize, rowspan: usize) -> RawCell {
        RawCell { colspan, rowspan, ..RawCell::new(text) }
    }

    #[test]
    fn csv_quotes_as_rfc4180() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field("cr\r"), "\"cr\r\"");
        assert_eq!(csv_field(""), "");
        let t = TableData::from_raw(
            &[vec![RawCell::new("Model"), RawCell::new("Rating ▼")]],
            &[vec![RawCell::new("gpt, \"4\""), RawCell::num("1,234.6", Some("1234.5678"))]],
        );
        assert_eq!(t.to_csv(), "Model,Rating\r\n\"gpt, \"\"4\"\"\",1234.5678\r\n");
    }

    #[test]
    fn headers_flatten_spans_and_body_repeats_rowspans() {
        let head = vec![
            vec![span("", 1, 1), span("Win rate (%)", 2, 1), span("", 1, 1)],
            vec![
                span("Model ▲", 1, 1),
                span("win rate", 1, 1),
                span("± SE", 1, 1),
                span("n", 1, 1),
            ],
        ];
        let body = vec![
            vec![
                span("fam", 1, 2),
                RawCell::new("a"),
                RawCell::num("1", None),
                RawCell::num("2", None),
            ],
            vec![RawCell::new("b"), RawCell::num("3", None), RawCell::num("4", None)],
        ];
        let t = TableData::from_raw(&head, &body);
        assert_eq!(t.columns, ["Model", "Win rate (%) / win rate", "Win rate (%) / ± SE", "n"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1][0].value, "fam");
        assert_eq!(t.rows[1][1].value, "b");
        assert_eq!(t.rows[1][3].value, "4");
    }

    #[test]
    fn rowspan_in_header_does_not_shift_columns() {
        let head = vec![
            vec![span("model", 1, 2), span("N", 1, 2), span("Chinchilla", 2, 1)],
            vec![span("D_opt", 1, 1), span("over-trained", 1, 1)],
        ];
        let t = TableData::from_raw(&head, &[]);
        assert_eq!(t.columns, ["model", "N", "Chinchilla / D_opt", "Chinchilla / over-trained"]);
    }

    #[test]
    fn json_has_numbers_as_numbers_and_full_precision() {
        let t = TableData::from_raw(
            &[vec![
                RawCell::new("Model"),
                RawCell::new("Rating"),
                RawCell::new("Battles"),
                RawCell::new("CI"),
                RawCell::new("Rating"),
            ]],
            &[vec![
                RawCell { value: Some("m <1>".into()), ..RawCell::new("m <1> group 2") },
                RawCell::num("1234.6", Some(&full(1234.5678))),
                RawCell::num("14,079", None),
                RawCell::num("—", None),
                RawCell::num("0 (training only)", None),
            ]],
        );
        let v = t.to_json_value();
        assert_eq!(
            v,
            serde_json::json!([{
                "Model": "m <1>",
                "Rating": 1234.5678,
                "Battles": 14079.0,
                "CI": null,
                "Rating (2)": "0 (training only)"
            }])
        );
        assert!(t.to_json().starts_with("[\n"));
    }

    #[test]
    fn numbers_with_units_and_signs() {
        assert_eq!(parse_number("+3.20"), Some(3.2));
        assert_eq!(parse_number("12.5%"), Some(12.5));
        assert_eq!(parse_number("2.0×"), Some(2.0));
        assert_eq!(parse_number("1.5e21"), Some(1.5e21));
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_number("1.2T"), None);
        assert_eq!(parse_number("-1,234.5"), Some(-1234.5));
        assert_eq!(parse_number("1,2"), None);
        assert_eq!(full(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(full(f64::NAN), "");
        assert_eq!(full_opt(None), "");
    }

    #[test]
    fn html_copy_escapes_user_text() {
        let t = TableData::from_raw(
            &[vec![RawCell::new("<b>Model</b>")]],
            &[vec![RawCell::new("<img src=x onerror=alert(1)>")]],
        );
        let html = t.to_html();
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(html.contains("<th>&lt;b&gt;Model&lt;/b&gt;</th>"));
    }
}
