//! Where a table keeps an item's parts: the question, option and key columns under the names
//! benchmarks use (or MMLU's headerless order), and options written as one list cell.

use crate::table::Table;

pub(super) enum OptionSource {
    Columns(Vec<usize>),
    List(usize),
    Tqa { best: usize, correct: usize, incorrect: usize },
}

pub(super) struct ColumnMap {
    pub(super) question: usize,
    pub(super) options: OptionSource,
    /// Fixed-width option columns (MMLU): trailing empty options are real empty options.
    pub(super) fixed_width: bool,
    pub(super) answer: Option<usize>,
    /// The answer column is a 0/1 list parallel to the options (TruthfulQA's `mc1_targets.labels`
    /// from the hub): the key is the position of its 1.
    pub(super) labels_list: bool,
    pub(super) id: Option<usize>,
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
    pub(super) fn detect(t: &Table) -> Option<Self> {
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
pub(super) fn split_tqa(cell: &str) -> Vec<String> {
    cell.split(';').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect()
}
