//! The name of a photo: the SHA-256 of its stored bytes.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The SHA-256 of a photo's bytes as 64 lower-case hex digits: its key on the phone, its
/// address on the server (`/api/v1/photos/{sha256}`) and its file name there.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhotoHash(String);

/// Why a text is not a [`PhotoHash`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a photo hash is 64 lower-case hex digits")]
pub struct BadPhotoHash;

impl PhotoHash {
    /// `text` if it is 64 lower-case hex digits.
    pub fn parse(text: &str) -> Result<PhotoHash, BadPhotoHash> {
        let hex = |b: &u8| b.is_ascii_digit() || (b'a'..=b'f').contains(b);
        if text.len() == 64 && text.as_bytes().iter().all(hex) {
            Ok(PhotoHash(text.to_owned()))
        } else {
            Err(BadPhotoHash)
        }
    }

    /// The hash of `bytes`.
    pub fn of_bytes(bytes: &[u8]) -> PhotoHash {
        PhotoHash::of_digest(&Sha256::digest(bytes))
    }

    /// The hash whose digest is `digest` (32 bytes from a running [`Sha256`]).
    pub fn of_digest(digest: &[u8]) -> PhotoHash {
        PhotoHash(digest.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// The 64 hex digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first digits, enough to tell photos apart in a message or a log.
    pub fn short(&self) -> &str {
        &self.0[..8]
    }
}

impl fmt::Display for PhotoHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PhotoHash {
    type Error = BadPhotoHash;

    fn try_from(text: String) -> Result<PhotoHash, BadPhotoHash> {
        PhotoHash::parse(&text)
    }
}

impl From<PhotoHash> for String {
    fn from(hash: PhotoHash) -> String {
        hash.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_of_known_bytes() {
        assert_eq!(
            PhotoHash::of_bytes(b"abc").as_str(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(PhotoHash::of_bytes(b"abc").short(), "ba7816bf");
    }

    #[test]
    fn only_64_lower_case_hex_digits_parse() {
        assert!(PhotoHash::parse(&"a".repeat(64)).is_ok());
        for bad in ["", "abc", &"A".repeat(64), &"g".repeat(64), &"a".repeat(65), &format!("../{}", "a".repeat(61))] {
            assert_eq!(PhotoHash::parse(bad), Err(BadPhotoHash), "{bad:?}");
        }
        assert!(serde_json::from_str::<PhotoHash>("\"xyz\"").is_err());
        let hash: PhotoHash = serde_json::from_value(serde_json::json!("b".repeat(64))).unwrap();
        assert_eq!(serde_json::to_value(&hash).unwrap(), serde_json::json!("b".repeat(64)));
    }
}
