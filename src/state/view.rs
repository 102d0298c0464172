//! The page's views as a value: a leaf type that the page state, the URL, exports and the tab
//! bar all name, so none of them has to depend on the view components.

use serde::{Deserialize, Serialize};

/// The page's views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum View {
    Data,
    Ratings,
    Judge,
    Scaling,
    Defects,
}

impl View {
    /// Every view, in tab order.
    pub const ALL: [View; 5] =
        [View::Data, View::Ratings, View::Scaling, View::Defects, View::Judge];

    /// Tab label.
    pub fn label(self) -> &'static str {
        match self {
            View::Data => "Data",
            View::Ratings => "Ratings",
            View::Judge => "Judge",
            View::Scaling => "Scaling",
            View::Defects => "Defects",
        }
    }

    /// The view with this [`View::id`].
    pub fn from_id(id: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.id() == id)
    }

    /// Stable id (URL, test ids).
    pub fn id(self) -> &'static str {
        match self {
            View::Data => "data",
            View::Ratings => "ratings",
            View::Judge => "judge",
            View::Scaling => "scaling",
            View::Defects => "defects",
        }
    }
}
