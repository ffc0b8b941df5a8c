//! Revoking a phone or an invite: one transaction that finds the row (of one township only,
//! when a supervisor asks: another township's answers as an unknown one), marks it revoked
//! unless it was, and writes the audit row.

use chrono::{DateTime, Utc};
use sqlx::{AssertSqlSafe, SqlitePool};
use uuid::Uuid;

use crate::store::audit::{self, Reader};
use crate::store::db::{self, StorageError};

/// What revoking (a device or an invite) did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revoked {
    Now,
    Already,
    /// No such id (or, for a supervisor, none of her township).
    Unknown,
}

/// What can be revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Revocable {
    Device,
    Invite,
}

impl Revocable {
    /// Its table: a fixed identifier of this crate, never from a request.
    fn table(self) -> &'static str {
        match self {
            Revocable::Device => "devices",
            Revocable::Invite => "invites",
        }
    }

    fn audit_action(self) -> &'static str {
        match self {
            Revocable::Device => audit::REVOKE_DEVICE,
            Revocable::Invite => audit::REVOKE_INVITE,
        }
    }

    fn subject(self, id: Uuid) -> String {
        match self {
            Revocable::Device => format!("device {id}"),
            Revocable::Invite => format!("invite {id}"),
        }
    }
}

/// Revokes `what` `id` (of `township` only, when given), and writes `by`'s audit row.
pub(super) async fn revoke(
    pool: &SqlitePool,
    what: Revocable,
    id: Uuid,
    township: Option<&str>,
    by: &Reader<'_>,
    now: DateTime<Utc>,
) -> Result<Revoked, StorageError> {
    let table = what.table();
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let held: Option<Option<String>> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT revoked_at FROM {table} WHERE id = ?1 AND (?2 IS NULL OR township = ?2)"
    )))
    .bind(id.to_string())
    .bind(township)
    .fetch_optional(&mut *tx)
    .await?;
    match held {
        None => return Ok(Revoked::Unknown),
        Some(Some(_)) => return Ok(Revoked::Already),
        Some(None) => {}
    }
    sqlx::query(AssertSqlSafe(format!("UPDATE {table} SET revoked_at = ? WHERE id = ?")))
        .bind(db::timestamp(now))
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
    audit::record_in(&mut tx, by, what.audit_action(), &what.subject(id), None, now).await?;
    tx.commit().await?;
    Ok(Revoked::Now)
}
