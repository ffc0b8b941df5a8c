//! What keeps a lost phone unreadable: every value the app stores is sealed with
//! AES-256-GCM under a random data key, bound to the place it is stored, and the data key
//! is kept only wrapped under a key derived from the worker's PIN.
//!
//! This module decides the formats and the rules; the app brings the
//! browser's random numbers and PBKDF2 (WebCrypto), and holds the unlocked key in memory.
//!
//! - [`DataKey`]: the key every value is sealed with; wiped from memory when dropped.
//! - [`Place`] and [`seal`]/[`open`]: a value sealed for one store and key opens only there,
//!   so a value moved to another key, or any changed byte, is refused.
//! - [`WrappedKey`]: the data key as kept on the phone, sealed under the PIN's key.
//! - [`KeptVault`]: what the phone keeps in the clear to unlock: the wrapped key and the
//!   wrong PINs typed.
//! - [`Pin`] and [`PinRule`]: what a PIN must be.
//! - [`UnlockAttempts`]: how long a wrong PIN waits, and when the phone's data locks until a
//!   recovery.
//! - [`AutoLock`]: when an unlocked app locks again by itself.
//! - [`Iterations`]: how hard deriving the PIN's key is.

mod auto_lock;
mod data_key;
mod iterations;
mod kept_vault;
mod pin;
mod sealed;
mod unlock_attempts;
mod wrapped_key;

pub use auto_lock::{AutoLock, LOCK_AFTER_HIDDEN};
pub use data_key::{DataKey, KEY_BYTES};
pub use iterations::Iterations;
pub use kept_vault::{KeptVault, VaultHolder};
pub use pin::{Pin, PinProblem, PinRule};
pub use sealed::{open, seal, Place, SealProblem, IV_BYTES};
pub use unlock_attempts::{UnlockAttempts, UnlockWait, ATTEMPTS_BEFORE_RECOVERY};
pub use wrapped_key::{WrappedKey, SALT_BYTES};
