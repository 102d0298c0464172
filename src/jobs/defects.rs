//! Worker side of the defects view: runs the engine's `defects::analyze` on every loaded
//! benchmark-items dataset (with the model-prediction datasets as predictions), keeps the last
//! report so paging, filtering, item look-ups and exports do not re-run the checks, and sends the
//! page only what it draws: the summary, one page of flagged items, one item, or an export plan.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use benchlens_engine::dataset::Format;
use benchlens_engine::defects::duplicates::{DiffOp, Scope};
use benchlens_engine::defects::export::Flagged;
use benchlens_engine::defects::items::{split_from_name, subject_from_name};
use benchlens_engine::defects::lm_eval::read_predictions;
use benchlens_engine::defects::report::{locate, SubjectShare};
use benchlens_engine::defects::statistics::{LongestStats, PositionStats};
use benchlens_engine::defects::text::hash64;
use benchlens_engine::defects::{analyze, CheckId, ItemSet, Report, Settings, Severity, Span};
use benchlens_engine::table::Table;
use benchlens_engine::DatasetKind;
use serde::{Deserialize, Serialize};

use super::defects_labels::{LabelChoice, LabelColumns, LabelsView};
use super::protocol::JobId;

/// Which datasets to check, and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DefectsInput {
    pub benchmarks: Vec<JobId>,
    pub predictions: Vec<JobId>,
    pub settings: Settings,
    /// Expert labels to score the checks against.
    #[serde(default)]
    pub labels: LabelChoice,
}

/// Column the flagged-items table is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortBy {
    /// Combined suspicion of the item, most suspicious first.
    Suspicion,
    Subject,
    Check,
    Severity,
    /// File, then row.
    Row,
}

/// Filter, sort and page of the flagged-items table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableQuery {
    /// Checks shown (empty: all).
    pub checks: Vec<CheckId>,
    /// Severities shown (empty: all).
    pub severities: Vec<Severity>,
    /// One subject, or all.
    pub subject: Option<String>,
    /// Case-insensitive text in the question, an option or the reason.
    pub search: String,
    pub sort: SortBy,
    pub descending: bool,
    /// 0-based page.
    pub page: usize,
    pub page_size: usize,
}

/// What the page wants from the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum DefectsAsk {
    /// Summary, statistics, duplicates and one page of the flagged-items table.
    Overview(TableQuery),
    /// Everything about one item (index into the report's items).
    Item(usize),
    /// What the page needs to write a cleaned copy of `dataset` and the flag report.
    Export { dataset: JobId, severities: Vec<Severity> },
}

/// One request of the defects view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DefectsRequest {
    pub input: DefectsInput,
    pub ask: DefectsAsk,
}

/// The worker's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum DefectsAnswer {
    Overview(Box<DefectsOverview>),
    Item(Box<ItemDetail>),
    Export(Box<ExportPlan>),
}

/// One flag as a table row, with the item's text (only for the rows of one page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlagRow {
    pub item: usize,
    pub file: String,
    /// 1-based data row, as the CLI prints it.
    pub row: usize,
    pub subject: String,
    pub check: CheckId,
    pub severity: Severity,
    pub reason: String,
    pub score: f64,
    pub suspicion: f64,
    pub question: String,
    pub options: Vec<String>,
    pub key: Option<usize>,
    pub evidence: Vec<Span>,
    /// Local-storage key of the reviewer's mark: `file:row:question-hash`.
    pub mark_key: String,
}

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

/// Duplicate groups carried to the page with each overview.
pub const SHOWN_DUPLICATE_GROUPS: usize = 200;
/// Near-duplicate pairs carried to the page with each overview.
pub const SHOWN_NEAR_DUPLICATES: usize = 100;

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
pub struct FileInfo {
    pub dataset: JobId,
    pub name: String,
    pub rows: usize,
}

