//! Photos on the phone: the shrunk JPEG as a `Blob` in its own store, keyed by the SHA-256
//! of its bytes, and beside it how much of it the server has confirmed. Visits and drafts
//! name photos by hash; a photo is stored before any draft names it.
//!
//! The photo's bytes are sealed like every other value (through the codec, bound to their
//! hash), so a JPEG is never readable in the phone's storage; it is opened whole to be
//! shown or to cut a piece for sending (a shrunk photo is a few hundred KiB). Once the
//! server holds a photo and nothing waits to send it, its bytes leave the phone.

use std::collections::BTreeSet;
use std::ops::Range;

use chrono::{DateTime, Duration, Utc};
use indexed_db_futures::prelude::*;
use serde::{Deserialize, Serialize};
use tongxing_core::outbox::{OutboxEntry, PhotoUpload};
use tongxing_core::photo::{photos_to_release, PhotoHash};
use tongxing_core::vault::Place;
use tongxing_core::{RecordKind, Visit, VisitDraft};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag};

use super::database::{
    all_in, delete_in, get_in, keys_in, put_in, put_stored_in, Durability, DRAFTS, OUTBOX, PHOTOS, PHOTO_UPLOADS,
    VISITS,
};
use super::{codec, Database, StorageError};
use crate::js_error::describe;

/// A photo left unnamed (taken, then removed or its draft discarded) is kept this long, so
/// that a photo another tab has just stored, before its draft is saved, is never swept.
const UNNAMED_GRACE_HOURS: i64 = 24;

/// The user timing of sealing a photo's bytes, which `tests/bench/photo-shrink.bench.mjs` reads.
const SEAL_MARK: &str = "tongxing:seal-photo-start";
const SEAL_MEASURE: &str = "tongxing:seal-photo";

/// What `PHOTO_UPLOADS` keeps of each photo.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct StoredPhoto {
    upload: PhotoUpload,
    stored_at: DateTime<Utc>,
}

