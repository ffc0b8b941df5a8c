//! The outbox as the core engine sees it: [`OutboxStore`] over IndexedDB, and the one way
//! saves queue a record.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use indexed_db_futures::transaction::Transaction;
use tongxing_core::child::Child;
use tongxing_core::outbox::{OutboundRecord, OutboxEntry, OutboxStore, RecordKind, RecordRef};
use tongxing_core::Visit;

use super::database::{get_in, put_in, Durability, CHILDREN, OUTBOX, VISITS};
use super::{Database, StorageError};

/// The phone's outbox, for [`tongxing_core::outbox::run_once`].
#[derive(Clone, Debug)]
pub struct OutboxDb(pub Database);

impl OutboxStore for OutboxDb {
    type Error = StorageError;

    async fn entries(&self) -> Result<Vec<OutboxEntry>, StorageError> {
        self.0.all(OUTBOX).await
    }

    async fn update_entry<F>(&self, record: RecordRef, change: F) -> Result<Option<OutboxEntry>, StorageError>
    where
        F: FnOnce(&mut OutboxEntry),
    {
        let tx = self.0.write(&[OUTBOX], Durability::Strict)?;
        let Some(mut entry) = get_in::<OutboxEntry>(&tx, OUTBOX, &record.key()).await? else {
            return Ok(None);
        };
        change(&mut entry);
        put_in(&tx, OUTBOX, &record.key(), &entry).await?;
        tx.commit().await?;
        Ok(Some(entry))
    }

    async fn record(&self, record: RecordRef) -> Result<Option<OutboundRecord>, StorageError> {
        let key = record.id.to_string();
        Ok(match record.kind {
            RecordKind::Visit => self.0.get::<Visit>(VISITS, &key).await?.map(OutboundRecord::Visit),
            RecordKind::Child => self.0.get::<Child>(CHILDREN, &key).await?.map(OutboundRecord::Child),
        })
    }
}

/// Queues `revision` of a record inside the save's transaction: a new entry, or the
/// existing one re-queued for the newer revision. The caller commits.
pub(super) async fn queue_in(
    tx: &Transaction<'_>,
    record: RecordRef,
    revision: u32,
    urgent: bool,
    now: DateTime<Utc>,
) -> Result<OutboxEntry, StorageError> {
    let mut entry = match get_in::<OutboxEntry>(tx, OUTBOX, &record.key()).await? {
        Some(mut entry) => {
            entry.requeue(revision, now);
            entry
        }
        None => OutboxEntry::new(record, revision, now),
    };
    entry.set_urgent(urgent);
    put_in(tx, OUTBOX, &record.key(), &entry).await?;
    Ok(entry)
}

/// Outbox entries by the record they deliver.
pub(super) fn entries_by_record(entries: Vec<OutboxEntry>) -> HashMap<RecordRef, OutboxEntry> {
    entries.into_iter().map(|entry| (entry.record, entry)).collect()
}
