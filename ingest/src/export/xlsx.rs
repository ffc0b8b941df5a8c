//! `--format xlsx`: readable sheets as an Excel workbook (rust_xlsxwriter): the header row
//! bold and frozen, an autofilter on lists, dates and times as date cells with a format,
//! columns as wide as their content (Chinese characters count double), and every text
//! written as text (an ID number stays whole, nothing typed on a phone becomes a formula).

use std::io::{self, Seek, Write};

use chrono::{Datelike, NaiveDate, Timelike};
use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError};

use super::table::{Cell, Table};
use super::ExportError;

/// How a day is shown.
pub const DATE_FORMAT: &str = "yyyy-mm-dd";
/// How a moment is shown.
pub const DATE_TIME_FORMAT: &str = "yyyy-mm-dd hh:mm:ss";

/// The narrowest and widest a column is made, in characters.
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 60;

/// The workbook of `tables`, a sheet each, as the bytes of an `.xlsx` file: for small
/// workbooks (a child's archive). A list of any length goes through
/// [`write_sheet_streamed`].
pub fn workbook(tables: &[&Table]) -> Result<Vec<u8>, ExportError> {
    let mut workbook = Workbook::new();
    let formats = Formats::new();
    for table in tables {
        let mut sheet = SheetWriter::new(workbook.add_worksheet(), &table.title, &table.headers, &formats)?;
        for row in &table.rows {
            sheet.row(row)?;
        }
        sheet.finish(table.autofilter)?;
    }
    Ok(workbook.save_to_buffer()?)
}

/// Writes a workbook of one list, `rows` under `headers`, to `out` as the rows come, and
/// returns how many rows it wrote. The sheet is kept in "constant memory" mode (each row
/// goes to a temp file once written), and the workbook is put together in another temp
/// file before it is copied to `out`, so a list of any length takes little memory.
pub fn write_sheet_streamed(
    title: &str,
    headers: &[String],
    rows: impl Iterator<Item = Vec<Cell>>,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    let mut workbook = Workbook::new();
    let formats = Formats::new();
    let mut worksheet = workbook.new_worksheet_with_constant_memory()?;
    let mut sheet = SheetWriter::new(&mut worksheet, title, headers, &formats)?;
    let mut written = 0;
    for row in rows {
        sheet.row(&row)?;
        written += 1;
    }
    sheet.finish(true)?;
    workbook.push_worksheet(worksheet);
    let mut file = tempfile::tempfile()?;
    workbook.save_to_writer(&mut file)?;
    file.rewind()?;
    io::copy(&mut file, out)?;
    out.flush()?;
    Ok(written)
}

struct Formats {
    header: Format,
    date: Format,
    date_time: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xDD_EB_F7))
                .set_border_bottom(FormatBorder::Thin),
            date: Format::new().set_num_format(DATE_FORMAT),
            date_time: Format::new().set_num_format(DATE_TIME_FORMAT),
        }
    }
}

/// One sheet being written, a row after another: the header row bold and frozen, columns
/// as wide as their content.
struct SheetWriter<'a> {
    sheet: &'a mut Worksheet,
    formats: &'a Formats,
    widths: Vec<usize>,
    rows: u32,
}

