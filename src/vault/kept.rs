//! The vault as this phone keeps it, in `localStorage` beside the settings (it must be read
//! before anything is unlocked): core's [`KeptVault`], which holds the wrapped data key and
//! the wrong PINs typed, never the key itself or the PIN.

use gloo_storage::{LocalStorage, Storage};
use tongxing_core::vault::{
    DataKey, Iterations, KeptVault, Pin, PinRule, VaultHolder, WrappedKey, IV_BYTES, KEY_BYTES, SALT_BYTES,
};

use super::pin_key::{derive, tuned_iterations};
use super::{random_bytes, unlock_with, VaultError};
use crate::sync::BrowserClock;
use tongxing_core::outbox::Clock;

/// The key, also read by the end-to-end tests.
pub const KEPT_VAULT_KEY: &str = "tongxing.vault";

/// The phone's vault, if one was made.
pub fn kept_vault() -> Option<KeptVault> {
    LocalStorage::get(KEPT_VAULT_KEY).ok()
}

/// Whether the phone has a vault (a PIN was set).
pub fn has_vault() -> bool {
    kept_vault().is_some()
}

/// Makes the phone's vault with a new random data key under `pin`, tuned to this phone,
/// and holds the key unlocked. Values stored before are sealed next
/// ([`crate::storage::Database::seal_everything`]).
pub async fn create(pin: &Pin, rule: PinRule) -> Result<KeptVault, VaultError> {
    let salt: [u8; SALT_BYTES] = random_bytes()?;
    let iterations: Iterations = tuned_iterations(pin, &salt).await?;
    let pin_key = derive(pin, &salt, iterations).await?;
    let data_key = DataKey::from_bytes(random_bytes::<KEY_BYTES>()?);
    let id = crate::ids::new_uuid();
    let iv: [u8; IV_BYTES] = random_bytes()?;
    let wrapped = WrappedKey::wrap(&data_key, &pin_key, salt, iterations, iv, &id.to_string());
    let vault = KeptVault::new(id, wrapped, rule);
    keep(&vault)?;
    unlock_with(data_key);
    Ok(vault)
}

/// Unlocks the phone's vault with `pin`: the data key is held in memory; a wrong PIN is
/// counted and kept, so a reload does not reset the wait.
pub async fn unlock(pin: &Pin) -> Result<KeptVault, VaultError> {
    let mut vault = kept_vault().ok_or(VaultError::NoVault)?;
    let clock = BrowserClock;
    let wait = vault.wait_at(clock.now());
    if wait != tongxing_core::vault::UnlockWait::Ready {
        return Err(VaultError::WrongPin(wait));
    }
    let pin_key = derive(pin, &vault.wrapped.salt, vault.wrapped.iterations).await?;
    let unlocked = vault.unlock(&pin_key, clock.now());
    keep(&vault)?;
    unlock_with(unlocked.map_err(VaultError::WrongPin)?);
    Ok(vault)
}

/// Notes that every value stored before the vault was made is sealed now.
pub fn mark_sealed_all() -> Result<(), VaultError> {
    let mut vault = kept_vault().ok_or(VaultError::NoVault)?;
    vault.sealed_all = true;
    keep(&vault)
}

/// Names the worker the vault is of (she has joined, or joined again).
pub fn name_holder(holder: VaultHolder) -> Result<(), VaultError> {
    let mut vault = kept_vault().ok_or(VaultError::NoVault)?;
    if vault.holder.as_ref() != Some(&holder) {
        vault.holder = Some(holder);
        keep(&vault)?;
    }
    Ok(())
}

/// Puts a vault back (from its durable copy, when `localStorage` lost it).
pub fn restore(vault: &KeptVault) -> Result<(), VaultError> {
    keep(vault)
}

fn keep(vault: &KeptVault) -> Result<(), VaultError> {
    LocalStorage::set(KEPT_VAULT_KEY, vault).map_err(|error| VaultError::NotKept(error.to_string()))
}
