//! The county's "today" (全县, `GET /api/v1/county/today`): each township's
//! [`TownshipToday`](crate::wire::TownshipToday) rolled up into one line, built by
//! [`crate::supervision::county_today`].

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Every township of the county today.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountyToday {
    /// The day the figures are of (the server's, in China).
    pub today: NaiveDate,
    /// One line a township, the townships furthest behind this month first.
    pub townships: Vec<TownshipLine>,
}

/// One township's "today", as counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TownshipLine {
    pub township: String,
    /// Children visited this calendar month (of those under 18), all villages together.
    pub visited: u32,
    /// Children in this month's round (under 18).
    pub due: u32,
    /// Children overdue or never visited (not red).
    pub overdue: u32,
    /// Children whose latest visit set red.
    pub red: u32,
    /// Mandatory reports (强制报告) whose follow-up is open: not started, or not closed with
    /// an outcome.
    pub reports: u32,
    /// Actions of case plans past their time.
    #[serde(default)]
    pub actions_past_due: u32,
    /// Children's files with an edit kept aside, to reconcile.
    pub to_reconcile: u32,
    /// Pairs of files that may be of one child.
    pub possible_duplicates: u32,
    /// Phones not seen for [`crate::wire::SILENT_AFTER_DAYS`] days.
    pub silent_phones: u32,
}
