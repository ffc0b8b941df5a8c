//! The open space's enrolment (the device token, who she joined as, and the server that
//! issued the token), kept in `localStorage` under a key of its own (`tongxing.device`, with
//! the space's id after it for every space but the phone's first), apart from the settings,
//! so that changing the language never touches it. It is sealed like every stored value
//! (base64 of the sealed bytes), so it reads only while the phone is unlocked; the vault
//! keeps the worker's name and role in the clear for the lock screen. The token is sent to
//! its own server only (see [`crate::sync::HttpTransport::new`]) and never shown.

use gloo_storage::{LocalStorage, Storage};
use serde::Deserialize;
use tongxing_core::enrolment::{DeviceEnrolment, ServerOrigin, TrustedServers};
use tongxing_core::outbox::EntryOwner;
use tongxing_core::vault::{Place, SpaceKey, VaultHolder};
use tongxing_core::{Role, Worker};

use super::settings::SETTINGS_KEY;
use super::StorageError;
use crate::trusted_servers::trusted_servers;
use crate::vault;

/// The open space's key (the first space's, `tongxing.device`, is also written by the
/// end-to-end tests to start a phone already joined).
pub fn device_key() -> String {
    vault::space().key(SpaceKey::Device)
}

/// The enrolment this phone holds, if it has joined a server this app trusts. An
/// unreadable one, or one of a server this build does not trust, counts as none: the worker
/// joins again.
pub fn load() -> Option<DeviceEnrolment> {
    let trusted = trusted_servers()?;
    let kept = LocalStorage::raw().get_item(&device_key()).ok()??;
    let (opened, was_clear) = readable(&kept)?;
    let (enrolment, upgraded) = DeviceEnrolment::read_stored(&opened, || earlier_server(&trusted))?;
    if !trusted.trusts(&enrolment.server) {
        return None;
    }
    if upgraded || (was_clear && vault::is_unlocked()) {
        // Kept before tokens were bound to their server, or before the phone had a PIN:
        // keep it bound and sealed from now on.
        let _ = store(&enrolment);
    }
    Some(enrolment)
}

/// The kept enrolment's JSON: opened with the unlocked key, or (kept before the phone had
/// a PIN, until everything is sealed) as it was kept; and whether it was kept in the clear.
fn readable(kept: &str) -> Option<(String, bool)> {
    let key = device_key();
    let place = Place::new(LOCAL_STORAGE, &key);
    if let Some(sealed) = from_base64(kept) {
        let opened = vault::open(place, &sealed).ok()?;
        return String::from_utf8(opened).ok().map(|json| (json, false));
    }
    // Once a sealed enrolment has named the vault's holder, one in the clear can only have
    // been put there from outside.
    let clear_allowed = vault::kept_vault().is_none_or(|kept| kept.holder.is_none());
    (clear_allowed && kept.starts_with('{')).then(|| (kept.to_owned(), true))
}

/// Seals the enrolment if it was kept in the clear (reading it does).
pub fn seal_kept() -> Result<(), StorageError> {
    let _ = load();
    if is_sealed() {
        Ok(())
    } else {
        Err(StorageError::Locked)
    }
}

/// Whether the enrolment kept (if any) is sealed.
pub fn is_sealed() -> bool {
    let kept = LocalStorage::raw().get_item(&device_key()).ok().flatten();
    kept.is_none_or(|kept| from_base64(&kept).is_some())
}

/// The role the open space joined as, read before it is unlocked (which app to open): the
/// vault's holder once the phone has a PIN, else the role of an enrolment kept in the clear
/// before PINs. It reads no more than that, so the lock's first piece of WebAssembly does
/// not carry the enrolment's reading.
pub fn role() -> Option<Role> {
    #[derive(Deserialize)]
    struct Kept {
        worker: KeptWorker,
    }
    #[derive(Deserialize)]
    struct KeptWorker {
        role: Role,
    }
    match vault::kept_vault() {
        Some(kept) => kept.holder.map(|holder| holder.role),
        None => {
            let kept = LocalStorage::raw().get_item(&device_key()).ok()??;
            serde_json::from_str::<Kept>(&kept).ok().map(|kept| kept.worker.role)
        }
    }
}

/// The worker this phone joined as.
pub fn worker() -> Option<Worker> {
    load().map(|enrolled| enrolled.worker)
}

/// Whose the records saved now are.
pub fn owner() -> Option<EntryOwner> {
    load().map(|enrolled| enrolled.owner())
}

/// Keeps an enrolment, sealed, replacing any earlier one (joining again, or a rotated
/// token), and names its worker on the vault.
pub fn store(enrolment: &DeviceEnrolment) -> Result<(), StorageError> {
    let json = serde_json::to_vec(enrolment).map_err(|error| StorageError::Failed(error.to_string()))?;
    let key = device_key();
    let sealed = vault::seal(Place::new(LOCAL_STORAGE, &key), &json)?;
    let text = to_base64(&sealed).ok_or_else(|| StorageError::Failed("base64".into()))?;
    LocalStorage::raw().set_item(&key, &text).map_err(|error| {
        let text = crate::js_error::describe(&error);
        if text.contains("QuotaExceeded") {
            StorageError::Full
        } else {
            StorageError::Failed(text)
        }
    })?;
    let holder = VaultHolder {
        name: enrolment.worker.name.clone(),
        role: enrolment.worker.role,
        server: Some(enrolment.server.clone()),
    };
    vault::name_holder(holder).map_err(|error| StorageError::Failed(error.to_string()))
}

/// The "store" the enrolment is sealed for (it is kept in `localStorage`).
const LOCAL_STORAGE: &str = "localStorage";

/// Base64 of sealed bytes, by the browser's `btoa` (over a string of one char per byte).
fn to_base64(bytes: &[u8]) -> Option<String> {
    let binary: String = bytes.iter().map(|b| char::from(*b)).collect();
    web_sys::window()?.btoa(&binary).ok()
}

/// The bytes of base64 text, by the browser's `atob`; `None` for text that is not base64
/// (an enrolment kept in the clear, as JSON).
fn from_base64(text: &str) -> Option<Vec<u8>> {
    let binary = web_sys::window()?.atob(text).ok()?;
    binary.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect()
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
