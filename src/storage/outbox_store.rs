//! The outbox as the core engine sees it: [`OutboxStore`] over IndexedDB, and the one way
//! saves queue a record.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use indexed_db_futures::transaction::Transaction;
use tongxing_core::case_plan::CasePlan;
use tongxing_core::child::Child;
use tongxing_core::outbox::{EntryOwner, EntryState, OutboundRecord, OutboxEntry, OutboxStore, PhotoUpload, RecordRef};
use tongxing_core::pairing::Pairing;
use tongxing_core::photo::PhotoHash;
use tongxing_core::RecordKind;
use tongxing_core::Visit;

use super::database::{
    all_in, delete_in, get_in, put_in, Durability, CASE_PLANS, CHILDREN, DELIVERED, OUTBOX, PAIRINGS, VISITS,
};
use super::{Database, StorageError};

/// The phone's outbox, for [`tongxing_core::outbox::run_once`].
#[derive(Clone, Debug)]
pub struct OutboxDb(pub Database);

impl OutboxDb {
    /// How many records saved by `owner` have not reached the server yet.
    pub async fn unsent_of(&self, owner: &EntryOwner) -> Result<u32, StorageError> {
        let entries: Vec<OutboxEntry> = self.0.all(OUTBOX).await?;
        Ok(entries.iter().filter(|e| e.owner.as_ref() == Some(owner)).count() as u32)
    }

    /// Before the phone joins as another worker: the entries without an owner (kept before
    /// entries had owners) were saved by `owner`, the worker joined until now, and stay hers.
    pub async fn hand_unowned_to(&self, owner: &EntryOwner) -> Result<(), StorageError> {
        let tx = self.0.write(&[OUTBOX], Durability::Strict)?;
        let entries: Vec<OutboxEntry> = all_in(&tx, OUTBOX).await?;
        for mut entry in entries.into_iter().filter(|e| e.owner.is_none()) {
            entry.claim(Some(owner));
            put_in(&tx, OUTBOX, &entry.record.key(), &entry).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

impl OutboxStore for OutboxDb {
    type Error = StorageError;

    /// The entries not yet delivered; delivered ones are kept apart (see [`store_entry_in`]).
    async fn entries(&self) -> Result<Vec<OutboxEntry>, StorageError> {
        self.0.all(OUTBOX).await
    }

    async fn update_entry<F>(&self, record: RecordRef, change: F) -> Result<Option<OutboxEntry>, StorageError>
    where
        F: FnOnce(&mut OutboxEntry),
    {
        let tx = self.0.write(&[OUTBOX, DELIVERED], Durability::Strict)?;
        let Some(mut entry) = entry_in(&tx, record).await? else {
            return Ok(None);
        };
        change(&mut entry);
        store_entry_in(&tx, &entry).await?;
        tx.commit().await?;
        Ok(Some(entry))
    }

    async fn record(&self, record: RecordRef) -> Result<Option<OutboundRecord>, StorageError> {
        let key = record.id.to_string();
        Ok(match record.kind {
            RecordKind::Visit => self.0.get::<Visit>(VISITS, &key).await?.map(OutboundRecord::Visit),
            RecordKind::Child => self.0.get::<Child>(CHILDREN, &key).await?.map(OutboundRecord::Child),
            RecordKind::Pairing => self.0.get::<Pairing>(PAIRINGS, &key).await?.map(OutboundRecord::Pairing),
            RecordKind::CasePlan => self.0.get::<CasePlan>(CASE_PLANS, &key).await?.map(OutboundRecord::CasePlan),
        })
    }

    async fn photo_upload(&self, hash: &PhotoHash) -> Result<Option<PhotoUpload>, StorageError> {
        self.0.photo_upload(hash).await
    }

    async fn set_photo_upload(&self, hash: &PhotoHash, upload: &PhotoUpload) -> Result<(), StorageError> {
        self.0.set_photo_upload(hash, upload).await
    }

    async fn photo_piece(
        &self,
        hash: &PhotoHash,
        range: std::ops::Range<u64>,
    ) -> Result<Option<Vec<u8>>, StorageError> {
        self.0.photo_piece(hash, range).await
    }
}

/// Queues `revision` of a record inside the save's transaction: a new entry, or the
/// existing one re-queued for the newer revision, as the worker the phone is joined as. The
/// caller commits.
pub(super) async fn queue_in(
    tx: &Transaction<'_>,
    record: RecordRef,
    revision: u32,
    urgent: bool,
    now: DateTime<Utc>,
) -> Result<OutboxEntry, StorageError> {
    // Saved by the worker the phone is joined as now (see `OutboxEntry::claim`).
    let owner = super::enrolment::owner();
    let mut entry = match entry_in(tx, record).await? {
        Some(mut entry) => {
            entry.claim(owner.as_ref());
            entry.requeue(revision, now);
            entry
        }
        None => {
            let mut entry = OutboxEntry::new(record, revision, now);
            entry.claim(owner.as_ref());
            entry
        }
    };
    entry.set_urgent(urgent);
    store_entry_in(tx, &entry).await?;
    Ok(entry)
}

/// A record's entry, delivered or not, inside a transaction over `OUTBOX` and `DELIVERED`.
pub(super) async fn entry_in(tx: &Transaction<'_>, record: RecordRef) -> Result<Option<OutboxEntry>, StorageError> {
    let key = record.key();
    match get_in(tx, OUTBOX, &key).await? {
        Some(entry) => Ok(Some(entry)),
        None => get_in(tx, DELIVERED, &key).await,
    }
}

/// Writes an entry where its state belongs: delivered entries apart from the rest, so that
/// a run reads only what may still need sending. The caller commits.
async fn store_entry_in(tx: &Transaction<'_>, entry: &OutboxEntry) -> Result<(), StorageError> {
    let key = entry.record.key();
    let (home, other) = if entry.state == EntryState::Sent { (DELIVERED, OUTBOX) } else { (OUTBOX, DELIVERED) };
    delete_in(tx, other, &key).await?;
    put_in(tx, home, &key, entry).await
}

/// Every entry, delivered or not, for lists that show each record's state.
pub(super) async fn all_entries_in(tx: &Transaction<'_>) -> Result<Vec<OutboxEntry>, StorageError> {
    let mut entries: Vec<OutboxEntry> = all_in(tx, OUTBOX).await?;
    entries.extend(all_in::<OutboxEntry>(tx, DELIVERED).await?);
    Ok(entries)
}

/// Outbox entries by the record they deliver.
pub(super) fn entries_by_record(entries: Vec<OutboxEntry>) -> HashMap<RecordRef, OutboxEntry> {
    entries.into_iter().map(|entry| (entry.record, entry)).collect()
}
