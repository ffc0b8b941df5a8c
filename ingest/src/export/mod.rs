//! Exports of the visits and children's files the server holds, for the command line
//! (`tongxing-ingest export`) and the supervisors' and county's endpoints alike.
//!
//! People get readable sheets (`csv`, `xlsx`) in Chinese, with the column names of the
//! national child-welfare information system, choices by their labels and dates as dates;
//! machines get the records in their wire form (`jsonl`, `json`) or as a CSV of codes
//! (`csv-codes`). A [`Selection`] of the reading module picks the records by place, colour
//! and visit dates, as a supervisor's list does.
//!
//! Also here: one child's whole file as a zip ([`child_archive`]), the visits' photos as a
//! zip ([`photos`]), and the file an export is written to ([`output_file`]).
//!
//! ```no_run
//! # async fn example(pool: sqlx::AnyPool) -> Result<(), tongxing_ingest::export::ExportError> {
//! use tongxing_core::export::ExportFormat;
//! use tongxing_core::record_filter::RecordFilter;
//! use tongxing_core::RecordKind;
//! use tongxing_ingest::export::{export, ExportRequest};
//! use tongxing_ingest::store::reads::Selection;
//!
//! let selection = Selection::in_township("石桥镇", RecordFilter::default());
//! let request = ExportRequest { selection, ..ExportRequest::new(RecordKind::Visit, ExportFormat::Xlsx) };
//! let (bytes, count) = export(&pool, &request, Vec::new()).await?;
//! # Ok(()) }
//! ```

mod answer_cell;
mod case_plan_columns;
pub mod child_archive;
mod child_columns;
mod code_csv;
pub mod county_statistics;
mod export_row;
mod formula_guard;
mod json;
pub mod output_file;
pub mod photos;
mod readable_csv;
mod row_writer;
mod table;
mod visit_columns;
mod xlsx;

use std::future::Future;
use std::io::Write;

use sqlx::AnyPool;
use tokio::sync::mpsc;
use tongxing_core::export::ExportFormat;
use tongxing_core::form::FormCatalog;
use tongxing_core::RecordKind;

use crate::store::db::StorageError;
use crate::store::reads::{self, Selection, SelectionError};

pub use case_plan_columns::{case_plan_headers, case_plan_table, CASE_PLANS_SHEET, CASE_PLAN_COLUMNS};
pub use child_columns::{child_headers, child_record_table, child_table, CHILDREN_SHEET, GUARDIAN_COLUMNS};
pub use code_csv::{CASE_PLAN_CSV_COLUMNS, CHILD_CSV_COLUMNS, CSV_COLUMNS};
pub(crate) use export_row::ExportRow;
pub use formula_guard::{formula_safe, FORMULA_STARTS};
pub use readable_csv::spreadsheet_safe;
pub(crate) use row_writer::write_rows;
pub use table::{china_time, Cell, Table};
pub use visit_columns::{
    answer_columns, visit_table, AnswerColumn, VISITS_SHEET, VISIT_LEADING_COLUMNS, VISIT_TRAILING_COLUMNS,
};
pub use xlsx::{workbook, DATE_FORMAT, DATE_TIME_FORMAT};

/// What CSV output starts with: the UTF-8 byte order mark, without which Excel on Windows
/// reads the file in the system's code page and garbles the Chinese.
pub const CSV_BOM: &[u8] = "\u{feff}".as_bytes();

/// How many rows wait between the reading of the database and the writing of the file.
const ROWS_IN_FLIGHT: usize = 256;

/// What `tongxing-ingest export` writes: records, or a zip of the photos
/// ([`crate::export::photos`]) or of one child's whole file ([`crate::export::child_archive`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ExportWhat {
    /// Home visits.
    #[default]
    Visits,
    /// Children's files.
    Children,
    /// Case plans (帮扶计划), and mandatory reports' follow-ups.
    CasePlans,
    /// The photos of the visits, as one zip file.
    Photos,
    /// One child's whole file (with --child), as one zip file.
    ChildFile,
}

impl ExportWhat {
    /// The kind of records, unless it is a zip of photos or of one child.
    pub fn records(self) -> Option<RecordKind> {
        match self {
            ExportWhat::Visits => Some(RecordKind::Visit),
            ExportWhat::Children => Some(RecordKind::Child),
            ExportWhat::CasePlans => Some(RecordKind::CasePlan),
            ExportWhat::Photos | ExportWhat::ChildFile => None,
        }
    }
}

/// The audit log's action for exporting records of `kind`. Pairings are not exported (core's
/// [`RecordKind::is_exported`]): [`export`] refuses them before anything is read.
pub fn audit_action(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Visit => crate::store::audit::EXPORT_VISITS,
        RecordKind::Child => crate::store::audit::EXPORT_CHILDREN,
        RecordKind::CasePlan => crate::store::audit::EXPORT_CASE_PLANS,
        RecordKind::Pairing => "export_pairings",
    }
}

