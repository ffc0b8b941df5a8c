//! One child's whole file, and where a child belongs.

use sqlx::{AnyPool, AssertSqlSafe};
use tongxing_core::pairing::Pairing;
use tongxing_core::wire::ChildFile;
use tongxing_core::worker::Place;
use tongxing_core::Visit;
use uuid::Uuid;

use super::rows::parse_body;
use super::sql::{CHILD_VILLAGE, NOT_MERGED};
use crate::store::db::StorageError;
use crate::store::workers::pairable;

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

/// Where the child belongs: its file's place (see [`super`]); `None` when the server holds
/// no file of the child, even if it holds visits to it (they are in the visit lists and
/// exports, under their own place). A supervisor's reads of one child (its file, its
/// archive) check this against her own place.
pub async fn child_place(pool: &AnyPool, child: Uuid) -> Result<Option<Place>, StorageError> {
    let place: Option<(String, String)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT ch.scope_township, {CHILD_VILLAGE} FROM children AS ch WHERE ch.id = $1 AND {NOT_MERGED}"
    )))
    .bind(child.to_string())
    .fetch_optional(pool)
    .await?;
    Ok(place.map(|(township, village)| Place { township, village }))
}

/// One child's file and every visit to the child, the latest first, if the child belongs to
/// a township `reader` may read (core's [`Place::may_read`]).
pub async fn child_file(pool: &AnyPool, reader: &Place, child: Uuid) -> Result<ChildFile, FileReadError> {
    // The file and its place in one read (the place by the rule of `child_place`).
    let row: Option<(String, String, String)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT ch.body, ch.scope_township, {CHILD_VILLAGE} FROM children AS ch WHERE ch.id = $1 AND {NOT_MERGED}"
    )))
    .bind(child.to_string())
    .fetch_optional(pool)
    .await?;
    let (body, township, village) = row.ok_or(FileReadError::NotFound)?;
    let place = Place { township, village };
    if !reader.may_read(&place) {
        return Err(FileReadError::OutOfScope);
    }
    let bodies: Vec<String> = sqlx::query_scalar(
        "SELECT body FROM visits WHERE child_id = $1 ORDER BY visit_date DESC, received_at DESC, id DESC",
    )
    .bind(child.to_string())
    .fetch_all(pool)
    .await?;
    let visits = bodies.iter().map(|body| parse_body::<Visit>(body, "visit")).collect::<Result<_, _>>()?;
    let bodies: Vec<String> =
        sqlx::query_scalar("SELECT body FROM pairings WHERE child_id = $1 AND active = 1 ORDER BY updated_at, id")
            .bind(child.to_string())
            .fetch_all(pool)
            .await?;
    let pairings: Vec<Pairing> =
        bodies.iter().map(|body| parse_body::<Pairing>(body, "pairing")).collect::<Result<_, _>>()?;
    let named: Vec<Uuid> = pairings.iter().map(|pairing| pairing.worker_id).collect();
    let paired_workers = pairable::named(pool, &named).await?;
    let case_plans = super::case_plans_of_child(pool, child).await?;
    Ok(ChildFile {
        child: parse_body(&body, "child")?,
        village: place.village,
        township: place.township,
        visits,
        pairings,
        paired_workers,
        case_plans,
    })
}
