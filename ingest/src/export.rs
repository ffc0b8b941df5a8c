//! `tongxing-ingest export`: the visits or children's files the server holds, as JSON Lines
//! (one wire-form record per line) or CSV (one row per record, with a header row).

use std::io::Write;

use sqlx::SqlitePool;
use tongxing_core::child::Child;
use tongxing_core::Visit;

use crate::db::StorageError;
use crate::record_store::{self, Received, StoredRecord};

/// The CSV columns of visits, in order: the visit's wire names, then when the server
/// received it.
pub const CSV_COLUMNS: [&str; 9] =
    ["id", "child_name", "visit_date", "visit_type", "risk_colour", "notes", "revision", "updated_at", "received_at"];

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
}

/// A record that can be written as a CSV row.
trait CsvRow: StoredRecord {
    const COLUMNS: &'static [&'static str];
    /// The row, without `received_at`.
    fn row(&self) -> Vec<String>;
}

impl CsvRow for Visit {
    const COLUMNS: &'static [&'static str] = &CSV_COLUMNS;
    fn row(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.child_name.clone(),
            self.visit_date.to_string(),
            self.visit_type.code().to_owned(),
            self.risk_colour.code().to_owned(),
            self.notes.clone(),
            self.revision.to_string(),
            self.updated_at.to_rfc3339(),
        ]
    }
}

impl CsvRow for Child {
    const COLUMNS: &'static [&'static str] = &CHILD_CSV_COLUMNS;
    fn row(&self) -> Vec<String> {
        let categories: Vec<&str> = self.categories.iter().map(|c| c.code()).collect();
        vec![
            self.id.to_string(),
            self.name.clone(),
            self.sex.code().to_owned(),
            self.birth_date.to_string(),
            self.village.clone(),
            categories.join(";"),
            self.school.clone(),
            self.revision.to_string(),
            self.updated_at.to_rfc3339(),
        ]
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
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(R::COLUMNS)?;
    for Received { record, received_at } in records {
        let mut row = record.row();
        row.push(received_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
        writer.write_record(row)?;
    }
    writer.flush()?;
    Ok(())
}
