//! A sealed value: what the phone stores in place of each value. One byte of format, the
//! 96-bit IV it was sealed with (fresh and random for every write), then the AES-256-GCM
//! ciphertext and tag. The [`Place`] it is stored at (store and key) is bound in as
//! associated data, so a value opens only where it was put.

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::Nonce;
use thiserror::Error;

use super::DataKey;
use crate::Lang;

/// The format of sealed values written now.
const FORMAT: u8 = 1;
/// How many bytes an IV has (96 bits, as GCM wants).
pub const IV_BYTES: usize = 12;
/// How many bytes the tag has.
const TAG_BYTES: usize = 16;

/// Where a value is stored: its object store and its key there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place<'a> {
    pub store: &'a str,
    pub key: &'a str,
}

impl<'a> Place<'a> {
    /// The place of `key` in `store`.
    pub fn new(store: &'a str, key: &'a str) -> Place<'a> {
        Place { store, key }
    }

    /// The associated data a value at this place is sealed with. Store names never hold a
    /// NUL, so no two places give the same bytes.
    fn associated_data(&self) -> Vec<u8> {
        let mut aad = Vec::with_capacity(20 + self.store.len() + self.key.len());
        aad.extend_from_slice(b"tongxing sealed 1\0");
        aad.extend_from_slice(self.store.as_bytes());
        aad.push(0);
        aad.extend_from_slice(self.key.as_bytes());
        aad
    }
}

/// Why a stored value could not be opened (or sealed).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SealProblem {
    /// Not a sealed value: too short, or of a format this app does not know.
    #[error("stored value is not sealed")]
    NotSealed,
    /// The value was changed, moved from another place, or sealed under another key.
    #[error("stored value was changed, moved or sealed under another key")]
    Refused,
    /// The value is too large to seal (over 64 GiB: never on a phone).
    #[error("value too large to seal")]
    TooLarge,
}

impl SealProblem {
    /// A sentence for the worker.
    pub fn message(&self, lang: Lang) -> &'static str {
        match self {
            SealProblem::NotSealed | SealProblem::Refused => lang.pick(
                "手机上保存的一条记录已损坏或被改动，无法打开。没有显示它，其他记录不受影响。",
                "A record kept on this phone was damaged or changed and cannot be opened. It is not shown; other records are not affected.",
            ),
            SealProblem::TooLarge => lang.pick("记录太大，无法保存。", "This record is too large to keep."),
        }
    }
}

/// Seals `plain` for `place` under `key` with `iv`, which must be fresh random bytes.
pub fn seal(key: &DataKey, iv: [u8; IV_BYTES], place: Place<'_>, plain: &[u8]) -> Result<Vec<u8>, SealProblem> {
    let aad = place.associated_data();
    let sealed =
        key.cipher().encrypt(&Nonce::from(iv), Payload { msg: plain, aad: &aad }).map_err(|_| SealProblem::TooLarge)?;
    let mut out = Vec::with_capacity(1 + IV_BYTES + sealed.len());
    out.push(FORMAT);
    out.extend_from_slice(&iv);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Opens a value [`seal`] made for `place` under `key`.
pub fn open(key: &DataKey, place: Place<'_>, sealed: &[u8]) -> Result<Vec<u8>, SealProblem> {
    if sealed.len() < 1 + IV_BYTES + TAG_BYTES || sealed[0] != FORMAT {
        return Err(SealProblem::NotSealed);
    }
    let (iv, body) = sealed[1..].split_at(IV_BYTES);
    let iv: [u8; IV_BYTES] = iv.try_into().map_err(|_| SealProblem::NotSealed)?;
    let aad = place.associated_data();
    key.cipher().decrypt(&Nonce::from(iv), Payload { msg: body, aad: &aad }).map_err(|_| SealProblem::Refused)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> DataKey {
        DataKey::from_bytes([byte; super::super::KEY_BYTES])
    }

    const CHILD: Place<'static> = Place { store: "children", key: "7f0c" };

    #[test]
    fn a_sealed_value_opens_where_it_was_put() {
        let sealed = seal(&key(1), [9; IV_BYTES], CHILD, "王小明".as_bytes()).unwrap();
        assert_eq!(open(&key(1), CHILD, &sealed).unwrap(), "王小明".as_bytes());
    }

    #[test]
    fn the_sealed_bytes_do_not_hold_the_value() {
        let plain = "王小明 420102201001011234".as_bytes();
        let sealed = seal(&key(1), [9; IV_BYTES], CHILD, plain).unwrap();
        assert_eq!(sealed.len(), 1 + IV_BYTES + plain.len() + TAG_BYTES);
        assert!(!sealed.windows(6).any(|w| plain.windows(6).any(|p| p == w)), "no six bytes of the value survive");
    }

    #[test]
    fn a_value_moved_to_another_key_or_store_is_refused() {
        let sealed = seal(&key(1), [9; IV_BYTES], CHILD, b"file").unwrap();
        assert_eq!(open(&key(1), Place::new("children", "7f0d"), &sealed), Err(SealProblem::Refused));
        assert_eq!(open(&key(1), Place::new("visit_records", "7f0c"), &sealed), Err(SealProblem::Refused));
        // The separator keeps ("ab", "c") and ("a", "bc") apart.
        let split = seal(&key(1), [9; IV_BYTES], Place::new("ab", "c"), b"x").unwrap();
        assert_eq!(open(&key(1), Place::new("a", "bc"), &split), Err(SealProblem::Refused));
    }

    #[test]
    fn any_changed_byte_or_another_key_is_refused() {
        let sealed = seal(&key(1), [9; IV_BYTES], CHILD, b"a child's file").unwrap();
        for at in 1..sealed.len() {
            let mut tampered = sealed.clone();
            tampered[at] ^= 0x01;
            assert_eq!(open(&key(1), CHILD, &tampered), Err(SealProblem::Refused), "byte {at} changed");
        }
        assert_eq!(open(&key(2), CHILD, &sealed), Err(SealProblem::Refused));
    }

    #[test]
    fn what_is_not_sealed_says_so() {
        assert_eq!(open(&key(1), CHILD, br#"{"name":"x"}"#), Err(SealProblem::NotSealed));
        assert_eq!(open(&key(1), CHILD, &[FORMAT; 28]), Err(SealProblem::NotSealed), "shorter than IV and tag");
        let mut other_format = seal(&key(1), [9; IV_BYTES], CHILD, b"x").unwrap();
        other_format[0] = 2;
        assert_eq!(open(&key(1), CHILD, &other_format), Err(SealProblem::NotSealed));
    }

    #[test]
    fn an_empty_value_seals_and_opens() {
        let sealed = seal(&key(1), [0; IV_BYTES], CHILD, b"").unwrap();
        assert_eq!(open(&key(1), CHILD, &sealed).unwrap(), b"");
    }

    #[test]
    fn every_problem_has_a_sentence_in_both_languages() {
        for problem in [SealProblem::NotSealed, SealProblem::Refused, SealProblem::TooLarge] {
            assert!(problem.message(Lang::ZhCn).ends_with('。'));
            assert!(problem.message(Lang::En).ends_with('.'));
        }
    }
}