/// The summary of a run and one page of its flags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DefectsOverview {
    pub items: usize,
    pub files: Vec<FileInfo>,
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
pub struct ExportPlan {
    pub dataset: JobId,
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

struct Cached {
    key: (DefectsInput, Vec<(JobId, u64, u64, DatasetKind)>),
    report: Rc<Report>,
    /// Dataset id of each report file.
    file_ids: Vec<JobId>,
    suspicion: Vec<f64>,
    labels: LabelsView,
    warnings: Vec<String>,
}

thread_local! {
    static CACHE: RefCell<Option<Rc<Cached>>> = const { RefCell::new(None) };
}

fn fingerprint(
    datasets: &super::Datasets,
    input: &DefectsInput,
) -> Vec<(JobId, u64, u64, DatasetKind)> {
    input
        .benchmarks
        .iter()
        .chain(&input.predictions)
        .filter_map(|id| {
            datasets.get(id).map(|p| (*id, p.summary.rows, p.summary.bytes, p.summary.kind))
        })
        .collect()
}

fn report_for(datasets: &super::Datasets, input: &DefectsInput) -> Result<Rc<Cached>, String> {
    let key = (input.clone(), fingerprint(datasets, input));
    if let Some(c) = CACHE.with(|c| c.borrow().clone()).filter(|c| c.key == key) {
        return Ok(c);
    }
    let mut set = ItemSet::default();
    let mut file_ids = Vec::new();
    let mut label_columns = LabelColumns::default();
    for id in &input.benchmarks {
        let Some(p) = datasets.get(id) else { continue };
        let Some(table) = p.table() else {
            set.warnings
                .push(format!("{}: not a table of benchmark items; skipped.", p.summary.name));
            continue;
        };
        let name = &p.summary.name;
        let subject = p.summary.subject.clone().or_else(|| subject_from_name(name));
        let split = p.summary.split.clone().or_else(|| split_from_name(name));
        let label = label_columns.pick(&input.labels, table);
        if set.add_table(name, table, subject, split, label.as_deref()) {
            file_ids.push(*id);
        }
    }
    if set.items.is_empty() {
        return Err("None of the loaded benchmark files has question and option columns.".into());
    }
    let mut warnings = std::mem::take(&mut set.warnings);
    let named: Vec<(String, &Table)> = input
        .predictions
        .iter()
        .filter_map(|id| datasets.get(id))
        .filter_map(|p| p.table().map(|t| (p.summary.name.clone(), t)))
        .collect();
    let read = read_predictions(&named);
    warnings.extend(read.warnings);
    let predictions = read.tables;
    let report = analyze(set, &predictions, &input.settings);
    if let Some(d) = &report.disagreement {
        warnings.extend(d.warnings.iter().cloned());
    }
    let mut suspicion = vec![0.0; report.items.items.len()];
    for r in &report.ranking {
        suspicion[r.item] = r.suspicion;
    }
    let labels = label_columns.into_view(&report);
    let cached =
        Rc::new(Cached { key, report: Rc::new(report), file_ids, suspicion, labels, warnings });
    CACHE.with(|c| *c.borrow_mut() = Some(cached.clone()));
    Ok(cached)
}

/// Local-storage key of a reviewer's mark on an item.
pub fn mark_key(file: &str, row: usize, question: &str) -> String {
    format!("{file}:{row}:{:016x}", hash64(question.as_bytes(), 0))
}

/// Answers one request of the defects view.
pub fn run(datasets: &super::Datasets, request: &DefectsRequest) -> Result<DefectsAnswer, String> {
    let c = report_for(datasets, &request.input)?;
    match &request.ask {
        DefectsAsk::Overview(q) => Ok(DefectsAnswer::Overview(Box::new(overview(&c, q)))),
        DefectsAsk::Item(i) => item_detail(&c, *i).map(|d| DefectsAnswer::Item(Box::new(d))),
        DefectsAsk::Export { dataset, severities } => {
            export_plan(datasets, &c, *dataset, severities)
                .map(|p| DefectsAnswer::Export(Box::new(p)))
        }
    }
}

fn file_name(r: &Report, item: usize) -> String {
    r.items.files[r.items.items[item].file].name.clone()
}

fn overview(c: &Cached, q: &TableQuery) -> DefectsOverview {
    let r = &c.report;
    let mut by_check: BTreeMap<CheckId, u64> =
        CheckId::ALL.into_iter().filter(|&k| r.settings.enabled(k)).map(|k| (k, 0)).collect();
    let mut by_severity: BTreeMap<Severity, u64> = BTreeMap::new();
    for f in &r.flags {
        *by_check.entry(f.check).or_insert(0) += 1;
        *by_severity.entry(f.severity).or_insert(0) += 1;
    }
    let flagged_items = {
        let mut items: Vec<usize> =
            r.flags.iter().filter(|f| f.severity != Severity::Warning).map(|f| f.item).collect();
        items.dedup();
        items.len()
    };
    let search = q.search.trim().to_lowercase();
    let mut matching: Vec<usize> = (0..r.flags.len())
        .filter(|&k| {
            let f = &r.flags[k];
            (q.checks.is_empty() || q.checks.contains(&f.check))
                && (q.severities.is_empty() || q.severities.contains(&f.severity))
                && q.subject.as_deref().is_none_or(|s| r.items.subject_of(f.item) == s)
                && (search.is_empty() || {
                    let it = &r.items.items[f.item];
                    it.question.to_lowercase().contains(&search)
                        || it.options.iter().any(|o| o.to_lowercase().contains(&search))
                        || f.reason.to_lowercase().contains(&search)
                })
        })
        .collect();
    let pos = |k: usize| {
        let it = &r.items.items[r.flags[k].item];
        (it.file, it.row)
    };
    matching.sort_by(|&a, &b| {
        let (fa, fb) = (&r.flags[a], &r.flags[b]);
        let ord = match q.sort {
            SortBy::Suspicion => c.suspicion[fb.item].total_cmp(&c.suspicion[fa.item]),
            SortBy::Subject => r.items.subject_of(fa.item).cmp(r.items.subject_of(fb.item)),
            SortBy::Check => fa.check.id().cmp(fb.check.id()),
            SortBy::Severity => fa.severity.cmp(&fb.severity),
            SortBy::Row => std::cmp::Ordering::Equal,
        };
        let ord = if q.descending { ord.reverse() } else { ord };
        ord.then(pos(a).cmp(&pos(b))).then(fa.check.cmp(&fb.check))
    });
    let size = q.page_size.clamp(1, 200);
    let pages = matching.len().div_ceil(size).max(1);
    let page = q.page.min(pages - 1);
    let rows = matching
        .iter()
        .skip(page * size)
        .take(size)
        .map(|&k| {
            let f = &r.flags[k];
            let it = &r.items.items[f.item];
            let file = file_name(r, f.item);
            FlagRow {
                item: f.item,
                row: it.row + 1,
                subject: r.items.subject_of(f.item).to_owned(),
                check: f.check,
                severity: f.severity,
                reason: f.reason.clone(),
                score: f.score,
                suspicion: c.suspicion[f.item],
                question: it.question.clone(),
                options: it.options.clone(),
                key: it.key,
                evidence: f.evidence.clone(),
                mark_key: mark_key(&file, it.row + 1, &it.question),
                file,
            }
        })
        .collect();
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
            question: g.items.first().map_or(String::new(), |&i| r.items.items[i].question.clone()),
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
        .zip(&c.file_ids)
        .map(|(f, &dataset)| FileInfo { dataset, name: f.name.clone(), rows: f.rows })
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
        labels: c.labels.clone(),
        warnings: c.warnings.clone(),
        rows,
        matching: matching.len(),
        page,
    }
}

