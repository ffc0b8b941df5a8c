//! Exports of the visits and children's files the server holds, for the command line
//! (`tongxing-ingest export`) and the supervisors' and county's endpoints alike.
//!
//! People get readable sheets (`csv`, `xlsx`) in Chinese, with the column names of the
//! national child-welfare information system, choices by their labels and dates as dates;
//! machines get the records in their wire form (`jsonl`, `json`) or as a CSV of codes
//! (`csv-codes`). An [`ExportFilter`] picks the records by place, colour and visit dates.
//!
//! ```no_run
//! # async fn example(pool: sqlx::SqlitePool) -> Result<(), tongxing_ingest::export::ExportError> {
//! use tongxing_ingest::export::{export, ExportFilter, ExportFormat, ExportRequest, RecordKind};
//!
//! let filter = ExportFilter { township: Some("石桥镇".into()), ..ExportFilter::all() };
//! let request = ExportRequest { filter, ..ExportRequest::new(RecordKind::Visits, ExportFormat::Xlsx) };
//! let mut bytes = Vec::new();
//! let count = export(&pool, &request, &mut bytes).await?;
//! # Ok(()) }
//! ```

mod answer_cell;
mod child_columns;
mod code_csv;
mod filter;
mod formula_guard;
mod json;
mod readable_csv;
mod selection;
mod table;
mod visit_columns;
mod xlsx;

use std::io::Write;

use sqlx::SqlitePool;
use tongxing_core::form::FormCatalog;

use crate::db::StorageError;

pub use child_columns::{child_headers, child_record_table, child_table, CHILDREN_SHEET, GUARDIAN_COLUMNS};
pub use code_csv::{CHILD_CSV_COLUMNS, CSV_COLUMNS};
pub use filter::{ExportFilter, FilterError};
pub use formula_guard::{formula_safe, FORMULA_STARTS};
pub use readable_csv::spreadsheet_safe;
pub use selection::{ChildRow, LatestVisit, VisitRow};
pub use table::{china_time, Cell, Table};
pub use visit_columns::{visit_table, VISITS_SHEET, VISIT_LEADING_COLUMNS, VISIT_TRAILING_COLUMNS};
pub use xlsx::{workbook, DATE_FORMAT, DATE_TIME_FORMAT};

pub(crate) use selection::{children as child_rows, visits as visit_rows, Criteria};

/// What CSV output starts with: the UTF-8 byte order mark, without which Excel on Windows
/// reads the file in the system's code page and garbles the Chinese.
pub const CSV_BOM: &[u8] = "\u{feff}".as_bytes();

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// One JSON object per line, exactly as the app sends it.
    Jsonl,
    /// One JSON array of the records, exactly as the app sends them.
    Json,
    /// Readable CSV for Excel: Chinese column names, choices by their labels.
    Csv,
    /// A readable Excel workbook (needs --out): the same columns, dates as dates.
    Xlsx,
    /// CSV for scripts: wire names and codes, the answers as JSON.
    CsvCodes,
}

impl ExportFormat {
    /// The HTTP `Content-Type` of an export in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Jsonl => "application/x-ndjson",
            ExportFormat::Json => "application/json",
            ExportFormat::Csv | ExportFormat::CsvCodes => "text/csv; charset=utf-8",
            ExportFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Jsonl => "jsonl",
            ExportFormat::Json => "json",
            ExportFormat::Csv | ExportFormat::CsvCodes => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }

    /// Whether the output is binary (not for a terminal).
    pub fn is_binary(self) -> bool {
        self == ExportFormat::Xlsx
    }
}

/// What `tongxing-ingest export` writes: records, or a zip of the photos
/// ([`crate::photo_export`]) or of one child's whole file ([`crate::child_archive`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ExportWhat {
    /// Home visits.
    #[default]
    Visits,
    /// Children's files.
    Children,
    /// The photos of the visits, as one zip file.
    Photos,
    /// One child's whole file (with --child), as one zip file.
    ChildFile,
}

impl ExportWhat {
    /// The kind of records, unless it is a zip of photos or of one child.
    pub fn records(self) -> Option<RecordKind> {
        match self {
            ExportWhat::Visits => Some(RecordKind::Visits),
            ExportWhat::Children => Some(RecordKind::Children),
            ExportWhat::Photos | ExportWhat::ChildFile => None,
        }
    }
}

/// Which kind of record to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    /// Home visits.
    Visits,
    /// Children's files.
    Children,
}

impl RecordKind {
    /// The audit log's action for exporting records of this kind.
    pub fn audit_action(self) -> &'static str {
        match self {
            RecordKind::Visits => crate::audit_log::EXPORT_VISITS,
            RecordKind::Children => crate::audit_log::EXPORT_CHILDREN,
        }
    }

    /// `visits` or `children`.
    pub fn name(self) -> &'static str {
        match self {
            RecordKind::Visits => "visits",
            RecordKind::Children => "children",
        }
    }
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

impl Revisions {
    fn name(self) -> &'static str {
        match self {
            Revisions::Current => "current",
            Revisions::All => "history",
            Revisions::Conflicts => "conflicts",
        }
    }
}

/// One export: which records, in what format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRequest {
    pub what: RecordKind,
    pub format: ExportFormat,
    pub revisions: Revisions,
    pub filter: ExportFilter,
}

