//! The unlocked data key, in this page's memory only: sealing and opening values with it.
//! Locking drops it (its bytes are wiped); a reload always starts locked.

use std::cell::RefCell;

use tongxing_core::vault::{self, DataKey, Place, SealProblem, IV_BYTES};

use super::{random_bytes, VaultError};

thread_local! {
    static DATA_KEY: RefCell<Option<DataKey>> = const { RefCell::new(None) };
}

/// Why a value could not be sealed or opened.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SealFailure {
    #[error("the vault is locked")]
    Locked,
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error(transparent)]
    Problem(#[from] SealProblem),
}

/// Holds `key` as the unlocked data key.
pub fn unlock_with(key: DataKey) {
    DATA_KEY.with(|held| *held.borrow_mut() = Some(key));
}

/// A copy of the unlocked key (to wrap it anew, or to deposit it with the server).
pub fn held() -> Option<DataKey> {
    DATA_KEY.with(|held| held.borrow().clone())
}

/// Drops the unlocked key: nothing can be read or stored until the next unlock.
pub fn lock() {
    DATA_KEY.with(|held| held.borrow_mut().take());
}

/// Whether a data key is held.
pub fn is_unlocked() -> bool {
    DATA_KEY.with(|held| held.borrow().is_some())
}

/// Seals `plain` for `place` under the unlocked key, with a fresh random IV.
pub fn seal(place: Place<'_>, plain: &[u8]) -> Result<Vec<u8>, SealFailure> {
    let iv: [u8; IV_BYTES] = random_bytes()?;
    DATA_KEY.with(|held| {
        let held = held.borrow();
        let key = held.as_ref().ok_or(SealFailure::Locked)?;
        Ok(vault::seal(key, iv, place, plain)?)
    })
}

/// Opens a value sealed for `place` under the unlocked key.
pub fn open(place: Place<'_>, sealed: &[u8]) -> Result<Vec<u8>, SealFailure> {
    DATA_KEY.with(|held| {
        let held = held.borrow();
        let key = held.as_ref().ok_or(SealFailure::Locked)?;
        Ok(vault::open(key, place, sealed)?)
    })
}