fn item_detail(c: &Cached, item: usize) -> Result<ItemDetail, String> {
    let r = &c.report;
    let it = r.items.items.get(item).ok_or("that item is no longer loaded")?;
    let first = r.flags.partition_point(|f| f.item < item);
    let flags: Vec<_> = r.flags[first..].iter().take_while(|f| f.item == item).collect();
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
        suspicion: c.suspicion[item],
        votes,
        mark_key: mark_key(&file, it.row + 1, &it.question),
        file,
    })
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// Score as the CLI prints it: up to 4 decimals, trailing zeros dropped.
pub fn format_score(s: f64) -> String {
    let t = format!("{s:.4}");
    let t = t.trim_end_matches('0').trim_end_matches('.');
    if t.is_empty() {
        "0".into()
    } else {
        t.to_owned()
    }
}

#[derive(Serialize)]
struct ReportRecord<'a> {
    file: &'a str,
    row: usize,
    subject: &'a str,
    check: CheckId,
    severity: Severity,
    reason: &'a str,
    score: f64,
    evidence: &'a [Span],
}

fn export_plan(
    datasets: &super::Datasets,
    c: &Cached,
    dataset: JobId,
    severities: &[Severity],
) -> Result<ExportPlan, String> {
    let r = &c.report;
    let file_idx = c
        .file_ids
        .iter()
        .position(|&id| id == dataset)
        .ok_or("that file is not among the checked benchmark files")?;
    let p = datasets.get(&dataset).ok_or("that file is no longer loaded")?;
    let table = p.table().ok_or("that file has no table")?;
    let format = p.summary.format.ok_or("the file's format is unknown")?;
    let mut rows: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for f in r.flags.iter().filter(|f| severities.contains(&f.severity)) {
        let it = &r.items.items[f.item];
        if it.file == file_idx {
            rows.entry(it.row).or_default().push(f.check.id());
        }
    }
    let mut flagged = Flagged::default();
    for (&row, checks) in &rows {
        let text = checks.join(";");
        if matches!(format, Format::Csv | Format::Jsonl) {
            flagged.by_line.insert(table.line_of(row), text.clone());
        }
        flagged.by_index.insert(row, text);
    }
    let mut csv = String::from("file,row,subject,check,severity,reason,score\n");
    let mut records = Vec::with_capacity(r.flags.len());
    for f in &r.flags {
        let it = &r.items.items[f.item];
        let file = &r.items.files[it.file].name;
        let subject = r.items.subject_of(f.item);
        csv.push_str(&format!(
            "{},{},{},{},{},{},{}\n",
            csv_field(file),
            it.row + 1,
            csv_field(subject),
            f.check.id(),
            f.severity.id(),
            csv_field(&f.reason),
            format_score(f.score)
        ));
        records.push(ReportRecord {
            file,
            row: it.row + 1,
            subject,
            check: f.check,
            severity: f.severity,
            reason: &f.reason,
            score: f.score,
            evidence: &f.evidence,
        });
    }
    let report_json = serde_json::to_string_pretty(&records).map_err(|e| e.to_string())?;
    Ok(ExportPlan {
        dataset,
        name: p.summary.name.clone(),
        format,
        delimiter: p.summary.delimiter.map_or(b',', |c| c as u8),
        header: p.summary.header,
        flagged_rows: rows.len(),
        flagged,
        rows: table.n_rows(),
        report_csv: csv,
        report_json,
    })
}

/// Dataset ids of the benchmark-items and model-prediction datasets among `entries`.
pub fn pick_datasets<'a>(
    entries: impl Iterator<Item = (JobId, &'a benchlens_engine::FileSummary)>,
) -> (Vec<JobId>, Vec<JobId>) {
    let mut bench = Vec::new();
    let mut preds = Vec::new();
    for (id, s) in entries {
        if s.failed() {
            continue;
        }
        match s.kind {
            DatasetKind::BenchmarkItems => bench.push(id),
            DatasetKind::ModelPredictions => preds.push(id),
            _ => {}
        }
    }
    (bench, preds)
}
