//! Random bytes from the browser's cryptographic generator, for keys, salts and IVs. There
//! is no weaker fallback: without `crypto.getRandomValues` nothing is sealed.

use super::VaultError;

/// `N` random bytes.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], VaultError> {
    let mut bytes = [0u8; N];
    web_sys::window()
        .and_then(|window| window.crypto().ok())
        .and_then(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).ok())
        .ok_or(VaultError::NoWebCrypto)?;
    Ok(bytes)
}