/// One export: which records, in what format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRequest {
    pub what: RecordKind,
    pub format: ExportFormat,
    pub selection: Selection,
}

impl ExportRequest {
    /// The newest revision of every record of a kind.
    pub fn new(what: RecordKind, format: ExportFormat) -> ExportRequest {
        ExportRequest { what, format, selection: Selection::all() }
    }

    /// The audit log's action: `export_visits`, `export_children` or `export_case_plans`.
    pub fn audit_action(&self) -> &'static str {
        audit_action(self.what)
    }

    /// The audit log's subject: `xlsx, current, township=石桥镇, colour=red`.
    pub fn audit_subject(&self) -> String {
        format!("{}, {}, {}", self.format.code(), self.selection.revisions.name(), self.selection)
    }

    /// A file name for the command line's default: `visits.xlsx`, `children.csv`.
    pub fn file_name(&self) -> String {
        format!("{}.{}", self.what.collection(), self.format.extension())
    }
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot read the records: {0}")]
    Storage(#[from] StorageError),
    #[error("{} are not exported", .0.collection())]
    NotExported(RecordKind),
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
    Selection(#[from] SelectionError),
    #[error("the export's writer stopped: {0}")]
    WriterStopped(String),
}

/// Writes the export `request` asks for to `out`, and gives `out` back with how many records
/// it wrote. Records are read from the database and written as they come (a workbook's
/// sheet through a temp file), so an export of any size takes little memory; the writing
/// runs on a blocking thread.
pub async fn export<W: Write + Send + 'static>(
    pool: &AnyPool,
    request: &ExportRequest,
    out: W,
) -> Result<(W, usize), ExportError> {
    let selection = &request.selection;
    selection.check()?;
    match request.what {
        RecordKind::Visit => {
            let forms = reads::visit_forms(pool, selection).await?;
            let columns = answer_columns(FormCatalog::builtin(), &forms);
            stream(request.format, columns, out, |rows| reads::each_visit(pool, selection, rows)).await
        }
        RecordKind::Child => {
            let guardians = reads::most_guardians(pool, selection).await?;
            stream(request.format, guardians, out, |rows| reads::each_child(pool, selection, rows)).await
        }
        RecordKind::CasePlan => {
            stream(request.format, (), out, |rows| reads::each_case_plan(pool, selection, rows)).await
        }
        RecordKind::Pairing => Err(ExportError::NotExported(request.what)),
    }
}

/// Runs `read`, which sends rows, beside a blocking writer of them to `out`.
async fn stream<R, W, F, Fut>(format: ExportFormat, shape: R::Shape, out: W, read: F) -> Result<(W, usize), ExportError>
where
    R: ExportRow,
    W: Write + Send + 'static,
    F: FnOnce(mpsc::Sender<R>) -> Fut,
    Fut: Future<Output = Result<usize, StorageError>>,
{
    let (sender, mut receiver) = mpsc::channel::<R>(ROWS_IN_FLIGHT);
    let writer = tokio::task::spawn_blocking(move || {
        let mut out = out;
        let written = write_rows(format, &shape, std::iter::from_fn(|| receiver.blocking_recv()), &mut out)?;
        Ok::<_, ExportError>((out, written))
    });
    // The sender goes with `read`: when reading ends, so do the writer's rows.
    let read = read(sender).await;
    let written = writer.await.map_err(|join| ExportError::WriterStopped(join.to_string()))?;
    // A reading error wins: what was written before it is not the whole export.
    read?;
    written
}

#[cfg(test)]
mod tests {
    use tongxing_core::RiskColour;

    use super::*;

    #[test]
    fn a_request_names_its_audit_entry_and_its_file() {
        let mut request = ExportRequest::new(RecordKind::Child, ExportFormat::CsvCodes);
        assert_eq!(request.audit_action(), "export_children");
        assert_eq!(request.audit_subject(), "csv-codes, current, everything");
        assert_eq!(request.file_name(), "children.csv");
        request.what = RecordKind::Visit;
        request.format = ExportFormat::Xlsx;
        request.selection.revisions = reads::Revisions::All;
        request.selection.records.colour = Some(RiskColour::Red);
        assert_eq!(request.audit_action(), "export_visits");
        assert_eq!(request.audit_subject(), "xlsx, history, colour=red");
        assert_eq!(request.file_name(), "visits.xlsx");
    }

    #[test]
    fn only_visits_and_children_are_records() {
        assert_eq!(ExportWhat::Visits.records(), Some(RecordKind::Visit));
        assert_eq!(ExportWhat::Children.records(), Some(RecordKind::Child));
        assert_eq!(ExportWhat::Photos.records(), None);
        assert_eq!(ExportWhat::ChildFile.records(), None);
    }
}
