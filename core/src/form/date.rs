//! Dates in answers: exactly `YYYY-MM-DD`.

use chrono::NaiveDate;

/// Parses a date answer of exactly the form `YYYY-MM-DD` (what `<input type="date">`
/// gives), or `None`. Stricter and smaller than chrono's general parser.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = digits(&bytes[0..4])?;
    let month = digits(&bytes[5..7])?;
    let day = digits(&bytes[8..10])?;
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// The value of a run of ASCII digits, or `None` if any byte is not one.
pub(crate) fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |acc, b| {
        b.is_ascii_digit().then(|| acc.checked_mul(10).and_then(|a| a.checked_add(u32::from(b - b'0'))))?
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_iso_dates_only() {
        assert_eq!(parse_date("2026-11-20"), NaiveDate::from_ymd_opt(2026, 11, 20));
        assert_eq!(parse_date("2024-02-29"), NaiveDate::from_ymd_opt(2024, 2, 29));
        for bad in [
            "2025-02-29",
            "2026-13-01",
            "2026-1-20",
            "20261120",
            "2026/11/20",
            "２０２６-11-20",
            "2026-11-2x",
            " 2026-11-20",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn digits_are_ascii_only() {
        assert_eq!(digits(b"0812"), Some(812));
        assert_eq!(digits(b"08a2"), None);
        assert_eq!(digits(b""), Some(0));
    }
}
