//! The durable copies of the spaces' vaults, in the phone's first database: each written
//! (strictly) before anything is sealed with a new data key and after every unlock attempt,
//! and put back into `localStorage` when a killed browser lost it there.

use indexed_db_futures::prelude::*;
use tongxing_core::vault::{KeptVault, WorkerSpace};
use wasm_bindgen::{JsCast, JsValue};

use super::database::{delete_in, keys_in, put_stored_in, Durability, VAULT};
use super::{Database, StorageError};
use crate::vault;

impl Database {
    /// Keeps `space`'s vault durably (it is the clear record the PIN unlocks, not sealed).
    /// `self` is the phone's first database.
    pub async fn keep_vault(&self, space: WorkerSpace, kept: &KeptVault) -> Result<(), StorageError> {
        let json = serde_json::to_vec(kept).map_err(|error| StorageError::Failed(error.to_string()))?;
        let tx = self.write(&[VAULT], Durability::Strict)?;
        put_stored_in(&tx, VAULT, &space.vault_copy_key(), js_sys::Uint8Array::from(json.as_slice()).into()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Forgets `space`'s vault copy (its worker left the phone).
    pub async fn forget_vault(&self, space: WorkerSpace) -> Result<(), StorageError> {
        let tx = self.write(&[VAULT], Durability::Strict)?;
        delete_in(&tx, VAULT, &space.vault_copy_key()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Makes `localStorage` and the durable copies agree: a copy is put back when
    /// `localStorage` lost its vault, and made when only `localStorage` has it (a vault the
    /// oversight app made).
    pub async fn reconcile_vaults(&self) -> Result<(), StorageError> {
        let copies = self.vault_copies().await?;
        let on_phone = vault::on_phone();
        for (space, copy) in &copies {
            if !on_phone.iter().any(|on| on.space == *space) {
                vault::restore(*space, copy).map_err(|error| StorageError::Failed(error.to_string()))?;
            }
        }
        for on in on_phone {
            if !copies.iter().any(|(space, _)| *space == on.space) {
                self.keep_vault(on.space, &on.vault).await?;
            }
        }
        Ok(())
    }

    async fn vault_copies(&self) -> Result<Vec<(WorkerSpace, KeptVault)>, StorageError> {
        let tx = self.read(&[VAULT])?;
        let mut copies = Vec::new();
        for key in keys_in(&tx, VAULT).await? {
            let found: Option<JsValue> = tx.object_store(VAULT)?.get(key.as_str()).primitive()?.await?;
            let Some(bytes) = found.and_then(|value| value.dyn_into::<js_sys::Uint8Array>().ok()) else { continue };
            let copy: KeptVault =
                serde_json::from_slice(&bytes.to_vec()).map_err(|error| StorageError::Corrupt(error.to_string()))?;
            if let Some(space) = WorkerSpace::of_vault_copy_key(&key, &copy) {
                copies.push((space, copy));
            }
        }
        Ok(copies)
    }
}
