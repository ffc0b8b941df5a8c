//! The vault of the space this page opens ([`super::space`]), as the phone keeps it in
//! `localStorage` beside the settings (it must be read before anything is unlocked): core's
//! [`KeptVault`], which holds the wrapped data key and the wrong PINs typed, never the key
//! itself or the PIN.

use gloo_storage::{LocalStorage, Storage};
use tongxing_core::vault::{
    DataKey, Iterations, KeptVault, Pin, PinRule, VaultHolder, WorkerSpace, WrappedKey, IV_BYTES, KEY_BYTES, SALT_BYTES,
};

use super::pin_key::{derive, tuned_iterations};
use super::space::{choose, new_space, space};
use super::unlocked::held;
use super::{random_bytes, unlock_with, VaultError};
use crate::sync::BrowserClock;
use tongxing_core::outbox::Clock;

/// The open space's vault, if one was made.
pub fn kept_vault() -> Option<KeptVault> {
    LocalStorage::get(space().vault_key()).ok()
}

/// Makes a new space's vault with a new random data key under `pin`, tuned to this phone,
/// opens that space and holds the key unlocked. Values stored before (a phone from before
/// PINs) are sealed next ([`crate::storage::Database::seal_everything`]).
pub async fn create(pin: &Pin, rule: PinRule) -> Result<KeptVault, VaultError> {
    let salt: [u8; SALT_BYTES] = random_bytes()?;
    let iterations: Iterations = tuned_iterations(pin, &salt).await?;
    let pin_key = derive(pin, &salt, iterations).await?;
    let data_key = DataKey::from_bytes(random_bytes::<KEY_BYTES>()?);
    let id = crate::ids::new_uuid();
    let iv: [u8; IV_BYTES] = random_bytes()?;
    let wrapped = WrappedKey::wrap(&data_key, &pin_key, salt, iterations, iv, &id.to_string());
    let vault = KeptVault::new(id, wrapped, rule);
    choose(new_space(id));
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

/// Wraps the data key held unlocked anew under `pin` of `rule`, tuned to this phone, and
/// forgets the wrong PINs: the key given back by the server for a forgotten PIN, or a
/// stronger PIN her county asks for.
pub async fn rewrap(pin: &Pin, rule: PinRule) -> Result<KeptVault, VaultError> {
    let mut vault = kept_vault().ok_or(VaultError::NoVault)?;
    let data_key = held().ok_or(VaultError::NoVault)?;
    let salt: [u8; SALT_BYTES] = random_bytes()?;
    let iterations: Iterations = tuned_iterations(pin, &salt).await?;
    let pin_key = derive(pin, &salt, iterations).await?;
    let iv: [u8; IV_BYTES] = random_bytes()?;
    vault.rewrapped(WrappedKey::wrap(&data_key, &pin_key, salt, iterations, iv, &vault.id.to_string()), rule);
    keep(&vault)?;
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

/// Puts the vault of `space` back (from its durable copy, when `localStorage` lost it).
pub fn restore(space: WorkerSpace, vault: &KeptVault) -> Result<(), VaultError> {
    LocalStorage::set(space.vault_key(), vault).map_err(|error| VaultError::NotKept(error.to_string()))
}

fn keep(vault: &KeptVault) -> Result<(), VaultError> {
    restore(space(), vault)
}
