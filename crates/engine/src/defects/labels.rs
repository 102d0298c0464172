//! Which column of the benchmark files holds expert labels (MMLU-Redux's `error_type`, or any
//! column the user picks), and the checks scored against them, so the page shows the same
//! precision, recall and F1 as `benchlens defects --evaluate COLUMN`.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::evaluation::{detect_label_column, evaluate, Evaluation};
use super::Report;
use crate::table::Table;

/// Which column of the benchmark files holds expert labels.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LabelChoice {
    /// A column named like `error_type` or `label`, in each file that has one.
    #[default]
    Auto,
    /// No scoring.
    Off,
    /// This column, in each file that has it.
    Column(String),
}

impl LabelChoice {
    /// The label column of one table under this choice.
    pub fn column_of(&self, table: &Table) -> Option<String> {
        match self {
            Self::Auto => detect_label_column(&table.columns).map(str::to_owned),
            Self::Off => None,
            Self::Column(c) => table.column_index(c).map(|i| table.columns[i].clone()),
        }
    }
}

/// What the page shows about labels.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LabelsView {
    /// Label columns used (one name per spelling found).
    pub used: Vec<String>,
    /// Every column of the benchmark files, for picking another one.
    pub columns: Vec<String>,
    /// The scores, when some item has a label.
    pub evaluation: Option<Evaluation>,
}

/// Collects the label columns as the tables are added.
#[derive(Default)]
pub struct LabelColumns {
    used: BTreeSet<String>,
    columns: BTreeSet<String>,
}

impl LabelColumns {
    /// Notes one table's columns and returns its label column.
    pub fn pick(&mut self, choice: &LabelChoice, table: &Table) -> Option<String> {
        self.columns.extend(table.columns.iter().map(|c| c.trim().to_owned()));
        let column = choice.column_of(table);
        if let Some(c) = &column {
            self.used.insert(c.clone());
        }
        column
    }

    /// The view, scoring `report` when it has labelled items.
    pub fn into_view(self, report: &Report) -> LabelsView {
        let labelled = report.items.items.iter().any(|i| i.label.is_some());
        LabelsView {
            used: self.used.into_iter().collect(),
            columns: self.columns.into_iter().collect(),
            evaluation: labelled.then(|| evaluate(report)),
        }
    }
}
