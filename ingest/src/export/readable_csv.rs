//! `--format csv`: a readable sheet as CSV for Excel and WPS, after a UTF-8 byte order mark
//! (without it Excel on Windows reads the file in the system's code page and garbles the
//! Chinese).
//!
//! Two kinds of text are changed so that a spreadsheet shows them as they are:
//! - long runs of digits (ID numbers, phone numbers) start with a tab, or Excel turns
//!   `110105201603140015` into `1.10105E+17` and loses its last digits for good;
//! - text that a spreadsheet would run as a formula starts with `'` (the one guard of every
//!   CSV, [`super::formula_safe`]).

use std::borrow::Cow;
use std::io::Write;

use super::formula_guard::formula_safe;
use super::table::Cell;
use super::{ExportError, CSV_BOM};

/// Writes the byte order mark, `headers` and `rows` as they come, and returns how many rows
/// it wrote. Text is written spreadsheet-safe ([`spreadsheet_safe`]).
pub fn write_sheet(
    headers: &[String],
    rows: impl Iterator<Item = Vec<Cell>>,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    out.write_all(CSV_BOM)?;
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(headers)?;
    let mut written = 0;
    for row in rows {
        writer.write_record(row.iter().map(|cell| match cell {
            Cell::Text(text) => spreadsheet_safe(text).into_owned(),
            other => other.display(),
        }))?;
        written += 1;
    }
    writer.flush()?;
    Ok(written)
}

/// Digits a spreadsheet may keep as a number without losing any: mobile numbers (11) are
/// kept whole, but anything longer is made text.
const LONGEST_NUMBER: usize = 11;

/// The text as a spreadsheet should show it (see the module's documentation).
pub fn spreadsheet_safe(text: &str) -> Cow<'_, str> {
    let digits = text.strip_suffix(['X', 'x']).unwrap_or(text);
    let is_number_like = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    if is_number_like && (text.len() > LONGEST_NUMBER || text.starts_with('0')) {
        return Cow::Owned(format!("\t{text}"));
    }
    formula_safe(text)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::export::Table;

    #[test]
    fn id_numbers_and_landlines_stay_text() {
        assert_eq!(spreadsheet_safe("110105201603140015"), "\t110105201603140015");
        assert_eq!(spreadsheet_safe("11010520160314004X"), "\t11010520160314004X");
        assert_eq!(spreadsheet_safe("05718888888"), "\t05718888888", "a leading zero is kept");
        assert_eq!(spreadsheet_safe("13800138000"), "13800138000", "a mobile number is whole as a number");
        assert_eq!(spreadsheet_safe("王小明"), "王小明");
        assert_eq!(spreadsheet_safe("X"), "X");
        assert_eq!(spreadsheet_safe("2026-11-20"), "2026-11-20");
    }

    #[test]
    fn formulas_do_not_run() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
        assert_eq!(spreadsheet_safe("+86 138"), "'+86 138");
        assert_eq!(spreadsheet_safe("-1"), "'-1");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
    }

    #[test]
    fn a_table_is_a_bom_a_header_and_rows() {
        let table = Table::list(
            "t",
            vec!["姓名".into(), "出生日期".into(), "版本".into()],
            vec![vec![
                Cell::Text("王小明, \"明明\"".into()),
                Cell::date(NaiveDate::from_ymd_opt(2016, 3, 14)),
                Cell::Integer(2),
            ]],
        );
        let mut out = Vec::new();
        assert_eq!(write_sheet(&table.headers, table.rows.into_iter(), &mut out).unwrap(), 1);
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "\u{feff}姓名,出生日期,版本\n\"王小明, \"\"明明\"\"\",2016-03-14,2\n");
    }
}
