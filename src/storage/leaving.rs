//! Leaving the phone (handing it on, or leaving the job): once every record of the open
//! space has reached the server, everything Tongxing keeps of that worker in this browser is
//! deleted: every store of her database, her vault's durable copy, and her keys in
//! `localStorage` (the enrolment and its token, the vault; the settings too, when nobody else
//! uses the phone); the key in memory is forgotten. Other workers' spaces, and the service
//! worker's copy of the app itself, stay.

use gloo_storage::{LocalStorage, Storage};
use tongxing_core::outbox::{LeavingRefused, OutboxStore, Summary};
use tongxing_core::vault::SpaceKey;

use super::database::{Durability, ALL_STORES};
use super::{Database, OutboxDb, StorageError};
use crate::vault;

/// Every key the app keeps in `localStorage` begins with this.
const KEY_PREFIX: &str = "tongxing.";

impl Database {
    /// Whether the worker may leave the phone: every record in her space, whoever of its
    /// enrolments saved it, has reached the server.
    pub async fn may_leave(&self) -> Result<Result<(), LeavingRefused>, StorageError> {
        Ok(Summary::of(&OutboxDb(self.clone()).entries().await?).may_leave())
    }

    /// Empties every store of her records, in one transaction.
    async fn clear_records(&self) -> Result<(), StorageError> {
        let tx = self.write(&ALL_STORES, Durability::Strict)?;
        for store in &ALL_STORES {
            tx.object_store(store)?.clear()?.await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Deletes everything Tongxing keeps of the open space in this browser: `db`'s stores where
/// the app has her database (the oversight app has none), her vault's copy, and her keys in
/// `localStorage`. The caller has checked [`Database::may_leave`].
pub async fn leave_phone(db: Option<&Database>) -> Result<(), StorageError> {
    let space = vault::space();
    if let Some(db) = db {
        db.clear_records().await?;
    }
    // The file kept for the service worker, if any: it is sealed to the county, but hers.
    if let Some(enrolled) = super::enrolment::load() {
        super::background_file::remove(enrolled.worker.id).await?;
    }
    Database::open().await?.forget_vault(space).await?;
    let storage = LocalStorage::raw();
    let alone = vault::on_phone().iter().all(|on| on.space == space);
    let keys: Vec<String> = match alone {
        true => (0..storage.length().unwrap_or(0))
            .filter_map(|i| storage.key(i).ok().flatten())
            .filter(|key| key.starts_with(KEY_PREFIX))
            .collect(),
        false => SpaceKey::ALL.iter().map(|what| space.key(*what)).collect(),
    };
    for key in keys {
        storage.remove_item(&key).map_err(|_| StorageError::Failed(format!("could not remove {key}")))?;
    }
    vault::lock();
    Ok(())
}
