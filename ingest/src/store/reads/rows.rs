//! A record as a read gives it: the record, when it was received, its place, and what its
//! row needs beside it. One way to read a stored body and a stored time.

use chrono::{DateTime, NaiveDate, Utc};
use serde::de::DeserializeOwned;
use tongxing_core::case_plan::CasePlan;
use tongxing_core::child::Child;
use tongxing_core::form::parse_date;
use tongxing_core::worker::Place;
use tongxing_core::{RiskColour, Visit};

use crate::store::db::StorageError;

/// A visit as a list or an export shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitRow {
    pub visit: Visit,
    /// When the server received this revision (for a conflict: this body, first).
    pub received_at: DateTime<Utc>,
    /// Whose the visit is (see [`super`]).
    pub place: Place,
    /// The child's name, when the child's file is on the server.
    pub child_name: Option<String>,
    /// The name (as she joined) of the worker who made the visit: whose phone sent its first
    /// revision, when it was enrolled.
    pub visitor: Option<String>,
}

/// A child's file as a list or an export shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildRow {
    pub child: Child,
    /// When the server received this revision (for a conflict: this body, first).
    pub received_at: DateTime<Utc>,
    /// Whose the file is (see [`super`]).
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

/// A visit's row as the query gives it.
#[derive(sqlx::FromRow)]
pub(super) struct VisitColumns {
    body: String,
    received_at: String,
    township: String,
    village: String,
    child_name: Option<String>,
    visitor: Option<String>,
}

impl TryFrom<VisitColumns> for VisitRow {
    type Error = StorageError;

    fn try_from(row: VisitColumns) -> Result<VisitRow, StorageError> {
        Ok(VisitRow {
            visit: parse_body(&row.body, "visit")?,
            received_at: parse_time(&row.received_at, "visit")?,
            place: Place { township: row.township, village: row.village },
            child_name: row.child_name,
            visitor: row.visitor,
        })
    }
}

/// A case plan as an export shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct CasePlanRow {
    pub plan: CasePlan,
    /// When the server received this revision (for a conflict: this body, first).
    pub received_at: DateTime<Utc>,
    /// Whose the plan is (see [`super`]).
    pub place: Place,
    /// The child's name, when the child's file is on the server.
    pub child_name: Option<String>,
}

/// A case plan's row as the query gives it.
#[derive(sqlx::FromRow)]
pub(super) struct CasePlanColumns {
    body: String,
    received_at: String,
    township: String,
    village: String,
    child_name: Option<String>,
}

impl TryFrom<CasePlanColumns> for CasePlanRow {
    type Error = StorageError;

    fn try_from(row: CasePlanColumns) -> Result<CasePlanRow, StorageError> {
        Ok(CasePlanRow {
            plan: parse_body(&row.body, "case plan")?,
            received_at: parse_time(&row.received_at, "case plan")?,
            place: Place { township: row.township, village: row.village },
            child_name: row.child_name,
        })
    }
}

/// A child's row as the query gives it.
#[derive(sqlx::FromRow)]
pub(super) struct ChildColumns {
    body: String,
    received_at: String,
    township: String,
    village: String,
    latest_date: Option<String>,
    latest_colour: Option<String>,
}

impl TryFrom<ChildColumns> for ChildRow {
    type Error = StorageError;

    fn try_from(row: ChildColumns) -> Result<ChildRow, StorageError> {
        let colour = row.latest_colour.as_deref().and_then(RiskColour::from_code);
        Ok(ChildRow {
            child: parse_body(&row.body, "child")?,
            received_at: parse_time(&row.received_at, "child")?,
            place: Place { township: row.township, village: row.village },
            latest_visit: row.latest_date.map(|date| LatestVisit { date: parse_date(&date), colour }),
        })
    }
}

/// A stored record's body.
pub fn parse_body<R: DeserializeOwned>(body: &str, kind: &str) -> Result<R, StorageError> {
    serde_json::from_str(body)
        .map_err(|error| StorageError::Corrupt { what: format!("a stored {kind}'s body"), detail: error.to_string() })
}

/// A stored moment (RFC 3339).
fn parse_time(text: &str, kind: &str) -> Result<DateTime<Utc>, StorageError> {
    DateTime::parse_from_rfc3339(text).map(|at| at.with_timezone(&Utc)).map_err(|error| StorageError::Corrupt {
        what: format!("when a {kind} was received"),
        detail: error.to_string(),
    })
}
