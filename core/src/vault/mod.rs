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
//! - [`RecoveryCode`]: what a supervisor gives a worker who forgot her PIN.
//! - [`WorkerSpace`]: each worker's own vault, enrolment and records on a shared phone.

mod auto_lock;
mod data_key;
mod iterations;
mod kept_vault;
mod pin;
mod recovery_code;
mod recovery_problem;
mod sealed;
mod unlock_attempts;
mod worker_space;
mod wrapped_key;

pub use auto_lock::{AutoLock, LOCK_AFTER_HIDDEN};
pub use data_key::{DataKey, KEY_BYTES};
pub use iterations::Iterations;
pub use kept_vault::{KeptVault, VaultHolder};
pub use pin::{Pin, PinProblem, PinRule};
pub use recovery_code::{NotARecoveryCode, RecoveryCode, RECOVERY_CODE_DIGITS, RECOVERY_TRIES, RECOVERY_VALID_FOR};
pub use recovery_problem::{read_recovery, RecoveryProblem};
pub use sealed::{open, seal, Place, SealProblem, IV_BYTES};
pub use unlock_attempts::{UnlockAttempts, UnlockWait, ATTEMPTS_BEFORE_RECOVERY};
pub use worker_space::{new_space, space_to_open, spaces_on_phone, SpaceKey, SpaceOnPhone, WorkerSpace};
pub use wrapped_key::{WrappedKey, SALT_BYTES};
