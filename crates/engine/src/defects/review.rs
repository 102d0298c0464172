//! What the review page asks of a [`DefectsRun`], answered without re-running the checks: the
//! summary with one filtered, sorted page of the flags table, everything about one item, and how
//! to write a cleaned copy of one file. `Id` is however the caller names its inputs (the worker's
//! dataset ids); the answers are small enough to cross to the page as they are.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::duplicates::{DiffOp, Scope};
use super::export::Flagged;
use super::labels::LabelsView;
use super::report::{locate, SubjectShare};
use super::run::DefectsRun;
use super::statistics::{LongestStats, PositionStats};
use super::text::hash64;
use super::{CheckId, Report, Severity, Span};
use crate::dataset::{Format, ParsedFile};

pub use super::review_table::{FlagRow, SortBy, TableQuery};

/// Duplicate groups carried to the page with each overview.
pub const SHOWN_DUPLICATE_GROUPS: usize = 200;
/// Near-duplicate pairs carried to the page with each overview.
pub const SHOWN_NEAR_DUPLICATES: usize = 100;

/// A group of exact duplicates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupView {
    /// "file row N" of each member.
    pub members: Vec<String>,
    pub subjects: Vec<String>,
    pub scopes: Vec<Scope>,
    pub key_conflict: bool,
    pub question: String,
}

/// A near-duplicate pair with its token diff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearView {
    pub a: String,
    pub b: String,
    pub jaccard: f64,
    pub diff: Vec<DiffOp>,
}

/// Model predictions that were matched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PredictionsSummary {
    pub models: Vec<String>,
    pub matched_items: usize,
    pub unmatched: usize,
    /// k actually used by the rule (the setting, or its default for the median item).
    pub min_agree: Option<usize>,
    /// Which columns were not counted as models, and why (e.g. a copy of the key).
    pub left_out_note: Option<String>,
}

/// A benchmark file that can be exported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileInfo<Id> {
    pub dataset: Id,
    pub name: String,
    pub rows: usize,
}

/// The summary of a run and one page of its flags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DefectsOverview<Id> {
    pub items: usize,
    pub files: Vec<FileInfo<Id>>,
    /// Items with any error or suspect flag.
    pub flagged_items: usize,
    pub flags: usize,
    /// Flags per check (all checks that ran, zero included).
    pub by_check: Vec<(CheckId, u64)>,
    /// Flags per severity.
    pub by_severity: Vec<(Severity, u64)>,
    pub subjects: Vec<SubjectShare>,
    pub positions: Vec<PositionStats>,
    pub longest: Vec<LongestStats>,
    /// The first [`SHOWN_DUPLICATE_GROUPS`] groups (every overview crosses to the page; a file
    /// of near-copies has hundreds of thousands of pairs, which the page never shows at once).
    pub duplicate_groups: Vec<GroupView>,
    pub duplicate_groups_total: usize,
    pub duplicate_pairs_total: usize,
    /// The first [`SHOWN_NEAR_DUPLICATES`] pairs.
    pub near_duplicates: Vec<NearView>,
    pub near_duplicates_total: usize,
    pub predictions: Option<PredictionsSummary>,
    /// Label columns found and, when items carry labels, the checks scored against them.
    pub labels: LabelsView,
    pub warnings: Vec<String>,
    /// The filtered, sorted page.
    pub rows: Vec<FlagRow>,
    /// Flags passing the filter.
    pub matching: usize,
    pub page: usize,
}

/// One flag of an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemFlag {
    pub check: CheckId,
    pub severity: Severity,
    pub reason: String,
    pub score: f64,
}

/// Everything about one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemDetail {
    pub item: usize,
    pub file: String,
    pub row: usize,
    pub subject: String,
    pub id: Option<String>,
    pub question: String,
    pub options: Vec<String>,
    pub key: Option<usize>,
    pub key_text: String,
    pub flags: Vec<ItemFlag>,
    /// Evidence of every flag, merged.
    pub evidence: Vec<Span>,
    pub suspicion: f64,
    /// Model votes per option and how many models answered.
    pub votes: Option<(Vec<u32>, u32)>,
    pub mark_key: String,
}

/// How to write the cleaned copy of one file, and the flag report of the whole run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportPlan<Id> {
    pub dataset: Id,
    pub name: String,
    pub format: Format,
    pub delimiter: u8,
    pub header: bool,
    pub flagged: Flagged,
    pub rows: usize,
    pub flagged_rows: usize,
    /// Every flag: `file,row,subject,check,severity,reason,score` (the CLI's columns).
    pub report_csv: String,
    /// The same as JSON records, with evidence spans.
    pub report_json: String,
}

/// Local-storage key of a reviewer's mark on an item: `file:row:question-hash`.
pub fn mark_key(file: &str, row: usize, question: &str) -> String {
    format!("{file}:{row}:{:016x}", hash64(question.as_bytes(), 0))
}

pub(super) fn file_name(r: &Report, item: usize) -> String {
    r.items
        .items
        .get(item)
        .and_then(|it| r.items.files.get(it.file))
        .map_or_else(String::new, |f| f.name.clone())
}

