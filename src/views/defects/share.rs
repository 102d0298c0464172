//! What of the defects view goes into a share link, and back: the checks and threshold that
//! decide the numbers, and the table's filters, sort, page and selected item.

use benchlens_engine::defects::{CheckId, Severity};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::DefectsViewState;
use crate::jobs::defects::SortBy;
use crate::jobs::defects_labels::LabelChoice;

/// The defects view's part of the link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DefectsShare {
    pub checks: Vec<CheckId>,
    #[serde(default)]
    pub min_agree: Option<usize>,
    pub severities: Vec<Severity>,
    #[serde(default)]
    pub check_filter: Option<CheckId>,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub search: String,
    pub sort: (SortBy, bool),
    #[serde(default)]
    pub page: usize,
    #[serde(default)]
    pub selected: Option<usize>,
    #[serde(default)]
    pub labels: LabelChoice,
}

impl DefectsViewState {
    /// The current settings (tracked: a change rewrites the link).
    pub fn snapshot(&self) -> DefectsShare {
        DefectsShare {
            checks: self.checks.get(),
            min_agree: self.min_agree.get(),
            severities: self.severities.get(),
            check_filter: self.check_filter.get(),
            subject: self.subject.get(),
            search: self.search.get(),
            sort: self.sort.get(),
            page: self.page.get(),
            selected: self.selected.get(),
            labels: self.labels.get(),
        }
    }

    /// Applies a link's settings.
    pub fn restore(&self, share: DefectsShare) {
        self.checks.set(share.checks);
        self.min_agree.set(share.min_agree);
        self.severities.set(share.severities);
        self.check_filter.set(share.check_filter);
        self.subject.set(share.subject);
        self.search.set(share.search);
        self.sort.set(share.sort);
        self.page.set(share.page);
        self.selected.set(share.selected);
        self.labels.set(share.labels);
    }
}
