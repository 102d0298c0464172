//! Analyses in the worker, from the page's side: submit one (progress and end go to callbacks),
//! cancel one. Kept apart from the parse jobs in `client.rs`; both share its bridge and job ids.

use crate::jobs::analysis::{AnalysisRequest, AnalysisResult};
use crate::jobs::protocol::{JobId, Request};

use super::client::with_client;

/// How far a running analysis is: `done` of `total` units of `stage` ("bootstrap", rounds).
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisProgress {
    pub stage: String,
    pub done: f64,
    pub total: f64,
}

/// How an analysis ended.
#[derive(Debug, Clone)]
pub enum AnalysisEnd {
    Finished(Result<AnalysisResult, String>),
    /// Stopped by [`cancel_analysis`].
    Cancelled,
}

/// Where a pending analysis's progress and end go.
pub(super) struct Pending {
    pub(super) done: Box<dyn FnOnce(AnalysisEnd)>,
    pub(super) progress: Option<std::rc::Rc<dyn Fn(AnalysisProgress)>>,
    /// What was asked, to ask a replacement worker again (the switch to the Parquet worker).
    pub(super) request: Option<Request>,
}

/// Runs an analysis in the worker; `done` gets its result. Returns the job id.
pub fn analyse(
    request: AnalysisRequest,
    done: impl FnOnce(Result<AnalysisResult, String>) + 'static,
) -> Option<JobId> {
    let done = move |end: AnalysisEnd| match end {
        AnalysisEnd::Finished(result) => done(result),
        AnalysisEnd::Cancelled => done(Err("cancelled".to_owned())),
    };
    submit_analysis(request, Pending { done: Box::new(done), progress: None, request: None })
}

/// Runs an analysis in the worker; `progress` hears how far its long parts are (bootstrap
/// rounds, grid starts; a few times a second), `done` how it ended. Returns the job id, for
/// [`cancel_analysis`].
pub fn analyse_tracked(
    request: AnalysisRequest,
    progress: impl Fn(AnalysisProgress) + 'static,
    done: impl FnOnce(AnalysisEnd) + 'static,
) -> Option<JobId> {
    submit_analysis(
        request,
        Pending { done: Box::new(done), progress: Some(std::rc::Rc::new(progress)), request: None },
    )
}

fn submit_analysis(request: AnalysisRequest, mut pending: Pending) -> Option<JobId> {
    if let Some(why) = super::worker_life::gave_up() {
        (pending.done)(AnalysisEnd::Finished(Err(why)));
        return None;
    }
    with_client(|c| {
        let job = c.next_job;
        c.next_job += 1;
        let request = Request::Analyse { job, request: Box::new(request) };
        pending.request = Some(request.clone());
        c.pending.insert(job, pending);
        // A fresh worker is still re-reading the files: the analysis waits for them.
        if let Some(request) = c.life.hold(job, request) {
            c.bridge.send(request);
        }
        job
    })
}

/// Asks the worker to stop an analysis at its next pause; its `done` then hears
/// [`AnalysisEnd::Cancelled`] (or the result, if it finished first).
pub fn cancel_analysis(job: JobId) {
    let held = with_client(|c| {
        if c.life.release_held(job) {
            return c.pending.remove(&job);
        }
        if c.pending.contains_key(&job) {
            c.bridge.send(Request::Cancel { job });
        }
        None
    })
    .flatten();
    if let Some(p) = held {
        (p.done)(AnalysisEnd::Cancelled);
    }
}
