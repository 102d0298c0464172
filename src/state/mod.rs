//! Shared page state, provided as context: the loaded datasets (summaries only; the data stays
//! in the worker) and the parse jobs in flight.

mod share_context;
mod view;

use benchlens_engine::dataset::FileSummary;
use leptos::prelude::*;

use crate::jobs::protocol::JobId;

pub use share_context::{use_share, ShareContext};
pub use view::View;

/// One loaded file as the page knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct DatasetEntry {
    pub id: JobId,
    pub summary: FileSummary,
    /// Where it came from: "dropped", "picked", "pasted", "sample: …".
    pub origin: String,
}

/// What a parse job is doing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum JobStatus {
    Running,
    Cancelling,
    Cancelled,
    Failed(String),
}

/// A parse in flight (or just ended without a dataset).
#[derive(Debug, Clone, PartialEq)]
pub struct JobEntry {
    pub id: JobId,
    pub name: String,
    pub origin: String,
    pub bytes_total: f64,
    pub bytes_done: f64,
    pub rows: f64,
    /// `performance.now()` at start and at the last progress report, in ms.
    pub started_ms: f64,
    pub updated_ms: f64,
    pub status: JobStatus,
}

impl JobEntry {
    /// Bytes per second so far.
    pub fn rate(&self) -> f64 {
        let secs = (self.updated_ms - self.started_ms) / 1000.0;
        if secs > 0.0 {
            self.bytes_done / secs
        } else {
            0.0
        }
    }

    /// Seconds left at the current rate.
    pub fn eta(&self) -> f64 {
        let rate = self.rate();
        if rate > 0.0 {
            (self.bytes_total - self.bytes_done).max(0.0) / rate
        } else {
            f64::NAN
        }
    }

    /// 0..1.
    pub fn fraction(&self) -> f64 {
        if self.bytes_total > 0.0 {
            (self.bytes_done / self.bytes_total).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }
}

/// The app-wide state, cheap to copy into closures.
#[derive(Clone, Copy)]
pub struct AppState {
    pub datasets: RwSignal<Vec<DatasetEntry>>,
    pub jobs: RwSignal<Vec<JobEntry>>,
    /// The view on screen.
    pub view: RwSignal<View>,
}

impl AppState {
    /// Fresh, empty state.
    pub fn new() -> Self {
        Self {
            datasets: RwSignal::new(Vec::new()),
            jobs: RwSignal::new(Vec::new()),
            view: RwSignal::new(View::Data),
        }
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

/// The state from context (provided by `App`).
pub fn use_app_state() -> AppState {
    expect_context::<AppState>()
}
