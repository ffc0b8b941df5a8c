//! A recovery code: what a supervisor reads to a worker who forgot her PIN, and she types on
//! her locked phone to get its data key back from the server. Eight digits (typed on a number
//! pad, read over the telephone), valid for one phone, once, for a day, and for a few tries:
//! the server keeps only its hash.

use std::fmt;

use chrono::Duration;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::Lang;

/// How many digits a code has.
pub const RECOVERY_CODE_DIGITS: usize = 8;
/// How long a recovery stays open after the supervisor issued it.
pub const RECOVERY_VALID_FOR: Duration = Duration::hours(24);
/// How many wrong codes void a recovery (the supervisor issues another).
pub const RECOVERY_TRIES: u32 = 5;

/// A recovery code, as issued or as typed (spaces and dashes dropped).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RecoveryCode(String);

/// Why a typed code is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("a recovery code is eight digits")]
pub struct NotARecoveryCode;

impl NotARecoveryCode {
    /// A sentence for the worker.
    pub fn message(self, lang: Lang) -> &'static str {
        lang.pick(
            "恢复码是 8 位数字，请向督导核对后重新输入。",
            "A recovery code is 8 digits: check it with your supervisor and type it again.",
        )
    }
}

impl RecoveryCode {
    /// The code `n` (below 10^8), as the server issues it from a random number.
    pub fn from_number(n: u32) -> RecoveryCode {
        RecoveryCode(format!("{:08}", n % 100_000_000))
    }

    /// A code as typed: eight ASCII digits, with any spaces or dashes between them.
    pub fn typed(text: &str) -> Result<RecoveryCode, NotARecoveryCode> {
        let digits: String = text.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if digits.len() == RECOVERY_CODE_DIGITS && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(RecoveryCode(digits))
        } else {
            Err(NotARecoveryCode)
        }
    }

    /// "1234 5678", as the supervisor's screen shows it.
    pub fn grouped(&self) -> String {
        format!("{} {}", &self.0[..4], &self.0[4..])
    }

    /// What the server keeps: the SHA-256 of the code bound to the phone it is for (hex), so
    /// that a code is worth nothing for another phone.
    pub fn hash_for(&self, device: &str) -> String {
        let mut hash = Sha256::new();
        hash.update(b"tongxing recovery 1\0");
        hash.update(device.as_bytes());
        hash.update([0]);
        hash.update(self.0.as_bytes());
        hex::encode(hash.finalize())
    }
}

impl TryFrom<String> for RecoveryCode {
    type Error = NotARecoveryCode;

    fn try_from(text: String) -> Result<RecoveryCode, NotARecoveryCode> {
        RecoveryCode::typed(&text)
    }
}

impl From<RecoveryCode> for String {
    fn from(code: RecoveryCode) -> String {
        code.0
    }
}

/// Never printed in logs.
impl fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryCode(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_eight_digits_however_it_was_typed() {
        let code = RecoveryCode::typed("0123 4567").unwrap();
        assert_eq!(code, RecoveryCode::typed("0123-4567").unwrap());
        assert_eq!(code, RecoveryCode::from_number(1_234_567));
        assert_eq!(code.grouped(), "0123 4567");
        for wrong in ["", "1234567", "123456789", "1234 567a", "１２３４５６７８"] {
            assert_eq!(RecoveryCode::typed(wrong), Err(NotARecoveryCode), "{wrong}");
        }
        assert!(serde_json::from_str::<RecoveryCode>("\"12\"").is_err());
    }

    #[test]
    fn its_hash_is_bound_to_one_phone_and_it_never_prints() {
        let code = RecoveryCode::from_number(42);
        assert_ne!(code.hash_for("phone-a"), code.hash_for("phone-b"));
        assert_eq!(code.hash_for("phone-a"), RecoveryCode::typed("0000 0042").unwrap().hash_for("phone-a"));
        assert_eq!(format!("{code:?}"), "RecoveryCode(…)");
        assert!(NotARecoveryCode.message(Lang::ZhCn).ends_with('。'));
    }
}
