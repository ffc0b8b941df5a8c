//! Reading the records an export takes, with what a row needs beside the record: its place,
//! the child's name and the visitor for a visit, the latest visit for a child.

use chrono::{DateTime, NaiveDate, Utc};
use serde::de::DeserializeOwned;
use sqlx::{AssertSqlSafe, SqlitePool};
use tongxing_core::child::Child;
use tongxing_core::form::parse_date;
use tongxing_core::worker::Place;
use tongxing_core::{RiskColour, Visit};
use uuid::Uuid;

use super::{ExportFilter, Revisions};
use crate::db::StorageError;
use crate::record_store::{RecordTable, CHILDREN, VISITS};

/// A visit as an export shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitRow {
    pub visit: Visit,
    /// When the server received this revision (for a conflict: this body, first).
    pub received_at: DateTime<Utc>,
    /// Whose the visit is (see [`ExportFilter`]).
    pub place: Place,
    /// The child's name, when the child's file is on the server.
    pub child_name: Option<String>,
    /// The name of the worker whose phone sent the newest revision, when it was enrolled.
    pub visitor: Option<String>,
}

/// A child's file as an export shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildRow {
    pub child: Child,
    /// When the server received this revision (for a conflict: this body, first).
    pub received_at: DateTime<Utc>,
    /// Whose the file is (see [`ExportFilter`]).
    pub place: Place,
    /// The child's latest visit (the newest revision of the visit with the latest date).
    pub latest_visit: Option<LatestVisit>,
}

/// What the latest visit says of a child now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LatestVisit {
    pub date: Option<NaiveDate>,
    pub colour: Option<RiskColour>,
}

/// What an export asks for beside its filter: one child only (a child's archive).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Criteria<'a> {
    pub filter: &'a ExportFilter,
    pub child: Option<Uuid>,
}

