//! The one-file HTML report: pure string building, every user string escaped, styles inline, no
//! scripts and no external references (a Content-Security-Policy says so to the browser too), so
//! it opens offline and cannot run anything.

use super::table::TableData;

/// Text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Characters XML 1.0 forbids (C0 controls other than tab, LF, CR): a model name holding one
/// would make the SVG not well-formed.
pub fn strip_xml_controls(text: &str) -> String {
    text.chars().filter(|&c| c >= ' ' || matches!(c, '\t' | '\n' | '\r')).collect()
}

/// One loaded file, for the provenance table.
#[derive(Debug, Clone, PartialEq)]
pub struct Provenance {
    pub name: String,
    pub kind: String,
    pub format: String,
    pub rows: u64,
    pub bytes: u64,
    pub origin: String,
}

/// A piece of the view, in page order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A panel's title.
    Heading(String),
    /// Notes and warnings (one string per line item).
    Notes(Vec<String>),
    Table {
        name: String,
        data: TableData,
    },
    /// An SVG document from `ChartSpec::to_svg` (plotters escapes the text it draws).
    Chart {
        name: String,
        label: String,
        svg: String,
    },
    /// A chart that could not be drawn.
    Failed {
        name: String,
        error: String,
    },
}

/// Everything the report holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// "Ratings", "Scaling"…
    pub view: String,
    /// ISO 8601 time of writing.
    pub generated: String,
    /// The page's address when the report was written (the share link).
    pub url: String,
    /// The view's settings, pretty JSON.
    pub settings: String,
    pub datasets: Vec<Provenance>,
    pub blocks: Vec<Block>,
}

const STYLE: &str = "body{margin:0 auto;max-width:1200px;padding:20px 28px 48px;font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1d2330;background:#fff}\
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;padding-bottom:4px;border-bottom:1px solid #dde1e8}h3{font-size:14px;margin:18px 0 6px}\
.meta{color:#5d6675;margin:2px 0}a{color:#2f5bea;overflow-wrap:anywhere}\
table{border-collapse:collapse;font-size:12.5px;margin:6px 0 14px}th,td{padding:3px 9px;border-bottom:1px solid #dde1e8;text-align:left;vertical-align:top}\
th{background:#f0f2f6}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\
.scroll{overflow-x:auto;max-width:100%}figure{margin:8px 0 16px}figure svg{max-width:100%;height:auto;border:1px solid #eef0f4}\
figcaption{color:#5d6675;font-size:12px}pre{background:#f7f8fa;border:1px solid #dde1e8;border-radius:6px;padding:10px 12px;overflow:auto;font:12px/1.45 ui-monospace,Menlo,Consolas,monospace}\
ul.notes{padding-left:20px}.error{color:#b42318}@media print{h2{break-after:avoid}figure,table{break-inside:avoid}}";

/// An SVG document made fit to sit inside HTML: the XML namespace declaration dropped (HTML
/// puts `<svg>` in the SVG namespace by itself, and the report keeps no http(s) text but the
/// link) and forbidden control characters removed.
fn inline_svg(svg: &str) -> String {
    strip_xml_controls(svg)
        .replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1)
        .replace("<script", "&lt;script")
}

