//! From loaded tables to benchmark items: question, options, key, and where each came from.
//!
//! Benchmarks arrive in many shapes: MMLU's headerless `question,A,B,C,D,answer-letter` per
//! subject; the later export with a choices list (JSON or Python-literal text) and a 0-based
//! integer answer; MMLU-Redux label files with extra columns in any order; generic files with 2–10
//! options as columns and keys as letters or 0/1-based integers; TruthfulQA's answer lists. Every
//! check works on [`Item`]s so none of them has to know the file layout.

use serde::{Deserialize, Serialize};

use crate::dataset::ParsedFile;
use crate::table::Table;

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
            match f.table() {
                Some(t) => {
                    let subject =
                        f.summary.subject.clone().or_else(|| subject_from_name(&f.summary.name));
                    let split =
                        f.summary.split.clone().or_else(|| split_from_name(&f.summary.name));
                    set.add_table(&f.summary.name, t, subject, split, label_column);
                }
                None => set
                    .warnings
                    .push(format!("{}: not a table of benchmark items; skipped.", f.summary.name)),
            }
        }
        set
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

enum OptionSource {
    Columns(Vec<usize>),
    List(usize),
    Tqa { best: usize, correct: usize, incorrect: usize },
}

struct ColumnMap {
    question: usize,
    options: OptionSource,
    /// Fixed-width option columns (MMLU): trailing empty options are real empty options.
    fixed_width: bool,
    answer: Option<usize>,
    /// The answer column is a 0/1 list parallel to the options (TruthfulQA's `mc1_targets.labels`
    /// from the hub): the key is the position of its 1.
    labels_list: bool,
    id: Option<usize>,
}

const QUESTION_NAMES: [&str; 6] = ["question", "prompt", "stem", "input", "query", "text"];
const LIST_NAMES: [&str; 5] = ["choices", "options", "answers", "choices.text", "endings"];
const ANSWER_NAMES: [&str; 9] = [
    "answer",
    "answer_idx",
    "answerkey",
    "answer_key",
    "label",
    "target",
    "gold",
    "correct",
    "key",
];
const ID_NAMES: [&str; 7] = ["id", "item_id", "question_id", "qid", "uid", "doc_id", "idx"];

impl ColumnMap {
    fn detect(t: &Table) -> Option<Self> {
        let find = |names: &[&str]| names.iter().find_map(|n| t.column_index(n));
        let id = find(&ID_NAMES);
        if let (Some(q), Some(best), Some(correct), Some(incorrect)) = (
            t.column_index("question"),
            t.column_index("best answer"),
            t.column_index("correct answers"),
            t.column_index("incorrect answers"),
        ) {
            return Some(Self {
                question: q,
                options: OptionSource::Tqa { best, correct, incorrect },
                fixed_width: false,
                answer: None,
                labels_list: false,
                id,
            });
        }
        if let Some(q) = find(&QUESTION_NAMES) {
            let answer = find(&ANSWER_NAMES);
            if let Some(cols) = option_columns(t) {
                let fixed_width = cols.len() == 4;
                return Some(Self {
                    question: q,
                    options: OptionSource::Columns(cols),
                    fixed_width,
                    answer,
                    labels_list: false,
                    id,
                });
            }
            if let Some(list) = find(&LIST_NAMES) {
                return Some(Self {
                    question: q,
                    options: OptionSource::List(list),
                    fixed_width: false,
                    answer,
                    labels_list: false,
                    id,
                });
            }
            // TruthfulQA multiple_choice from the hub: mc1 has exactly one correct choice.
            if let (Some(list), Some(labels)) =
                (t.column_index("mc1_targets.choices"), t.column_index("mc1_targets.labels"))
            {
                return Some(Self {
                    question: q,
                    options: OptionSource::List(list),
                    fixed_width: false,
                    answer: Some(labels),
                    labels_list: true,
                    id,
                });
            }
            return None;
        }
        // Headerless: col1 = question, last = key, the ones between = options.
        let n = t.n_cols();
        if n >= 4 && t.columns.iter().enumerate().all(|(i, c)| c == &format!("col{}", i + 1)) {
            return Some(Self {
                question: 0,
                options: OptionSource::Columns((1..n - 1).collect()),
                fixed_width: n == 6,
                answer: Some(n - 1),
                labels_list: false,
                id: None,
            });
        }
        None
    }
}

