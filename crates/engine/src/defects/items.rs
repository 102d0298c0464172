//! From loaded tables to benchmark items: question, options, key, and where each came from.
//!
//! Benchmarks arrive in many shapes: MMLU's headerless `question,A,B,C,D,answer-letter` per
//! subject; the later export with a choices list (JSON or Python-literal text) and a 0-based
//! integer answer; MMLU-Redux label files with extra columns in any order; generic files with 2–10
//! options as columns and keys as letters or 0/1-based integers; TruthfulQA's answer lists. Every
//! check works on [`Item`]s so none of them has to know the file layout.

mod columns;
mod keys;

pub use columns::parse_list;

use serde::{Deserialize, Serialize};

use crate::dataset::ParsedFile;
use crate::formats::kind::{items_subject, subject_and_split};
use crate::table::Table;
use columns::{split_tqa, ColumnMap, OptionSource};
use keys::{modal, resolve_keys};

/// How the items of a file were laid out (the export writes them back the same way).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// One column per option (MMLU's `A..D`, `choice0..3`, headerless `col2..col5`).
    OptionColumns,
    /// One column holding a JSON or Python list of options.
    ChoicesList,
    /// TruthfulQA: best answer plus `; `-separated correct and incorrect lists.
    TruthfulQa,
}

/// How keys were written in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyStyle {
    Letter,
    ZeroBased,
    OneBased,
    /// The key repeats the option text.
    OptionText,
    None,
}

/// One input file as the defect checks see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceFile {
    pub name: String,
    pub subject: Option<String>,
    pub split: Option<String>,
    pub layout: Layout,
    pub key_style: KeyStyle,
    /// The option count most items of the file have.
    pub modal_options: usize,
    /// Data rows in the table (items are one per row).
    pub rows: usize,
}

/// TruthfulQA's answer lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TqaAnswers {
    pub best: String,
    pub correct: Vec<String>,
    pub incorrect: Vec<String>,
}

/// One benchmark item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// Index into [`ItemSet::files`].
    pub file: usize,
    /// 0-based data row in its file (the CLI prints it 1-based).
    pub row: usize,
    /// The file's own id column, when it has one.
    pub id: Option<String>,
    pub question: String,
    /// Options in order (TruthfulQA: the correct answers, then the incorrect ones).
    pub options: Vec<String>,
    /// 0-based key, when it parses and is in range.
    pub key: Option<usize>,
    /// The key as written.
    pub key_text: String,
    pub tqa: Option<TqaAnswers>,
    /// An expert label read from a label column (evaluation only).
    pub label: Option<String>,
}

/// All items of all input files.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ItemSet {
    pub files: Vec<SourceFile>,
    pub items: Vec<Item>,
    /// Files or rows that could not be read as items, as sentences.
    pub warnings: Vec<String>,
}

impl ItemSet {
    /// Items from parsed files; `label_column` names an expert-label column to carry along.
    pub fn from_parsed(files: &[ParsedFile], label_column: Option<&str>) -> Self {
        let mut set = Self::default();
        for f in files {
            set.add_parsed(f, label_column);
        }
        set
    }

    /// Adds the items of one loaded file, filed under the subject and split its name gives.
    /// Returns false (with a warning) when the file holds no table of items.
    pub fn add_parsed(&mut self, file: &ParsedFile, label_column: Option<&str>) -> bool {
        let name = &file.summary.name;
        let Some(table) = file.table() else {
            self.warnings.push(format!("{name}: not a table of benchmark items; skipped."));
            return false;
        };
        let subject = file.summary.subject.clone().or_else(|| items_subject(name));
        self.add_table(name, table, subject, file.summary.split.clone(), label_column)
    }

