//! Device tokens and invite codes: random text from the operating system's generator, of
//! which the database keeps only the SHA-256; and the generator's bytes for the server's other
//! secrets (the recovery key, recovery codes).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use tongxing_core::enrolment::token_hash;

/// Random bytes in a device token (256 bits).
const TOKEN_BYTES: usize = 32;
/// Random bytes in an invite code (96 bits: short enough for a link in a chat message, far
/// too many to guess).
const CODE_BYTES: usize = 12;

/// The operating system gave no random bytes.
#[derive(Debug, thiserror::Error)]
#[error("the operating system's random number generator failed: {0}")]
pub struct NoRandomness(getrandom::Error);

/// A new device token, shown once to the phone that enrols.
pub fn new_token() -> Result<String, NoRandomness> {
    random_text::<TOKEN_BYTES>()
}

/// A new invite code, for the `code=` of an invite link.
pub fn new_code() -> Result<String, NoRandomness> {
    random_text::<CODE_BYTES>()
}

/// What the database keeps of a token or a code (core's [`token_hash`]).
pub fn hash(secret: &str) -> String {
    token_hash(secret)
}

/// `N` bytes from the operating system's generator.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], NoRandomness> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(NoRandomness)?;
    Ok(bytes)
}

fn random_text<const N: usize>() -> Result<String, NoRandomness> {
    Ok(URL_SAFE_NO_PAD.encode(random_bytes::<N>()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_codes_are_url_safe_and_never_repeat() {
        let tokens: std::collections::HashSet<String> = (0..1000).map(|_| new_token().unwrap()).collect();
        assert_eq!(tokens.len(), 1000);
        for token in &tokens {
            assert_eq!(token.len(), 43, "{token}");
            assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{token}");
        }
        let code = new_code().unwrap();
        assert_eq!(code.len(), 16);
        assert_ne!(code, new_code().unwrap());
    }

    #[test]
    fn the_hash_is_sha256_hex() {
        assert_eq!(hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_ne!(hash("abc"), hash("abd"));
    }
}