/// Option columns: letters (`A`..`J`), `choiceN`/`optionN`/`option_a`, or `choices.A`/`choices.0`.
fn option_columns(t: &Table) -> Option<Vec<usize>> {
    const LETTERS: &str = "ABCDEFGHIJ";
    let families: [&dyn Fn(usize) -> Vec<String>; 4] = [
        &|i| vec![LETTERS[i..=i].to_owned()],
        &|i| {
            let l = LETTERS[i..=i].to_ascii_lowercase();
            vec![
                format!("option_{l}"),
                format!("option{}", LETTERS.as_bytes()[i] as char),
                format!("op{l}"),
                format!("choices.{}", &LETTERS[i..=i]),
                format!("options.{}", &LETTERS[i..=i]),
            ]
        },
        &|i| {
            vec![
                format!("choice{i}"),
                format!("option{i}"),
                format!("choices.{i}"),
                format!("options.{i}"),
            ]
        },
        &|i| {
            vec![
                format!("choice{}", i + 1),
                format!("option{}", i + 1),
                format!("choice_{}", i + 1),
                format!("option_{}", i + 1),
            ]
        },
    ];
    for family in families {
        let mut cols = Vec::new();
        for i in 0..10 {
            match family(i).iter().find_map(|n| t.column_index(n)) {
                Some(c) => cols.push(c),
                None => break,
            }
        }
        if cols.len() >= 2 {
            return Some(cols);
        }
    }
    None
}

/// Parses a JSON list (`["a", "b"]`) or a Python list literal (`['a', "b's"]`) of strings or
/// numbers. None when the text is not such a list.
pub fn parse_list(text: &str) -> Option<Vec<String>> {
    let t = text.trim();
    if let Ok(v) = serde_json::from_str::<Vec<serde_json::Value>>(t) {
        return Some(
            v.into_iter()
                .map(|x| match x {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                })
                .collect(),
        );
    }
    let body = t.strip_prefix('[')?.strip_suffix(']')?;
    let mut out = Vec::new();
    let mut chars = body.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let Some(&q) = chars.peek() else { break };
        if q == '\'' || q == '"' {
            chars.next();
            let mut s = String::new();
            loop {
                match chars.next()? {
                    '\\' => match chars.next()? {
                        'n' => s.push('\n'),
                        't' => s.push('\t'),
                        'r' => s.push('\r'),
                        'x' => {
                            let hex: String = chars.by_ref().take(2).collect();
                            s.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                        }
                        'u' => {
                            let hex: String = chars.by_ref().take(4).collect();
                            s.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                        }
                        c => s.push(c),
                    },
                    c if c == q => break,
                    c => s.push(c),
                }
            }
            out.push(s);
        } else {
            // A bare number or name, up to the next comma.
            let mut s = String::new();
            while let Some(&c) = chars.peek() {
                if c == ',' {
                    break;
                }
                s.push(c);
                chars.next();
            }
            out.push(s.trim().to_owned());
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.next() {
            Some(',') => continue,
            None => break,
            Some(_) => return None,
        }
    }
    Some(out)
}

/// TruthfulQA answer lists are `; `-separated.
fn split_tqa(cell: &str) -> Vec<String> {
    cell.split(';').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect()
}