    /// Adds the items of one table. Returns false (with a warning) when no question column or no
    /// options can be found.
    pub fn add_table(
        &mut self,
        name: &str,
        table: &Table,
        subject: Option<String>,
        split: Option<String>,
        label_column: Option<&str>,
    ) -> bool {
        let Some(map) = ColumnMap::detect(table) else {
            self.warnings.push(format!(
                "{name}: no question and options columns found (columns: {}); skipped. Name the \
                 columns question/choices/answer or A..D.",
                table.columns.join(", ")
            ));
            return false;
        };
        let file = self.files.len();
        let label_col = label_column.and_then(|c| table.column_index(c));
        let first = self.items.len();
        let mut unreadable = 0usize;
        // (file line, column) of the first unreadable choices cell, for the warning.
        let mut first_unreadable: Option<(u64, usize)> = None;
        for row in 0..table.n_rows() {
            let question = table.cell(row, map.question).to_owned();
            let (options, tqa) = match &map.options {
                OptionSource::Columns(cols) => {
                    let mut opts: Vec<String> =
                        cols.iter().map(|&c| table.cell(row, c).to_owned()).collect();
                    if !map.fixed_width {
                        while opts.last().is_some_and(|o| o.trim().is_empty()) {
                            opts.pop();
                        }
                    }
                    (opts, None)
                }
                OptionSource::List(col) => match parse_list(table.cell(row, *col)) {
                    Some(opts) => (opts, None),
                    None => {
                        unreadable += 1;
                        first_unreadable.get_or_insert((table.line_of(row), *col));
                        (Vec::new(), None)
                    }
                },
                OptionSource::Tqa { best, correct, incorrect } => {
                    let correct = split_tqa(table.cell(row, *correct));
                    let incorrect = split_tqa(table.cell(row, *incorrect));
                    let mut opts = correct.clone();
                    opts.extend(incorrect.iter().cloned());
                    let best = table.cell(row, *best).trim().to_owned();
                    (opts, Some(TqaAnswers { best, correct, incorrect }))
                }
            };
            let key_text = match map.answer {
                Some(c) if map.labels_list => parse_list(table.cell(row, c))
                    .and_then(|labels| labels.iter().position(|l| l.trim() == "1"))
                    .map(|i| i.to_string())
                    .unwrap_or_default(),
                Some(c) => table.cell(row, c).trim().to_owned(),
                None => String::new(),
            };
            let id = map.id.map(|c| table.cell(row, c).trim().to_owned()).filter(|s| !s.is_empty());
            let label = label_col.map(|c| table.cell(row, c).to_owned());
            self.items.push(Item {
                file,
                row,
                id,
                question,
                options,
                key: None,
                key_text,
                tqa,
                label,
            });
        }
        if let Some((line, col)) = first_unreadable {
            self.warnings.push(format!(
                "{name}: {} a choices cell that is not a JSON or Python list \
                 (first at line {line}, field `{}`); {} options are treated as missing.",
                crate::wording::counted(unreadable, "row has", "rows have"),
                table.columns[col].trim(),
                if unreadable == 1 { "its" } else { "their" }
            ));
        }
        let items = &mut self.items[first..];
        let key_style = if matches!(map.options, OptionSource::Tqa { .. }) {
            KeyStyle::None
        } else {
            resolve_keys(items)
        };
        let modal_options = modal(items.iter().map(|i| i.options.len()));
        let layout = match map.options {
            OptionSource::Columns(_) => Layout::OptionColumns,
            OptionSource::List(_) => Layout::ChoicesList,
            OptionSource::Tqa { .. } => Layout::TruthfulQa,
        };
        self.files.push(SourceFile {
            name: name.to_owned(),
            subject,
            split,
            layout,
            key_style,
            modal_options,
            rows: table.n_rows(),
        });
        true
    }

    /// The subject of an item's file (or its file name when none is known).
    pub fn subject_of(&self, item: usize) -> &str {
        self.items
            .get(item)
            .and_then(|i| self.files.get(i.file))
            .map_or("", |f| f.subject.as_deref().unwrap_or(&f.name))
    }
}

/// Subject of a file's items from its name alone; the one rule is
/// [`crate::formats::kind::items_subject`].
pub fn subject_from_name(name: &str) -> Option<String> {
    items_subject(name)
}

