//! Messages between the page and the worker. Blobs travel by structured clone (not copied through
//! serde), which is why the codec is serde-wasm-bindgen with `preserve` rather than bincode.

use benchlens_engine::dataset::FileSummary;
use benchlens_engine::formats::LoadOptions;
use serde::{Deserialize, Serialize};

use super::analysis::{AnalysisRequest, AnalysisResult};
use super::hub_ref::HubSource;

/// Identifies one parse job; the dataset it produces keeps the same id.
pub type JobId = u32;

/// Page → worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Request {
    /// Parse a file (or any Blob) in chunks.
    Parse {
        job: JobId,
        name: String,
        #[serde(with = "serde_wasm_bindgen::preserve")]
        blob: web_sys::Blob,
        options: LoadOptions,
    },
    /// Read the Parquet files a hub link names, by HTTP range requests, as one dataset (needs the
    /// `page-parquet` feature; without it the worker answers `Failed`).
    ParseHub { job: JobId, source: HubSource, options: LoadOptions },
    /// Parse pasted text.
    ParseText { job: JobId, name: String, text: String, options: LoadOptions },
    /// Stop a running parse at the next chunk boundary, or an analysis at its next pause (between
    /// bootstrap rounds or grid starts).
    Cancel { job: JobId },
    /// Parse large battle logs with `size` workers (this one included; 1 = alone), the helpers
    /// started from `script_url` (an absolute URL of `worker.js`). See `super::pool`.
    Pool { script_url: String, size: u32 },
    /// Forget a dataset.
    Remove { dataset: JobId },
    /// Run an analysis on datasets the worker holds.
    Analyse { job: JobId, request: Box<AnalysisRequest> },
    /// Test hook: the next analysis traps (aborts) as an out-of-memory would, so the page's
    /// recovery from a dead worker can be tested. Sent only by `window.benchlensDebug`, which
    /// code in the page's own console or an automated test calls; no URL or control reaches it.
    DebugTrapNextAnalysis,
}

/// Worker → page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Response {
    Progress {
        job: JobId,
        bytes_done: f64,
        bytes_total: f64,
        rows: f64,
    },
    Loaded {
        job: JobId,
        summary: Box<FileSummary>,
    },
    /// A parse or an analysis stopped on request.
    Cancelled {
        job: JobId,
    },
    Failed {
        job: JobId,
        message: String,
    },
    Analysed {
        job: JobId,
        result: Result<AnalysisResult, String>,
    },
    /// A long analysis is `done` of `total` units into `stage` (e.g. "bootstrap", rounds).
    AnalysisProgress {
        job: JobId,
        stage: String,
        done: f64,
        total: f64,
    },
}
