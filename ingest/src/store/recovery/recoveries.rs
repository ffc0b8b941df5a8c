//! Recoveries: a supervisor issues one for a phone of her township that left its data key
//! (`POST /api/v1/devices/{id}/recovery`), an eight-digit code of which the database keeps
//! only the hash bound to the phone; the locked phone claims its key with it
//! (`POST /api/v1/recovery`), once, within [`RECOVERY_VALID_FOR`], and a wrong code uses one
//! of [`RECOVERY_TRIES`] tries. A device has at most one recovery: issuing again replaces it.

use chrono::{DateTime, SubsecRound, Utc};
use sqlx::{AnyConnection, AnyPool};
use tongxing_core::vault::{RecoveryCode, RECOVERY_CODE_DIGITS, RECOVERY_TRIES, RECOVERY_VALID_FOR};
use tongxing_core::wire::{HexKey, RecoveryClaim, RecoveryIssued};
use tongxing_core::Worker;
use uuid::Uuid;

use super::deposits::held_key;
use super::server_key::{SealedKeyError, ServerKey};
use crate::store::audit::{self, Reader};
use crate::store::db::{self, StorageError};
use crate::store::workers::devices::{self, Standing};
use crate::store::workers::secret::{self, NoRandomness};

/// How many codes there are (10^8).
const CODES: u32 = 10u32.pow(RECOVERY_CODE_DIGITS as u32);
/// The random numbers a code is drawn from: the largest multiple of [`CODES`] a `u32` holds,
/// so that every code is as likely as any other.
const DRAWN_BELOW: u32 = u32::MAX / CODES * CODES;

/// Why no recovery was issued.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    /// No such device, or one of another township.
    #[error("no device of the supervisor's township has this id")]
    Unknown,
    /// The device was revoked: it gets no recovery.
    #[error("the device was revoked")]
    Revoked,
    /// The device never left its data key, or the server's recovery key no longer opens it.
    #[error("the device left no data key that the server can open")]
    NoKey,
    #[error(transparent)]
    NoRandomness(#[from] NoRandomness),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for IssueError {
    fn from(error: sqlx::Error) -> IssueError {
        IssueError::Storage(error.into())
    }
}

