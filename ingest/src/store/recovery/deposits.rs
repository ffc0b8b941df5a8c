//! The data keys phones leave for a recovery (`PUT /api/v1/devices/me/recovery-key`): one a
//! device, sealed under the server's [`ServerKey`], found again by its vault's id. A vault is
//! one device's: a worker who joins again from the same space of her phone has a new device,
//! which her vault moves to (the old device's token is no longer on the phone).

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, AnyPool};
use tongxing_core::wire::RecoveryKeyDeposit;
use tongxing_core::Worker;
use uuid::Uuid;

use super::server_key::{SealedKeyError, ServerKey};
use crate::store::audit::{self, Reader};
use crate::store::db::{self, StorageError};
use crate::store::workers::devices::{self, Standing};

/// What a deposit did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deposited {
    /// The device's first key.
    New,
    /// Another vault or key in place of the one the device had left.
    Replaced,
    /// The vault was another device's: the phone joined again, and it is this device's now.
    Moved,
    /// The very key of the very vault was held already: nothing written.
    Unchanged,
}

/// Why a key was not kept.
#[derive(Debug, thiserror::Error)]
pub enum DepositError {
    /// The device was revoked meanwhile.
    #[error("the device was revoked")]
    Revoked,
    #[error(transparent)]
    Sealed(#[from] SealedKeyError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for DepositError {
    fn from(error: sqlx::Error) -> DepositError {
        DepositError::Storage(error.into())
    }
}

/// Keeps `deposit`, the data key of `worker`'s phone, sealed under `server_key`, in place of
/// any it left before, and writes the audit row; the same key of the same vault again
/// changes nothing.
pub async fn deposit(
    pool: &AnyPool,
    server_key: &ServerKey,
    worker: &Worker,
    deposit: &RecoveryKeyDeposit,
    now: DateTime<Utc>,
) -> Result<Deposited, DepositError> {
    let sealed = server_key.seal(worker.id, deposit.vault_id, &deposit.key)?;
    let mut tx = db::begin_write(pool).await?;
    if devices::standing(&mut tx, worker.id, None).await? != Standing::Active {
        return Err(DepositError::Revoked);
    }
    let holder: Option<String> = sqlx::query_scalar("SELECT device_id FROM recovery_keys WHERE vault_id = $1")
        .bind(deposit.vault_id.to_string())
        .fetch_optional(&mut *tx)
        .await?;
    let moved = match holder.and_then(|holder| Uuid::parse_str(&holder).ok()).filter(|holder| *holder != worker.id) {
        Some(earlier) => {
            forget_device(&mut tx, earlier).await?;
            true
        }
        None => false,
    };
    let held = held_key(&mut tx, worker.id).await?;
    let outcome = match held {
        None if moved => Deposited::Moved,
        None => Deposited::New,
        Some((vault, sealed)) if vault == deposit.vault_id => match server_key.open(worker.id, vault, &sealed) {
            Ok(key) if key == deposit.key => return Ok(Deposited::Unchanged),
            _ => Deposited::Replaced,
        },
        Some(_) => Deposited::Replaced,
    };
    sqlx::query(
        "INSERT INTO recovery_keys (device_id, vault_id, sealed_key, deposited_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (device_id) DO UPDATE SET vault_id = excluded.vault_id, sealed_key = excluded.sealed_key, \
         deposited_at = excluded.deposited_at",
    )
    .bind(worker.id.to_string())
    .bind(deposit.vault_id.to_string())
    .bind(&sealed)
    .bind(db::timestamp(now))
    .execute(&mut *tx)
    .await?;
    let reader = Reader { device: Some(worker.id), name: &worker.name };
    let subject = format!("device {}: vault {}", worker.id, deposit.vault_id);
    audit::record_in(&mut tx, &reader, audit::DEPOSIT_RECOVERY_KEY, &subject, None, now).await?;
    tx.commit().await?;
    tracing::info!(device = %worker.id, ?outcome, "data key left for a recovery");
    Ok(outcome)
}

/// The vault and sealed key `device` left, if any.
pub(super) async fn held_key(conn: &mut AnyConnection, device: Uuid) -> Result<Option<(Uuid, Vec<u8>)>, StorageError> {
    let row: Option<(String, Vec<u8>)> =
        sqlx::query_as("SELECT vault_id, sealed_key FROM recovery_keys WHERE device_id = $1")
            .bind(device.to_string())
            .fetch_optional(conn)
            .await?;
    row.map(|(vault, sealed)| {
        let vault = Uuid::parse_str(&vault).map_err(|error| StorageError::Corrupt {
            what: format!("the recovery key of device {device}"),
            detail: error.to_string(),
        })?;
        Ok((vault, sealed))
    })
    .transpose()
}

/// Forgets the key `device` left and any recovery issued for it (when it is revoked), in
/// the transaction that revokes it.
pub async fn forget_device(conn: &mut AnyConnection, device: Uuid) -> Result<(), StorageError> {
    sqlx::query("DELETE FROM recoveries WHERE device_id = $1").bind(device.to_string()).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM recovery_keys WHERE device_id = $1").bind(device.to_string()).execute(&mut *conn).await?;
    Ok(())
}

/// How many devices have left a key.
pub async fn count(pool: &AnyPool) -> Result<u64, StorageError> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM recovery_keys").fetch_one(pool).await?;
    db::count(count, || "recovery keys".to_owned())
}
