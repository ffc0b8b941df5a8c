//! The key a PIN gives: PBKDF2-HMAC-SHA256 through WebCrypto (the browser's native code,
//! hundreds of thousands of iterations in half a second), 256 bits.

use js_sys::{Array, ArrayBuffer, Uint8Array};
use tongxing_core::vault::{DataKey, Iterations, Pin, KEY_BYTES, SALT_BYTES};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, Pbkdf2Params, SubtleCrypto};

use super::VaultError;

/// The key `pin` gives with `salt` and `iterations`.
pub async fn derive(pin: &Pin, salt: &[u8; SALT_BYTES], iterations: Iterations) -> Result<DataKey, VaultError> {
    derive_with(pin, salt, iterations.get()).await
}

/// The iterations that take about half a second on this phone (core's
/// [`Iterations::tuned`]), timed on a derivation of [`Iterations::SAMPLE`].
pub async fn tuned_iterations(pin: &Pin, salt: &[u8; SALT_BYTES]) -> Result<Iterations, VaultError> {
    let started = js_sys::Date::now();
    derive_with(pin, salt, Iterations::SAMPLE).await?;
    let took = js_sys::Date::now() - started;
    Ok(Iterations::tuned(chrono::Duration::milliseconds(took as i64)))
}

async fn derive_with(pin: &Pin, salt: &[u8; SALT_BYTES], iterations: u32) -> Result<DataKey, VaultError> {
    let subtle = subtle()?;
    let usages = Array::of1(&"deriveBits".into());
    let pin_bytes = Uint8Array::from(pin.bytes());
    let imported =
        subtle.import_key_with_str("raw", &pin_bytes, "PBKDF2", false, &usages).map_err(|_| VaultError::NoWebCrypto)?;
    // The copy of the PIN handed to the browser is wiped once imported.
    let base: CryptoKey = JsFuture::from(imported).await.map_err(|_| VaultError::NoWebCrypto)?.unchecked_into();
    pin_bytes.fill(0, 0, pin_bytes.length());
    let params = Pbkdf2Params::new("PBKDF2", &"SHA-256".into(), iterations, &Uint8Array::from(&salt[..]));
    let derived =
        subtle.derive_bits_with_object(&params, &base, (KEY_BYTES * 8) as u32).map_err(|_| VaultError::NoWebCrypto)?;
    let bits: ArrayBuffer = JsFuture::from(derived).await.map_err(|_| VaultError::NoWebCrypto)?.unchecked_into();
    let view = Uint8Array::new(&bits);
    let mut bytes = [0u8; KEY_BYTES];
    if view.length() as usize != KEY_BYTES {
        return Err(VaultError::NoWebCrypto);
    }
    view.copy_to(&mut bytes);
    view.fill(0, 0, view.length());
    Ok(DataKey::from_bytes(bytes))
}

fn subtle() -> Result<SubtleCrypto, VaultError> {
    let crypto = web_sys::window().and_then(|w| w.crypto().ok()).ok_or(VaultError::NoWebCrypto)?;
    // `subtle` is undefined outside secure contexts (plain http on another host).
    let subtle = crypto.subtle();
    if subtle.is_undefined() {
        return Err(VaultError::NoWebCrypto);
    }
    Ok(subtle)
}
