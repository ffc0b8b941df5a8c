//! The phone's vault: the data key every stored value is sealed with, unlocked by the
//! worker's PIN and held only in this page's memory (core's [`tongxing_core::vault`] decides
//! the formats and rules; this module brings the browser's random numbers, PBKDF2 through
//! WebCrypto, and the lock state).
//!
//! Values are sealed in the page (AES-256-GCM in WebAssembly, core's `seal`), not by
//! WebCrypto's `encrypt`: an IndexedDB transaction commits as soon as the page waits on
//! anything else, so a save that reads, decides and writes in one transaction (a visit and
//! its outbox entry, atomically) cannot wait on WebCrypto in between.

mod kept;
mod pin_key;
mod random;
mod space;
mod unlocked;
mod vault_error;

pub use kept::{create, kept_vault, mark_sealed_all, name_holder, restore, rewrap, unlock};
pub use random::random_bytes;
pub use space::{choose, on_phone, space};
pub use unlocked::{held, is_unlocked, lock, open, seal, unlock_with, SealFailure};
pub use vault_error::VaultError;
