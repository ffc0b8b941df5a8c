//! The data key as the phone keeps it: sealed under a key derived from the worker's PIN
//! (PBKDF2-HMAC-SHA256 with a random salt), beside what deriving that key again needs. A
//! wrong PIN derives another key, under which the wrapped key does not open.

use serde::{Deserialize, Serialize};

use super::{open, seal, DataKey, Iterations, Place, SealProblem, IV_BYTES, KEY_BYTES};

/// How many bytes of random salt deriving the PIN's key takes.
pub const SALT_BYTES: usize = 16;

/// The store name the wrapped key is sealed for (it is kept outside IndexedDB).
const WRAPPED_KEY_PLACE: &str = "data_key";

/// A data key wrapped under a PIN's key, for one enrolment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrappedKey {
    /// The PBKDF2 salt.
    #[serde(with = "hex::serde")]
    pub salt: [u8; SALT_BYTES],
    /// The PBKDF2 iterations.
    pub iterations: Iterations,
    /// The data key, sealed under the PIN's key for this enrolment.
    #[serde(with = "hex::serde")]
    sealed: Vec<u8>,
}

impl WrappedKey {
    /// Wraps `data_key` for the enrolment `owner` (its device id) under `pin_key`, which was
    /// derived with `salt` and `iterations`; `iv` must be fresh random bytes.
    pub fn wrap(
        data_key: &DataKey,
        pin_key: &DataKey,
        salt: [u8; SALT_BYTES],
        iterations: Iterations,
        iv: [u8; IV_BYTES],
        owner: &str,
    ) -> WrappedKey {
        let sealed = seal(pin_key, iv, Place::new(WRAPPED_KEY_PLACE, owner), data_key.bytes())
            .expect("32 bytes are never too large to seal");
        WrappedKey { salt, iterations, sealed }
    }

    /// The data key, if `pin_key` is the key of the PIN it was wrapped under and it was
    /// wrapped for `owner`.
    pub fn unwrap_with(&self, pin_key: &DataKey, owner: &str) -> Result<DataKey, SealProblem> {
        let mut bytes = open(pin_key, Place::new(WRAPPED_KEY_PLACE, owner), &self.sealed)?;
        let key: Result<[u8; KEY_BYTES], _> = bytes.as_slice().try_into();
        zeroize::Zeroize::zeroize(&mut bytes);
        key.map(DataKey::from_bytes).map_err(|_| SealProblem::NotSealed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrapped() -> WrappedKey {
        let data = DataKey::from_bytes([7; KEY_BYTES]);
        let pin_key = DataKey::from_bytes([1; KEY_BYTES]);
        WrappedKey::wrap(&data, &pin_key, [3; SALT_BYTES], Iterations::MIN, [5; IV_BYTES], "device-a")
    }

    #[test]
    fn the_right_pin_key_unwraps_the_data_key() {
        let key = wrapped().unwrap_with(&DataKey::from_bytes([1; KEY_BYTES]), "device-a").unwrap();
        assert_eq!(key, DataKey::from_bytes([7; KEY_BYTES]));
    }

    #[test]
    fn another_pin_key_or_another_enrolment_is_refused() {
        let other_pin = wrapped().unwrap_with(&DataKey::from_bytes([2; KEY_BYTES]), "device-a");
        assert_eq!(other_pin, Err(SealProblem::Refused));
        let other_owner = wrapped().unwrap_with(&DataKey::from_bytes([1; KEY_BYTES]), "device-b");
        assert_eq!(other_owner, Err(SealProblem::Refused));
    }

    #[test]
    fn a_wrapped_key_is_kept_as_json_without_the_key() {
        let kept = serde_json::to_string(&wrapped()).unwrap();
        let back: WrappedKey = serde_json::from_str(&kept).unwrap();
        assert_eq!(back, wrapped());
        assert!(!kept.contains("07070707"), "the data key is not in what is kept: {kept}");
        assert!(kept.contains(r#""salt":"03030303"#), "bytes as hex: {kept}");
    }
}
