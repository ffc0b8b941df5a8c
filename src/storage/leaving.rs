//! Leaving the phone (handing it on, or leaving the job): once every record on it has
//! reached the server, everything Tongxing keeps in this browser is deleted: every store of
//! the database (the vault's copy too) and every key of the app in `localStorage` (the
//! enrolment and its token, the vault, the settings); the key in memory is forgotten. The
//! service worker's copy of the app itself stays.

use gloo_storage::{LocalStorage, Storage};
use tongxing_core::outbox::{LeavingRefused, OutboxStore, Summary};

use super::database::{Durability, ALL_STORES, VAULT};
use super::{Database, OutboxDb, StorageError};
use crate::vault;

/// Every key the app keeps in `localStorage` begins with this.
const KEY_PREFIX: &str = "tongxing.";

impl Database {
    /// Whether the phone may be left: every record on it, whoever of its workers saved it,
    /// has reached the server.
    pub async fn may_leave(&self) -> Result<Result<(), LeavingRefused>, StorageError> {
        Ok(Summary::of(&OutboxDb(self.clone()).entries().await?).may_leave())
    }

    /// Empties every store, in one transaction.
    async fn clear_everything(&self) -> Result<(), StorageError> {
        let mut stores = ALL_STORES.to_vec();
        stores.push(VAULT);
        let tx = self.write(&stores, Durability::Strict)?;
        for store in &stores {
            tx.object_store(store)?.clear()?.await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Deletes everything Tongxing keeps in this browser: `db`'s stores where the app has a
/// database (the oversight app has none), and its keys in `localStorage`. The caller has
/// checked [`Database::may_leave`].
pub async fn leave_phone(db: Option<&Database>) -> Result<(), StorageError> {
    if let Some(db) = db {
        db.clear_everything().await?;
    }
    let storage = LocalStorage::raw();
    let length = storage.length().unwrap_or(0);
    let keys: Vec<String> = (0..length).filter_map(|i| storage.key(i).ok().flatten()).collect();
    for key in keys.iter().filter(|key| key.starts_with(KEY_PREFIX)) {
        storage.remove_item(key).map_err(|_| StorageError::Failed(format!("could not remove {key}")))?;
    }
    vault::lock();
    Ok(())
}
