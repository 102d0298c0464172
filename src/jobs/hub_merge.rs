//! The shards of one hub split as one dataset: a hub link is one entry on the page (one job, one
//! id in the share link), while the hub cuts a split into `train-0000k-of-0000n.parquet` files.
//!
//! Each shard is loaded on its own (the engine reads one file at a time) and folded into the
//! merged dataset as soon as it is read, so only one shard's decoded rows exist beside the total.
//! Warnings keep the shard's path, so a message still names the file the problem is in.

use benchlens_engine::dataset::{Dataset, ParsedFile, Severity, Warning};
use benchlens_engine::ratings::merge::concat;
use benchlens_engine::table::Table;

/// Folds loaded shards into one dataset named after the link.
pub struct ShardMerger {
    label: String,
    merged: Option<ParsedFile>,
}

/// A shard's warnings, each naming the shard.
fn named(path: &str, warnings: Vec<Warning>) -> Vec<Warning> {
    warnings
        .into_iter()
        .map(|w| Warning { message: format!("{path}: {}", w.message), ..w })
        .collect()
}

fn append_table(into: &mut Table, from: &Table) -> bool {
    (0..from.n_rows()).all(|row| into.push_row(from.row(row), from.line_of(row)))
}

impl ShardMerger {
    pub fn new(label: &str) -> Self {
        Self { label: label.to_owned(), merged: None }
    }

    /// True once a shard could not be used: the rest need not be read.
    pub fn has_failed(&self) -> bool {
        self.merged.as_ref().is_some_and(|m| matches!(m.data, Dataset::Empty))
    }

    /// Adds the shard at `path` (its path in the repository).
    pub fn add(&mut self, path: &str, mut shard: ParsedFile) {
        let warnings = named(path, std::mem::take(&mut shard.summary.warnings));
        let Some(merged) = self.merged.as_mut() else {
            shard.summary.name = self.label.clone();
            shard.summary.warnings = warnings;
            self.merged = Some(shard);
            return;
        };
        if matches!(merged.data, Dataset::Empty) {
            return;
        }
        merged.summary.warnings.extend(warnings);
        let mismatch = |what: String| {
            Warning::file(
                Severity::Error,
                format!("{path}: {what}, unlike the shards before it; load the shards one by one"),
            )
        };
        let data = std::mem::replace(&mut merged.data, Dataset::Empty);
        merged.data = match (data, shard.data) {
            (_, Dataset::Empty) => Dataset::Empty,
            (Dataset::Battles(a), Dataset::Battles(b)) => {
                let (all, notes) = concat(&[&a, &b]);
                merged
                    .summary
                    .warnings
                    .extend(notes.into_iter().map(|n| Warning::file(Severity::Warning, n)));
                Dataset::Battles(all)
            }
            (Dataset::Table(mut a), Dataset::Table(b)) if a.columns == b.columns => {
                if append_table(&mut a, &b) {
                    Dataset::Table(a)
                } else {
                    merged.summary.warnings.push(mismatch("the rows overflow a table".into()));
                    Dataset::Empty
                }
            }
            (Dataset::Table(_), Dataset::Table(b)) => {
                merged
                    .summary
                    .warnings
                    .push(mismatch(format!("it has the columns {}", b.columns.join(", "))));
                Dataset::Empty
            }
            (_, _) => {
                merged
                    .summary
                    .warnings
                    .push(mismatch(format!("it reads as {}", shard.summary.kind.label())));
                Dataset::Empty
            }
        };
        let summary = &mut merged.summary;
        summary.rows += shard.summary.rows;
        summary.skipped_rows += shard.summary.skipped_rows;
        summary.bytes += shard.summary.bytes;
        if summary.encoding != shard.summary.encoding {
            summary.encoding = format!("{}; {}", summary.encoding, shard.summary.encoding);
        }
    }

    /// The merged dataset (an empty one naming the link if no shard was added).
    pub fn finish(self) -> ParsedFile {
        match self.merged {
            Some(mut merged) => {
                if matches!(merged.data, Dataset::Empty) {
                    merged.summary.rows = 0;
                }
                merged
            }
            None => ParsedFile {
                summary: benchlens_engine::dataset::FileSummary::unread(&self.label),
                data: Dataset::Empty,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use benchlens_engine::dataset::{Dataset, DatasetKind, Severity};
    use benchlens_engine::formats::{load_bytes, LoadOptions};

    use super::ShardMerger;

    fn load(name: &str, text: &str) -> benchlens_engine::ParsedFile {
        load_bytes(name, text.as_bytes(), &LoadOptions::default())
    }

    const HEAD: &str = "model_a,model_b,winner\n";

    #[test]
    fn battle_shards_become_one_log_with_models_re_interned() {
        let mut m = ShardMerger::new("o/n/data/train-*.parquet");
        m.add("data/train-0.csv", load("a.csv", &format!("{HEAD}x,y,model_a\ny,z,tie\n")));
        m.add("data/train-1.csv", load("b.csv", &format!("{HEAD}z,x,model_b\n")));
        assert!(!m.has_failed());
        let merged = m.finish();
        assert_eq!(merged.summary.name, "o/n/data/train-*.parquet");
        assert_eq!(merged.summary.rows, 3);
        assert_eq!(merged.summary.kind, DatasetKind::BattleLog);
        let Dataset::Battles(b) = merged.data else { panic!("not battles") };
        assert_eq!(b.len(), 3);
        let names: Vec<&str> = b.model_a.iter().map(|&i| b.models[i as usize].as_str()).collect();
        assert_eq!(names, ["x", "y", "z"]);
    }

    #[test]
    fn a_bad_shard_fails_the_whole_load_naming_it() {
        let mut m = ShardMerger::new("o/n");
        m.add("train-0.csv", load("a.csv", &format!("{HEAD}x,y,model_a\n")));
        m.add("train-1.csv", load("b.csv", "question,answer\nq,A\n"));
        assert!(m.has_failed());
        let merged = m.finish();
        assert!(matches!(merged.data, Dataset::Empty));
        assert_eq!(merged.summary.rows, 0);
        let error = merged.summary.warnings.iter().find(|w| w.severity == Severity::Error);
        assert!(error.is_some_and(|w| w.message.starts_with("train-1.csv: ")), "{merged:?}");
    }

    #[test]
    fn table_shards_append_rows_when_their_columns_agree() {
        let mut m = ShardMerger::new("o/n");
        m.add("a.csv", load("a.csv", "question,subject,answer\nq1,s,A\n"));
        m.add("b.csv", load("b.csv", "question,subject,answer\nq2,s,B\nq3,s,C\n"));
        let merged = m.finish();
        let Dataset::Table(t) = merged.data else { panic!("not a table: {:?}", merged.summary) };
        assert_eq!(t.n_rows(), 3);
        assert_eq!(t.cell(2, 0), "q3");
    }
}
