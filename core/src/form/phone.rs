//! Chinese phone numbers, checked simply.

/// Whether `text` is a Chinese phone number, after removing spaces:
///
/// - a mobile number: 11 digits, `1` then `3`–`9` then nine more (`13812345678`);
/// - a landline number: a local number of 7 or 8 digits not starting with `0` or `1`
///   (`83214567`), optionally after an area code of `0` plus 2 or 3 digits, with or
///   without a hyphen (`010-83214567`, `0755 8321 4567`, `075583214567`).
///
/// Country codes, extensions and service numbers (`110`, `12345`) are not accepted: the
/// field is for reaching a family again.
pub fn is_phone_number(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| *c != ' ').collect();
    is_mobile(&compact) || is_landline(&compact)
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_mobile(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 11 && all_digits(s) && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
}

fn is_local(s: &str) -> bool {
    (7..=8).contains(&s.len()) && all_digits(s) && !s.starts_with(['0', '1'])
}

fn is_area_code(s: &str) -> bool {
    (3..=4).contains(&s.len()) && all_digits(s) && s.starts_with('0') && !s[1..].starts_with('0')
}

fn is_landline(s: &str) -> bool {
    if let Some((area, local)) = s.split_once('-') {
        return is_area_code(area) && is_local(local);
    }
    if !s.starts_with('0') {
        return is_local(s);
    }
    // Without a hyphen the split is ambiguous; accept it if any split works.
    (3..=4)
        .any(|n| matches!((s.get(..n), s.get(n..)), (Some(area), Some(local)) if is_area_code(area) && is_local(local)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles() {
        for good in ["13812345678", "19912345678", "138 1234 5678"] {
            assert!(is_phone_number(good), "{good}");
        }
        for bad in ["12812345678", "1381234567", "138123456789", "+8613812345678", "1381234567x", "２3812345678"] {
            assert!(!is_phone_number(bad), "{bad}");
        }
    }

    #[test]
    fn landlines() {
        for good in ["010-83214567", "0755-8321456", "0755 8321 4567", "075583214567", "83214567", "8321456"] {
            assert!(is_phone_number(good), "{good}");
        }
        for bad in [
            "110",
            "12345",
            "0７55832145",
            "010-03214567",
            "00-83214567",
            "010-",
            "-83214567",
            "010-8321-4567",
            "0755-832145678",
            "",
        ] {
            assert!(!is_phone_number(bad), "{bad}");
        }
    }
}
