//! The expert-label choice and view of the defects page, kept at this path for the views; the
//! engine scores the checks against the labels (`benchlens_engine::defects::labels`).

pub use benchlens_engine::defects::labels::{LabelChoice, LabelsView};
