//! A worker's own space on a shared phone: her vault (under her PIN), her enrolment and
//! token, and her database of children, visits and photos. Each worker who joins a phone has
//! one, so that she sees only her own records and they are sent only with her token; the
//! lock screen lists the spaces by their holders' names.
//!
//! The phone's first space keeps the names used before phones were shared (`tongxing`,
//! `tongxing.vault`, `tongxing.device`), so a phone updated from then is that space with
//! nothing moved; every other space's names end in its id.

use uuid::Uuid;

use super::KeptVault;

/// The prefix of every name the app keeps in the browser.
pub const PREFIX: &str = "tongxing";

/// A worker's space: where her vault, her enrolment and her records are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WorkerSpace {
    /// Its vault's id.
    id: Uuid,
    /// The phone's first space, under the names from before phones were shared.
    first: bool,
}

impl WorkerSpace {
    /// The phone's first database: the first space's, which also keeps every space's vault
    /// copy.
    pub const FIRST_DATABASE: &'static str = PREFIX;

    /// The space of the vault `id`, the phone's first or another.
    pub fn new(id: Uuid, first: bool) -> WorkerSpace {
        WorkerSpace { id, first }
    }

    /// Its vault's id.
    pub fn id(self) -> Uuid {
        self.id
    }

    /// Whether it is the phone's first space.
    pub fn is_first(self) -> bool {
        self.first
    }

    /// The name of its IndexedDB database. The first space's database is also where the
    /// phone keeps the durable copies of every space's vault ([`Self::vault_copy_key`]).
    pub fn database(self) -> String {
        self.named(Self::FIRST_DATABASE, '-')
    }

    /// Its `localStorage` key for `what` (`tongxing.device`, `tongxing.device.<id>`, …).
    pub fn key(self, what: SpaceKey) -> String {
        self.named(&format!("{PREFIX}.{}", what.name()), '.')
    }

    /// Its vault's `localStorage` key.
    pub fn vault_key(self) -> String {
        self.key(SpaceKey::Vault)
    }

    /// The key of its vault's durable copy in the phone's first database.
    pub fn vault_copy_key(self) -> String {
        self.named("kept", '.')
    }

    fn named(self, base: &str, separator: char) -> String {
        if self.first {
            base.to_owned()
        } else {
            format!("{base}{separator}{}", self.id)
        }
    }

    /// The space whose vault is kept under the `localStorage` key `key`, if it is one, and
    /// `vault` was kept there (a vault under another space's key was put there from
    /// outside, and is no space).
    pub fn of_vault_key(key: &str, vault: &KeptVault) -> Option<WorkerSpace> {
        let first = WorkerSpace::new(vault.id, true);
        let other = WorkerSpace::new(vault.id, false);
        [first, other].into_iter().find(|space| space.vault_key() == key)
    }

    /// The space of the vault copy kept under `key` in the phone's first database.
    pub fn of_vault_copy_key(key: &str, vault: &KeptVault) -> Option<WorkerSpace> {
        let first = WorkerSpace::new(vault.id, true);
        let other = WorkerSpace::new(vault.id, false);
        [first, other].into_iter().find(|space| space.vault_copy_key() == key)
    }
}

/// What each space keeps in `localStorage` (under [`WorkerSpace::key`]): all of it goes
/// when she leaves the phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpaceKey {
    /// Her vault (core's [`KeptVault`]), in the clear.
    Vault,
    /// Her enrolment and token, sealed.
    Device,
    /// When her records last reached the server.
    LastSync,
    /// The village she last entered on a child's file.
    LastVillage,
}

impl SpaceKey {
    /// Every one.
    pub const ALL: [SpaceKey; 4] = [SpaceKey::Vault, SpaceKey::Device, SpaceKey::LastSync, SpaceKey::LastVillage];

    fn name(self) -> &'static str {
        match self {
            SpaceKey::Vault => "vault",
            SpaceKey::Device => "device",
            SpaceKey::LastSync => "last_sync",
            SpaceKey::LastVillage => "last_village",
        }
    }
}

/// A space on this phone with its vault: what the lock screen lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpaceOnPhone {
    pub space: WorkerSpace,
    pub vault: KeptVault,
}

/// The spaces of the vaults kept under `kept` (`localStorage` keys with their vaults), the
/// first space first, then by their holders' names (a space not joined yet last).
pub fn spaces_on_phone(kept: impl IntoIterator<Item = (String, KeptVault)>) -> Vec<SpaceOnPhone> {
    fn order(on: &SpaceOnPhone) -> (bool, bool, Option<&str>, Uuid) {
        let name = on.vault.holder.as_ref().map(|holder| holder.name.as_str());
        (!on.space.first, name.is_none(), name, on.space.id)
    }
    // Put in place one by one: a phone has a few spaces, and the app's first piece of
    // WebAssembly would otherwise carry the standard library's sort.
    let mut spaces: Vec<SpaceOnPhone> = Vec::new();
    for (key, vault) in kept {
        if let Some(space) = WorkerSpace::of_vault_key(&key, &vault) {
            let on = SpaceOnPhone { space, vault };
            let at = spaces.partition_point(|placed| order(placed) <= order(&on));
            spaces.insert(at, on);
        }
    }
    spaces
}

