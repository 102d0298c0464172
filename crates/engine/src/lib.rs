//! benchlens-engine: everything benchlens computes, with no browser in sight.
//!
//! The web app, its worker and the `benchlens` CLI are thin shells over this crate, so every number
//! on screen can be reproduced natively and tested against reference implementations. Nothing here
//! may panic on user data: errors are values that name the file, line and field.

mod battle_scan;
pub mod battles;
pub mod dataset;
pub mod defects;
pub mod formats;
pub mod judge;
pub mod progress;
pub mod ratings;
pub mod scaling;
pub mod share;
pub mod sorting;
pub mod spreadsheet;
pub mod stats;
pub mod table;
pub mod wording;

pub use battles::{Battles, Outcome};
pub use dataset::{Dataset, DatasetKind, FileSummary, ParsedFile, Warning};
pub use table::Table;
