//! The file kept for the service worker (core's [`tongxing_core::unsent_file::BackgroundFile`]):
//! in an IndexedDB database of its own, which the service worker reads (it holds no key of
//! the phone's, so nothing here is sealed by the phone's vault: the file is sealed to the
//! county's key already). One value per worker, under her device id: the address to send it
//! to, the file as a `Blob`, and when it was made. `public/sw-background-send.js` sends each
//! and removes it once the server has it.

use indexed_db_futures::database::Database as IdbDatabase;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use uuid::Uuid;
use wasm_bindgen::JsValue;
use web_sys::Blob;

use super::StorageError;

/// The database's name, as the service worker opens it.
pub const BACKGROUND_DATABASE: &str = "tongxing-background-send";
/// Its one store.
const FILES: &str = "files";

async fn open() -> Result<IdbDatabase, StorageError> {
    Ok(IdbDatabase::open(BACKGROUND_DATABASE)
        .with_version(1u32)
        .with_on_upgrade_needed(|_, db| {
            db.create_object_store(FILES).build()?;
            Ok(())
        })
        .await?)
}

/// Keeps `file` for the worker `device`, to be sent to `url`, in place of any earlier one.
pub async fn keep(device: Uuid, url: &str, file: &Blob, made_at_ms: f64) -> Result<(), StorageError> {
    let value = js_sys::Object::new();
    let set = |name: &str, v: &JsValue| js_sys::Reflect::set(&value, &name.into(), v).map(drop);
    set("url", &url.into())
        .and_then(|()| set("file", file))
        .and_then(|()| set("made", &made_at_ms.into()))
        .map_err(|error| StorageError::Failed(crate::js_error::describe(&error)))?;
    let db = open().await?;
    let tx = db.transaction(FILES).with_mode(TransactionMode::Readwrite).build()?;
    tx.object_store(FILES)?.put(JsValue::from(value)).with_key(device.to_string()).primitive()?.await?;
    tx.commit().await?;
    Ok(())
}

/// Removes the worker `device`'s file, if any.
pub async fn remove(device: Uuid) -> Result<(), StorageError> {
    let db = open().await?;
    let tx = db.transaction(FILES).with_mode(TransactionMode::Readwrite).build()?;
    tx.object_store(FILES)?.delete(device.to_string()).primitive()?.await?;
    tx.commit().await?;
    Ok(())
}
