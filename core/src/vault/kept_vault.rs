//! What the phone keeps in the clear about its vault, readable before it is unlocked: the
//! wrapped data key, the wrong PINs typed, whether every stored value has been sealed, and
//! the name and role of the worker it is of (for the lock screen, and to open the app her
//! role uses). No token, nothing of a child.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{DataKey, PinRule, UnlockAttempts, UnlockWait, WrappedKey};
use crate::enrolment::ServerOrigin;
use crate::Role;

/// A phone's vault as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptVault {
    /// The vault's own id: what its wrapped key is bound to.
    pub id: Uuid,
    /// The data key, wrapped under the PIN's key.
    pub wrapped: WrappedKey,
    /// The rule the PIN was chosen under (the lock screen shows a number pad for digits).
    #[serde(default)]
    pub rule: PinRule,
    /// Wrong PINs since the last unlock.
    #[serde(default)]
    pub attempts: UnlockAttempts,
    /// Whether every value stored before the vault existed has been sealed since; until
    /// then, unlocking finishes that first.
    #[serde(default)]
    pub sealed_all: bool,
    /// Who the vault is of, once she has joined.
    #[serde(default)]
    pub holder: Option<VaultHolder>,
}

/// The worker a vault is of, as the lock screen names her, and the server she joined (where
/// a forgotten PIN is recovered: the enrolment, sealed, cannot be read then).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaultHolder {
    pub name: String,
    pub role: Role,
    #[serde(default)]
    pub server: Option<ServerOrigin>,
}

impl KeptVault {
    /// A new vault around `wrapped`, with values from before it still to seal.
    pub fn new(id: Uuid, wrapped: WrappedKey, rule: PinRule) -> KeptVault {
        KeptVault { id, wrapped, rule, attempts: UnlockAttempts::default(), sealed_all: false, holder: None }
    }

    /// Whether a PIN may be tried at `now` (checked before the slow derivation).
    pub fn wait_at(&self, now: DateTime<Utc>) -> UnlockWait {
        self.attempts.wait_at(now)
    }

    /// The data key wrapped anew under a new PIN of `rule` (her supervisor gave the key back
    /// for a forgotten PIN, or her county asks for a stronger one), and the wrong PINs
    /// forgotten.
    pub fn rewrapped(&mut self, wrapped: WrappedKey, rule: PinRule) {
        self.wrapped = wrapped;
        self.rule = rule;
        self.attempts = UnlockAttempts::cleared();
    }

    /// Tries the key derived from a typed PIN at `now`: the data key, or (a wrong PIN,
    /// counted) how long to wait before the next try. A PIN tried while it must wait is
    /// refused without counting.
    pub fn unlock(&mut self, pin_key: &DataKey, now: DateTime<Utc>) -> Result<DataKey, UnlockWait> {
        match self.wait_at(now) {
            UnlockWait::Ready => {}
            waiting => return Err(waiting),
        }
        match self.wrapped.unwrap_with(pin_key, &self.id.to_string()) {
            Ok(key) => {
                self.attempts = UnlockAttempts::cleared();
                Ok(key)
            }
            Err(_) => {
                self.attempts = self.attempts.failed(now);
                Err(self.wait_at(now))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Iterations, ATTEMPTS_BEFORE_RECOVERY, IV_BYTES, KEY_BYTES, SALT_BYTES};
    use super::*;

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_780_000_000 + s, 0).unwrap()
    }

    fn vault() -> KeptVault {
        let id = Uuid::from_u128(7);
        let data = DataKey::from_bytes([7; KEY_BYTES]);
        let pin_key = DataKey::from_bytes([1; KEY_BYTES]);
        let wrapped =
            WrappedKey::wrap(&data, &pin_key, [3; SALT_BYTES], Iterations::MIN, [5; IV_BYTES], &id.to_string());
        KeptVault::new(id, wrapped, PinRule::SixDigits)
    }

    const RIGHT: [u8; KEY_BYTES] = [1; KEY_BYTES];
    const WRONG: [u8; KEY_BYTES] = [2; KEY_BYTES];

    #[test]
    fn the_right_pin_unlocks_and_clears_the_wrong_ones() {
        let mut vault = vault();
        assert_eq!(vault.unlock(&DataKey::from_bytes(WRONG), at(0)), Err(UnlockWait::Ready), "a first slip");
        assert_eq!(vault.attempts.failures, 1);
        assert_eq!(vault.unlock(&DataKey::from_bytes(RIGHT), at(1)), Ok(DataKey::from_bytes([7; KEY_BYTES])));
        assert_eq!(vault.attempts, UnlockAttempts::cleared());
    }

    #[test]
    fn a_pin_tried_during_a_wait_is_refused_and_not_counted() {
        let mut vault = vault();
        let _ = vault.unlock(&DataKey::from_bytes(WRONG), at(0));
        let second = vault.unlock(&DataKey::from_bytes(WRONG), at(0));
        assert!(matches!(second, Err(UnlockWait::Wait(_))), "{second:?}");
        assert!(
            matches!(vault.unlock(&DataKey::from_bytes(RIGHT), at(1)), Err(UnlockWait::Wait(_))),
            "even the right one"
        );
        assert_eq!(vault.attempts.failures, 2);
        assert!(vault.unlock(&DataKey::from_bytes(RIGHT), at(3600)).is_ok());
    }

    #[test]
    fn ten_wrong_pins_lock_it_until_a_recovery() {
        let mut vault = vault();
        let mut now = 0;
        for _ in 0..ATTEMPTS_BEFORE_RECOVERY {
            let _ = vault.unlock(&DataKey::from_bytes(WRONG), at(now));
            now += 86_400;
        }
        assert_eq!(vault.unlock(&DataKey::from_bytes(RIGHT), at(now)), Err(UnlockWait::NeedsRecovery));
    }

    #[test]
    fn a_kept_vault_reads_back_and_an_older_one_without_counts_too() {
        let kept = serde_json::to_value(vault()).unwrap();
        assert_eq!(serde_json::from_value::<KeptVault>(kept.clone()).unwrap(), vault());
        let mut bare = kept;
        for field in ["rule", "attempts", "sealed_all", "holder"] {
            bare.as_object_mut().unwrap().remove(field);
        }
        assert_eq!(serde_json::from_value::<KeptVault>(bare).unwrap(), vault());
    }
}
