//! `tongxing-ingest export`: the visits the server holds, as JSON Lines (one wire-form
//! `Visit` per line) or CSV (one row per visit, with a header row).

use std::io::Write;

use sqlx::SqlitePool;

use crate::db::StorageError;
use crate::visit_store::{self, ReceivedVisit};

/// The CSV columns, in order: the visit's wire names, then when the server received it.
pub const CSV_COLUMNS: [&str; 9] =
    ["id", "child_name", "visit_date", "visit_type", "risk_colour", "notes", "revision", "updated_at", "received_at"];

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// One JSON object per line, exactly as the app sends it.
    Jsonl,
    /// Comma-separated values with a header row.
    Csv,
}

/// Which revisions to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revisions {
    /// The newest revision of each visit.
    Current,
    /// Every revision ever received.
    All,
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot read the visits: {0}")]
    Storage(#[from] StorageError),
    #[error("cannot write the export: {0}")]
    Write(#[from] std::io::Error),
    #[error("cannot write the export as CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot write a visit as JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// Writes the visits of `pool` to `out`, and returns how many it wrote.
pub async fn export(
    pool: &SqlitePool,
    format: ExportFormat,
    revisions: Revisions,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    let visits = match revisions {
        Revisions::Current => visit_store::current_visits(pool).await?,
        Revisions::All => visit_store::all_revisions(pool).await?,
    };
    match format {
        ExportFormat::Jsonl => write_jsonl(&visits, out)?,
        ExportFormat::Csv => write_csv(&visits, out)?,
    }
    Ok(visits.len())
}

fn write_jsonl(visits: &[ReceivedVisit], out: &mut dyn Write) -> Result<(), ExportError> {
    for received in visits {
        serde_json::to_writer(&mut *out, &received.visit)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

fn write_csv(visits: &[ReceivedVisit], out: &mut dyn Write) -> Result<(), ExportError> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(CSV_COLUMNS)?;
    for ReceivedVisit { visit, received_at } in visits {
        writer.write_record([
            visit.id.to_string(),
            visit.child_name.clone(),
            visit.visit_date.to_string(),
            visit.visit_type.code().to_owned(),
            visit.risk_colour.code().to_owned(),
            visit.notes.clone(),
            visit.revision.to_string(),
            visit.updated_at.to_rfc3339(),
            received_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        ])?;
    }
    writer.flush()?;
    Ok(())
}
