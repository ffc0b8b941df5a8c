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
