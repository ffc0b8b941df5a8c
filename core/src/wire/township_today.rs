//! The supervisor's "today" (今日, `GET /api/v1/today`): her township at a glance. Built by
//! [`crate::supervision::township_today`] from the township's files, visits and phones.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::worker::Role;
use crate::RiskColour;

/// Her township today.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TownshipToday {
    /// The day the figures are of (the server's, in China).
    pub today: NaiveDate,
    /// This month's round in each village, the villages furthest behind first.
    pub coverage: Vec<VillageCoverage>,
    /// Children whose visit is overdue or who were never visited (not red), most overdue first.
    pub overdue: Vec<TodayChild>,
    /// Children whose latest visit set red.
    pub red: Vec<TodayChild>,
    /// Visits of the last [`REPORTS_WITHIN_DAYS`] days that found harm the police must be told
    /// of (强制报告), the newest first.
    pub reports: Vec<TodayReport>,
    /// Children's files with an edit kept aside, to reconcile.
    pub to_reconcile: u32,
    /// Pairs of files that may be of one child.
    pub possible_duplicates: u32,
    /// Phones of her township not seen for [`SILENT_AFTER_DAYS`] days, the longest silent first.
    pub silent_phones: Vec<SilentPhone>,
}

/// How far back the mandatory reports go.
pub const REPORTS_WITHIN_DAYS: u64 = 90;
/// How long a phone may go without calling the server before its supervisor is told.
pub const SILENT_AFTER_DAYS: i64 = 14;

/// One village's round this month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VillageCoverage {
    pub village: String,
    /// Children visited this calendar month.
    pub visited: u32,
    /// Children in the round (under 18).
    pub total: u32,
}

/// A child's line: who, where, and where the visits stand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TodayChild {
    pub child_id: Uuid,
    pub name: String,
    pub village: String,
    /// The colour of the latest visit; none when never visited.
    #[serde(default)]
    pub colour: Option<RiskColour>,
    /// The latest visit's date; none when never visited.
    #[serde(default)]
    pub last_visit: Option<NaiveDate>,
    /// When the next visit is due; none when never visited (due now).
    #[serde(default)]
    pub due: Option<NaiveDate>,
}

/// A visit that found harm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TodayReport {
    pub visit_id: Uuid,
    pub child_id: Uuid,
    /// The child's name; none when the server holds no file of the child.
    #[serde(default)]
    pub name: Option<String>,
    pub village: String,
    pub visit_date: NaiveDate,
}

/// A phone that has not called the server for a while.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SilentPhone {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    pub village: String,
    /// When it last called (or joined, if it never called since).
    pub last_seen_at: DateTime<Utc>,
}