impl ExportRequest {
    /// The newest revision of every record of a kind.
    pub fn new(what: RecordKind, format: ExportFormat) -> ExportRequest {
        ExportRequest { what, format, revisions: Revisions::Current, filter: ExportFilter::all() }
    }

    /// The audit log's action: `export_visits` or `export_children`.
    pub fn audit_action(&self) -> &'static str {
        self.what.audit_action()
    }

    /// The audit log's subject: `xlsx, current, township=石桥镇, colour=red`.
    pub fn audit_subject(&self) -> String {
        let format = clap::ValueEnum::to_possible_value(&self.format)
            .map_or_else(|| self.format.extension().to_owned(), |value| value.get_name().to_owned());
        format!("{format}, {}, {}", self.revisions.name(), self.filter)
    }

    /// A file name for the download: `visits.xlsx`, `children.csv`.
    pub fn file_name(&self) -> String {
        format!("{}.{}", self.what.name(), self.format.extension())
    }
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
    #[error("cannot write the Excel workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("cannot write the zip file: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("{0}")]
    Filter(#[from] FilterError),
}

/// The records an export takes, read and ready to write in any format.
#[derive(Debug, Clone, PartialEq)]
pub enum Selection {
    Visits(Vec<VisitRow>),
    Children(Vec<ChildRow>),
}

impl Selection {
    /// How many records (rows) it holds.
    pub fn len(&self) -> usize {
        match self {
            Selection::Visits(rows) => rows.len(),
            Selection::Children(rows) => rows.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The readable sheet of the records.
    pub fn table(&self) -> Table {
        match self {
            Selection::Visits(rows) => visit_table(FormCatalog::builtin(), rows),
            Selection::Children(rows) => child_table(rows),
        }
    }

    /// Writes the records to `out` in `format`. This is plain CPU and `out`'s own work: an
    /// endpoint with a large export may run it on a blocking thread.
    pub fn write(&self, format: ExportFormat, out: &mut dyn Write) -> Result<(), ExportError> {
        match format {
            ExportFormat::Csv => readable_csv::write_table(&self.table(), out),
            ExportFormat::Xlsx => {
                out.write_all(&workbook(&[&self.table()])?)?;
                out.flush()?;
                Ok(())
            }
            ExportFormat::Jsonl => match self {
                Selection::Visits(rows) => json::write_jsonl(rows.iter().map(|row| &row.visit), out),
                Selection::Children(rows) => json::write_jsonl(rows.iter().map(|row| &row.child), out),
            },
            ExportFormat::Json => match self {
                Selection::Visits(rows) => json::write_json(rows.iter().map(|row| &row.visit), out),
                Selection::Children(rows) => json::write_json(rows.iter().map(|row| &row.child), out),
            },
            ExportFormat::CsvCodes => match self {
                Selection::Visits(rows) => code_csv::write(rows.iter().map(|row| (&row.visit, row.received_at)), out),
                Selection::Children(rows) => code_csv::write(rows.iter().map(|row| (&row.child, row.received_at)), out),
            },
        }
    }
}

/// Reads the records of kind `what` that `filter` takes, in the `revisions` asked for: by
/// place (township, village), then visit date or child's name.
pub async fn select(
    pool: &SqlitePool,
    what: RecordKind,
    revisions: Revisions,
    filter: &ExportFilter,
) -> Result<Selection, ExportError> {
    filter.check()?;
    let criteria = Criteria::of(filter);
    Ok(match what {
        RecordKind::Visits => Selection::Visits(selection::visits(pool, revisions, criteria).await?),
        RecordKind::Children => Selection::Children(selection::children(pool, revisions, criteria).await?),
    })
}

/// Writes the export `request` asks for to `out` and returns how many records it wrote.
/// XLSX is built in memory, then written.
pub async fn export(pool: &SqlitePool, request: &ExportRequest, out: &mut dyn Write) -> Result<usize, ExportError> {
    let selection = select(pool, request.what, request.revisions, &request.filter).await?;
    selection.write(request.format, out)?;
    Ok(selection.len())
}

#[cfg(test)]
mod tests {
    use tongxing_core::RiskColour;

    use super::*;

    #[test]
    fn a_request_names_its_audit_entry_and_its_file() {
        let mut request = ExportRequest::new(RecordKind::Children, ExportFormat::CsvCodes);
        assert_eq!(request.audit_action(), "export_children");
        assert_eq!(request.audit_subject(), "csv-codes, current, everything");
        assert_eq!(request.file_name(), "children.csv");
        request.what = RecordKind::Visits;
        request.format = ExportFormat::Xlsx;
        request.revisions = Revisions::All;
        request.filter.colour = Some(RiskColour::Red);
        assert_eq!(request.audit_action(), "export_visits");
        assert_eq!(request.audit_subject(), "xlsx, history, colour=red");
        assert_eq!(request.file_name(), "visits.xlsx");
        assert!(ExportFormat::Xlsx.is_binary() && !ExportFormat::Csv.is_binary());
        assert!(ExportFormat::Csv.content_type().starts_with("text/csv"));
    }

    #[test]
    fn only_visits_and_children_are_records() {
        assert_eq!(ExportWhat::Visits.records(), Some(RecordKind::Visits));
        assert_eq!(ExportWhat::Children.records(), Some(RecordKind::Children));
        assert_eq!(ExportWhat::Photos.records(), None);
        assert_eq!(ExportWhat::ChildFile.records(), None);
    }
}
