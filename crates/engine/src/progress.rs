//! Progress of long computations (bootstraps, multi-start fits), and how a caller stops them or
//! lets other work run in between.
//!
//! The long loops are `async fn`s that call [`Ticker::tick`] before each unit of work (one
//! bootstrap round, one grid start). The caller's callback answers [`Tick::Continue`],
//! [`Tick::Stop`] (cancel) or [`Tick::Yield`]: the computation then returns `Poll::Pending` once,
//! so whoever polls it can do something else first, and asks the callback again when polled. The
//! browser worker polls from a fresh event-loop task after each yield, which is how a Cancel
//! message reaches a running bootstrap; natively, [`block_on`] polls straight through.
//!
//! Pausing never touches the computation's state: the random stream, the order of the rounds and
//! every number are the same whether the loop yields after every round, never, or anywhere in
//! between.

use std::future::Future;
use std::pin::{pin, Pin};
use std::task::{Context, Poll, Waker};

/// The caller's answer before each unit of work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tick {
    /// Go on.
    Continue,
    /// Pause (the future returns `Pending` once), then ask again.
    Yield,
    /// Cancel: the computation returns without doing this unit.
    Stop,
}

/// The progress callback of a long computation: `(stage, done, total) -> Tick`, called before
/// each unit of work with the units done so far.
pub struct Ticker<'a> {
    f: Box<dyn FnMut(&'static str, u64, u64) -> Tick + 'a>,
}

impl<'a> Ticker<'a> {
    /// A ticker from a callback.
    pub fn new(f: impl FnMut(&'static str, u64, u64) -> Tick + 'a) -> Self {
        Self { f: Box::new(f) }
    }

    /// A ticker that never stops or yields.
    pub fn silent() -> Self {
        Self::new(|_, _, _| Tick::Continue)
    }

    /// A ticker from the synchronous callbacks of the older APIs: `(done, total) -> keep going`.
    pub fn from_bool(mut f: impl FnMut(u64, u64) -> bool + 'a) -> Self {
        Self::new(move |_, d, t| if f(d, t) { Tick::Continue } else { Tick::Stop })
    }

    /// The callback's answer, without pausing: how one ticker wraps another (say, to relabel a
    /// stage).
    pub fn ask(&mut self, stage: &'static str, done: u64, total: u64) -> Tick {
        (self.f)(stage, done, total)
    }

    /// Reports `done` of `total` units of `stage`; false means stop. Yields as often as the
    /// callback asks, then asks again.
    pub async fn tick(&mut self, stage: &'static str, done: u64, total: u64) -> bool {
        loop {
            match (self.f)(stage, done, total) {
                Tick::Continue => return true,
                Tick::Stop => return false,
                Tick::Yield => YieldNow { yielded: false }.await,
            }
        }
    }
}

/// Returns `Pending` once (waking its waker), then `Ready`.
struct YieldNow {
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            Poll::Ready(())
        } else {
            self.yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

/// Runs a computation of this crate to its end on the current thread (they only ever wait for
/// their own yields, so polling again at once is always right).
pub fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

/// Polls `f` once; how a driver that schedules its own polls (the browser worker) steps a
/// computation.
pub fn poll_once<F: Future + ?Sized>(f: Pin<&mut F>) -> Poll<F::Output> {
    let mut cx = Context::from_waker(Waker::noop());
    f.poll(&mut cx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yields_then_asks_again() {
        let mut answers = vec![Tick::Yield, Tick::Yield, Tick::Continue, Tick::Stop].into_iter();
        let mut calls = 0;
        let mut pending = 0;
        {
            let mut t = Ticker::new(|_, _, _| {
                calls += 1;
                answers.next().unwrap_or(Tick::Stop)
            });
            let mut fut =
                Box::pin(async move { (t.tick("x", 0, 2).await, t.tick("x", 1, 2).await) });
            let out = loop {
                match poll_once(fut.as_mut()) {
                    Poll::Ready(v) => break v,
                    Poll::Pending => pending += 1,
                }
            };
            assert_eq!(out, (true, false));
        }
        assert_eq!((calls, pending), (4, 2));
    }
}
