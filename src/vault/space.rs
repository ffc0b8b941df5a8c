//! The workers' spaces on this phone (core's [`WorkerSpace`]), as `localStorage` lists their
//! vaults, and the one this page opens: chosen on the lock screen (or the one chosen last),
//! and fixed once unlocked, so that another tab choosing another worker never mixes her
//! names with this page's key.

use std::cell::Cell;

use gloo_storage::{LocalStorage, Storage};
use tongxing_core::vault::{self, KeptVault, SpaceOnPhone, WorkerSpace};
use uuid::Uuid;

thread_local! {
    static OPEN: Cell<Option<WorkerSpace>> = const { Cell::new(None) };
}

/// Which space was chosen last on this phone (its id only; the lock screen shows it first).
const CHOSEN_KEY: &str = "tongxing.space";

/// Every space on this phone, as the lock screen lists them.
pub fn on_phone() -> Vec<SpaceOnPhone> {
    let storage = LocalStorage::raw();
    let prefix = WorkerSpace::new(Uuid::nil(), true).vault_key();
    let keys = (0..storage.length().unwrap_or(0)).filter_map(|i| storage.key(i).ok().flatten());
    let kept = keys
        .filter(|key| key.starts_with(&prefix))
        .filter_map(|key| LocalStorage::get::<KeptVault>(&key).ok().map(|vault| (key, vault)));
    vault::spaces_on_phone(kept.collect::<Vec<_>>())
}

/// The space this page reads and writes: the one chosen, else the one chosen last, else
/// the first; before any vault exists, the first space's names.
pub fn space() -> WorkerSpace {
    if let Some(open) = OPEN.get() {
        return open;
    }
    let chosen_last = LocalStorage::get::<Uuid>(CHOSEN_KEY).ok();
    let Some(space) = vault::space_to_open(&on_phone(), chosen_last) else {
        return WorkerSpace::new(Uuid::nil(), true);
    };
    OPEN.set(Some(space));
    space
}

/// Opens `space` in this page, and shows it first on the next start.
pub fn choose(space: WorkerSpace) {
    OPEN.set(Some(space));
    let _ = LocalStorage::set(CHOSEN_KEY, space.id());
}

/// The space a new vault `id` takes on this phone.
pub fn new_space(id: Uuid) -> WorkerSpace {
    vault::new_space(&on_phone(), id)
}
