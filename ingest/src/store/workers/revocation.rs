//! Revoking a phone or an invite: one transaction that finds the row (of one township only,
//! when a supervisor asks: another township's answers as an unknown one), marks it revoked
//! unless it was, and writes the audit row. A phone revoked also loses the data key it left
//! for a recovery, and any recovery issued for it: a revoked phone gets none. A phone is
//! revoked as one whose worker left or as one lost or stolen ([`RevokedAs`]), which the row
//! and the audit row keep.

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, AnyPool, AssertSqlSafe};
use tongxing_core::wire::RevokedAs;
use uuid::Uuid;

use crate::store::audit::{self, Reader};
use crate::store::db::{self, StorageError};
use crate::store::recovery;

/// What revoking (a device or an invite) did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revoked {
    Now,
    Already,
    /// No such id (or, for a supervisor, none of her township).
    Unknown,
}

/// A device or an invite as one township's supervisor (or, for no township, the county)
/// may know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Known, and not revoked.
    Active,
    /// Known, and revoked.
    Revoked,
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
}

/// A revoking to do: a device, as left or lost, or an invite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Revocation {
    Device(RevokedAs),
    Invite,
}

impl Revocation {
    /// What it revokes.
    fn what(self) -> Revocable {
        match self {
            Revocation::Device(_) => Revocable::Device,
            Revocation::Invite => Revocable::Invite,
        }
    }

    /// Its audit row's subject: a device's says how it was revoked (`device <id> as lost`).
    fn subject(self, id: Uuid) -> String {
        match self {
            Revocation::Device(revoked_as) => format!("device {id} as {}", revoked_as.code()),
            Revocation::Invite => format!("invite {id}"),
        }
    }
}

/// Does `revocation` of `id` (of `township` only, when given), and writes `by`'s audit row.
pub(super) async fn revoke(
    pool: &AnyPool,
    revocation: Revocation,
    id: Uuid,
    township: Option<&str>,
    by: &Reader<'_>,
    now: DateTime<Utc>,
) -> Result<Revoked, StorageError> {
    let what = revocation.what();
    let table = what.table();
    let mut tx = db::begin_write(pool).await?;
    match standing(&mut tx, what, id, township).await? {
        Standing::Unknown => return Ok(Revoked::Unknown),
        Standing::Revoked => return Ok(Revoked::Already),
        Standing::Active => {}
    }
    sqlx::query(AssertSqlSafe(format!("UPDATE {table} SET revoked_at = $1 WHERE id = $2")))
        .bind(db::timestamp(now))
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
    if let Revocation::Device(revoked_as) = revocation {
        sqlx::query("UPDATE devices SET revoked_as = $1 WHERE id = $2")
            .bind(revoked_as.code())
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?;
        recovery::forget_device(&mut tx, id).await?;
    }
    audit::record_in(&mut tx, by, what.audit_action(), &revocation.subject(id), None, now).await?;
    tx.commit().await?;
    Ok(Revoked::Now)
}

/// Whether `what` `id` is known (of `township` only, when given: another township's is
/// [`Standing::Unknown`], as an unknown one is), and whether it was revoked.
pub(super) async fn standing(
    conn: &mut AnyConnection,
    what: Revocable,
    id: Uuid,
    township: Option<&str>,
) -> Result<Standing, StorageError> {
    let table = what.table();
    let held: Option<Option<String>> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT revoked_at FROM {table} WHERE id = $1 AND ($2 IS NULL OR township = $2)"
    )))
    .bind(id.to_string())
    .bind(township)
    .fetch_optional(conn)
    .await?;
    Ok(match held {
        None => Standing::Unknown,
        Some(Some(_)) => Standing::Revoked,
        Some(None) => Standing::Active,
    })
}
