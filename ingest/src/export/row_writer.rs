//! Writes the rows of an export in the format asked for, as they come.

use std::io::Write;

use tongxing_core::export::ExportFormat;

use super::export_row::ExportRow;
use super::{code_csv, json, readable_csv, xlsx, ExportError};

/// Writes `rows` to `out` in `format` and returns how many it wrote. This is plain CPU and
/// `out`'s own work, for a blocking thread.
pub(crate) fn write_rows<R: ExportRow>(
    format: ExportFormat,
    shape: &R::Shape,
    rows: impl Iterator<Item = R>,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    match format {
        ExportFormat::Csv => readable_csv::write_sheet(&R::headers(shape), rows.map(|row| row.cells(shape)), out),
        ExportFormat::Xlsx => {
            xlsx::write_sheet_streamed(R::SHEET, &R::headers(shape), rows.map(|row| row.cells(shape)), out)
        }
        ExportFormat::Json => json::write_json(rows.map(|row| row.into_record().0), out),
        ExportFormat::Jsonl => json::write_jsonl(rows.map(|row| row.into_record().0), out),
        ExportFormat::CsvCodes => code_csv::write(rows.map(ExportRow::into_record), out),
    }
}
