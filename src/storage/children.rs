//! Children's files (一童一档), and the save that queues them: one transaction writes the
//! file and queues (or re-queues) its outbox entry.

use chrono::{DateTime, Utc};
use tongxing_core::child::Child;
use tongxing_core::outbox::{OutboxEntry, RecordRef};
use uuid::Uuid;

use super::database::{all_in, get_in, keys_in, put_in, Durability, CHILDREN, DELIVERED, OUTBOX, REGISTRANTS};
use super::outbox_store::{all_entries_in, entries_by_record, entry_in, queue_in};
use super::{Database, StorageError};

/// A child's file with its delivery state.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildRow {
    pub child: Child,
    pub entry: Option<OutboxEntry>,
}

impl Database {
    /// Saves a child's file and queues it for sending, atomically and durably.
    pub async fn save_child(&self, child: &Child, now: DateTime<Utc>) -> Result<OutboxEntry, StorageError> {
        let tx = self.write(&[CHILDREN, OUTBOX, DELIVERED], Durability::Strict)?;
        put_in(&tx, CHILDREN, &child.id.to_string(), child).await?;
        let entry = queue_in(&tx, RecordRef::child(child.id), child.revision, false, now).await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// The newest saved revision of a child's file.
    pub async fn child(&self, id: Uuid) -> Result<Option<Child>, StorageError> {
        self.get(CHILDREN, &id.to_string()).await
    }

    /// Who registered each child's file received from the server, by the child's id.
    pub async fn registrants(&self) -> Result<std::collections::HashMap<Uuid, String>, StorageError> {
        let tx = self.read(&[REGISTRANTS])?;
        let keys = keys_in(&tx, REGISTRANTS).await?;
        let names: Vec<String> = all_in(&tx, REGISTRANTS).await?;
        Ok(keys.iter().zip(names).filter_map(|(key, name)| Some((Uuid::parse_str(key).ok()?, name))).collect())
    }

    /// Every child's file, by name.
    pub async fn children(&self) -> Result<Vec<Child>, StorageError> {
        let mut children: Vec<Child> = self.all(CHILDREN).await?;
        children.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        Ok(children)
    }

    /// Every child's file with its delivery state, by name.
    pub async fn children_with_state(&self) -> Result<Vec<ChildRow>, StorageError> {
        let tx = self.read(&[CHILDREN, OUTBOX, DELIVERED])?;
        let mut children: Vec<Child> = all_in(&tx, CHILDREN).await?;
        let mut entries = entries_by_record(all_entries_in(&tx).await?);
        children.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        Ok(children
            .into_iter()
            .map(|child| {
                let entry = entries.remove(&RecordRef::child(child.id));
                ChildRow { child, entry }
            })
            .collect())
    }

    /// One child's file with its delivery state.
    pub async fn child_row(&self, id: Uuid) -> Result<Option<ChildRow>, StorageError> {
        let tx = self.read(&[CHILDREN, OUTBOX, DELIVERED])?;
        let Some(child) = get_in::<Child>(&tx, CHILDREN, &id.to_string()).await? else { return Ok(None) };
        let entry = entry_in(&tx, RecordRef::child(id)).await?;
        Ok(Some(ChildRow { child, entry }))
    }

    /// Whether a child's file exists (the visit screen checks the one it was handed).
    pub async fn has_child(&self, id: Uuid) -> Result<bool, StorageError> {
        let tx = self.read(&[CHILDREN])?;
        Ok(get_in::<Child>(&tx, CHILDREN, &id.to_string()).await?.is_some())
    }
}
