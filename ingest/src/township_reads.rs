//! What a township supervisor reads: her township's children and visits, a page at a time,
//! and one child's whole file. Records belong to a township by the place of the phone that
//! sent them (`scope_township`, `scope_village`).

use chrono::NaiveDate;
use sqlx::{QueryBuilder, Sqlite, SqlitePool};
use tongxing_core::wire::{ChildFile, ChildListing, ListFilter, VisitListing};
use tongxing_core::wire::Page;
use tongxing_core::worker::Place;
use tongxing_core::{RiskColour, Visit};
use uuid::Uuid;

use crate::db::StorageError;

/// Why a child's file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum FileReadError {
    #[error("no child has this id")]
    NotFound,
    #[error("the child belongs to another township")]
    OutOfScope,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for FileReadError {
    fn from(error: sqlx::Error) -> FileReadError {
        FileReadError::Storage(error.into())
    }
}

/// The children's latest visits, one row per child: `child_id`, `risk_colour`, `visit_date`.
const LATEST_VISITS: &str = "WITH latest AS (\
     SELECT child_id, risk_colour, visit_date, \
     ROW_NUMBER() OVER (PARTITION BY child_id ORDER BY visit_date DESC, received_at DESC, id DESC) AS nth \
     FROM visits WHERE scope_township = ";

/// A child's row with its latest visit's colour and date: only what the list shows.
#[derive(sqlx::FromRow)]
struct ChildRow {
    id: String,
    name: String,
    scope_village: String,
    risk_colour: Option<String>,
    visit_date: Option<String>,
}

/// A page of the township's children, by village then name.
pub async fn children(pool: &SqlitePool, township: &str, filter: &ListFilter) -> Result<Page<ChildListing>, StorageError> {
    let build = |select: &str| {
        let mut query = QueryBuilder::<Sqlite>::new(LATEST_VISITS);
        query.push_bind(township.to_owned());
        query.push(") SELECT ").push(select).push(
            " FROM children c LEFT JOIN latest l ON l.child_id = c.id AND l.nth = 1 WHERE c.scope_township = ",
        );
        query.push_bind(township.to_owned());
        if let Some(village) = &filter.village {
            query.push(" AND c.scope_village = ").push_bind(village.clone());
        }
        if let Some(colour) = filter.colour {
            query.push(" AND l.risk_colour = ").push_bind(colour.code());
        }
        push_dates(&mut query, "l.visit_date", filter);
        query
    };
    let total: i64 = build("COUNT(*)").build_query_scalar().fetch_one(pool).await?;
    let mut page = build("c.id, c.name, c.scope_village, l.risk_colour, l.visit_date");
    page.push(" ORDER BY c.scope_village, c.name, c.id");
    push_page(&mut page, filter);
    let rows: Vec<ChildRow> = page.build_query_as().fetch_all(pool).await?;
    let items = rows
        .into_iter()
        .map(|row| {
            Ok(ChildListing {
                id: parse_id(&row.id)?,
                name: row.name,
                village: row.scope_village,
                risk_colour: row.risk_colour.as_deref().and_then(RiskColour::from_code),
                last_visit_date: row.visit_date.as_deref().and_then(|d| d.parse::<NaiveDate>().ok()),
            })
        })
        .collect::<Result<_, StorageError>>()?;
    Ok(Page { items, page: filter.page(), per_page: filter.per_page(), total: count(total) })
}

/// A page of the township's visits, the latest visit date first.
pub async fn visits(pool: &SqlitePool, township: &str, filter: &ListFilter) -> Result<Page<VisitListing>, StorageError> {
    let build = |select: &str| {
        let mut query = QueryBuilder::<Sqlite>::new("SELECT ");
        query.push(select).push(" FROM visits WHERE scope_township = ").push_bind(township.to_owned());
        if let Some(village) = &filter.village {
            query.push(" AND scope_village = ").push_bind(village.clone());
        }
        if let Some(colour) = filter.colour {
            query.push(" AND risk_colour = ").push_bind(colour.code());
        }
        push_dates(&mut query, "visit_date", filter);
        query
    };
    let total: i64 = build("COUNT(*)").build_query_scalar().fetch_one(pool).await?;
    let mut page = build("body, scope_village");
    page.push(" ORDER BY visit_date DESC, id");
    push_page(&mut page, filter);
    let rows: Vec<(String, String)> = page.build_query_as().fetch_all(pool).await?;
    // The line is read from the whole visit here, on the server; only the line leaves it.
    let items = rows
        .into_iter()
        .map(|(body, village)| Ok(VisitListing::of(&parse_body::<Visit>(&body, "visit")?, village)))
        .collect::<Result<_, StorageError>>()?;
    Ok(Page { items, page: filter.page(), per_page: filter.per_page(), total: count(total) })
}

/// One child's file and every visit to the child, the latest first, if the child belongs to
/// a township `reader` may read (core's [`Place::may_read`]).
pub async fn child_file(pool: &SqlitePool, reader: &Place, id: Uuid) -> Result<ChildFile, FileReadError> {
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT body, scope_township, scope_village FROM children WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(pool)
            .await?;
    let (body, township, village) = row.ok_or(FileReadError::NotFound)?;
    if !reader.may_read(&Place { township: township.clone(), village: village.clone() }) {
        return Err(FileReadError::OutOfScope);
    }
    let bodies: Vec<String> =
        sqlx::query_scalar("SELECT body FROM visits WHERE child_id = ? ORDER BY visit_date DESC, received_at DESC, id")
            .bind(id.to_string())
            .fetch_all(pool)
            .await?;
    let visits = bodies.iter().map(|body| parse_body::<Visit>(body, "visit")).collect::<Result<_, _>>()?;
    Ok(ChildFile { child: parse_body(&body, "child")?, village, township, visits })
}

fn push_dates(query: &mut QueryBuilder<Sqlite>, column: &str, filter: &ListFilter) {
    if let Some(from) = filter.from {
        query.push(format_args!(" AND {column} >= ")).push_bind(from.to_string());
    }
    if let Some(to) = filter.to {
        query.push(format_args!(" AND {column} <= ")).push_bind(to.to_string());
    }
}

fn push_page(query: &mut QueryBuilder<Sqlite>, filter: &ListFilter) {
    query.push(" LIMIT ").push_bind(i64::from(filter.per_page()));
    query.push(" OFFSET ").push_bind(i64::try_from(filter.offset()).unwrap_or(i64::MAX));
}

fn count(total: i64) -> u64 {
    u64::try_from(total).unwrap_or(0)
}

fn parse_body<T: serde::de::DeserializeOwned>(body: &str, what: &str) -> Result<T, StorageError> {
    serde_json::from_str(body).map_err(|e| StorageError::Corrupt { what: format!("a stored {what}"), detail: e.to_string() })
}

fn parse_id(text: &str) -> Result<Uuid, StorageError> {
    text.parse().map_err(|e: uuid::Error| StorageError::Corrupt { what: "a stored child's id".into(), detail: e.to_string() })
}
