//! The review page's flags table: which flags pass the filter, in which order, and the rows of
//! one page with the item text they show (only a page's worth ever crosses to the page).

use serde::{Deserialize, Serialize};

use super::review::{file_name, mark_key};
use super::run::DefectsRun;
use super::{CheckId, Flag, Item, Severity, Span};

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

impl DefectsRun {
    /// The rows of the page `q` asks for, how many flags pass its filter, and the page shown
    /// (the last one when `q.page` is past the end).
    pub(super) fn flag_page(&self, q: &TableQuery) -> (Vec<FlagRow>, usize, usize) {
        let r = &self.report;
        let suspicion = |item: usize| self.suspicion.get(item).copied().unwrap_or(0.0);
        let search = q.search.trim().to_lowercase();
        let mut matching: Vec<(&Flag, &Item)> = r
            .flags
            .iter()
            .filter_map(|f| Some((f, r.items.items.get(f.item)?)))
            .filter(|(f, it)| {
                (q.checks.is_empty() || q.checks.contains(&f.check))
                    && (q.severities.is_empty() || q.severities.contains(&f.severity))
                    && q.subject.as_deref().is_none_or(|s| r.items.subject_of(f.item) == s)
                    && (search.is_empty()
                        || it.question.to_lowercase().contains(&search)
                        || it.options.iter().any(|o| o.to_lowercase().contains(&search))
                        || f.reason.to_lowercase().contains(&search))
            })
            .collect();
        matching.sort_by(|&(fa, ia), &(fb, ib)| {
            let ord = match q.sort {
                SortBy::Suspicion => suspicion(fb.item).total_cmp(&suspicion(fa.item)),
                SortBy::Subject => r.items.subject_of(fa.item).cmp(r.items.subject_of(fb.item)),
                SortBy::Check => fa.check.id().cmp(fb.check.id()),
                SortBy::Severity => fa.severity.cmp(&fb.severity),
                SortBy::Row => std::cmp::Ordering::Equal,
            };
            let ord = if q.descending { ord.reverse() } else { ord };
            ord.then((ia.file, ia.row).cmp(&(ib.file, ib.row))).then(fa.check.cmp(&fb.check))
        });
        let size = q.page_size.clamp(1, 200);
        let pages = matching.len().div_ceil(size).max(1);
        let page = q.page.min(pages - 1);
        let rows = matching
            .iter()
            .skip(page * size)
            .take(size)
            .map(|&(f, it)| {
                let file = file_name(r, f.item);
                FlagRow {
                    item: f.item,
                    row: it.row + 1,
                    subject: r.items.subject_of(f.item).to_owned(),
                    check: f.check,
                    severity: f.severity,
                    reason: f.reason.clone(),
                    score: f.score,
                    suspicion: suspicion(f.item),
                    question: it.question.clone(),
                    options: it.options.clone(),
                    key: it.key,
                    evidence: f.evidence.clone(),
                    mark_key: mark_key(&file, it.row + 1, &it.question),
                    file,
                }
            })
            .collect();
        (rows, matching.len(), page)
    }
}
