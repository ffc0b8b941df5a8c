//! Saved visits, and the save that queues them: one transaction writes the visit, queues
//! (or re-queues) its outbox entry and removes its draft.

use chrono::{DateTime, Utc};
use tongxing_core::outbox::{OutboxEntry, RecordRef};
use tongxing_core::Visit;
use uuid::Uuid;

use super::database::{all_in, delete_in, get_in, put_in, Durability, DRAFTS, OUTBOX, VISITS};
use super::{Database, StorageError};

/// A saved visit with its delivery state.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitWithState {
    pub visit: Visit,
    pub entry: Option<OutboxEntry>,
}

impl Database {
    /// Saves a visit as final and queues it for sending, atomically and durably.
    pub async fn save_visit(&self, visit: &Visit, now: DateTime<Utc>) -> Result<OutboxEntry, StorageError> {
        let record = RecordRef::visit(visit.id);
        let tx = self.write(&[DRAFTS, VISITS, OUTBOX], Durability::Strict)?;
        let entry = match get_in::<OutboxEntry>(&tx, OUTBOX, &record.key()).await? {
            Some(mut entry) => {
                entry.requeue(visit.revision, now);
                entry
            }
            None => OutboxEntry::new(record, visit.revision, now),
        };
        put_in(&tx, VISITS, &visit.id.to_string(), visit).await?;
        put_in(&tx, OUTBOX, &record.key(), &entry).await?;
        delete_in(&tx, DRAFTS, &visit.id.to_string()).await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// The newest saved revision of a visit.
    pub async fn visit(&self, id: Uuid) -> Result<Option<Visit>, StorageError> {
        self.get(VISITS, &id.to_string()).await
    }

    /// Every saved visit with its delivery state, newest visit date first.
    pub async fn visits_with_state(&self) -> Result<Vec<VisitWithState>, StorageError> {
        let tx = self.read(&[VISITS, OUTBOX])?;
        let visits: Vec<Visit> = all_in(&tx, VISITS).await?;
        let entries: Vec<OutboxEntry> = all_in(&tx, OUTBOX).await?;
        let mut by_id: std::collections::HashMap<Uuid, OutboxEntry> =
            entries.into_iter().map(|e| (e.record.id, e)).collect();
        let mut list: Vec<VisitWithState> = visits
            .into_iter()
            .map(|visit| {
                let entry = by_id.remove(&visit.id);
                VisitWithState { visit, entry }
            })
            .collect();
        list.sort_by_key(|item| std::cmp::Reverse((item.visit.visit_date, item.visit.updated_at)));
        Ok(list)
    }
}