impl Report {
    /// The whole HTML document.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(64 * 1024);
        out.push_str("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
        out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        out.push_str(&format!("<title>benchlens · {} report</title>\n", escape(&self.view)));
        out.push_str("<style>");
        out.push_str(STYLE);
        out.push_str("</style>\n</head>\n<body>\n");
        out.push_str(&format!("<h1>benchlens · {}</h1>\n", escape(&self.view)));
        out.push_str(&format!(
            "<p class=\"meta\">Report written {} by benchlens {}. Numbers in tables are as shown on screen; each numeric cell's <code>data-value</code> holds the full-precision value.</p>\n",
            escape(&self.generated),
            env!("CARGO_PKG_VERSION")
        ));
        out.push_str(&format!(
            "<p class=\"meta\" id=\"link\">Link to this view: <a href=\"{0}\">{0}</a></p>\n",
            escape(&self.url)
        ));
        out.push_str("<h2>Data</h2>\n");
        if self.datasets.is_empty() {
            out.push_str("<p class=\"meta\">No data loaded.</p>\n");
        } else {
            out.push_str("<div class=\"scroll\"><table id=\"provenance\"><thead><tr><th>File</th><th>Kind</th><th>Format</th><th>Rows</th><th>Bytes</th><th>Origin</th></tr></thead><tbody>\n");
            for d in &self.datasets {
                out.push_str(&format!(
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
                    escape(&d.name),
                    escape(&d.kind),
                    escape(&d.format),
                    d.rows,
                    d.bytes,
                    escape(&d.origin)
                ));
            }
            out.push_str("</tbody></table></div>\n");
        }
        out.push_str("<h2>Settings</h2>\n<pre id=\"settings\">");
        out.push_str(&escape(&self.settings));
        out.push_str("</pre>\n<h2>Results</h2>\n");
        if self.blocks.is_empty() {
            out.push_str("<p class=\"meta\">No results on screen.</p>\n");
        }
        for block in &self.blocks {
            match block {
                Block::Heading(h) => out.push_str(&format!("<h3>{}</h3>\n", escape(h))),
                Block::Notes(items) => {
                    out.push_str("<ul class=\"notes\">");
                    for item in items {
                        out.push_str(&format!("<li>{}</li>", escape(item)));
                    }
                    out.push_str("</ul>\n");
                }
                Block::Table { name, data } => {
                    out.push_str(&format!(
                        "<div class=\"scroll\" data-table=\"{}\">{}</div>\n",
                        escape(name),
                        data.to_html()
                    ));
                }
                Block::Chart { name, label, svg } => {
                    out.push_str(&format!(
                        "<figure data-chart=\"{}\">{}<figcaption>{}</figcaption></figure>\n",
                        escape(name),
                        inline_svg(svg),
                        escape(label)
                    ));
                }
                Block::Failed { name, error } => out.push_str(&format!(
                    "<p class=\"error\">Chart {} could not be drawn: {}</p>\n",
                    escape(name),
                    escape(error)
                )),
            }
        }
        out.push_str("</body>\n</html>\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::table::RawCell;

    fn report() -> Report {
        Report {
            view: "Ratings".into(),
            generated: "2026-11-26T19:00:00.000Z".into(),
            url: "http://127.0.0.1:8080/?view=ratings&x=\"><script>".into(),
            settings: "{\n  \"seed\": 0\n}".into(),
            datasets: vec![Provenance {
                name: "<b>evil</b>.csv".into(),
                kind: "battle log".into(),
                format: "csv".into(),
                rows: 12,
                bytes: 345,
                origin: "sample: GenAI-Arena".into(),
            }],
            blocks: vec![
                Block::Heading("Leaderboard".into()),
                Block::Notes(vec!["<i>note</i>".into()]),
                Block::Table {
                    name: "leaderboard".into(),
                    data: TableData::from_raw(
                        &[vec![RawCell::new("Model")]],
                        &[vec![RawCell::new("<script>alert(1)</script>")]],
                    ),
                },
                Block::Chart {
                    name: "chart-forest".into(),
                    label: "Forest".into(),
                    svg: "<svg width=\"10\" height=\"10\" viewBox=\"0 0 10 10\" xmlns=\"http://www.w3.org/2000/svg\">\n<text>a &lt; b\u{1}</text>\n</svg>\n".into(),
                },
            ],
        }
    }

    #[test]
    fn escapes_every_user_string_and_holds_no_script() {
        let html = report().render();
        assert!(!html.to_lowercase().contains("<script"), "{html}");
        assert!(!html.contains("<b>evil"));
        assert!(!html.contains("<i>note"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains(
            "href=\"http://127.0.0.1:8080/?view=ratings&amp;x=&quot;&gt;&lt;script&gt;\""
        ));
    }

    #[test]
    fn no_external_reference_but_the_link() {
        let r = report();
        let html = r.render();
        let without_link = html.replace(&escape(&r.url), "");
        assert!(
            !without_link.contains("http://") && !without_link.contains("https://"),
            "{without_link}"
        );
        assert!(!html.contains(" src="));
        assert!(html.contains("<svg width=\"10\""));
        assert!(!html.contains('\u{1}'));
        assert!(html.contains("<pre id=\"settings\">{\n  &quot;seed&quot;: 0\n}</pre>"));
        assert!(html.contains("<td class=\"num\">12</td>"));
    }
}
