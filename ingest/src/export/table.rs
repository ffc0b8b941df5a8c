//! A readable export before it is CSV or XLSX: a sheet of typed cells under Chinese
//! column names, so that dates stay dates in Excel and the two formats cannot disagree.

use chrono::{DateTime, FixedOffset, NaiveDate, Offset, TimeZone};

/// China Standard Time (UTC+8, 北京时间): the times of readable exports are shown in it.
pub fn china_time<Tz: TimeZone>(at: &DateTime<Tz>) -> DateTime<FixedOffset> {
    // 8 hours is a valid offset, so the fallback is never taken.
    let offset = FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| at.offset().fix());
    at.with_timezone(&offset)
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A day: a date cell in XLSX, `2026-11-20` in CSV.
    Date(NaiveDate),
    /// A moment, in the offset it is to be shown in: a date-time cell in XLSX,
    /// `2026-11-20 10:15:00` in CSV.
    DateTime(DateTime<FixedOffset>),
    Integer(i64),
    Number(f64),
}

impl Cell {
    /// Text, or an empty cell when it is blank.
    pub fn text(text: impl Into<String>) -> Cell {
        let text = text.into();
        if text.trim().is_empty() {
            Cell::Empty
        } else {
            Cell::Text(text)
        }
    }

    /// A day, or an empty cell.
    pub fn date(date: Option<NaiveDate>) -> Cell {
        date.map_or(Cell::Empty, Cell::Date)
    }

    /// 是 or 否.
    pub fn yes_no(yes: bool) -> Cell {
        Cell::Text(if yes { "是" } else { "否" }.to_owned())
    }

    /// The cell as CSV text (and as the width it takes in a column).
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => text.clone(),
            Cell::Date(date) => date.format("%Y-%m-%d").to_string(),
            Cell::DateTime(at) => at.format("%Y-%m-%d %H:%M:%S").to_string(),
            Cell::Integer(number) => number.to_string(),
            Cell::Number(number) => number.to_string(),
        }
    }
}

/// One sheet: a header row and rows of cells, each as long as the header.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The sheet's name in XLSX (at most 31 characters).
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Whether a spreadsheet should offer to filter the columns (lists of records do; a
    /// sheet of one record's items does not).
    pub autofilter: bool,
}

impl Table {
    /// A list of records, filterable by column.
    pub fn list(title: &str, headers: Vec<String>, rows: Vec<Vec<Cell>>) -> Table {
        Table { title: title.to_owned(), headers, rows, autofilter: true }
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;

    #[test]
    fn cells_read_as_people_write_them() {
        let at = DateTime::parse_from_rfc3339("2026-11-20T02:15:00Z").unwrap();
        assert_eq!(Cell::DateTime(china_time(&at)).display(), "2026-11-20 10:15:00", "Beijing time");
        assert_eq!(china_time(&at.with_timezone(&Utc)), china_time(&at));
        assert_eq!(Cell::date(NaiveDate::from_ymd_opt(2026, 3, 4)).display(), "2026-03-04");
        assert_eq!(Cell::Number(1.5).display(), "1.5");
        assert_eq!(Cell::Number(3.0).display(), "3");
        assert_eq!(Cell::text("  "), Cell::Empty);
        assert_eq!(Cell::yes_no(true).display(), "是");
        assert_eq!(Cell::yes_no(false).display(), "否");
    }
}
