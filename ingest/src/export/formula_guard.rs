//! The one guard against formula injection, for every CSV the server writes (readable,
//! `csv-codes`, a child's file's `目录.csv`, the photos' `index.csv`): a text that a
//! spreadsheet would run as a formula starts with `'`, so that a name or a note typed on a
//! phone cannot run anything on the computer that opens the file. Excel and WPS take a
//! formula from `=`, `+`, `-`, `@`, a leading tab or carriage return, and (WPS, Chinese
//! input methods) the full-width `＝`, `＋`, `－`, `＠`.

use std::borrow::Cow;

/// What a cell may not start with.
pub const FORMULA_STARTS: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

/// `text` as a CSV cell that no spreadsheet runs.
pub fn formula_safe(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_formula_start_is_guarded_and_nothing_else() {
        for start in FORMULA_STARTS {
            let text = format!("{start}HYPERLINK(\"http://x\")");
            assert_eq!(formula_safe(&text), format!("'{text}"));
        }
        for plain in ["王小明", "2026-11-20", "13800138000", "", "a=b", "{\"x\":1}"] {
            assert_eq!(formula_safe(plain), plain);
        }
    }
}
