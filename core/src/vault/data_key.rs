//! The data key: 256 random bits that every stored value is sealed with.

use aes_gcm::aead::KeyInit;
use aes_gcm::Aes256Gcm;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// How many bytes a data key has (AES-256).
pub const KEY_BYTES: usize = 32;

/// A data key, held only while the app is unlocked; its bytes are wiped when it is dropped
/// and never printed.
#[derive(Clone, Zeroize, ZeroizeOnDrop, PartialEq, Eq)]
pub struct DataKey([u8; KEY_BYTES]);

impl DataKey {
    /// A key of these bytes, which must come from a cryptographic generator (a new key) or
    /// from unwrapping a [`WrappedKey`](super::WrappedKey).
    pub fn from_bytes(bytes: [u8; KEY_BYTES]) -> DataKey {
        DataKey(bytes)
    }

    /// The key's bytes, for wrapping it (and, hex, for depositing it with the server).
    pub(crate) fn bytes(&self) -> &[u8; KEY_BYTES] {
        &self.0
    }

    /// The cipher of this key.
    pub(super) fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(&self.0.into())
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_never_prints_its_bytes() {
        let key = DataKey::from_bytes([0xab; KEY_BYTES]);
        let shown = format!("{key:?}");
        assert_eq!(shown, "DataKey(…)");
        assert!(!shown.to_lowercase().contains("ab"));
    }
}
