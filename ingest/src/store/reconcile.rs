//! The supervisor reconciles an edit of a child's file kept aside as a conflict: the version
//! she keeps (the file as it stands, or the edit kept aside) becomes the file's next revision,
//! stored as any revision is (history, the changes feed, so every phone of the child
//! receives it, and the audit log), and the kept-aside row notes when, by whom and which.

use chrono::{DateTime, Utc};
use sqlx::{AnyPool, AssertSqlSafe};
use tongxing_core::arrival::Arrival;
use tongxing_core::child::Child;
use tongxing_core::wire::{Reconcile, ReconcileChoice};
use tongxing_core::worker::Place;
use tongxing_core::Worker;
use uuid::Uuid;

use crate::store::audit::{self, Reader};
use crate::store::db::{self, StorageError};
use crate::store::records::{store_in, StoreError, CHILDREN};

/// Why a pick was not stored.
#[derive(Debug, thiserror::Error)]
pub enum ReconcileError {
    /// No such edit kept aside in her township, or it was reconciled already.
    #[error("no such edit to reconcile")]
    NotFound,
    /// The file changed since she looked: the revision it now stands at.
    #[error("the file is at revision {0} now")]
    Stale(u32),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<StorageError> for ReconcileError {
    fn from(error: StorageError) -> ReconcileError {
        ReconcileError::Store(StoreError::Storage(error))
    }
}

impl From<sqlx::Error> for ReconcileError {
    fn from(error: sqlx::Error) -> ReconcileError {
        StorageError::from(error).into()
    }
}

/// Keeps `pick` of the kept-aside edit `id` as the next revision of its child's file, for
/// `supervisor` (of the file's township), in one write transaction; the child's id and how
/// the revision landed.
pub async fn reconcile(
    pool: &AnyPool,
    supervisor: &Worker,
    id: i64,
    pick: &Reconcile,
    now: DateTime<Utc>,
) -> Result<(Uuid, Arrival), ReconcileError> {
    let mut tx = db::begin_write(pool).await?;
    let row: Option<(String, i64, String, String, String)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT k.body, ch.revision, ch.body, ch.scope_township, ch.scope_village \
         FROM {conflicts} AS k JOIN {current} AS ch ON ch.id = k.id \
         WHERE k.rowid = $1 AND k.reconciled_at IS NULL AND ch.merged_into IS NULL",
        conflicts = CHILDREN.conflicts,
        current = CHILDREN.current,
    )))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((kept_body, held_revision, held_body, township, village)) = row else {
        return Err(ReconcileError::NotFound);
    };
    let place = Place { township, village };
    if !supervisor.place.may_read(&place) {
        return Err(ReconcileError::NotFound);
    }
    let held_revision = u32::try_from(held_revision).unwrap_or(u32::MAX);
    if held_revision != pick.held_revision {
        return Err(ReconcileError::Stale(held_revision));
    }
    let (chosen, kept) = match pick.keep {
        ReconcileChoice::Held => (held_body, "held"),
        ReconcileChoice::KeptAside => (kept_body, "kept_aside"),
    };
    let chosen: Child = serde_json::from_str(&chosen)
        .map_err(|e| StorageError::Corrupt { what: format!("conflict {id}"), detail: e.to_string() })?;
    let next = Child { revision: held_revision.saturating_add(1), updated_at: now.fixed_offset(), ..chosen };
    // Stored for the file's own place (a supervisor has no village), under her name.
    let acting = Worker { place, ..supervisor.clone() };
    let arrival = store_in(&mut tx, &next, &acting, now).await?;
    sqlx::query(AssertSqlSafe(format!(
        "UPDATE {} SET reconciled_at = $1, reconciled_by = $2, kept = $3 WHERE rowid = $4",
        CHILDREN.conflicts
    )))
    .bind(now.to_rfc3339())
    .bind(supervisor.id.to_string())
    .bind(kept)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let reader = Reader { device: Some(supervisor.id), name: &supervisor.name };
    let subject = format!("conflict {id} of child {}: kept {kept} as revision {}", next.id, next.revision);
    audit::record_in(&mut tx, &reader, audit::RECONCILE_CHILD, &subject, Some(next.id), now).await?;
    tx.commit().await?;
    Ok((next.id, arrival))
}
