//! What the browser says about the site's storage: how much it uses and may use, and
//! whether it may evict the site's data when the phone runs short.

use tongxing_core::photo::SpaceVerdict;
use wasm_bindgen_futures::JsFuture;
use web_sys::{StorageEstimate, StorageManager};

fn manager() -> Option<StorageManager> {
    // `navigator.storage` is missing in old browsers and non-secure contexts.
    let navigator = web_sys::window()?.navigator();
    js_sys::Reflect::get(&navigator, &"storage".into()).ok().filter(|v| !v.is_undefined())?;
    Some(navigator.storage())
}

/// Whether a photo of `incoming` bytes fits, by `navigator.storage.estimate()`. Without the
/// API the answer is "enough": the write itself still reports a full disk.
pub async fn space_for_photo(incoming: u64) -> SpaceVerdict {
    let estimate = async {
        let promise = manager()?.estimate().ok()?;
        let estimate: StorageEstimate = JsFuture::from(promise).await.ok()?.into();
        Some((estimate.get_usage().map(|u| u as u64), estimate.get_quota().map(|q| q as u64)))
    };
    match estimate.await {
        Some((usage, quota)) => SpaceVerdict::for_photo(usage, quota, incoming),
        None => SpaceVerdict::for_photo(None, None, incoming),
    }
}

/// Asks the browser to keep the site's data even when the phone runs short of space
/// (`navigator.storage.persist()`); whether it agrees is the browser's choice.
pub async fn ask_to_persist() -> bool {
    let Some(promise) = manager().and_then(|m| m.persist().ok()) else { return false };
    JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()).unwrap_or(false)
}
