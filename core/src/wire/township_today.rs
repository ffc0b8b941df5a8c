//! The supervisor's "today" (今日, `GET /api/v1/today`): her township at a glance. Built by
//! [`crate::supervision::township_today`] from the township's files, visits and phones.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::case_plan::ReportFollowUp;
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
    /// Visits that found harm the police must be told of (强制报告) whose follow-up is open
    /// (not started, or not closed with an outcome), and those of the last
    /// [`REPORTS_WITHIN_DAYS`] days closed since, the newest first.
    pub reports: Vec<TodayReport>,
    /// Actions of open case plans still planned or applied for whose time has passed, the
    /// longest overdue first.
    #[serde(default)]
    pub actions_past_due: Vec<TodayAction>,
    /// Case plans drafted or changed by a village that wait for her approval, the oldest first.
    #[serde(default)]
    pub plans_waiting: Vec<TodayPlan>,
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
    /// Where its follow-up stands.
    #[serde(default)]
    pub follow_up: ReportFollowUp,
}

/// An action of a case plan past its time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TodayAction {
    pub plan_id: Uuid,
    pub child_id: Uuid,
    /// The child's name; none when the server holds no file of the child.
    #[serde(default)]
    pub name: Option<String>,
    pub village: String,
    /// What it is (a code of core's `case_plan::action_kinds`).
    pub kind: String,
    /// Who does it.
    #[serde(default)]
    pub by_whom: String,
    pub due: DateTime<FixedOffset>,
}

/// A case plan waiting for the supervisor's approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TodayPlan {
    pub plan_id: Uuid,
    pub child_id: Uuid,
    #[serde(default)]
    pub name: Option<String>,
    pub village: String,
    /// Whether it follows up a mandatory report.
    pub report: bool,
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
