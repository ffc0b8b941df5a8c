//! The one place where values become stored bytes and back: JSON, sealed with the
//! unlocked data key for the place (store and key) it is kept at ([`crate::vault`]). A
//! value changed, moved to another key, or kept in the clear is refused, never shown.

use serde::de::DeserializeOwned;
use serde::Serialize;
use tongxing_core::vault::Place;
use wasm_bindgen::{JsCast, JsValue};

use super::StorageError;
use crate::vault;

/// Turns a value into the sealed bytes IndexedDB keeps at `place` (a `Uint8Array`).
pub fn encode<T: Serialize>(place: Place<'_>, value: &T) -> Result<JsValue, StorageError> {
    let plain = serde_json::to_vec(value).map_err(|e| StorageError::Failed(e.to_string()))?;
    seal_bytes(place, &plain)
}

/// Reads back a value that [`encode`] stored at `place`.
pub fn decode<T: DeserializeOwned>(place: Place<'_>, stored: JsValue) -> Result<T, StorageError> {
    let plain = open_bytes(place, stored)?;
    serde_json::from_slice(&plain).map_err(|e| StorageError::Corrupt(e.to_string()))
}

/// Seals raw bytes (a photo) for `place`.
pub fn seal_bytes(place: Place<'_>, plain: &[u8]) -> Result<JsValue, StorageError> {
    let sealed = vault::seal(place, plain)?;
    Ok(js_sys::Uint8Array::from(sealed.as_slice()).into())
}

/// Opens raw bytes that [`seal_bytes`] stored at `place`.
pub fn open_bytes(place: Place<'_>, stored: JsValue) -> Result<Vec<u8>, StorageError> {
    let array =
        stored.dyn_into::<js_sys::Uint8Array>().map_err(|_| StorageError::Corrupt("not a byte array".into()))?;
    Ok(vault::open(place, &array.to_vec())?)
}
