//! Chinese resident identity numbers (公民身份号码), as GB 11643-1999 defines them: six
//! digits of region code, eight of birth date (`YYYYMMDD`), three of sequence (odd for
//! men, even for women) and a check character, `0`–`9` or `X`.
//!
//! Implemented here rather than taken from crates.io: of the names tried (`idcard`,
//! `china_idcard`, `chinese_id_card`, `id_card_cn`, `chinese-id-card`) only `idcard`
//! exists, a 0.x crate by one author that brings `regex`, `rand`, `lazy_static` and
//! chrono's clock (which reads the system time and pulls JavaScript bindings into the
//! WebAssembly app), and that judges birth dates by the system clock rather than the
//! checker's `today`. The check itself is a short standard algorithm.
//!
//! The region code is not checked against the national table (it changes as counties
//! merge, and old numbers stay valid).

use chrono::NaiveDate;

use super::date::digits;
use crate::sex::Sex;
use crate::Lang;

/// The weights of the first 17 digits in the checksum (GB 11643-1999).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each remainder of the weighted sum modulo 11.
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// Why text is not a valid identity number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    /// Not 18 characters.
    #[error("an ID number has 18 characters")]
    WrongLength,
    /// The first 17 are not all digits, or the last is not a digit or X.
    #[error("an ID number has 17 digits and then a digit or X")]
    NotDigits,
    /// Characters 7–14 are not a real date.
    #[error("the birth date in the ID number is not a real date")]
    BadBirthDate,
    /// The birth date is after the day of checking.
    #[error("the birth date in the ID number is in the future")]
    BornInFuture,
    /// The last character does not match the others: a typing mistake.
    #[error("the ID number's check character does not match")]
    WrongCheckCharacter,
}

impl IdNumberError {
    /// Why the number is not accepted, in the worker's words, so she knows what to look at.
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            IdNumberError::WrongLength => lang.pick("身份证号应为 18 位", "An ID number has 18 characters"),
            IdNumberError::NotDigits => {
                lang.pick("前 17 位应为数字，最后一位为数字或 X", "17 digits, then a digit or X")
            }
            IdNumberError::BadBirthDate => {
                lang.pick("号码中的出生日期不存在", "The date of birth in the number does not exist")
            }
            IdNumberError::BornInFuture => {
                lang.pick("号码中的出生日期晚于今天", "The date of birth in the number is after today")
            }
            IdNumberError::WrongCheckCharacter => {
                lang.pick("校验位不对，可能输错了一位", "The check character does not match: a digit may be mistyped")
            }
        }
    }
}

/// A checked identity number, held with an upper-case `X`. Its `Debug` form hides the
/// birth date and sequence, as the number is a minor's personal information.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdNumber {
    number: String,
    birth_date: NaiveDate,
}

impl IdNumber {
    /// Checks `text` (surrounding spaces ignored, `x` accepted for `X`): length, digits,
    /// a real birth date, and the check character.
    pub fn parse(text: &str) -> Result<IdNumber, IdNumberError> {
        let number = text.trim().to_ascii_uppercase();
        let bytes = number.as_bytes();
        if number.chars().count() != 18 {
            return Err(IdNumberError::WrongLength);
        }
        if bytes.len() != 18
            || !bytes[..17].iter().all(u8::is_ascii_digit)
            || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
        {
            return Err(IdNumberError::NotDigits);
        }
        let birth_date = birth_date_of(&bytes[6..14]).ok_or(IdNumberError::BadBirthDate)?;
        if check_char(&bytes[..17]) != Some(bytes[17]) {
            return Err(IdNumberError::WrongCheckCharacter);
        }
        Ok(IdNumber { number, birth_date })
    }

    /// Like [`IdNumber::parse`], and also refuses a birth date after `today`.
    pub fn parse_as_of(text: &str, today: NaiveDate) -> Result<IdNumber, IdNumberError> {
        let id = IdNumber::parse(text)?;
        if id.birth_date > today {
            return Err(IdNumberError::BornInFuture);
        }
        Ok(id)
    }

    /// The number, 18 characters with an upper-case `X`.
    pub fn as_str(&self) -> &str {
        &self.number
    }

    /// The birth date it records.
    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    /// The sex it records: the 17th digit is odd for men, even for women.
    pub fn sex(&self) -> Sex {
        match self.number.as_bytes().get(16).map(|b| (b - b'0') % 2) {
            Some(1) => Sex::Male,
            _ => Sex::Female,
        }
    }
}

impl std::fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let region = self.number.get(..6).unwrap_or("");
        let last = self.number.get(14..).unwrap_or("");
        write!(f, "IdNumber({region}********{last})")
    }
}

fn birth_date_of(yyyymmdd: &[u8]) -> Option<NaiveDate> {
    let year = i32::try_from(digits(&yyyymmdd[0..4])?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(&yyyymmdd[4..6])?, digits(&yyyymmdd[6..8])?)
}

