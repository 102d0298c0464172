//! The caption under an exported PNG: what the chart shows (its panel's title and its
//! description, which names the method), the data it was drawn from and when, so a figure pasted
//! into a paper or a chat still says where it came from, as the HTML report's figures do.
//!
//! Pure text; `download::chart_png` draws the lines under the chart.

use crate::format;

/// What a caption says.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Caption {
    /// The panel's title ("Leaderboard"), when the chart sits in one.
    pub title: Option<String>,
    /// The chart's description (its `aria-label`: what is drawn, by which method).
    pub method: String,
    /// The view ("Ratings").
    pub view: String,
    /// Loaded files: name and row count.
    pub sources: Vec<(String, u64)>,
    /// Day of export, `YYYY-MM-DD`.
    pub date: String,
}

/// Files named in full before the rest are counted.
const NAMED_FILES: usize = 3;

impl Caption {
    /// The caption as one line of text: "Title: method. Data: a.csv (1,000 rows). benchlens
    /// 0.1.0, Ratings view, 2026-12-02."
    pub fn text(&self) -> String {
        let mut out = String::new();
        if let Some(title) = self.title.as_deref().filter(|t| !t.trim().is_empty()) {
            out.push_str(title.trim());
            out.push_str(": ");
        }
        out.push_str(self.method.trim().trim_end_matches('.'));
        out.push_str(". ");
        out.push_str(&self.data_text());
        out.push_str(&format!(" benchlens {}", env!("CARGO_PKG_VERSION")));
        if !self.view.is_empty() {
            out.push_str(&format!(", {} view", self.view));
        }
        if !self.date.is_empty() {
            out.push_str(&format!(", {}", self.date));
        }
        out.push('.');
        out
    }

    fn data_text(&self) -> String {
        let rows: u64 = self.sources.iter().map(|(_, n)| n).sum();
        match self.sources.as_slice() {
            [] => "Data: none loaded.".into(),
            [(name, n)] => format!("Data: {name} ({} rows).", format::count(*n)),
            many if many.len() <= NAMED_FILES => {
                let names: Vec<String> = many
                    .iter()
                    .map(|(name, n)| format!("{name} ({} rows)", format::count(*n)))
                    .collect();
                format!("Data: {}.", names.join(", "))
            }
            many => {
                let names: Vec<&str> =
                    many.iter().take(NAMED_FILES).map(|(name, _)| name.as_str()).collect();
                format!(
                    "Data: {} files, {} rows ({} and {} more).",
                    many.len(),
                    format::count(rows),
                    names.join(", "),
                    many.len() - NAMED_FILES
                )
            }
        }
    }

    /// The caption wrapped at word boundaries into lines of at most `max_chars` characters (a
    /// word longer than that is cut), at most `max_lines` lines, the last ending in "…" when
    /// text was left out.
    pub fn lines(&self, max_chars: usize, max_lines: usize) -> Vec<String> {
        wrap(&self.text(), max_chars.max(8), max_lines.max(1))
    }
}

/// Greedy word wrap by character count.
pub fn wrap(text: &str, max_chars: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: String = word.to_owned();
        while word.chars().count() > max_chars {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let head: String = word.chars().take(max_chars).collect();
            word = word.chars().skip(max_chars).collect();
            lines.push(head);
        }
        let needed = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if needed > max_chars && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            while last.chars().count() + 1 > max_chars {
                last.pop();
            }
            last.push('…');
        }
    }
    lines
}
