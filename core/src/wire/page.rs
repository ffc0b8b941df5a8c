//! One page of a list, as the server answers a supervisor's list calls.

use serde::{Deserialize, Serialize};

/// One page of a list that a supervisor reads (`GET /api/v1/children`, `/visits`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    /// The page number, from 1.
    pub page: u32,
    pub per_page: u32,
    /// How many items match, on every page.
    pub total: u64,
}

impl<T> Page<T> {
    /// The same page with each item made into another.
    pub fn map<U>(self, item: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(item).collect(),
            page: self.page,
            per_page: self.per_page,
            total: self.total,
        }
    }
}
