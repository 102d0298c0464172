//! The share link's page state (notes for the user, a revision counter), kept with the other
//! page state so that intake can bump it (embedding a file) without depending on `share`.

use leptos::prelude::*;

/// Link-related page state: messages for the user and a counter bumped when something a
/// link depends on changes outside any signal (embedding a file).
#[derive(Clone, Copy)]
pub struct ShareContext {
    pub notes: RwSignal<Vec<String>>,
    pub revision: RwSignal<u64>,
}

impl ShareContext {
    /// Fresh context.
    pub fn new() -> Self {
        Self { notes: RwSignal::new(Vec::new()), revision: RwSignal::new(0) }
    }

    /// Something the link depends on changed.
    pub fn touch(&self) {
        self.revision.update(|r| *r = r.wrapping_add(1));
    }
}

impl Default for ShareContext {
    fn default() -> Self {
        Self::new()
    }
}

/// The context (provided by `App`).
pub fn use_share() -> ShareContext {
    expect_context::<ShareContext>()
}
