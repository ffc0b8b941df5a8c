//! `export`: the visits or children's files held (readable CSV or XLSX, JSON for
//! machines), the visits' photos, or one child's whole file; each export noted in the
//! audit log before anything is handed out.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::{NaiveDate, Utc};
use clap::Args;
use sqlx::AnyPool;
use tongxing_core::export::ExportFormat;
use tongxing_core::record_filter::RecordFilter;
use tongxing_core::RiskColour;
use uuid::Uuid;

use super::DataDirArg;
use crate::export::child_archive::child_archive;
use crate::export::photos::{export_photos, PhotoGrouping};
use crate::export::{self, output_file, ExportRequest, ExportWhat};
use crate::store::audit;
use crate::store::reads::{Revisions, Selection, SelectionError};

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub data: DataDirArg,
    /// The output format of records (photos and a child's file are always a zip file).
    #[arg(long, default_value = "jsonl", value_parser = parse_format, value_name = "jsonl|json|csv|xlsx|csv-codes")]
    pub format: ExportFormat,
    /// The file to write; standard output when not given (XLSX, photos and a child's file
    /// need a file).
    #[arg(short, long, visible_alias = "out")]
    pub output: Option<PathBuf>,
    /// What: home visits, children's files, the visits' photos, or one child's whole file.
    #[arg(long, value_enum, default_value = "visits")]
    pub what: ExportWhat,
    /// With `--what photos`: a folder per child or per month of the visit.
    #[arg(long, value_enum)]
    pub by: Option<PhotoGrouping>,
    /// With `--what child-file`: the child's id.
    #[arg(long)]
    pub child: Option<Uuid>,
    /// Every revision ever received, not only the newest of each record.
    #[arg(long)]
    pub history: bool,
    /// The conflicts instead: what arrived with a revision already held but other content,
    /// kept aside for a person to reconcile.
    #[arg(long, conflicts_with = "history")]
    pub conflicts: bool,
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// Which records: by place, colour and visit dates (see `store::reads::Selection`).
#[derive(Debug, Clone, Default, Args)]
pub struct FilterArgs {
    /// Only records of this township or street office (乡镇/街道).
    #[arg(long)]
    pub township: Option<String>,
    /// Only records of this village or residents' committee (村/居).
    #[arg(long)]
    pub village: Option<String>,
    /// Only visits of this risk colour (children: whose latest visit has it).
    #[arg(long, alias = "color", value_parser = parse_colour, value_name = "red|yellow|blue|green")]
    pub colour: Option<RiskColour>,
    /// Only visits on or after this day, YYYY-MM-DD (children: whose latest visit is).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub from: Option<NaiveDate>,
    /// Only visits on or before this day, YYYY-MM-DD (children: whose latest visit is).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub to: Option<NaiveDate>,
}

impl FilterArgs {
    /// The newest revisions of the records the flags pick.
    pub fn selection(&self) -> Selection {
        let records = RecordFilter { village: self.village.clone(), colour: self.colour, from: self.from, to: self.to };
        Selection { township: self.township.clone(), records, ..Selection::all() }
    }
}

/// `--format`: jsonl (newline-delimited JSON, as the app sends each record), json (one
/// array), csv (readable, for Excel), xlsx (a readable workbook) or csv-codes (codes, for
/// scripts).
fn parse_format(text: &str) -> Result<ExportFormat, String> {
    ExportFormat::from_code(text.trim())
        .ok_or_else(|| format!("`{text}` is not a format: use jsonl, json, csv, xlsx or csv-codes"))
}

fn parse_colour(text: &str) -> Result<RiskColour, String> {
    RiskColour::from_code(text.trim())
        .ok_or_else(|| format!("`{text}` is not a risk colour: use red, yellow, blue or green"))
}

/// What `export` was asked to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportJob {
    /// Records, to `output` or standard output.
    Records { request: ExportRequest, output: Option<PathBuf> },
    /// The visits' photos, to the zip file `out`.
    Photos { by: PhotoGrouping, out: PathBuf },
    /// One child's whole file, to the zip file `out`.
    ChildFile { child: Uuid, out: PathBuf },
}