impl<'a> Criteria<'a> {
    pub fn of(filter: &'a ExportFilter) -> Criteria<'a> {
        Criteria { filter, child: None }
    }
}

/// The table the bodies come from, and the order of rows after the place and record.
fn source(table: &RecordTable, revisions: Revisions) -> (&'static str, &'static str) {
    match revisions {
        Revisions::Current => (table.current, ""),
        Revisions::All => (table.revisions, ", src.revision"),
        Revisions::Conflicts => (table.conflicts, ", src.revision, src.received_at"),
    }
}

/// A visit's village: its own place's, else (received before enrolment) the one written in
/// its child's file.
const VISIT_VILLAGE: &str = "CASE WHEN v.scope_village <> '' THEN v.scope_village ELSE COALESCE(c.village, '') END";
/// A child's village: its own place's, else the one written in the file.
const CHILD_VILLAGE: &str = "CASE WHEN ch.scope_village <> '' THEN ch.scope_village ELSE ch.village END";

/// The visits the criteria take, in the revisions asked for: by place, date and id.
pub(crate) async fn visits(
    pool: &SqlitePool,
    revisions: Revisions,
    criteria: Criteria<'_>,
) -> Result<Vec<VisitRow>, StorageError> {
    let (src, then) = source(&VISITS, revisions);
    let sql = format!(
        "SELECT src.body, src.received_at, v.scope_township AS township, {VISIT_VILLAGE} AS village, \
                c.name AS child_name, d.name AS visitor \
         FROM {src} AS src \
         JOIN visits AS v ON v.id = src.id \
         LEFT JOIN children AS c ON c.id = v.child_id \
         LEFT JOIN devices AS d ON d.id = v.sent_by \
         WHERE (?1 IS NULL OR v.scope_township = ?1) \
           AND (?2 IS NULL OR {VISIT_VILLAGE} = ?2) \
           AND (?3 IS NULL OR v.risk_colour = ?3) \
           AND (?4 IS NULL OR v.visit_date >= ?4) \
           AND (?5 IS NULL OR v.visit_date <= ?5) \
           AND (?6 IS NULL OR v.child_id = ?6) \
         ORDER BY v.scope_township, {VISIT_VILLAGE}, v.visit_date, v.id{then}"
    );
    let filter = criteria.filter;
    let rows: Vec<VisitColumns> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(filter.township.as_deref())
        .bind(filter.village.as_deref())
        .bind(filter.colour_code())
        .bind(ExportFilter::date_text(filter.from))
        .bind(ExportFilter::date_text(filter.to))
        .bind(criteria.child.map(|id| id.to_string()))
        .fetch_all(pool)
        .await?;
    rows.into_iter()
        .map(|row| {
            Ok(VisitRow {
                visit: parse_body(&row.body, "visit")?,
                received_at: parse_time(&row.received_at, "visit")?,
                place: Place { township: row.township, village: row.village },
                child_name: row.child_name,
                visitor: row.visitor,
            })
        })
        .collect()
}

/// The children's files the criteria take, in the revisions asked for: by place, name and id.
pub(crate) async fn children(
    pool: &SqlitePool,
    revisions: Revisions,
    criteria: Criteria<'_>,
) -> Result<Vec<ChildRow>, StorageError> {
    let (src, then) = source(&CHILDREN, revisions);
    // The latest visit: the latest date, then the one received last.
    let sql = format!(
        "SELECT src.body, src.received_at, ch.scope_township AS township, {CHILD_VILLAGE} AS village, \
                lv.visit_date AS latest_date, lv.risk_colour AS latest_colour \
         FROM {src} AS src \
         JOIN children AS ch ON ch.id = src.id \
         LEFT JOIN visits AS lv ON lv.id = ( \
             SELECT id FROM visits WHERE child_id = ch.id \
             ORDER BY visit_date DESC, received_at DESC, id DESC LIMIT 1) \
         WHERE (?1 IS NULL OR ch.scope_township = ?1) \
           AND (?2 IS NULL OR {CHILD_VILLAGE} = ?2) \
           AND (?3 IS NULL OR lv.risk_colour = ?3) \
           AND (?4 IS NULL OR lv.visit_date >= ?4) \
           AND (?5 IS NULL OR lv.visit_date <= ?5) \
           AND (?6 IS NULL OR ch.id = ?6) \
         ORDER BY ch.scope_township, {CHILD_VILLAGE}, ch.name, ch.id{then}"
    );
    let filter = criteria.filter;
    let rows: Vec<ChildColumns> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(filter.township.as_deref())
        .bind(filter.village.as_deref())
        .bind(filter.colour_code())
        .bind(ExportFilter::date_text(filter.from))
        .bind(ExportFilter::date_text(filter.to))
        .bind(criteria.child.map(|id| id.to_string()))
        .fetch_all(pool)
        .await?;
    rows.into_iter()
        .map(|row| {
            let colour = row.latest_colour.as_deref().and_then(RiskColour::from_code);
            let latest_visit = row.latest_date.map(|date| LatestVisit { date: parse_date(&date), colour });
            Ok(ChildRow {
                child: parse_body(&row.body, "child")?,
                received_at: parse_time(&row.received_at, "child")?,
                place: Place { township: row.township, village: row.village },
                latest_visit,
            })
        })
        .collect()
}

/// A visit's row as the query gives it.
#[derive(sqlx::FromRow)]
struct VisitColumns {
    body: String,
    received_at: String,
    township: String,
    village: String,
    child_name: Option<String>,
    visitor: Option<String>,
}

/// A child's row as the query gives it.
#[derive(sqlx::FromRow)]
struct ChildColumns {
    body: String,
    received_at: String,
    township: String,
    village: String,
    latest_date: Option<String>,
    latest_colour: Option<String>,
}

fn parse_body<R: DeserializeOwned>(body: &str, kind: &str) -> Result<R, StorageError> {
    serde_json::from_str(body)
        .map_err(|error| StorageError::Corrupt { what: format!("{kind} body"), detail: error.to_string() })
}

fn parse_time(text: &str, kind: &str) -> Result<DateTime<Utc>, StorageError> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|error| StorageError::Corrupt { what: format!("received_at of a {kind}"), detail: error.to_string() })
}
