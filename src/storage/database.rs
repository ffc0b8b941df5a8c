//! The IndexedDB database: its schema, its upgrades, and the few operations every store
//! uses. Values are kept with out-of-line keys and pass through [`codec`](super::codec).

use indexed_db_futures::database::Database as IdbDatabase;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{Transaction, TransactionDurability, TransactionMode, TransactionOptions};
use indexed_db_futures::KeyRange;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

use tongxing_core::vault::{Place, WorkerSpace};

use super::{codec, StorageError};

/// The schema version; raise it and add an arm to [`upgrade`] to change the schema.
const SCHEMA_VERSION: u32 = 9;

/// Visit drafts being filled in, by visit id.
pub(super) const DRAFTS: &str = "visit_drafts";
/// Saved visits (their newest revision), by visit id.
pub(super) const VISITS: &str = "visit_records";
/// A [`VisitSummary`](tongxing_core::schedule::VisitSummary) of each saved visit, keyed
/// `<child id>/<visit id>` so that one child's are one key range.
pub(super) const SUMMARIES: &str = "visit_summaries";
/// Each child's latest visit, summarised, by child id: what the due list reads, so that it
/// reads one summary per child rather than every visit's.
pub(super) const LATEST: &str = "latest_visits";
/// Children's files (their newest revision), by child id.
pub(super) const CHILDREN: &str = "children";
/// Outbox entries still to deliver or to look at (queued, sending, needs attention), by
/// [`RecordRef::key`](tongxing_core::outbox::RecordRef::key): what every run reads.
pub(super) const OUTBOX: &str = "outbox";
/// Entries the server has confirmed, by the same key: kept for each record's sync state,
/// apart so that runs do not read thousands of them.
pub(super) const DELIVERED: &str = "outbox_delivered";

/// Shrunk photos as `Blob`s, by the SHA-256 of their bytes.
pub(super) const PHOTOS: &str = "photos";
/// How much of each stored photo the server has confirmed
/// ([`PhotoUpload`](tongxing_core::outbox::PhotoUpload)), by the same hash.
pub(super) const PHOTO_UPLOADS: &str = "photo_uploads";

/// Each enrolment's cursor in its server's changes feed (`GET /api/v1/changes?after=`), by
/// device id: written with the page it ends.
pub(super) const RECEIVED: &str = "received_cursor";

/// Who registered each child's file received from the server (the name, as she joined, of
/// the worker whose phone first sent it), by the child's id: the warning of a child typed
/// twice names her.
pub(super) const REGISTRANTS: &str = "child_registrants";

/// Pairings (结对) of love mothers and volunteers with children, by pairing id: received
/// (a director's phone holds her village's, a love mother's her own) and set or ended on
/// this phone, so that a child's page shows them offline.
pub(super) const PAIRINGS: &str = "pairings";

/// Whom the pairings name ([`VillageWorker`](tongxing_core::wire::VillageWorker): her name
/// as she joined and her role), by the worker's device id.
pub(super) const PAIRED_WORKERS: &str = "paired_workers";

/// Case plans (帮扶计划) and mandatory reports' follow-ups, by plan id: received (a
/// director's phone holds her village's) and drafted or changed on this phone.
pub(super) const CASE_PLANS: &str = "case_plans";

/// In the phone's first database, a durable copy of each space's vault (core's
/// `KeptVault`: the wrapped data key, in the clear by design), under its
/// `WorkerSpace::vault_copy_key`: `localStorage` may lose its last writes when the browser
/// is killed, and without the wrapped key nothing sealed could ever be opened.
pub(super) const VAULT: &str = "vault";

/// Every store, for what goes over all of them (sealing what was kept before the PIN).
pub(super) const ALL_STORES: [&str; 14] = [
    OUTBOX,
    DRAFTS,
    VISITS,
    SUMMARIES,
    CHILDREN,
    DELIVERED,
    LATEST,
    PHOTOS,
    PHOTO_UPLOADS,
    RECEIVED,
    REGISTRANTS,
    PAIRINGS,
    PAIRED_WORKERS,
    CASE_PLANS,
];

