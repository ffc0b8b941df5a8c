//! Getting a worker's data back when she forgot her PIN (see `SECURITY.md`):
//!
//! - `PUT /api/v1/devices/me/recovery-key` ([`RecoveryKeyDeposit`]): once a phone has joined
//!   and is unlocked, it sends its data key, which the server keeps sealed under a key of its
//!   own that is not in the database, tied to this device.
//! - `POST /api/v1/devices/{id}/recovery` (a supervisor, for a phone of her township, not
//!   revoked): a [`RecoveryIssued`] code, shown to her once, which she tells the worker.
//! - `POST /api/v1/recovery` ([`RecoveryClaim`], without a token: the phone is locked): the
//!   vault's id and the code give back the data key ([`RecoveredKey`]), once.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::vault::{DataKey, RecoveryCode};

/// The data key of a phone's vault, sent for the server to keep sealed.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RecoveryKeyDeposit {
    /// The id of the vault whose key this is (what a claim names).
    pub vault_id: Uuid,
    /// The 256-bit key, 64 hex digits.
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^[0-9a-f]{64}$"))]
    pub key: HexKey,
}

/// A recovery a supervisor issued: the code, shown once, and when it lapses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryIssued {
    /// Eight digits, for the worker to type on her phone.
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^[0-9]{8}$"))]
    pub code: RecoveryCode,
    pub expires_at: DateTime<Utc>,
}

/// A locked phone asking for its data key back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RecoveryClaim {
    pub vault_id: Uuid,
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^[0-9]{8}$"))]
    pub code: RecoveryCode,
}

/// The data key given back.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveredKey {
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^[0-9a-f]{64}$"))]
    pub key: HexKey,
}

/// A data key as 64 hex digits on the wire; never printed, wiped when dropped.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HexKey(DataKey);

impl HexKey {
    /// The key of these bytes.
    pub fn new(key: DataKey) -> HexKey {
        HexKey(key)
    }

    /// The key.
    pub fn key(&self) -> &DataKey {
        &self.0
    }
}

impl TryFrom<String> for HexKey {
    type Error = String;

    fn try_from(mut text: String) -> Result<HexKey, String> {
        let mut bytes = [0u8; crate::vault::KEY_BYTES];
        let read = hex::decode_to_slice(text.as_bytes(), &mut bytes).map_err(|_| "a key is 64 hex digits".to_owned());
        zeroize::Zeroize::zeroize(&mut text);
        read?;
        Ok(HexKey(DataKey::from_bytes(bytes)))
    }
}

impl From<HexKey> for String {
    fn from(key: HexKey) -> String {
        hex::encode(key.0.bytes())
    }
}

impl std::fmt::Debug for HexKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HexKey(…)")
    }
}

impl std::fmt::Debug for RecoveryKeyDeposit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecoveryKeyDeposit").field("vault_id", &self.vault_id).finish_non_exhaustive()
    }
}

impl std::fmt::Debug for RecoveredKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveredKey(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deposit_travels_as_hex_and_never_prints_its_key() {
        let deposit = RecoveryKeyDeposit {
            vault_id: Uuid::from_u128(1),
            key: HexKey::new(DataKey::from_bytes([0xab; crate::vault::KEY_BYTES])),
        };
        let json = serde_json::to_string(&deposit).unwrap();
        assert!(json.contains(&"ab".repeat(32)), "{json}");
        assert_eq!(serde_json::from_str::<RecoveryKeyDeposit>(&json).unwrap(), deposit);
        assert!(!format!("{deposit:?}").contains("ab"));
    }

    #[test]
    fn a_key_of_the_wrong_length_or_digits_is_refused() {
        for wrong in ["", &"ab".repeat(31), &"zz".repeat(32), &"ab".repeat(33)] {
            let json = format!(r#"{{"key":"{wrong}"}}"#);
            assert!(serde_json::from_str::<RecoveredKey>(&json).is_err(), "{wrong}");
        }
        let claim = r#"{"vault_id":"00000000-0000-0000-0000-000000000001","code":"1234 5678","extra":1}"#;
        assert!(serde_json::from_str::<RecoveryClaim>(claim).is_err(), "unknown fields are refused");
    }
}
