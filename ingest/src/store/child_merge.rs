//! One child, not two (一童一档): the supervisor merges a child's file into another file of
//! the same child (`children.merged_into`, migration 0019). In one write transaction the
//! merged file's visits and pairings become new revisions under the file kept (stored as
//! any revision is: history, the changes feed, the audit log), the merged file leaves every
//! list, and its row in the changes feed moves to the end, so that every phone that held it
//! receives the merge and drops it.
//!
//! What arrives later for the merged file goes to the file kept ([`redirected`]): a visit or a
//! pairing of it is stored under the kept file; an edit of the merged file itself is kept
//! aside beside the kept file, for the supervisor's "to reconcile" list. Either way the
//! merge is sent again, so that the phone that sent it drops what it still held.

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, AnyPool, AssertSqlSafe};
use tongxing_core::case_plan::CasePlan;
use tongxing_core::pairing::Pairing;
use tongxing_core::wire::{MergeChildren, MergedChildren};
use tongxing_core::worker::Place;
use tongxing_core::{Visit, Worker};
use uuid::Uuid;

use crate::store::audit::{self, Reader};
use crate::store::change_feed;
use crate::store::db::{self, StorageError};
use crate::store::records::{store_made_here, StoreError, StoredRecord, CHILDREN};

/// Why a merge was not made.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// One of the files is not held, is merged already, or is of another township.
    #[error("no such file to merge in her township")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for MergeError {
    fn from(error: sqlx::Error) -> MergeError {
        MergeError::Store(StoreError::Storage(error.into()))
    }
}

impl From<StorageError> for MergeError {
    fn from(error: StorageError) -> MergeError {
        MergeError::Store(StoreError::Storage(error))
    }
}

/// Merges `pick.merge` into `pick.keep` for `supervisor` (both files of her township, neither
/// merged already); what moved.
pub async fn merge(
    pool: &AnyPool,
    supervisor: &Worker,
    pick: &MergeChildren,
    now: DateTime<Utc>,
) -> Result<MergedChildren, MergeError> {
    let mut tx = db::begin_write(pool).await?;
    let (Some(kept), Some(merged)) = (file_place(&mut tx, pick.keep).await?, file_place(&mut tx, pick.merge).await?)
    else {
        return Err(MergeError::NotFound);
    };
    if !supervisor.place.may_read(&kept) || !supervisor.place.may_read(&merged) {
        return Err(MergeError::NotFound);
    }
    // The moved records are the kept file's place's from now on, stored under her name.
    let acting = Worker { place: kept, ..supervisor.clone() };
    let visits = move_all::<Visit>(&mut tx, pick, &acting, now).await?;
    let pairings = move_all::<Pairing>(&mut tx, pick, &acting, now).await?;
    let plans = move_all::<CasePlan>(&mut tx, pick, &acting, now).await?;
    sqlx::query(AssertSqlSafe(format!("UPDATE {} SET merged_into = $1 WHERE id = $2", CHILDREN.current)))
        .bind(pick.keep.to_string())
        .bind(pick.merge.to_string())
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM possible_duplicates WHERE first_id = $1 OR second_id = $2")
        .bind(pick.merge.to_string())
        .bind(pick.merge.to_string())
        .execute(&mut *tx)
        .await?;
    change_feed::note(&mut tx, CHILDREN, pick.merge, pick.keep, &merged).await?;
    let reader = Reader { device: Some(supervisor.id), name: &supervisor.name };
    let subject = format!(
        "child {} into {}: {visits} visits, {pairings} pairings, {plans} case plans moved",
        pick.merge, pick.keep
    );
    audit::record_in(&mut tx, &reader, audit::MERGE_CHILDREN, &subject, Some(pick.keep), now).await?;
    tx.commit().await?;
    Ok(MergedChildren { child_id: pick.keep, visits, pairings })
}

/// A child's file as held: its place, and the file it went into if it was merged.
struct HeldFile {
    place: Place,
    merged_into: Option<Uuid>,
}