/// How hard a write insists on reaching the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Durability {
    /// Flushed before the write counts as done: saved visits and outbox state.
    Strict,
    /// Handed to the browser; survives a killed tab, maybe not a power cut: draft autosaves.
    Relaxed,
}

/// An open handle to the phone's database. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Database {
    db: IdbDatabase,
}

impl Database {
    /// Opens (creating or upgrading) the phone's first database: the first worker's space,
    /// and the durable copies of every space's vault.
    pub async fn open() -> Result<Database, StorageError> {
        Database::open_named(WorkerSpace::FIRST_DATABASE).await
    }

    /// Opens a database of another name: tests use a fresh one each.
    pub async fn open_named(name: &str) -> Result<Database, StorageError> {
        let db = IdbDatabase::open(name)
            .with_version(SCHEMA_VERSION)
            .with_on_upgrade_needed(|event, db| {
                let old = event.old_version() as u32;
                upgrade(&db, old)
            })
            .await?;
        Ok(Database { db })
    }

    /// Closes the handle (tests reopen to prove data survives).
    pub fn close(self) {
        self.db.close();
    }

    pub(super) fn read(&self, stores: &[&str]) -> Result<Transaction<'_>, StorageError> {
        Ok(self.db.transaction(stores.to_vec()).with_mode(TransactionMode::Readonly).build()?)
    }

    pub(super) fn write(&self, stores: &[&str], durability: Durability) -> Result<Transaction<'_>, StorageError> {
        let level = match durability {
            Durability::Strict => TransactionDurability::Strict,
            Durability::Relaxed => TransactionDurability::Relaxed,
        };
        Ok(self
            .db
            .transaction(stores.to_vec())
            .with_mode(TransactionMode::Readwrite)
            .with_options(TransactionOptions::new().with_durability(level))
            .build()?)
    }

    /// One value by key.
    pub(super) async fn get<T: DeserializeOwned>(&self, store: &str, key: &str) -> Result<Option<T>, StorageError> {
        let tx = self.read(&[store])?;
        get_in(&tx, store, key).await
    }

    /// Every value of a store.
    pub(super) async fn all<T: DeserializeOwned>(&self, store: &str) -> Result<Vec<T>, StorageError> {
        let tx = self.read(&[store])?;
        all_in(&tx, store).await
    }

    /// Stores one value under `key`, and waits until the transaction has committed.
    pub(super) async fn put<T: Serialize>(
        &self,
        store: &str,
        key: &str,
        value: &T,
        durability: Durability,
    ) -> Result<(), StorageError> {
        let tx = self.write(&[store], durability)?;
        put_in(&tx, store, key, value).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Reads one value inside a transaction.
pub(super) async fn get_in<T: DeserializeOwned>(
    tx: &Transaction<'_>,
    store: &str,
    key: &str,
) -> Result<Option<T>, StorageError> {
    let found: Option<JsValue> = tx.object_store(store)?.get(key).primitive()?.await?;
    found.map(|value| codec::decode(Place::new(store, key), value)).transpose()
}

/// Reads every value of a store inside a transaction.
pub(super) async fn all_in<T: DeserializeOwned>(tx: &Transaction<'_>, store: &str) -> Result<Vec<T>, StorageError> {
    let values = tx.object_store(store)?.get_all::<JsValue>().primitive()?.await?;
    let keys = tx.object_store(store)?.get_all_keys::<JsValue>().primitive()?.await?;
    decode_all(store, keys, values)
}

/// Writes one value inside a transaction; the caller commits.
pub(super) async fn put_in<T: Serialize>(
    tx: &Transaction<'_>,
    store: &str,
    key: &str,
    value: &T,
) -> Result<(), StorageError> {
    let bytes = codec::encode(Place::new(store, key), value)?;
    put_stored_in(tx, store, key, bytes).await
}

/// Writes bytes already sealed for `key` in `store`, inside a transaction.
pub(super) async fn put_stored_in(
    tx: &Transaction<'_>,
    store: &str,
    key: &str,
    stored: JsValue,
) -> Result<(), StorageError> {
    tx.object_store(store)?.put(stored).with_key(key).primitive()?.await?;
    Ok(())
}

/// Reads every value whose key starts with `prefix` inside a transaction.
pub(super) async fn with_prefix_in<T: DeserializeOwned>(
    tx: &Transaction<'_>,
    store: &str,
    prefix: &str,
) -> Result<Vec<T>, StorageError> {
    // Keys are ASCII (UUIDs and separators), so every key with the prefix sorts below
    // the prefix followed by the highest code unit.
    let range = || KeyRange::Bound(prefix.to_owned(), false, format!("{prefix}\u{ffff}"), false);
    let values = tx.object_store(store)?.get_all::<JsValue>().with_query::<String, _>(range()).primitive()?.await?;
    let keys = tx.object_store(store)?.get_all_keys::<JsValue>().with_query::<String, _>(range()).primitive()?.await?;
    decode_all(store, keys, values)
}

/// Every key of a store inside a transaction.
pub(super) async fn keys_in(tx: &Transaction<'_>, store: &str) -> Result<Vec<String>, StorageError> {
    let keys = tx.object_store(store)?.get_all_keys::<JsValue>().primitive()?.await?;
    keys.map(|key| key?.as_string().ok_or_else(|| StorageError::Corrupt("a key is not text".into()))).collect()
}

/// Opens values read with their keys (both in key order, from one transaction).
fn decode_all<T: DeserializeOwned>(
    store: &str,
    keys: impl Iterator<Item = indexed_db_futures::Result<JsValue>>,
    values: impl Iterator<Item = indexed_db_futures::Result<JsValue>>,
) -> Result<Vec<T>, StorageError> {
    keys.zip(values)
        .map(|(key, value)| {
            let key = key?.as_string().ok_or_else(|| StorageError::Corrupt("a key is not text".into()))?;
            codec::decode(Place::new(store, &key), value?)
        })
        .collect()
}

/// Deletes one value inside a transaction; the caller commits.
pub(super) async fn delete_in(tx: &Transaction<'_>, store: &str, key: &str) -> Result<(), StorageError> {
    tx.object_store(store)?.delete(key).primitive()?.await?;
    Ok(())
}

fn upgrade(db: &IdbDatabase, old_version: u32) -> indexed_db_futures::Result<()> {
    // One arm per schema step; a phone several versions behind runs them in order.
    if old_version < 1 {
        db.create_object_store(OUTBOX).build()?;
    }
    // Version 1 (the walking skeleton, never released) kept visits of another shape in
    // `visits` and `drafts`. They stay where they are, untouched; visits now live in new
    // stores, and an outbox entry whose visit is not found there is parked, not dropped.
    if old_version < 2 {
        db.create_object_store(DRAFTS).build()?;
        db.create_object_store(VISITS).build()?;
        db.create_object_store(SUMMARIES).build()?;
        db.create_object_store(CHILDREN).build()?;
    }
    if old_version < 3 {
        db.create_object_store(DELIVERED).build()?;
        db.create_object_store(LATEST).build()?;
    }
    if old_version < 4 {
        db.create_object_store(PHOTOS).build()?;
        db.create_object_store(PHOTO_UPLOADS).build()?;
    }
    if old_version < 5 {
        db.create_object_store(RECEIVED).build()?;
    }
    if old_version < 6 {
        db.create_object_store(VAULT).build()?;
    }
    if old_version < 7 {
        db.create_object_store(REGISTRANTS).build()?;
    }
    if old_version < 8 {
        db.create_object_store(PAIRINGS).build()?;
        db.create_object_store(PAIRED_WORKERS).build()?;
    }
    if old_version < 9 {
        db.create_object_store(CASE_PLANS).build()?;
    }
    Ok(())
}