impl DefectsRun {
    /// The summary and the page of flags `query` asks for; `ids` names each input as the
    /// caller knows it (in the order the benchmark files were given to [`super::run`]).
    pub fn overview<Id: Copy>(&self, ids: &[Id], query: &TableQuery) -> DefectsOverview<Id> {
        let r = &self.report;
        let mut by_check: BTreeMap<CheckId, u64> =
            CheckId::ALL.into_iter().filter(|&k| r.settings.enabled(k)).map(|k| (k, 0)).collect();
        let mut by_severity: BTreeMap<Severity, u64> = BTreeMap::new();
        for f in &r.flags {
            *by_check.entry(f.check).or_insert(0) += 1;
            *by_severity.entry(f.severity).or_insert(0) += 1;
        }
        let flagged_items = {
            let mut items: Vec<usize> = r
                .flags
                .iter()
                .filter(|f| f.severity != Severity::Warning)
                .map(|f| f.item)
                .collect();
            items.dedup();
            items.len()
        };
        let (rows, matching, page) = self.flag_page(query);
        let item_of = |i: usize| r.items.items.get(i);
        let duplicate_groups = r
            .duplicate_groups
            .iter()
            .take(SHOWN_DUPLICATE_GROUPS)
            .map(|g| GroupView {
                members: g.items.iter().map(|&i| locate(&r.items, i)).collect(),
                subjects: {
                    let mut s: Vec<String> =
                        g.items.iter().map(|&i| r.items.subject_of(i).to_owned()).collect();
                    s.dedup();
                    s
                },
                scopes: g.scopes.clone(),
                key_conflict: g.key_conflict,
                question: g
                    .items
                    .first()
                    .and_then(|&i| item_of(i))
                    .map_or(String::new(), |it| it.question.clone()),
            })
            .collect();
        let near_duplicates = r
            .near_duplicates
            .iter()
            .take(SHOWN_NEAR_DUPLICATES)
            .map(|p| NearView {
                a: locate(&r.items, p.a),
                b: locate(&r.items, p.b),
                jaccard: p.jaccard,
                diff: p.diff.clone(),
            })
            .collect();
        let predictions = r.disagreement.as_ref().map(|d| PredictionsSummary {
            models: d.models.clone(),
            matched_items: d.matched_items,
            unmatched: d.unmatched,
            min_agree: r.settings.min_agree,
            left_out_note: d.left_out_note(),
        });
        let files = r
            .items
            .files
            .iter()
            .zip(&self.file_inputs)
            .filter_map(|(f, &input)| {
                Some(FileInfo { dataset: *ids.get(input)?, name: f.name.clone(), rows: f.rows })
            })
            .collect();
        DefectsOverview {
            items: r.items.items.len(),
            files,
            flagged_items,
            flags: r.flags.len(),
            by_check: by_check.into_iter().collect(),
            by_severity: by_severity.into_iter().collect(),
            subjects: r.subjects.clone(),
            positions: r.positions.clone(),
            longest: r.longest.clone(),
            duplicate_groups,
            duplicate_groups_total: r.duplicate_groups.len(),
            duplicate_pairs_total: r
                .duplicate_groups
                .iter()
                .map(|g| g.items.len() * g.items.len().saturating_sub(1) / 2)
                .sum(),
            near_duplicates,
            near_duplicates_total: r.near_duplicates.len(),
            predictions,
            labels: self.labels.clone(),
            warnings: self.warnings(),
            rows,
            matching,
            page,
        }
    }

    /// Everything about item `item` (an index into the report's items).
    pub fn item_detail(&self, item: usize) -> Result<ItemDetail, String> {
        let r = &self.report;
        let it = r.items.items.get(item).ok_or("that item is no longer loaded")?;
        let first = r.flags.partition_point(|f| f.item < item);
        let flags: Vec<_> = r.flags.iter().skip(first).take_while(|f| f.item == item).collect();
        let votes = r
            .disagreement
            .as_ref()
            .and_then(|d| d.items.iter().find(|v| v.item == item))
            .map(|v| (v.votes.clone(), v.models));
        let file = file_name(r, item);
        Ok(ItemDetail {
            item,
            row: it.row + 1,
            subject: r.items.subject_of(item).to_owned(),
            id: it.id.clone(),
            question: it.question.clone(),
            options: it.options.clone(),
            key: it.key,
            key_text: it.key_text.clone(),
            evidence: flags.iter().flat_map(|f| f.evidence.iter().copied()).collect(),
            flags: flags
                .iter()
                .map(|f| ItemFlag {
                    check: f.check,
                    severity: f.severity,
                    reason: f.reason.clone(),
                    score: f.score,
                })
                .collect(),
            suspicion: self.suspicion.get(item).copied().unwrap_or(0.0),
            votes,
            mark_key: mark_key(&file, it.row + 1, &it.question),
            file,
        })
    }

    /// How to write a cleaned copy of `parsed`, the benchmark input `input` (named `dataset` by
    /// the caller), dropping or marking flags of `severities`; with the run's flag reports.
    pub fn export_plan<Id>(
        &self,
        input: usize,
        dataset: Id,
        parsed: &ParsedFile,
        severities: &[Severity],
    ) -> Result<ExportPlan<Id>, String> {
        let file = self
            .file_inputs
            .iter()
            .position(|&i| i == input)
            .ok_or("that file is not among the checked benchmark files")?;
        let table = parsed.table().ok_or("that file has no table")?;
        let format = parsed.summary.format.ok_or("the file's format is unknown")?;
        let flagged = self.flagged(file, severities, table, format);
        let mut report_csv = Vec::new();
        self.write_flags_csv(&mut report_csv, |f| {
            self.report.items.files.get(f).map_or_else(String::new, |s| s.name.clone())
        })
        .map_err(|e| e.to_string())?;
        Ok(ExportPlan {
            dataset,
            name: parsed.summary.name.clone(),
            format,
            delimiter: parsed.summary.delimiter.map_or(b',', |c| c as u8),
            header: parsed.summary.header,
            flagged_rows: flagged.by_index.len(),
            flagged,
            rows: table.n_rows(),
            report_csv: String::from_utf8_lossy(&report_csv).into_owned(),
            report_json: self.flags_json().map_err(|e| e.to_string())?,
        })
    }
}
