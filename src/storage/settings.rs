//! The phone's settings (the language) and the open space's time of the last successful
//! sync, kept in `localStorage` with gloo-storage. They hold no case data and are needed
//! before anything else opens, so they do not pass through the codec. The server is not a
//! setting: it is the one the phone joined (see [`super::enrolment`]).

use chrono::{DateTime, Utc};
use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};
use tongxing_core::vault::SpaceKey;
use tongxing_core::Lang;

pub(super) const SETTINGS_KEY: &str = "tongxing.settings";

/// What the worker chose on this phone.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Settings {
    /// The interface language; Chinese unless changed.
    #[serde(default)]
    pub lang: Lang,
}

impl Settings {
    /// The stored settings, or the defaults.
    pub fn load() -> Settings {
        LocalStorage::get(SETTINGS_KEY).unwrap_or_default()
    }

    /// Stores them. Failing to store settings (storage blocked) keeps them for this session.
    pub fn store(&self) {
        let _ = LocalStorage::set(SETTINGS_KEY, self);
    }
}

/// When the open space's outbox last delivered something.
pub fn last_sync() -> Option<DateTime<Utc>> {
    LocalStorage::get(crate::vault::space().key(SpaceKey::LastSync)).ok()
}

/// Records a delivery time.
pub fn set_last_sync(at: DateTime<Utc>) {
    let _ = LocalStorage::set(crate::vault::space().key(SpaceKey::LastSync), at);
}