impl<'a> SheetWriter<'a> {
    fn new(
        sheet: &'a mut Worksheet,
        title: &str,
        headers: &[String],
        formats: &'a Formats,
    ) -> Result<SheetWriter<'a>, ExportError> {
        sheet.set_name(title)?;
        for (col, header) in headers.iter().enumerate() {
            sheet.write_string_with_format(0, column(col)?, header, &formats.header)?;
        }
        let widths = headers.iter().map(|header| display_width(header)).collect();
        Ok(SheetWriter { sheet, formats, widths, rows: 0 })
    }

    fn row(&mut self, cells: &[Cell]) -> Result<(), ExportError> {
        let row = self.rows.checked_add(1).ok_or(XlsxError::RowColumnLimitError)?;
        for (col, cell) in cells.iter().enumerate() {
            let width = write_cell(self.sheet, row, column(col)?, cell, self.formats)?;
            if let Some(widest) = self.widths.get_mut(col) {
                *widest = (*widest).max(width);
            }
        }
        self.rows = row;
        Ok(())
    }

    /// Sets the columns' widths, freezes the header and, for a list, offers to filter.
    fn finish(self, autofilter: bool) -> Result<(), ExportError> {
        for (col, width) in self.widths.iter().enumerate() {
            // Room for the autofilter's button beside the header.
            let width = (width + 3).clamp(MIN_WIDTH, MAX_WIDTH);
            self.sheet.set_column_width(column(col)?, width as f64)?;
        }
        self.sheet.set_freeze_panes(1, 0)?;
        if autofilter && !self.widths.is_empty() {
            self.sheet.autofilter(0, 0, self.rows, column(self.widths.len() - 1)?)?;
        }
        Ok(())
    }
}

/// Writes one cell and returns how wide it shows.
fn write_cell(sheet: &mut Worksheet, row: u32, col: u16, cell: &Cell, formats: &Formats) -> Result<usize, ExportError> {
    match cell {
        Cell::Empty => Ok(0),
        Cell::Text(text) => {
            sheet.write_string(row, col, text)?;
            Ok(display_width(text))
        }
        Cell::Integer(number) => {
            // Counts (revisions) are far below 2^53, where an f64 stops being exact.
            sheet.write_number(row, col, *number as f64)?;
            Ok(number.to_string().len())
        }
        Cell::Number(number) => {
            sheet.write_number(row, col, *number)?;
            Ok(number.to_string().len())
        }
        Cell::Date(date) => match excel_date(*date) {
            Some(day) => {
                sheet.write_datetime_with_format(row, col, &day, &formats.date)?;
                Ok(DATE_FORMAT.len())
            }
            // Before 1900, which Excel cannot hold as a date.
            None => write_cell(sheet, row, col, &Cell::Text(cell.display()), formats),
        },
        Cell::DateTime(at) => {
            let moment = excel_date(at.date_naive())
                .and_then(|day| day.and_hms(at.hour() as u16, at.minute() as u8, at.second()).ok());
            match moment {
                Some(moment) => {
                    sheet.write_datetime_with_format(row, col, &moment, &formats.date_time)?;
                    Ok(DATE_TIME_FORMAT.len())
                }
                None => write_cell(sheet, row, col, &Cell::Text(cell.display()), formats),
            }
        }
    }
}

fn excel_date(date: NaiveDate) -> Option<ExcelDateTime> {
    let year = u16::try_from(date.year()).ok()?;
    ExcelDateTime::from_ymd(year, date.month() as u8, date.day() as u8).ok()
}

fn column(index: usize) -> Result<u16, XlsxError> {
    u16::try_from(index).map_err(|_| XlsxError::RowColumnLimitError)
}

/// How many columns of a monospaced font `text` takes: two for a Chinese (wide) character,
/// one for others; the longest line of several.
pub fn display_width(text: &str) -> usize {
    text.lines().map(|line| line.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum::<usize>()).max().unwrap_or(0)
}

fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{20000}'..='\u{3FFFD}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_counts_double() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("王小明"), 6);
        assert_eq!(display_width("所属乡镇(街道)"), 14);
        assert_eq!(display_width("第一行\n长一点的第二行"), 14);
        assert_eq!(display_width("、，（）"), 8);
    }

    #[test]
    fn an_empty_list_is_still_a_workbook_with_its_header() {
        let table = Table::list("走访记录", vec!["走访编号".into()], Vec::new());
        let bytes = workbook(&[&table]).unwrap();
        assert!(bytes.starts_with(b"PK"), "an xlsx is a zip file");
        let mut streamed = Vec::new();
        assert_eq!(write_sheet_streamed("走访记录", &table.headers, std::iter::empty(), &mut streamed).unwrap(), 0);
        assert!(streamed.starts_with(b"PK"));
    }
}
