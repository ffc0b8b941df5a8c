//! The durable copy of the phone's vault in IndexedDB: written (strictly) before anything is
//! sealed with a new data key and after every unlock attempt, and put back into
//! `localStorage` when a killed browser lost it there.

use indexed_db_futures::prelude::*;
use tongxing_core::vault::KeptVault;
use wasm_bindgen::{JsCast, JsValue};

use super::database::{put_stored_in, Durability, KEPT_VAULT, VAULT};
use super::{Database, StorageError};
use crate::vault;

impl Database {
    /// Keeps `kept` durably (it is the clear record the PIN unlocks, not sealed).
    pub async fn keep_vault(&self, kept: &KeptVault) -> Result<(), StorageError> {
        let json = serde_json::to_vec(kept).map_err(|error| StorageError::Failed(error.to_string()))?;
        let tx = self.write(&[VAULT], Durability::Strict)?;
        put_stored_in(&tx, VAULT, KEPT_VAULT, js_sys::Uint8Array::from(json.as_slice()).into()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Makes `localStorage` and the durable copy agree: the copy is put back when
    /// `localStorage` lost the vault, and made when only `localStorage` has it (a vault the
    /// oversight app made).
    pub async fn reconcile_vault(&self) -> Result<(), StorageError> {
        match (vault::kept_vault(), self.vault_copy().await?) {
            (None, Some(copy)) => vault::restore(&copy).map_err(|error| StorageError::Failed(error.to_string())),
            (Some(kept), None) => self.keep_vault(&kept).await,
            _ => Ok(()),
        }
    }

    async fn vault_copy(&self) -> Result<Option<KeptVault>, StorageError> {
        let tx = self.read(&[VAULT])?;
        let found: Option<JsValue> = tx.object_store(VAULT)?.get(KEPT_VAULT).primitive()?.await?;
        let Some(bytes) = found.and_then(|value| value.dyn_into::<js_sys::Uint8Array>().ok()) else { return Ok(None) };
        serde_json::from_slice(&bytes.to_vec()).map(Some).map_err(|error| StorageError::Corrupt(error.to_string()))
    }
}
