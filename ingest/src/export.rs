//! `tongxing-ingest export`: the visits or children's files the server holds, as JSON Lines
//! (one wire-form record per line) or CSV (one row per record, with a header row, after a
//! UTF-8 byte order mark so that Excel on Windows reads the Chinese right).

use std::io::Write;

use sqlx::SqlitePool;
use tongxing_core::child::Child;
use tongxing_core::Visit;

use crate::db::StorageError;
use crate::record_store::{self, ColumnValue, Received, StoredRecord};

/// The CSV columns of visits, in order: the visit's wire names, with the columns the server
/// keeps for querying (`visit_date`, `risk_colour`, `next_visit_date`, `mandatory_report`,
/// as in the `visits` table) before the answers as compact JSON, then when the server
/// received it.
pub const CSV_COLUMNS: [&str; 12] = [
    "id",
    "child_id",
    "form_id",
    "form_version",
    "visit_date",
    "risk_colour",
    "next_visit_date",
    "mandatory_report",
    "answers",
    "revision",
    "updated_at",
    "received_at",
];

/// What CSV output starts with: the UTF-8 byte order mark, without which Excel on Windows
/// reads the file in the system's code page and garbles the Chinese.
pub const CSV_BOM: &[u8] = "\u{feff}".as_bytes();

/// The CSV columns of children's files, in order: the file's wire names (`categories`
/// joined with `;`), then when the server received it.
pub const CHILD_CSV_COLUMNS: [&str; 10] =
    ["id", "name", "sex", "birth_date", "village", "categories", "school", "revision", "updated_at", "received_at"];

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// One JSON object per line, exactly as the app sends it.
    Jsonl,
    /// Comma-separated values with a header row.
    Csv,
}

/// Which kind of record to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ExportWhat {
    /// Home visits.
    #[default]
    Visits,
    /// Children's files.
    Children,
    /// The photos of the visits, as one zip file (see [`crate::photo_export`]).
    Photos,
}

/// Which revisions to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revisions {
    /// The newest revision of each record.
    Current,
    /// Every revision ever received.
    All,
    /// What arrived with a revision already held but other content, kept aside.
    Conflicts,
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot read the records: {0}")]
    Storage(#[from] StorageError),
    #[error("cannot write the export: {0}")]
    Write(#[from] std::io::Error),
    #[error("cannot write the export as CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot write a record as JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("cannot write the zip file: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("photos are exported as one zip file, not as a stream of records")]
    PhotosAreAZip,
}

/// A record that can be written as a CSV row.
trait CsvRow: StoredRecord {
    const COLUMNS: &'static [&'static str];
    /// The row, without `received_at`.
    fn row(&self) -> Result<Vec<String>, ExportError>;
}

impl CsvRow for Visit {
    const COLUMNS: &'static [&'static str] = &CSV_COLUMNS;
    fn row(&self) -> Result<Vec<String>, ExportError> {
        let mut row = vec![self.id.to_string()];
        // The same values as the `visits` table's columns (NULL as ''), so the two agree.
        row.extend(self.column_values().into_iter().map(|value| match value {
            ColumnValue::Text(text) => text,
            ColumnValue::Integer(number) => number.to_string(),
            ColumnValue::Null => String::new(),
        }));
        row.push(serde_json::to_string(&self.answers)?);
        row.push(self.revision.to_string());
        row.push(self.updated_at.to_rfc3339());
        Ok(row)
    }
}

impl CsvRow for Child {
    const COLUMNS: &'static [&'static str] = &CHILD_CSV_COLUMNS;
    fn row(&self) -> Result<Vec<String>, ExportError> {
        let categories: Vec<&str> = self.categories.iter().map(|c| c.code()).collect();
        Ok(vec![
            self.id.to_string(),
            self.name.clone(),
            self.sex.code().to_owned(),
            self.birth_date.to_string(),
            self.village.clone(),
            categories.join(";"),
            self.school.clone(),
            self.revision.to_string(),
            self.updated_at.to_rfc3339(),
        ])
    }
}

/// Writes the visits of `pool` to `out`, and returns how many it wrote.
pub async fn export(
    pool: &SqlitePool,
    format: ExportFormat,
    revisions: Revisions,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    export_what(pool, ExportWhat::Visits, format, revisions, out).await
}

/// Writes the records of kind `what` in `pool` to `out`, and returns how many it wrote.
pub async fn export_what(
    pool: &SqlitePool,
    what: ExportWhat,
    format: ExportFormat,
    revisions: Revisions,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    match what {
        ExportWhat::Visits => export_records::<Visit>(pool, format, revisions, out).await,
        ExportWhat::Children => export_records::<Child>(pool, format, revisions, out).await,
        ExportWhat::Photos => Err(ExportError::PhotosAreAZip),
    }
}

async fn export_records<R: CsvRow>(
    pool: &SqlitePool,
    format: ExportFormat,
    revisions: Revisions,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    let records = match revisions {
        Revisions::Current => record_store::current::<R>(pool).await?,
        Revisions::All => record_store::history::<R>(pool).await?,
        Revisions::Conflicts => record_store::conflicts::<R>(pool).await?,
    };
    match format {
        ExportFormat::Jsonl => write_jsonl(&records, out)?,
        ExportFormat::Csv => write_csv(&records, out)?,
    }
    Ok(records.len())
}

fn write_jsonl<R: StoredRecord>(records: &[Received<R>], out: &mut dyn Write) -> Result<(), ExportError> {
    for received in records {
        serde_json::to_writer(&mut *out, &received.record)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

fn write_csv<R: CsvRow>(records: &[Received<R>], out: &mut dyn Write) -> Result<(), ExportError> {
    out.write_all(CSV_BOM)?;
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(R::COLUMNS)?;
    for Received { record, received_at } in records {
        let mut row = record.row()?;
        row.push(received_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
        writer.write_record(row)?;
    }
    writer.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use tongxing_core::fixtures::sample_visit;

    use super::*;
    use crate::record_store::VISITS;

    #[test]
    fn the_visit_columns_kept_for_querying_are_the_table_s() {
        assert_eq!(&CSV_COLUMNS[1..=VISITS.columns.len()], VISITS.columns);
        assert_eq!(Visit::COLUMNS.len(), sample_visit().row().unwrap().len() + 1, "received_at is added last");
    }

    #[test]
    fn csv_starts_with_a_byte_order_mark_then_the_header() {
        let received = Received { record: sample_visit(), received_at: Utc.timestamp_opt(0, 0).unwrap() };
        let mut out = Vec::new();
        write_csv(&[received], &mut out).unwrap();
        assert!(out.starts_with(b"\xef\xbb\xbfid,child_id,form_id,form_version,"));
        let text = String::from_utf8(out).unwrap();
        let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let row = reader.records().next().unwrap().unwrap();
        assert_eq!(row.len(), CSV_COLUMNS.len());
        let answers: tongxing_core::form::Answers = serde_json::from_str(&row[8]).unwrap();
        assert_eq!(answers, sample_visit().answers);
        assert!(!row[8].contains(": ") && !row[8].contains('\n'), "compact JSON");

        let mut empty = Vec::new();
        write_csv::<Visit>(&[], &mut empty).unwrap();
        assert!(empty.starts_with(CSV_BOM), "even with no rows");
    }
}