/// The space a new vault `id` gets: the first, if no space holds it (a new phone, or its
/// first worker left), or another.
pub fn new_space(on_phone: &[SpaceOnPhone], id: Uuid) -> WorkerSpace {
    WorkerSpace::new(id, !on_phone.iter().any(|on| on.space.first))
}

/// The space to open: the one chosen last on this phone, if it is still there, else the
/// first listed.
pub fn space_to_open(on_phone: &[SpaceOnPhone], chosen_last: Option<Uuid>) -> Option<WorkerSpace> {
    on_phone.iter().find(|on| Some(on.space.id) == chosen_last).or_else(|| on_phone.first()).map(|on| on.space)
}

#[cfg(test)]
mod tests {
    use super::super::{DataKey, Iterations, PinRule, VaultHolder, WrappedKey, IV_BYTES, KEY_BYTES, SALT_BYTES};
    use super::*;
    use crate::Role;

    fn vault(n: u128, holder: Option<&str>) -> KeptVault {
        let id = Uuid::from_u128(n);
        let key = DataKey::from_bytes([1; KEY_BYTES]);
        let wrapped = WrappedKey::wrap(&key, &key, [2; SALT_BYTES], Iterations::MIN, [3; IV_BYTES], &id.to_string());
        let mut vault = KeptVault::new(id, wrapped, PinRule::SixDigits);
        vault.holder = holder.map(|name| VaultHolder { name: name.into(), role: Role::Director, server: None });
        vault
    }

    #[test]
    fn the_first_space_keeps_the_names_from_before_shared_phones() {
        let first = WorkerSpace::new(Uuid::from_u128(1), true);
        assert_eq!(first.database(), "tongxing");
        assert_eq!(first.vault_key(), "tongxing.vault");
        assert_eq!(first.key(SpaceKey::Device), "tongxing.device");
        assert_eq!(first.key(SpaceKey::LastVillage), "tongxing.last_village");
        assert_eq!(first.vault_copy_key(), "kept");
        let other = WorkerSpace::new(Uuid::from_u128(2), false);
        let id = "00000000-0000-0000-0000-000000000002";
        assert_eq!(other.database(), format!("tongxing-{id}"));
        assert_eq!(other.key(SpaceKey::Device), format!("tongxing.device.{id}"));
        assert_eq!(other.vault_copy_key(), format!("kept.{id}"));
    }

    #[test]
    fn the_phone_lists_its_spaces_first_one_first_then_by_name() {
        let listed = spaces_on_phone([
            (WorkerSpace::new(Uuid::from_u128(3), false).vault_key(), vault(3, None)),
            (WorkerSpace::new(Uuid::from_u128(2), false).vault_key(), vault(2, Some("王兰"))),
            ("tongxing.vault".to_owned(), vault(1, Some("李芳"))),
            (WorkerSpace::new(Uuid::from_u128(4), false).vault_key(), vault(4, Some("陈静"))),
        ]);
        let names: Vec<_> = listed.iter().map(|on| on.vault.holder.as_ref().map(|h| h.name.as_str())).collect();
        assert_eq!(names, [Some("李芳"), Some("王兰"), Some("陈静"), None]);
        assert!(listed[0].space.first);
    }

    #[test]
    fn a_vault_under_another_spaces_key_is_no_space() {
        let moved = (WorkerSpace::new(Uuid::from_u128(9), false).vault_key(), vault(2, Some("王兰")));
        let elsewhere = ("tongxing.settings".to_owned(), vault(5, Some("某人")));
        assert!(spaces_on_phone([moved, elsewhere]).is_empty());
        let copy = WorkerSpace::new(Uuid::from_u128(2), false).vault_copy_key();
        assert!(WorkerSpace::of_vault_copy_key(&copy, &vault(2, None)).is_some());
        assert!(WorkerSpace::of_vault_copy_key(&copy, &vault(3, None)).is_none());
    }

    #[test]
    fn a_new_vault_takes_the_first_space_when_it_is_free() {
        assert!(new_space(&[], Uuid::from_u128(1)).first);
        let one = spaces_on_phone([("tongxing.vault".to_owned(), vault(1, Some("李芳")))]);
        assert!(!new_space(&one, Uuid::from_u128(2)).first);
        let without_first =
            spaces_on_phone([(WorkerSpace::new(Uuid::from_u128(2), false).vault_key(), vault(2, Some("王兰")))]);
        assert!(new_space(&without_first, Uuid::from_u128(3)).first, "its first worker left");
    }

    #[test]
    fn the_space_chosen_last_opens_while_it_is_there() {
        let two = spaces_on_phone([
            ("tongxing.vault".to_owned(), vault(1, Some("李芳"))),
            (WorkerSpace::new(Uuid::from_u128(2), false).vault_key(), vault(2, Some("王兰"))),
        ]);
        assert_eq!(space_to_open(&two, Some(Uuid::from_u128(2))).map(WorkerSpace::id), Some(Uuid::from_u128(2)));
        assert_eq!(space_to_open(&two, Some(Uuid::from_u128(7))).map(WorkerSpace::id), Some(Uuid::from_u128(1)));
        assert_eq!(space_to_open(&two, None).map(WorkerSpace::id), Some(Uuid::from_u128(1)));
        assert_eq!(space_to_open(&[], None), None);
    }
}
