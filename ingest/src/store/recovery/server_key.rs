//! The server's recovery key: 256 random bits in a file of their own (`--recovery-key-file`,
//! by default `recovery.key` in the data directory), never in the database and never logged.
//! The data keys that phones leave for a recovery are sealed under it (core's
//! [`vault::seal`], AES-256-GCM), each bound to its device and vault, so that a sealed key
//! copied to another row, or read with another key file, does not open.

use std::path::Path;
use std::sync::Arc;

use tongxing_core::vault::{self, DataKey, Place, SealProblem, IV_BYTES, KEY_BYTES};
use tongxing_core::wire::HexKey;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::store::key_file::{self, KeyFile, KeyFileError};
use crate::store::workers::secret::{self, NoRandomness};

/// The key file's name in the data directory, unless `--recovery-key-file` names another.
pub const RECOVERY_KEY_FILE: &str = "recovery.key";

/// The "store" a sealed data key is bound to (its key there: the device and the vault).
const SEALED_IN: &str = "recovery_keys";

/// The server's recovery key, held in memory while the server runs; never printed.
#[derive(Clone)]
pub struct ServerKey(Arc<DataKey>);

/// Why a data key could not be sealed or opened.
#[derive(Debug, thiserror::Error)]
pub enum SealedKeyError {
    #[error(transparent)]
    NoRandomness(#[from] NoRandomness),
    /// Sealed under another key file, for another device or vault, or changed.
    #[error("a data key left for a recovery does not open under this recovery key: {0}")]
    Sealed(#[from] SealProblem),
    /// It opened, but what it held is not a data key.
    #[error("a data key left for a recovery opened, but holds no key")]
    NotAKey,
}

impl ServerKey {
    /// The key of the file at `path`, made there with random bytes when absent (see
    /// [`key_file::load_or_create`]).
    pub fn load_or_create(path: &Path) -> Result<(ServerKey, KeyFile), KeyFileError> {
        let (bytes, file) = key_file::load_or_create(path, "recovery key")?;
        Ok((ServerKey::from_bytes(*bytes), file))
    }

    /// A key of these bytes (tests).
    pub fn from_bytes(bytes: [u8; KEY_BYTES]) -> ServerKey {
        ServerKey(Arc::new(DataKey::from_bytes(bytes)))
    }

    /// `key`, the data key of `vault` on `device`, sealed for the database.
    pub fn seal(&self, device: Uuid, vault: Uuid, key: &HexKey) -> Result<Vec<u8>, SealedKeyError> {
        let iv = secret::random_bytes::<IV_BYTES>()?;
        let plain = Zeroizing::new(String::from(key.clone()));
        Ok(vault::seal(&self.0, iv, Place::new(SEALED_IN, &place_key(device, vault)), plain.as_bytes())?)
    }

    /// The data key of `vault` on `device` that [`ServerKey::seal`] sealed as `sealed`.
    pub fn open(&self, device: Uuid, vault: Uuid, sealed: &[u8]) -> Result<HexKey, SealedKeyError> {
        let mut plain = Zeroizing::new(vault::open(&self.0, Place::new(SEALED_IN, &place_key(device, vault)), sealed)?);
        let text = String::from_utf8(std::mem::take(&mut *plain)).map_err(|_| SealedKeyError::NotAKey)?;
        // Wipes the text it reads.
        HexKey::try_from(text).map_err(|_| SealedKeyError::NotAKey)
    }
}

impl std::fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerKey(…)")
    }
}

/// Where a sealed data key belongs: its device and its vault.
fn place_key(device: Uuid, vault: Uuid) -> String {
    format!("{device}/{vault}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data_key(byte: u8) -> HexKey {
        HexKey::new(DataKey::from_bytes([byte; KEY_BYTES]))
    }

    #[test]
    fn a_sealed_key_opens_only_for_its_device_and_vault_under_its_server_key() {
        let server = ServerKey::from_bytes([7; KEY_BYTES]);
        let (device, vault) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let sealed = server.seal(device, vault, &data_key(0xab)).unwrap();
        assert!(!sealed.windows(KEY_BYTES).any(|w| w == [0xab; KEY_BYTES]), "the key's bytes are not in the clear");
        assert!(!sealed.windows(8).any(|w| w == b"abababab"), "nor its hex");
        assert!(server.open(device, vault, &sealed).unwrap() == data_key(0xab));

        let other_device = Uuid::from_u128(3);
        assert!(matches!(server.open(other_device, vault, &sealed), Err(SealedKeyError::Sealed(SealProblem::Refused))));
        assert!(matches!(server.open(device, other_device, &sealed), Err(SealedKeyError::Sealed(_))));
        let other_server = ServerKey::from_bytes([8; KEY_BYTES]);
        assert!(matches!(other_server.open(device, vault, &sealed), Err(SealedKeyError::Sealed(_))));
        assert_ne!(server.seal(device, vault, &data_key(0xab)).unwrap(), sealed, "a fresh IV every time");
        assert_eq!(format!("{server:?}"), "ServerKey(…)");
    }
}
