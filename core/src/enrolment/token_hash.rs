//! What the server keeps of a device token or an invite code.

use sha2::{Digest, Sha256};

/// The SHA-256 of a device token (or an invite code) in lower-case hex: all the server keeps
/// of it. A token is random and long, so a fast hash is enough: nothing can be learnt by
/// guessing at it. The phone computes it too, for the proof in its unsent-records file.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_token_hash_is_sha256_in_lower_case_hex() {
        assert_eq!(super::token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