/// Flags of `export` that do not go together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadExportArgs {
    #[error("photos are exported as one zip file: give --out <file.zip>")]
    PhotosNeedAFile,
    #[error("--by sorts photos into folders: use it with --what photos")]
    ByIsForPhotos,
    #[error("photos are exported for the newest revision of each visit; --history and --conflicts are for records")]
    PhotosHaveNoRevisions,
    #[error("an Excel workbook is not for a terminal: give --out <file.xlsx>")]
    XlsxNeedsAFile,
    #[error("a child's file is exported as one zip file: give --out <file.zip>")]
    ChildFileNeedsAFile,
    #[error("whose file? give --child <the child's id>")]
    ChildFileNeedsAChild,
    #[error("--child picks the child of --what child-file")]
    ChildIsForChildFile,
    #[error("a child's file holds every revision already; --history and --conflicts are for records")]
    ChildFileHasNoRevisions,
    #[error("--township, --village, --colour, --from and --to pick visits or children, not {0}")]
    FiltersAreForRecords(&'static str),
    #[error(transparent)]
    Filter(#[from] SelectionError),
}

impl ExportArgs {
    /// The export asked for, or why the flags do not go together.
    pub fn job(&self) -> Result<ExportJob, BadExportArgs> {
        if self.by.is_some() && self.what != ExportWhat::Photos {
            return Err(BadExportArgs::ByIsForPhotos);
        }
        if self.child.is_some() && self.what != ExportWhat::ChildFile {
            return Err(BadExportArgs::ChildIsForChildFile);
        }
        let selection = Selection { revisions: self.revisions(), ..self.filter.selection() };
        if let Some(what) = self.what.records() {
            selection.check()?;
            if self.format.is_binary() && self.output.is_none() {
                return Err(BadExportArgs::XlsxNeedsAFile);
            }
            let request = ExportRequest { what, format: self.format, selection };
            return Ok(ExportJob::Records { request, output: self.output.clone() });
        }
        let zip_of = if self.what == ExportWhat::Photos { "photos" } else { "a child's file" };
        if self.filter.selection() != Selection::all() {
            return Err(BadExportArgs::FiltersAreForRecords(zip_of));
        }
        if self.what == ExportWhat::Photos {
            if self.history || self.conflicts {
                return Err(BadExportArgs::PhotosHaveNoRevisions);
            }
            let out = self.output.clone().ok_or(BadExportArgs::PhotosNeedAFile)?;
            return Ok(ExportJob::Photos { by: self.by.unwrap_or_default(), out });
        }
        if self.history || self.conflicts {
            return Err(BadExportArgs::ChildFileHasNoRevisions);
        }
        let child = self.child.ok_or(BadExportArgs::ChildFileNeedsAChild)?;
        let out = self.output.clone().ok_or(BadExportArgs::ChildFileNeedsAFile)?;
        Ok(ExportJob::ChildFile { child, out })
    }

    pub fn revisions(&self) -> Revisions {
        if self.conflicts {
            Revisions::Conflicts
        } else if self.history {
            Revisions::All
        } else {
            Revisions::Current
        }
    }
}

/// Writes the export asked for.
pub(super) async fn run_export(args: &ExportArgs) -> anyhow::Result<()> {
    let data = &args.data;
    match args.job()? {
        ExportJob::Records { request, output } => export_records(data, &request, output.as_deref()).await,
        ExportJob::Photos { by, out } => export_photo_zip(data, by, out).await,
        ExportJob::ChildFile { child, out } => export_child_file(data, child, &out).await,
    }
}

/// Notes the export in the audit log; nothing is handed out unless this succeeds.
async fn audit(pool: &AnyPool, action: &str, subject: &str, child: Option<Uuid>) -> anyhow::Result<()> {
    let name = audit::command_line_name();
    let reader = audit::Reader { device: None, name: &name };
    audit::record(pool, &reader, action, subject, child, Utc::now())
        .await
        .context("cannot note the export in the audit log, so nothing was exported")
}

async fn export_records(data: &DataDirArg, request: &ExportRequest, output: Option<&Path>) -> anyhow::Result<()> {
    let pool = data.open_existing().await?;
    request.selection.check()?;
    audit(&pool, request.audit_action(), &request.audit_subject(), None).await?;
    let count = match output {
        Some(path) => {
            let (file, pending) =
                output_file::create_beside(path).with_context(|| format!("cannot create {}", path.display()))?;
            let (out, count) = export::export(&pool, request, BufWriter::new(file)).await?;
            let file = out.into_inner().map_err(std::io::IntoInnerError::into_error)?;
            pending.commit(file).with_context(|| format!("cannot write {}", path.display()))?;
            count
        }
        None => {
            let (mut out, count) = export::export(&pool, request, BufWriter::new(std::io::stdout())).await?;
            out.flush()?;
            count
        }
    };
    pool.close().await;
    tracing::info!(count, "exported");
    Ok(())
}

async fn export_photo_zip(data: &DataDirArg, by: PhotoGrouping, out: PathBuf) -> anyhow::Result<()> {
    let pool = data.open_existing().await?;
    let store = data.photos_as_they_are()?;
    let subject = match by {
        PhotoGrouping::Child => "by child",
        PhotoGrouping::Month => "by month",
    };
    audit(&pool, audit::EXPORT_PHOTOS, subject, None).await?;
    let written = export_photos(&pool, &store, by, &out)
        .await
        .with_context(|| format!("cannot export the photos to {}", out.display()))?;
    pool.close().await;
    if written.missing > 0 {
        tracing::warn!(
            missing = written.missing,
            "some photos named by visits are not on the server; their rows have no file"
        );
    }
    eprintln!("exported {} photos ({} notes) to {}", written.files, written.notes, out.display());
    Ok(())
}

async fn export_child_file(data: &DataDirArg, child: Uuid, out: &Path) -> anyhow::Result<()> {
    let pool = data.open_existing().await?;
    let store = data.photos_as_they_are()?;
    let (file, pending) =
        output_file::create_beside(out).with_context(|| format!("cannot create {}", out.display()))?;
    let (zip, written) = child_archive(&pool, &store, child, BufWriter::new(file)).await?;
    let file = zip.into_inner().map_err(std::io::IntoInnerError::into_error)?;
    audit(&pool, audit::EXPORT_CHILD_FILE, &child.to_string(), Some(child)).await?;
    pool.close().await;
    pending.commit(file).with_context(|| format!("cannot write {}", out.display()))?;
    if written.missing_photos > 0 {
        tracing::warn!(missing = written.missing_photos, "some photos named by visits are not on the server");
    }
    eprintln!(
        "exported the file of {} ({} visits, {} photos) to {}",
        written.folder,
        written.visits,
        written.photos,
        out.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser;
    use tongxing_core::RecordKind;

    #[test]
    fn export_flags() {
        let cli =
            Cli::try_parse_from(["tongxing-ingest", "export", "--format", "csv", "--history", "-o", "v.csv"]).unwrap();
        let Command::Export(args) = cli.command else { panic!("not export") };
        assert_eq!(args.format, ExportFormat::Csv);
        assert_eq!(args.revisions(), Revisions::All);
        assert_eq!(args.output, Some(PathBuf::from("v.csv")));
        assert_eq!(args.what, ExportWhat::Visits, "visits by default");
        assert!(Cli::try_parse_from(["tongxing-ingest", "export", "--format", "xml"]).is_err());
    }

    #[test]
    fn export_children_and_conflicts() {
        let cli = Cli::try_parse_from(["tongxing-ingest", "export", "--what", "children", "--conflicts"]).unwrap();
        let Command::Export(args) = cli.command else { panic!("not export") };
        assert_eq!(args.what, ExportWhat::Children);
        assert_eq!(args.format, ExportFormat::Jsonl);
        assert_eq!(args.revisions(), Revisions::Conflicts);
        assert!(Cli::try_parse_from(["tongxing-ingest", "export", "--history", "--conflicts"]).is_err());
    }

    fn export_job(args: &[&str]) -> Result<ExportJob, BadExportArgs> {
        let cli = Cli::try_parse_from(["tongxing-ingest", "export"].iter().chain(args)).unwrap();
        let Command::Export(args) = cli.command else { panic!("not export") };
        args.job()
    }

    #[test]
    fn export_photos_to_a_zip_by_child_or_month() {
        assert_eq!(
            export_job(&["--what", "photos", "--out", "p.zip"]),
            Ok(ExportJob::Photos { by: PhotoGrouping::Child, out: PathBuf::from("p.zip") }),
            "by child unless told"
        );
        assert_eq!(
            export_job(&["--what", "photos", "-o", "p.zip", "--by", "month"]),
            Ok(ExportJob::Photos { by: PhotoGrouping::Month, out: PathBuf::from("p.zip") })
        );
        assert_eq!(export_job(&["--what", "photos"]), Err(BadExportArgs::PhotosNeedAFile));
        assert_eq!(
            export_job(&["--what", "photos", "--out", "p.zip", "--history"]),
            Err(BadExportArgs::PhotosHaveNoRevisions)
        );
        assert_eq!(export_job(&["--by", "month"]), Err(BadExportArgs::ByIsForPhotos));
        assert!(matches!(
            export_job(&["--out", "v.jsonl"]),
            Ok(ExportJob::Records { request: ExportRequest { what: RecordKind::Visit, .. }, .. })
        ));
        assert_eq!(
            export_job(&["--what", "photos", "--out", "p.zip", "--township", "石桥镇"]),
            Err(BadExportArgs::FiltersAreForRecords("photos"))
        );
    }

    #[test]
    fn export_filtered_records_in_any_format() {
        let job = export_job(&[
            "--what",
            "children",
            "--format",
            "xlsx",
            "--out",
            "c.xlsx",
            "--township",
            "石桥镇",
            "--village",
            "石桥村",
            "--colour",
            "red",
            "--from",
            "2026-10-01",
            "--to",
            "2026-11-30",
        ]);
        let Ok(ExportJob::Records { request, output }) = job else { panic!("{job:?}") };
        assert_eq!(output, Some(PathBuf::from("c.xlsx")));
        assert_eq!(
            (request.what, request.format, request.selection.revisions),
            (RecordKind::Child, ExportFormat::Xlsx, Revisions::Current)
        );
        assert_eq!(
            request.selection,
            Selection {
                township: Some("石桥镇".into()),
                records: RecordFilter {
                    village: Some("石桥村".into()),
                    colour: Some(RiskColour::Red),
                    from: NaiveDate::from_ymd_opt(2026, 10, 1),
                    to: NaiveDate::from_ymd_opt(2026, 11, 30),
                },
                ..Selection::all()
            }
        );
        for format in ["json", "csv", "csv-codes", "jsonl"] {
            assert!(matches!(export_job(&["--format", format]), Ok(ExportJob::Records { .. })), "{format} to stdout");
        }
        assert_eq!(export_job(&["--format", "xlsx"]), Err(BadExportArgs::XlsxNeedsAFile));
        assert!(matches!(
            export_job(&["--from", "2026-11-02", "--to", "2026-11-01"]),
            Err(BadExportArgs::Filter(SelectionError::FromAfterTo { .. }))
        ));
        assert!(Cli::try_parse_from(["tongxing-ingest", "export", "--colour", "purple"]).is_err());
        assert!(Cli::try_parse_from(["tongxing-ingest", "export", "--from", "20/11/2026"]).is_err());
        assert!(Cli::try_parse_from(["tongxing-ingest", "export", "--color", "green"]).is_ok(), "either spelling");
    }

    #[test]
    fn export_one_child_s_file_to_a_zip() {
        let id = "0b7d2f3c-4e5a-4a57-9a51-6f1c2b1e8d3a";
        assert_eq!(
            export_job(&["--what", "child-file", "--child", id, "--out", "c.zip"]),
            Ok(ExportJob::ChildFile { child: Uuid::parse_str(id).unwrap(), out: PathBuf::from("c.zip") })
        );
        assert_eq!(export_job(&["--what", "child-file", "--out", "c.zip"]), Err(BadExportArgs::ChildFileNeedsAChild));
        assert_eq!(export_job(&["--what", "child-file", "--child", id]), Err(BadExportArgs::ChildFileNeedsAFile));
        assert_eq!(export_job(&["--child", id]), Err(BadExportArgs::ChildIsForChildFile));
        assert_eq!(
            export_job(&["--what", "child-file", "--child", id, "--out", "c.zip", "--history"]),
            Err(BadExportArgs::ChildFileHasNoRevisions)
        );
        assert_eq!(
            export_job(&["--what", "child-file", "--child", id, "--out", "c.zip", "--colour", "red"]),
            Err(BadExportArgs::FiltersAreForRecords("a child's file"))
        );
        assert!(Cli::try_parse_from(["tongxing-ingest", "export", "--what", "child-file", "--child", "not-a-uuid"])
            .is_err());
    }
}
