//! This phone's enrolment (the device token, who it joined as, and the server that issued
//! the token), kept in `localStorage` under a key of its own, apart from the settings, so
//! that changing the language never touches it. The token is sent to its own server only
//! (see [`crate::sync::HttpTransport::new`]) and never shown.

use gloo_storage::{LocalStorage, Storage};
use serde::Deserialize;
use tongxing_core::enrolment::{DeviceEnrolment, ServerOrigin, TrustedServers};
use tongxing_core::outbox::EntryOwner;
use tongxing_core::Worker;

use super::settings::SETTINGS_KEY;
use super::StorageError;
use crate::trusted_servers::trusted_servers;

/// The key, also read by the end-to-end tests to start a phone already joined.
pub const DEVICE_KEY: &str = "tongxing.device";

/// The enrolment this phone holds, if it has joined a server this app trusts. An
/// unreadable one, or one of a server this build does not trust, counts as none: the worker
/// joins again.
pub fn load() -> Option<DeviceEnrolment> {
    let trusted = trusted_servers()?;
    let kept = LocalStorage::raw().get_item(DEVICE_KEY).ok()??;
    let (enrolment, upgraded) = DeviceEnrolment::read_stored(&kept, || earlier_server(&trusted))?;
    if !trusted.trusts(&enrolment.server) {
        return None;
    }
    if upgraded {
        // Kept before tokens were bound to their server: keep it bound from now on.
        let _ = store(&enrolment);
    }
    Some(enrolment)
}

/// The worker this phone joined as.
pub fn worker() -> Option<Worker> {
    load().map(|enrolled| enrolled.worker)
}

/// Whose the records saved now are.
pub fn owner() -> Option<EntryOwner> {
    load().map(|enrolled| enrolled.owner())
}

/// Keeps an enrolment, replacing any earlier one (joining again, or a rotated token).
pub fn store(enrolment: &DeviceEnrolment) -> Result<(), StorageError> {
    LocalStorage::set(DEVICE_KEY, enrolment).map_err(|error| {
        let text = error.to_string();
        if text.contains("QuotaExceeded") {
            StorageError::Full
        } else {
            StorageError::Failed(text)
        }
    })
}

/// The server an enrolment kept before tokens were bound to servers was used with: the
/// address then set under Settings (empty: the app's own), if this app trusts it.
fn earlier_server(trusted: &TrustedServers) -> Option<ServerOrigin> {
    #[derive(Deserialize)]
    struct EarlierSettings {
        #[serde(default)]
        api_base: String,
    }
    let earlier = LocalStorage::get::<EarlierSettings>(SETTINGS_KEY).map(|s| s.api_base).unwrap_or_default();
    trusted.check(&earlier).ok()
}
