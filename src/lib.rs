//! benchlens web app: Leptos components that wire signals to engine calls made in a Web Worker.
//!
//! Statistics never live here: they are in `benchlens-engine`. This crate only moves bytes to the
//! worker, results back, and draws them.

pub mod app;
pub mod charts;
pub mod export;
pub mod format;
pub mod intake;
pub mod jobs;
pub mod state;
pub mod views;
