//! What the supervisor's "today" is built from (core's [`township_today`]): where each child's
//! visits of her township stand (by the one rule for a child's latest visit), the visits
//! that made a mandatory report, and how many files wait to be reconciled or may be of one
//! child.
//!
//! [`township_today`]: tongxing_core::supervision::township_today

use chrono::NaiveDate;
use sqlx::{AnyPool, AssertSqlSafe};
use tongxing_core::record_filter::RecordFilter;
use tongxing_core::schedule::ChildStatus;
use tongxing_core::supervision::{TodaySources, VillageChild};
use tongxing_core::wire::TodayReport;
use tongxing_core::RiskColour;
use uuid::Uuid;

use super::possible_duplicates::{PAIRS, PAIR_IN_TOWNSHIP};
use super::selection::Selection;
use super::sql::{self, Order, Select, VISIT_VILLAGE};
use super::to_reconcile::kept_aside_in_township;
use crate::store::db::StorageError;
use crate::store::records::{CHILDREN, VISITS};
use crate::store::workers::devices;

/// What `township`'s "today" is built from.
pub async fn today_sources(pool: &AnyPool, township: &str) -> Result<TodaySources, StorageError> {
    let (to_reconcile, possible_duplicates) = waiting_files(pool, township).await?;
    Ok(TodaySources {
        children: child_statuses(pool, township).await?,
        reports: report_visits(pool, township).await?,
        plans: super::case_plans_in_township(pool, township).await?,
        phones: devices::list_in_township(pool, Some(township)).await?,
        to_reconcile,
        possible_duplicates,
    })
}

/// Every child's file of `township` (not merged) and where its visits stand.
pub async fn child_statuses(pool: &AnyPool, township: &str) -> Result<Vec<VillageChild>, StorageError> {
    let selection = Selection::in_township(township, RecordFilter::default());
    type Row = (String, String, String, String, Option<String>, Option<String>, Option<String>);
    let rows: Vec<Row> =
        sql::children(&selection, Select::Status, Order::None).build_query_as()?.fetch_all(pool).await?;
    rows.into_iter()
        .map(|(id, name, village, birth_date, colour, visit_date, next_visit)| {
            let status = child_status(StatusColumns { id, name, birth_date, colour, visit_date, next_visit })?;
            Ok(VillageChild { village, status })
        })
        .collect()
}

/// What `Select::Status` and `Select::Statistics` read of a child and her latest visit.
pub(super) struct StatusColumns {
    pub id: String,
    pub name: String,
    pub birth_date: String,
    pub colour: Option<String>,
    pub visit_date: Option<String>,
    pub next_visit: Option<String>,
}

/// Where a child's visits stand, from her row (one reading for "today" and the statistics).
pub(super) fn child_status(row: StatusColumns) -> Result<ChildStatus, StorageError> {
    let StatusColumns { id, name, birth_date, colour, visit_date, next_visit } = row;
    let corrupt = |what: &str, detail: String| StorageError::Corrupt { what: format!("child {id} {what}"), detail };
    let date = |text: Option<String>, what: &str| {
        text.filter(|t| !t.is_empty())
            .map(|t| t.parse::<NaiveDate>().map_err(|e| corrupt(what, e.to_string())))
            .transpose()
    };
    Ok(ChildStatus {
        child_id: Uuid::parse_str(&id).map_err(|e| corrupt("id", e.to_string()))?,
        birth_date: date(Some(birth_date.clone()), "birth_date")?
            .ok_or_else(|| corrupt("birth_date", birth_date.clone()))?,
        colour: colour.as_deref().and_then(RiskColour::from_code),
        last_visit: date(visit_date, "latest visit_date")?,
        next_visit: date(next_visit, "latest next_visit_date")?,
        name,
    })
}

/// Every visit of `township` that found harm the police must be told of, the newest first
/// (core's `township_today` keeps those whose follow-up is open or recent).
pub async fn report_visits(pool: &AnyPool, township: &str) -> Result<Vec<TodayReport>, StorageError> {
    let rows: Vec<(String, String, Option<String>, String, String)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT v.id, v.child_id, c.name, {VISIT_VILLAGE}, v.visit_date \
         FROM {visits} AS v LEFT JOIN {children} AS c ON c.id = v.child_id \
         WHERE v.scope_township = $1 AND v.mandatory_report = 1 \
         ORDER BY v.visit_date DESC, v.received_at DESC, v.id",
        visits = VISITS.current,
        children = CHILDREN.current,
    )))
    .bind(township)
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(visit_id, child_id, name, village, visit_date)| {
            let corrupt =
                |what: &str, detail: String| StorageError::Corrupt { what: format!("visit {visit_id} {what}"), detail };
            Ok(TodayReport {
                visit_id: Uuid::parse_str(&visit_id).map_err(|e| corrupt("id", e.to_string()))?,
                child_id: Uuid::parse_str(&child_id).map_err(|e| corrupt("child_id", e.to_string()))?,
                name,
                village,
                visit_date: visit_date.parse().map_err(|e: chrono::ParseError| corrupt("visit_date", e.to_string()))?,
                follow_up: Default::default(),
            })
        })
        .collect()
}

/// How many files of `township` wait: (edits to reconcile, pairs that may be of one child).
pub async fn waiting_files(pool: &AnyPool, township: &str) -> Result<(u32, u32), StorageError> {
    // The same rows as the lists (`to_reconcile`, `possible_duplicates`), counted.
    let (to_reconcile, duplicates): (i64, i64) = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT (SELECT COUNT(*) FROM {kept_aside}), (SELECT COUNT(*) FROM {PAIRS} WHERE {PAIR_IN_TOWNSHIP})",
        kept_aside = kept_aside_in_township(),
    )))
    .bind(township)
    .fetch_one(pool)
    .await?;
    let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    Ok((count(to_reconcile), count(duplicates)))
}
