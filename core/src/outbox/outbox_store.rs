//! Where a run of the outbox reads and keeps its entries, records and photos: IndexedDB in
//! the app, a map in native tests.

use super::{OutboundRecord, OutboxEntry, PhotoUpload, RecordRef};
use crate::photo::PhotoHash;

/// Where the outbox and its records are kept.
#[allow(async_fn_in_trait)]
pub trait OutboxStore {
    type Error: std::error::Error;
    /// Every entry that is not yet delivered, in any order (delivered ones may be left out:
    /// a run never sends them).
    async fn entries(&self) -> Result<Vec<OutboxEntry>, Self::Error>;
    /// Changes one entry as it is now, atomically (the app: one IndexedDB read-write
    /// transaction, committed durably before this returns), so that a save made by the
    /// worker meanwhile is never overwritten. Returns the changed entry, or `None` if there
    /// is no such entry.
    async fn update_entry<F>(&self, record: RecordRef, change: F) -> Result<Option<OutboxEntry>, Self::Error>
    where
        F: FnOnce(&mut OutboxEntry);
    /// The newest saved revision of a record.
    async fn record(&self, record: RecordRef) -> Result<Option<OutboundRecord>, Self::Error>;
    /// How much of a photo the server has confirmed; `None` when the phone lacks the photo.
    async fn photo_upload(&self, hash: &PhotoHash) -> Result<Option<PhotoUpload>, Self::Error>;
    /// Records how much of a photo the server has confirmed, durably.
    async fn set_photo_upload(&self, hash: &PhotoHash, upload: &PhotoUpload) -> Result<(), Self::Error>;
    /// The bytes `range` of a stored photo; `None` when the phone lacks the photo.
    async fn photo_piece(&self, hash: &PhotoHash, range: std::ops::Range<u64>) -> Result<Option<Vec<u8>>, Self::Error>;
}
