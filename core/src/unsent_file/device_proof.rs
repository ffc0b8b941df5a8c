//! That a file was made by the phone it names: an HMAC-SHA256, keyed by what the server
//! keeps of the device's token ([`crate::enrolment::token_hash`]), over the file's encapsulated key. The
//! token itself is never in the file, and a proof made for one file does not fit another.

use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::INFO;
use crate::enrolment::token_hash;

/// The device's proof, 64 hex digits in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DeviceProof([u8; 32]);

impl DeviceProof {
    /// The proof for the file whose encapsulated key is `enc`, by the phone holding `token`.
    pub fn new(token: &str, enc: &[u8]) -> DeviceProof {
        let mac = mac(&token_hash(token), enc).finalize().into_bytes();
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(&mac);
        DeviceProof(bytes)
    }

    /// Whether it was made with the token whose [`token_hash`] is `stored_hash`, for `enc`
    /// (compared in constant time).
    pub fn matches(&self, stored_hash: &str, enc: &[u8]) -> bool {
        mac(stored_hash, enc).verify_slice(&self.0).is_ok()
    }
}

fn mac(stored_hash: &str, enc: &[u8]) -> Hmac<Sha256> {
    // HMAC takes a key of any length.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(stored_hash.as_bytes()).unwrap_or_else(|_| unreachable!());
    mac.update(INFO);
    mac.update(enc);
    mac
}

impl TryFrom<String> for DeviceProof {
    type Error = String;

    fn try_from(text: String) -> Result<DeviceProof, String> {
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(text.as_bytes(), &mut bytes).map_err(|_| "a device proof is 64 hex digits".to_owned())?;
        Ok(DeviceProof(bytes))
    }
}

impl From<DeviceProof> for String {
    fn from(proof: DeviceProof) -> String {
        hex::encode(proof.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proof_fits_its_token_and_file_only() {
        let proof = DeviceProof::new("token-1", b"enc-1");
        assert!(proof.matches(&token_hash("token-1"), b"enc-1"));
        assert!(!proof.matches(&token_hash("token-2"), b"enc-1"));
        assert!(!proof.matches(&token_hash("token-1"), b"enc-2"));
        let text = String::from(proof.clone());
        assert!(!text.contains("token"));
        assert_eq!(DeviceProof::try_from(text).unwrap(), proof);
    }
}
