//! Drafts: the visit form as it is being filled in, saved on every change.

use tongxing_core::VisitDraft;
use uuid::Uuid;

use super::database::{delete_in, Durability, DRAFTS};
use super::{Database, StorageError};

impl Database {
    /// Stores the draft (called within a second of every change).
    pub async fn put_draft(&self, draft: &VisitDraft) -> Result<(), StorageError> {
        self.put(DRAFTS, &draft.id.to_string(), draft, Durability::Relaxed).await
    }

    /// The draft of a visit, if one is open.
    pub async fn draft(&self, id: Uuid) -> Result<Option<VisitDraft>, StorageError> {
        self.get(DRAFTS, &id.to_string()).await
    }

    /// Every open draft, newest change first.
    pub async fn drafts(&self) -> Result<Vec<VisitDraft>, StorageError> {
        let mut drafts: Vec<VisitDraft> = self.all(DRAFTS).await?;
        drafts.sort_by_key(|d| std::cmp::Reverse(d.edited_at));
        Ok(drafts)
    }

    /// Throws away a draft (the saved visit, if any, is untouched).
    pub async fn discard_draft(&self, id: Uuid) -> Result<(), StorageError> {
        let tx = self.write(&[DRAFTS], Durability::Strict)?;
        delete_in(&tx, DRAFTS, &id.to_string()).await?;
        tx.commit().await?;
        Ok(())
    }
}
