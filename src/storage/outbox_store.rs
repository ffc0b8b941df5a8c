//! The outbox as the core engine sees it: [`OutboxStore`] over IndexedDB.

use tongxing_core::outbox::{OutboundRecord, OutboxEntry, OutboxStore, RecordKind, RecordRef};
use tongxing_core::Visit;

use super::database::{get_in, put_in, Durability, OUTBOX, VISITS};
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
        match record.kind {
            RecordKind::Visit => Ok(self.0.get::<Visit>(VISITS, &record.id.to_string()).await?.map(OutboundRecord::Visit)),
        }
    }
}