/// Why a claim gave no key back.
#[derive(Debug, thiserror::Error)]
pub enum ClaimError {
    /// One answer for all: no device has this vault, no recovery is open for it (none
    /// issued, lapsed, used, tried too often, or the device was revoked), or the code is
    /// wrong.
    #[error("no open recovery of this vault has this code")]
    Refused,
    /// The code was right, but the key does not open under the server's recovery key (the
    /// key file was replaced): the server's fault, and the recovery stays open.
    #[error(transparent)]
    Unopened(#[from] SealedKeyError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for ClaimError {
    fn from(error: sqlx::Error) -> ClaimError {
        ClaimError::Storage(error.into())
    }
}

/// Issues a recovery for `device`, a phone of `supervisor`'s township that left its data key
/// and is not revoked, in place of any open one, and writes the audit row (never the code).
/// The code is in the answer only.
pub async fn issue(
    pool: &AnyPool,
    server_key: &ServerKey,
    device: Uuid,
    supervisor: &Worker,
    now: DateTime<Utc>,
) -> Result<RecoveryIssued, IssueError> {
    let code = new_code()?;
    let expires_at = (now + RECOVERY_VALID_FOR).trunc_subsecs(3);
    let mut tx = db::begin_write(pool).await?;
    match devices::standing(&mut tx, device, Some(&supervisor.place.township)).await? {
        Standing::Unknown => return Err(IssueError::Unknown),
        Standing::Revoked => return Err(IssueError::Revoked),
        Standing::Active => {}
    }
    let (vault, sealed) = held_key(&mut tx, device).await?.ok_or(IssueError::NoKey)?;
    if let Err(error) = server_key.open(device, vault, &sealed) {
        tracing::error!(%device, %error, "a device's data key does not open: was the recovery key file replaced?");
        return Err(IssueError::NoKey);
    }
    sqlx::query(
        "INSERT INTO recoveries (device_id, code_hash, issued_by, issued_at, expires_at, tries_left, used_at) \
         VALUES ($1, $2, $3, $4, $5, $6, NULL) \
         ON CONFLICT (device_id) DO UPDATE SET code_hash = excluded.code_hash, issued_by = excluded.issued_by, \
         issued_at = excluded.issued_at, expires_at = excluded.expires_at, tries_left = excluded.tries_left, \
         used_at = NULL",
    )
    .bind(device.to_string())
    .bind(code.hash_for(&device.to_string()))
    .bind(supervisor.id.to_string())
    .bind(db::timestamp(now))
    .bind(db::timestamp(expires_at))
    .bind(i64::from(RECOVERY_TRIES))
    .execute(&mut *tx)
    .await?;
    let reader = Reader { device: Some(supervisor.id), name: &supervisor.name };
    let subject = format!("device {device}: until {}", db::timestamp(expires_at));
    audit::record_in(&mut tx, &reader, audit::ISSUE_RECOVERY, &subject, None, now).await?;
    tx.commit().await?;
    tracing::info!(%device, by = %supervisor.id, "recovery issued");
    Ok(RecoveryIssued { code, expires_at })
}

/// Gives back the data key of `claim`'s vault when its code is that of the open recovery of
/// the vault's device, and closes the recovery; a wrong code uses one try, the last one
/// voids it. Each is written to the audit log.
pub async fn claim(
    pool: &AnyPool,
    server_key: &ServerKey,
    claim: &RecoveryClaim,
    now: DateTime<Utc>,
) -> Result<HexKey, ClaimError> {
    // A vault with no open recovery is refused by a plain read: a flood of guesses never
    // takes the write lock that phones' visits wait for.
    {
        let mut conn = pool.acquire().await?;
        open_recovery(&mut conn, claim.vault_id, now).await?.ok_or(ClaimError::Refused)?;
    }
    let mut tx = db::begin_write(pool).await?;
    let open = open_recovery(&mut tx, claim.vault_id, now).await?.ok_or(ClaimError::Refused)?;
    let reader = Reader { device: Some(open.device), name: &open.name };
    if claim.code.hash_for(&open.device.to_string()) != open.code_hash {
        let tries_left = open.tries_left.saturating_sub(1);
        sqlx::query("UPDATE recoveries SET tries_left = $1 WHERE device_id = $2")
            .bind(tries_left)
            .bind(open.device.to_string())
            .execute(&mut *tx)
            .await?;
        let subject = if tries_left == 0 {
            format!("device {}: a wrong recovery code; the recovery is void", open.device)
        } else {
            format!("device {}: a wrong recovery code, {tries_left} tries left", open.device)
        };
        audit::record_in(&mut tx, &reader, audit::RECOVERY_REFUSED, &subject, None, now).await?;
        tx.commit().await?;
        tracing::info!(device = %open.device, tries_left, "a wrong recovery code");
        return Err(ClaimError::Refused);
    }
    let key = server_key.open(open.device, claim.vault_id, &open.sealed_key).inspect_err(|error| {
        tracing::error!(device = %open.device, %error, "a recovered data key does not open: was the recovery key file replaced?");
    })?;
    sqlx::query("UPDATE recoveries SET used_at = $1 WHERE device_id = $2")
        .bind(db::timestamp(now))
        .bind(open.device.to_string())
        .execute(&mut *tx)
        .await?;
    let subject =
        format!("device {}: the recovery issued by device {} at {}", open.device, open.issued_by, open.issued_at);
    audit::record_in(&mut tx, &reader, audit::RECOVER_KEY, &subject, None, now).await?;
    tx.commit().await?;
    tracing::info!(device = %open.device, "data key recovered");
    Ok(key)
}

/// A recovery that may still give its key back.
struct OpenRecovery {
    device: Uuid,
    /// The worker's name, for the audit log.
    name: String,
    sealed_key: Vec<u8>,
    code_hash: String,
    tries_left: i64,
    issued_by: String,
    issued_at: String,
}

/// The open recovery of the device holding `vault`: issued, not used, not lapsed at `now`,
/// tries left, and the device not revoked.
async fn open_recovery(
    conn: &mut AnyConnection,
    vault: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<OpenRecovery>, StorageError> {
    type Row = (String, String, Vec<u8>, String, i64, String, String);
    let row: Option<Row> = sqlx::query_as(
        "SELECT k.device_id, d.name, k.sealed_key, r.code_hash, r.tries_left, r.issued_by, r.issued_at \
         FROM recovery_keys k JOIN devices d ON d.id = k.device_id JOIN recoveries r ON r.device_id = k.device_id \
         WHERE k.vault_id = $1 AND d.revoked_at IS NULL AND r.used_at IS NULL AND r.tries_left > 0 \
         AND r.expires_at > $2",
    )
    .bind(vault.to_string())
    .bind(db::timestamp(now))
    .fetch_optional(conn)
    .await?;
    row.map(|(device, name, sealed_key, code_hash, tries_left, issued_by, issued_at)| {
        let device = Uuid::parse_str(&device).map_err(|error| StorageError::Corrupt {
            what: format!("the recovery of device {device}"),
            detail: error.to_string(),
        })?;
        Ok(OpenRecovery { device, name, sealed_key, code_hash, tries_left, issued_by, issued_at })
    })
    .transpose()
}

/// A new code, every one as likely as any other.
fn new_code() -> Result<RecoveryCode, NoRandomness> {
    loop {
        let drawn = u32::from_le_bytes(secret::random_bytes::<4>()?);
        if drawn < DRAWN_BELOW {
            return Ok(RecoveryCode::from_number(drawn % CODES));
        }
    }
}

#[cfg(test)]
mod tests;
