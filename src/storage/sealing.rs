//! Sealing what a phone kept before it had a PIN: every value of every store, every photo,
//! and the enrolment, once, after the vault is made (and again after an unlock if a killed
//! tab cut it short: a value already sealed is left as it is).

use indexed_db_futures::prelude::*;
use tongxing_core::vault::{Place, SealProblem};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::database::{keys_in, put_stored_in, Durability, ALL_STORES, PHOTOS};
use super::{codec, enrolment, Database, StorageError};
use crate::js_error::describe;
use crate::vault;

impl Database {
    /// Seals every value kept in the clear, then notes on the vault that all are sealed,
    /// after which a value in the clear is refused. Returns how many values were sealed.
    pub async fn seal_everything(&self) -> Result<usize, StorageError> {
        let mut sealed = 0;
        for store in ALL_STORES.iter().filter(|store| **store != PHOTOS) {
            sealed += self.seal_store(store).await?;
        }
        sealed += self.seal_photos().await?;
        let enrolment_was_clear = !enrolment::is_sealed();
        enrolment::seal_kept()?;
        sealed += usize::from(enrolment_was_clear);
        vault::mark_sealed_all().map_err(|error| StorageError::Failed(error.to_string()))?;
        Ok(sealed)
    }

    /// Seals one store's clear values (JSON bytes) in one transaction: sealing needs no wait.
    async fn seal_store(&self, store: &str) -> Result<usize, StorageError> {
        let tx = self.write(&[store], Durability::Strict)?;
        let mut sealed = 0;
        for key in keys_in(&tx, store).await? {
            let Some(value) = tx.object_store(store)?.get(key.as_str()).primitive()?.await? else { continue };
            if let Some(clear) = clear_bytes(Place::new(store, &key), &value) {
                put_stored_in(&tx, store, &key, codec::seal_bytes(Place::new(store, &key), &clear)?).await?;
                sealed += 1;
            }
        }
        tx.commit().await?;
        Ok(sealed)
    }

    /// Seals photos kept as Blobs: each is read first (outside any transaction), then
    /// written sealed unless it changed meanwhile.
    async fn seal_photos(&self) -> Result<usize, StorageError> {
        let tx = self.read(&[PHOTOS])?;
        let keys = keys_in(&tx, PHOTOS).await?;
        drop(tx);
        let mut sealed = 0;
        for key in keys {
            let tx = self.read(&[PHOTOS])?;
            let value: Option<JsValue> = tx.object_store(PHOTOS)?.get(key.as_str()).primitive()?.await?;
            drop(tx);
            let Some(blob) = value.and_then(|value| value.dyn_into::<web_sys::Blob>().ok()) else { continue };
            let buffer = JsFuture::from(blob.array_buffer()).await.map_err(|e| StorageError::Failed(describe(&e)))?;
            let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
            let stored = codec::seal_bytes(Place::new(PHOTOS, &key), &bytes)?;
            let tx = self.write(&[PHOTOS], Durability::Strict)?;
            put_stored_in(&tx, PHOTOS, &key, stored).await?;
            tx.commit().await?;
            sealed += 1;
        }
        Ok(sealed)
    }
}

/// The bytes of a value kept in the clear (JSON as a byte array), or `None` when it is
/// sealed already (or refused: a damaged value is left for the codec to refuse).
fn clear_bytes(place: Place<'_>, value: &JsValue) -> Option<Vec<u8>> {
    let bytes = value.dyn_ref::<js_sys::Uint8Array>()?.to_vec();
    match vault::open(place, &bytes) {
        Err(vault::SealFailure::Problem(SealProblem::NotSealed)) => Some(bytes),
        _ => None,
    }
}