impl Database {
    /// Stores a shrunk photo under its hash, with nothing confirmed by the server yet (or,
    /// if the same photo is stored already, keeps what is known of it). Durable on return.
    pub async fn store_photo(&self, hash: &PhotoHash, photo: &Blob, now: DateTime<Utc>) -> Result<(), StorageError> {
        // Read and sealed before the transaction: it would commit while the page waits.
        let bytes = blob_bytes(photo).await?;
        // A user timing for the benchmarks (`tongxing:seal-photo`): what sealing costs alone.
        let performance = web_sys::window().and_then(|window| window.performance());
        let _ = performance.as_ref().map(|p| p.mark(SEAL_MARK));
        let sealed = codec::seal_bytes(Place::new(PHOTOS, hash.as_str()), &bytes)?;
        let _ = performance.as_ref().map(|p| p.measure_with_start_mark(SEAL_MEASURE, SEAL_MARK));
        let tx = self.write(&[PHOTOS, PHOTO_UPLOADS], Durability::Strict)?;
        put_stored_in(&tx, PHOTOS, hash.as_str(), sealed).await?;
        let upload = match get_in::<StoredPhoto>(&tx, PHOTO_UPLOADS, hash.as_str()).await? {
            Some(known) => known.upload,
            None => PhotoUpload::new(bytes.len() as u64),
        };
        put_in(&tx, PHOTO_UPLOADS, hash.as_str(), &StoredPhoto { upload, stored_at: now }).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A stored photo, to show.
    pub async fn photo(&self, hash: &PhotoHash) -> Result<Option<Blob>, StorageError> {
        let Some(bytes) = self.photo_bytes(hash).await? else { return Ok(None) };
        let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
        let options = BlobPropertyBag::new();
        options.set_type(crate::photo::JPEG);
        Blob::new_with_u8_array_sequence_and_options(&parts, &options).map(Some).map_err(browser_failure)
    }

    /// The bytes `range` of a stored photo.
    pub async fn photo_piece(&self, hash: &PhotoHash, range: Range<u64>) -> Result<Option<Vec<u8>>, StorageError> {
        let Some(bytes) = self.photo_bytes(hash).await? else { return Ok(None) };
        let end = (range.end as usize).min(bytes.len());
        let start = (range.start as usize).min(end);
        Ok(Some(bytes[start..end].to_vec()))
    }

    /// A stored photo's bytes, opened.
    pub(super) async fn photo_bytes(&self, hash: &PhotoHash) -> Result<Option<Vec<u8>>, StorageError> {
        let tx = self.read(&[PHOTOS])?;
        let found: Option<JsValue> = tx.object_store(PHOTOS)?.get(hash.as_str()).primitive()?.await?;
        found.map(|value| codec::open_bytes(Place::new(PHOTOS, hash.as_str()), value)).transpose()
    }

    /// The hashes of the photos whose bytes are on the phone.
    pub async fn photos_on_phone(&self) -> Result<BTreeSet<String>, StorageError> {
        let tx = self.read(&[PHOTOS])?;
        Ok(keys_in(&tx, PHOTOS).await?.into_iter().collect())
    }

    /// How much of a photo the server has confirmed; `None` when the photo is not stored.
    pub async fn photo_upload(&self, hash: &PhotoHash) -> Result<Option<PhotoUpload>, StorageError> {
        Ok(self.get::<StoredPhoto>(PHOTO_UPLOADS, hash.as_str()).await?.map(|stored| stored.upload))
    }

    /// Records how much of a photo the server has confirmed.
    pub async fn set_photo_upload(&self, hash: &PhotoHash, upload: &PhotoUpload) -> Result<(), StorageError> {
        let tx = self.write(&[PHOTO_UPLOADS], Durability::Strict)?;
        // A photo removed meanwhile stays removed.
        if let Some(stored) = get_in::<StoredPhoto>(&tx, PHOTO_UPLOADS, hash.as_str()).await? {
            put_in(&tx, PHOTO_UPLOADS, hash.as_str(), &StoredPhoto { upload: *upload, ..stored }).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Removes every stored photo that no saved visit and no draft names (photos taken and
    /// then removed, or left in a discarded draft) and that was stored more than a day
    /// before `now`. Returns how many went.
    pub async fn remove_unnamed_photos(&self, now: DateTime<Utc>) -> Result<usize, StorageError> {
        let tx = self.write(&[PHOTOS, PHOTO_UPLOADS, VISITS, DRAFTS], Durability::Strict)?;
        let mut named: BTreeSet<String> = BTreeSet::new();
        for visit in all_in::<Visit>(&tx, VISITS).await? {
            named.extend(visit.photo_hashes().into_iter().map(String::from));
        }
        for draft in all_in::<VisitDraft>(&tx, DRAFTS).await? {
            named.extend(draft.answers.photos().map(|note| note.sha256.to_string()));
        }
        let keys = keys_in(&tx, PHOTO_UPLOADS).await?;
        let old_enough = now - Duration::hours(UNNAMED_GRACE_HOURS);
        let mut removed = 0;
        for key in keys {
            let stored_at = get_in::<StoredPhoto>(&tx, PHOTO_UPLOADS, &key).await?.map(|s| s.stored_at);
            if !named.contains(&key) && stored_at.is_some_and(|at| at < old_enough) {
                delete_in(&tx, PHOTOS, &key).await?;
                delete_in(&tx, PHOTO_UPLOADS, &key).await?;
                removed += 1;
            }
        }
        tx.commit().await?;
        Ok(removed)
    }
}

impl Database {
    /// Removes the bytes of every photo the server holds whole and nothing on the phone
    /// still has to send (core's [`photos_to_release`]): no draft names it, and no visit
    /// naming it waits in the outbox. Its upload record stays, so that a sent visit opened
    /// again knows the photo is on the server. Returns how many went.
    pub async fn release_photos_on_server(&self) -> Result<usize, StorageError> {
        let tx = self.write(&[PHOTOS, PHOTO_UPLOADS, VISITS, DRAFTS, OUTBOX], Durability::Strict)?;
        let mut on_phone = Vec::new();
        for key in keys_in(&tx, PHOTOS).await? {
            if let Some(photo) = get_in::<StoredPhoto>(&tx, PHOTO_UPLOADS, &key).await? {
                on_phone.push((key, photo.upload));
            }
        }
        let stored = || on_phone.iter().map(|(key, upload)| (key.as_str(), *upload));
        // Mostly none may go (after most runs): then no draft or visit is read.
        if photos_to_release(stored(), &BTreeSet::new()).is_empty() {
            return Ok(0);
        }
        // What drafts name, and visits still waiting in the outbox (the few, not every visit).
        let mut needed: BTreeSet<String> = BTreeSet::new();
        for draft in all_in::<VisitDraft>(&tx, DRAFTS).await? {
            needed.extend(draft.answers.photos().map(|note| note.sha256.to_string()));
        }
        for entry in all_in::<OutboxEntry>(&tx, OUTBOX).await? {
            if entry.record.kind != RecordKind::Visit {
                continue;
            }
            if let Some(visit) = get_in::<Visit>(&tx, VISITS, &entry.record.id.to_string()).await? {
                needed.extend(visit.photo_hashes().into_iter().map(String::from));
            }
        }
        let release = photos_to_release(stored(), &needed);
        for key in &release {
            delete_in(&tx, PHOTOS, key).await?;
        }
        tx.commit().await?;
        Ok(release.len())
    }
}

/// The bytes of a Blob.
async fn blob_bytes(blob: &Blob) -> Result<Vec<u8>, StorageError> {
    let buffer = JsFuture::from(blob.array_buffer()).await.map_err(browser_failure)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

fn browser_failure(error: JsValue) -> StorageError {
    StorageError::Failed(describe(&error))
}