async fn held_file(conn: &mut AnyConnection, child: Uuid) -> Result<Option<HeldFile>, StorageError> {
    let row: Option<(String, String, Option<String>)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT scope_township, scope_village, merged_into FROM {} WHERE id = $1",
        CHILDREN.current
    )))
    .bind(child.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let Some((township, village, merged_into)) = row else { return Ok(None) };
    let merged_into = merged_into
        .map(|id| Uuid::parse_str(&id))
        .transpose()
        .map_err(|e| StorageError::Corrupt { what: format!("child {child} merged_into"), detail: e.to_string() })?;
    Ok(Some(HeldFile { place: Place { township, village }, merged_into }))
}

/// The place of a child's file held and not merged.
async fn file_place(conn: &mut AnyConnection, child: Uuid) -> Result<Option<Place>, StorageError> {
    Ok(held_file(conn, child).await?.filter(|file| file.merged_into.is_none()).map(|file| file.place))
}

/// The child's file a record arrived for, as the server holds it.
pub enum FileHeld<R> {
    /// No such file is held (a new child's file, or a record of no child).
    None,
    /// Held, not merged, for this place.
    At(Place),
    /// Merged into another file since: the record as it is stored instead, a visit or a
    /// pairing of the merged file under the file kept (`child_id`), an edit of the merged
    /// file itself as the kept file's (`id`), to be kept aside.
    Merged(R),
}

/// The file `record` concerns (its child's, or its own for a child's file) as held. When it
/// was merged, the merge goes to the end of the changes feed again (held for the merged
/// file's place), so that the sending phone drops what it still held of the merged file.
pub async fn file_held<R: StoredRecord>(conn: &mut AnyConnection, record: &R) -> Result<FileHeld<R>, StorageError> {
    let (child, field) = match record.parent_id() {
        Some(child) => (child, "child_id"),
        None if record.as_child().is_some() => (record.id(), "id"),
        None => return Ok(FileHeld::None),
    };
    match held_file(&mut *conn, child).await? {
        None => Ok(FileHeld::None),
        Some(HeldFile { place, merged_into: None }) => Ok(FileHeld::At(place)),
        Some(HeldFile { place, merged_into: Some(into) }) => {
            change_feed::note(&mut *conn, CHILDREN, child, into, &place).await?;
            with_field(record, field, serde_json::Value::from(into.to_string())).map(FileHeld::Merged)
        }
    }
}

/// Moves every current record of kind `R` of the merged file to the kept one, each as its
/// next revision; how many.
async fn move_all<R: StoredRecord>(
    tx: &mut AnyConnection,
    pick: &MergeChildren,
    acting: &Worker,
    now: DateTime<Utc>,
) -> Result<u32, MergeError> {
    let bodies: Vec<String> =
        sqlx::query_scalar(AssertSqlSafe(format!("SELECT body FROM {} WHERE child_id = $1", R::TABLE.current)))
            .bind(pick.merge.to_string())
            .fetch_all(&mut *tx)
            .await?;
    for body in &bodies {
        let mut moved: serde_json::Value = serde_json::from_str(body).map_err(|e| StorageError::Corrupt {
            what: format!("{} of child {}", R::TABLE.kind, pick.merge),
            detail: e.to_string(),
        })?;
        let revision = moved["revision"].as_u64().unwrap_or(0).saturating_add(1);
        moved["child_id"] = pick.keep.to_string().into();
        moved["revision"] = revision.into();
        moved["updated_at"] = now.fixed_offset().to_rfc3339().into();
        let moved: R = parse(moved, R::TABLE.kind)?;
        store_made_here(&mut *tx, &moved, acting, now).await?;
    }
    Ok(u32::try_from(bodies.len()).unwrap_or(u32::MAX))
}

/// `record` with one field set to `value`.
fn with_field<R: StoredRecord>(record: &R, field: &str, value: serde_json::Value) -> Result<R, StorageError> {
    let mut json = serde_json::to_value(record).map_err(|e| StorageError::Corrupt {
        what: format!("{} {}", R::TABLE.kind, record.id()),
        detail: e.to_string(),
    })?;
    json[field] = value;
    parse(json, R::TABLE.kind)
}

fn parse<R: StoredRecord>(json: serde_json::Value, kind: &str) -> Result<R, StorageError> {
    serde_json::from_value(json)
        .map_err(|e| StorageError::Corrupt { what: format!("{kind} moved"), detail: e.to_string() })
}