/// Split from a file name (`_test`, `_dev`, `_val`, `_train`); the one rule is
/// [`crate::formats::kind::subject_and_split`].
pub fn split_from_name(name: &str) -> Option<String> {
    subject_and_split(name).1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(cols: &[&str], rows: &[&[&str]]) -> Table {
        let mut t = Table::new(cols.iter().map(|c| (*c).to_owned()).collect());
        for (i, r) in rows.iter().enumerate() {
            t.push_row(r.iter().copied(), i as u64 + 2);
        }
        t
    }

    #[test]
    fn reads_headerless_mmlu() {
        let t = table(
            &["col1", "col2", "col3", "col4", "col5", "col6"],
            &[&["Q1?", "a", "b", "c", "d", "C"], &["Q2?", "a", "", "c", "d", "E"]],
        );
        let mut s = ItemSet::default();
        assert!(s.add_table("x_test.csv", &t, subject_from_name("x_test.csv"), None, None));
        assert_eq!(s.items[0].key, Some(2));
        assert_eq!(s.items[1].options.len(), 4);
        assert_eq!(s.items[1].key, None);
        assert_eq!(s.files[0].subject.as_deref(), Some("x"));
        assert_eq!(s.files[0].key_style, KeyStyle::Letter);
    }

    #[test]
    fn reads_choices_lists_and_int_bases() {
        let t = table(
            &["answer", "question", "choices"],
            &[&["0", "Q", "['a', \"b's\", 'c\\n']"], &["3", "Q2", "[\"x\", \"y\", \"z\", \"w\"]"]],
        );
        let mut s = ItemSet::default();
        s.add_table("f.csv", &t, None, None, None);
        assert_eq!(s.items[0].options, ["a", "b's", "c\n"]);
        assert_eq!(s.items[0].key, Some(0));
        assert_eq!(s.items[1].key, Some(3));
        let t = table(
            &["question", "A", "B", "label"],
            &[&["Q", "x", "y", "2"], &["Q", "x", "y", "1"]],
        );
        let mut s = ItemSet::default();
        s.add_table("g.csv", &t, None, None, None);
        assert_eq!(s.files[0].key_style, KeyStyle::OneBased);
        assert_eq!(s.items[0].key, Some(1));
    }

    #[test]
    fn reads_choice_columns_and_text_keys() {
        let t = table(
            &["question", "choice0", "choice1", "choice2", "choice3", "answer"],
            &[&["Q1", "a", "b", "c", "d", "0"], &["Q2", "a", "b", "c", "d", "3"]],
        );
        let mut s = ItemSet::default();
        s.add_table("export.csv", &t, None, None, None);
        assert_eq!(s.files[0].layout, Layout::OptionColumns);
        assert_eq!(s.items[1].key, Some(3));
        let t = table(
            &["prompt", "options", "target"],
            &[&["Q", "[\"red\", \"blue\"]", "blue"], &["Q2", "[\"x\", \"y\"]", "x"]],
        );
        let mut s = ItemSet::default();
        s.add_table("gen.jsonl", &t, None, None, None);
        assert_eq!(s.files[0].key_style, KeyStyle::OptionText);
        assert_eq!(s.items[0].key, Some(1));
        assert_eq!(s.items[1].key, Some(0));
    }

    #[test]
    fn reads_truthfulqa() {
        let t = table(
            &[
                "Type",
                "Category",
                "Question",
                "Best Answer",
                "Correct Answers",
                "Incorrect Answers",
                "Source",
            ],
            &[&["Adversarial", "Misc", "Q?", "Yes", "Yes; Sure", "No; Never", "src"]],
        );
        let mut s = ItemSet::default();
        s.add_table("TruthfulQA.csv", &t, None, None, None);
        let tqa = s.items[0].tqa.as_ref().expect("tqa");
        assert_eq!(tqa.correct, ["Yes", "Sure"]);
        assert_eq!(s.items[0].options.len(), 4);
    }

    #[test]
    fn rejects_non_lists() {
        assert_eq!(parse_list("not a list"), None);
        assert_eq!(parse_list("['a', 'b'"), None);
        assert_eq!(parse_list("[1, 2]"), Some(vec!["1".into(), "2".into()]));
    }
}
