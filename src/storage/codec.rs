//! The one place where values become stored bytes and back. Encryption at rest (a later
//! issue) goes here and nowhere else.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

use super::StorageError;

/// Turns a value into the bytes IndexedDB keeps (a `Uint8Array`).
pub fn encode<T: Serialize>(value: &T) -> Result<JsValue, StorageError> {
    let bytes = serde_json::to_vec(value).map_err(|e| StorageError::Failed(e.to_string()))?;
    Ok(js_sys::Uint8Array::from(bytes.as_slice()).into())
}

/// Reads back a value that [`encode`] stored.
pub fn decode<T: DeserializeOwned>(stored: JsValue) -> Result<T, StorageError> {
    let array =
        stored.dyn_into::<js_sys::Uint8Array>().map_err(|_| StorageError::Corrupt("not a byte array".into()))?;
    serde_json::from_slice(&array.to_vec()).map_err(|e| StorageError::Corrupt(e.to_string()))
}