/// The check character for the first 17 digits, or `None` if they are not 17 digits.
fn check_char(first17: &[u8]) -> Option<u8> {
    if first17.len() != 17 {
        return None;
    }
    let sum = first17
        .iter()
        .zip(WEIGHTS)
        .try_fold(0u32, |sum, (b, w)| b.is_ascii_digit().then(|| sum + u32::from(b - b'0') * w))?;
    CHECK_CHARS.get(usize::try_from(sum % 11).ok()?).copied()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A valid number made from its first 17 digits by computing the check character.
    pub(crate) fn valid(first17: &str) -> String {
        let check = check_char(first17.as_bytes()).unwrap();
        format!("{first17}{}", check as char)
    }

    #[test]
    fn each_refusal_says_what_to_look_at_in_both_languages() {
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let good = valid("11010520150315002");
        let wrong_check = format!("{}{}", &good[..17], if good.ends_with('1') { '2' } else { '1' });
        let cases = [
            ("1101052015", "身份证号应为 18 位"),
            ("11010520150315002Y", "前 17 位应为数字，最后一位为数字或 X"),
            (&valid("11010520150231002")[..], "号码中的出生日期不存在"),
            (&valid("11010520300315002")[..], "号码中的出生日期晚于今天"),
            (&wrong_check[..], "校验位不对，可能输错了一位"),
        ];
        for (text, zh) in cases {
            let problem = IdNumber::parse_as_of(text, today).unwrap_err();
            assert_eq!(problem.message(Lang::ZhCn), zh, "{text}");
            assert!(problem.message(Lang::En).is_ascii(), "{text}");
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_standards_own_example_is_valid() {
        // The example number printed in GB 11643-1999.
        let id = IdNumber::parse("11010519491231002X").unwrap();
        assert_eq!(id.birth_date(), day(1949, 12, 31));
        assert_eq!(id.sex(), Sex::Female);
        assert_eq!(id.as_str(), "11010519491231002X");
    }

    #[test]
    fn computed_numbers_are_valid_with_birth_date_and_sex() {
        let boy = valid("43052420150612003");
        let id = IdNumber::parse(&boy).unwrap();
        assert_eq!(id.birth_date(), day(2015, 6, 12));
        assert_eq!(id.sex(), Sex::Male);
        let girl = valid("52262620180228004");
        assert_eq!(IdNumber::parse(&girl).unwrap().sex(), Sex::Female);
        let leap = valid("36072120160229001");
        assert_eq!(IdNumber::parse(&leap).unwrap().birth_date(), day(2016, 2, 29));
    }

    #[test]
    fn a_wrong_check_character_is_refused() {
        let good = valid("43052420150612003");
        let last = good.as_bytes()[17];
        let other = if last == b'0' { '1' } else { '0' };
        let bad = format!("{}{other}", &good[..17]);
        assert_eq!(IdNumber::parse(&bad), Err(IdNumberError::WrongCheckCharacter));
        assert_eq!(IdNumber::parse("110105194912310021"), Err(IdNumberError::WrongCheckCharacter));
        // Two digits swapped: a common typing mistake the checksum catches.
        assert_eq!(IdNumber::parse("11010519491213002X"), Err(IdNumberError::WrongCheckCharacter));
    }

    #[test]
    fn lower_case_x_and_spaces_around_are_accepted() {
        let id = IdNumber::parse(" 11010519491231002x ").unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
    }

    #[test]
    fn wrong_length_and_characters() {
        assert_eq!(IdNumber::parse("11010519491231002"), Err(IdNumberError::WrongLength));
        assert_eq!(IdNumber::parse("11010519491231002X1"), Err(IdNumberError::WrongLength));
        assert_eq!(IdNumber::parse(""), Err(IdNumberError::WrongLength));
        assert_eq!(IdNumber::parse("1101051949123100XX"), Err(IdNumberError::NotDigits));
        assert_eq!(IdNumber::parse("11010519491231002Y"), Err(IdNumberError::NotDigits));
        assert_eq!(IdNumber::parse("１1010519491231002X"), Err(IdNumberError::NotDigits), "full-width digit");
    }

    #[test]
    fn impossible_birth_dates_are_refused() {
        for first17 in ["11010519990230001", "11010520251301001", "11010520250001001", "11010520230229001"] {
            assert_eq!(IdNumber::parse(&valid(first17)), Err(IdNumberError::BadBirthDate), "{first17}");
        }
    }

    #[test]
    fn a_birth_date_after_today_is_refused() {
        let today = day(2026, 11, 23);
        let born_today = valid("43052420261123002");
        assert!(IdNumber::parse_as_of(&born_today, today).is_ok());
        let tomorrow = valid("43052420261124002");
        assert!(IdNumber::parse(&tomorrow).is_ok(), "parse alone has no today");
        assert_eq!(IdNumber::parse_as_of(&tomorrow, today), Err(IdNumberError::BornInFuture));
    }

    #[test]
    fn debug_hides_the_birth_date() {
        let id = IdNumber::parse("11010519491231002X").unwrap();
        assert_eq!(format!("{id:?}"), "IdNumber(110105********002X)");
    }
}