/// Reads every key of a file under one style: letters, option texts, or integers whose base is
/// decided for the whole file (a 0 anywhere means 0-based; a key equal to the option count with no
/// 0 means 1-based).
fn resolve_keys(items: &mut [Item]) -> KeyStyle {
    // Count the keys each reading makes valid; the file gets the reading that explains most.
    let (mut letters, mut texts) = (0usize, 0usize);
    let mut ints = Vec::new();
    for it in items.iter() {
        let k = key_token(&it.key_text);
        let b = k.as_bytes();
        if b.len() == 1
            && b[0].is_ascii_alphabetic()
            && usize::from(b[0].to_ascii_uppercase() - b'A') < it.options.len()
        {
            letters += 1;
        } else if let Ok(n) = k.parse::<i64>() {
            ints.push((n, it.options.len() as i64));
        } else if !k.is_empty() {
            let want = super::text::normalize(&it.key_text);
            texts += usize::from(it.options.iter().any(|o| super::text::normalize(o) == want));
        }
    }
    let style = if letters == 0 && ints.is_empty() {
        if texts > 0 {
            KeyStyle::OptionText
        } else if items.iter().any(|i| !i.key_text.is_empty()) {
            KeyStyle::Letter
        } else {
            KeyStyle::None
        }
    } else if texts > letters.max(ints.len()) {
        KeyStyle::OptionText
    } else if letters >= ints.len() {
        KeyStyle::Letter
    } else if ints.iter().any(|&(n, _)| n == 0) {
        KeyStyle::ZeroBased
    } else if ints.iter().any(|&(n, len)| n == len) {
        KeyStyle::OneBased
    } else {
        KeyStyle::ZeroBased
    };
    for it in items.iter_mut() {
        let k = key_token(&it.key_text);
        let idx = match style {
            KeyStyle::Letter => {
                let b = k.as_bytes();
                (b.len() == 1 && b[0].is_ascii_alphabetic())
                    .then(|| (b[0].to_ascii_uppercase() - b'A') as usize)
            }
            KeyStyle::ZeroBased => k.parse::<usize>().ok(),
            KeyStyle::OneBased => k.parse::<usize>().ok().and_then(|n| n.checked_sub(1)),
            KeyStyle::OptionText => {
                let want = super::text::normalize(&it.key_text);
                it.options.iter().position(|o| super::text::normalize(o) == want)
            }
            KeyStyle::None => None,
        };
        it.key = idx.filter(|&i| i < it.options.len());
    }
    style
}

/// "(B)", "B.", " b " → "B"-like token; numbers pass through.
fn key_token(raw: &str) -> &str {
    raw.trim().trim_start_matches('(').trim_end_matches([')', '.', ':']).trim()
}

fn modal(values: impl Iterator<Item = usize>) -> usize {
    let mut counts = std::collections::BTreeMap::new();
    for v in values {
        *counts.entry(v).or_insert(0usize) += 1;
    }
    // Highest count; ties go to the larger option count.
    counts.into_iter().max_by_key(|&(v, c)| (c, v)).map_or(0, |(v, _)| v)
}

/// MMLU-style subject from a file name: `high_school_physics_test.csv` → `high_school_physics`,
/// `mmlu_virology.csv` → `virology`.
pub fn subject_from_name(name: &str) -> Option<String> {
    let stem = name.rsplit(['/', '\\']).next()?.split('.').next()?;
    let stem = stem.strip_prefix("mmlu_").unwrap_or(stem);
    let stem = ["_test", "_dev", "_val", "_train", "_validation"]
        .iter()
        .find_map(|s| stem.strip_suffix(s))
        .unwrap_or(stem);
    (!stem.is_empty()).then(|| stem.to_owned())
}

/// Split from a file name suffix (`_test`, `_dev`, `_val`, `_train`).
pub fn split_from_name(name: &str) -> Option<String> {
    let stem = name.rsplit(['/', '\\']).next()?.split('.').next()?;
    ["test", "dev", "val", "train", "validation"]
        .iter()
        .find(|s| stem.ends_with(&format!("_{s}")))
        .map(|s| (*s).to_owned())
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
