//! Who this phone joined as, and its device token, kept in `localStorage` under a key of
//! their own (apart from the settings, so that changing the language never touches them).
//! The token is sent with every call to the server and never shown.

use gloo_storage::{LocalStorage, Storage};
use tongxing_core::worker::EnrollReply;
use tongxing_core::Worker;

use super::StorageError;

/// The key, also read by the end-to-end tests to start a phone already joined.
pub const DEVICE_KEY: &str = "tongxing.device";

/// The enrolment this phone holds, if it has joined (an unreadable one counts as none: the
/// worker joins again).
pub fn load() -> Option<EnrollReply> {
    LocalStorage::get(DEVICE_KEY).ok()
}

/// The worker this phone joined as.
pub fn worker() -> Option<Worker> {
    load().map(|enrolled| enrolled.worker)
}

/// The device token to send, if the phone has joined.
pub fn token() -> Option<String> {
    load().map(|enrolled| enrolled.token)
}

/// Keeps a new enrolment, replacing any earlier one (joining again after a revocation).
pub fn store(enrolled: &EnrollReply) -> Result<(), StorageError> {
    LocalStorage::set(DEVICE_KEY, enrolled).map_err(|error| {
        let text = error.to_string();
        if text.contains("QuotaExceeded") {
            StorageError::Full
        } else {
            StorageError::Failed(text)
        }
    })
}
