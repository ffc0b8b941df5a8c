//! One child's whole file as one zip (一童一档): for a supervisor handing a case on, or the
//! county's protection centre taking one over. Everything sits in one folder,
//! `<child name>_<child id first 8>/`:
//!
//! - `目录.csv`: the index, a row per file and per photo note (with the byte order mark);
//! - `档案.xlsx`: the child's details (儿童档案), the visits (走访记录), her case plans
//!   (帮扶计划) and the photos (照片), readable, in the columns of the exports;
//! - `child.json`, `visits.json`, `case_plans.json`: the child's file and the newest revision
//!   of each visit and plan, exactly in their wire form; `child_revisions.json`,
//!   `visit_revisions.json`, `case_plan_revisions.json`: every revision received, each as
//!   `{"received_at": …, "record": …}`;
//! - `photos/<visit date>_<sha256 first 12>.<jpg|png|webp>`: the photos the newest revision
//!   of each visit names, stored as they are (they are compressed already).
//!
//! A child is known when the server holds its file or any visit to it. The county's command
//! line writes the archive of any child it knows; a supervisor's endpoint only that of a
//! child whose file is of her township ([`reads::child_place`]), as for the child's file.

use std::collections::{HashMap, HashSet};
use std::io::{self, Seek, Write};

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::AnyPool;
use uuid::Uuid;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::export::{
    case_plan_table, child_record_table, china_time, spreadsheet_safe, visit_table, workbook, Cell, ExportError, Table,
    CSV_BOM,
};
use crate::photos::{ImageKind, PhotoHash, PhotoStore};
use crate::store::db::StorageError;
use crate::store::reads::{self, CasePlanRow, ChildRow, Revisions, Selection, VisitRow};

/// The index.
pub const INDEX_CSV: &str = "目录.csv";
/// The readable workbook.
pub const WORKBOOK: &str = "档案.xlsx";
/// The child's file, newest revision, wire form.
pub const CHILD_JSON: &str = "child.json";
/// Every revision of the child's file.
pub const CHILD_REVISIONS_JSON: &str = "child_revisions.json";
/// The newest revision of each visit, wire form.
pub const VISITS_JSON: &str = "visits.json";
/// Every revision of every visit.
pub const VISIT_REVISIONS_JSON: &str = "visit_revisions.json";
/// The newest revision of each case plan, wire form.
pub const CASE_PLANS_JSON: &str = "case_plans.json";
/// Every revision of every case plan.
pub const CASE_PLAN_REVISIONS_JSON: &str = "case_plan_revisions.json";
/// The folder of the photos.
pub const PHOTOS_FOLDER: &str = "photos";

/// The columns of the index: `文件` is the path inside the child's folder, empty for a photo
/// the server does not hold.
pub const INDEX_COLUMNS: [&str; 7] = ["文件", "内容", "走访编号", "走访日期", "照片说明", "拍摄时间", "SHA-256"];

/// What an archive holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildArchive {
    /// The folder everything is in: `王小明_0b7d2f3c`.
    pub folder: String,
    /// Whether the child's file is on the server (visits may arrive before it).
    pub has_child_file: bool,
    /// Visits (newest revisions).
    pub visits: usize,
    /// Photo files in the zip.
    pub photos: usize,
    /// Photo notes of photos the server does not hold (listed in the index without a file).
    pub missing_photos: usize,
}

/// Why no archive was written.
#[derive(Debug, thiserror::Error)]
pub enum ChildArchiveError {
    #[error("there is no child {0} on the server: neither a file nor a visit")]
    UnknownChild(Uuid),
    #[error("cannot read the child's records: {0}")]
    Storage(#[from] StorageError),
    #[error("cannot write the child's file: {0}")]
    Export(#[from] ExportError),
    #[error("cannot write the child's file: {0}")]
    Write(#[from] io::Error),
    #[error("cannot write the child's file as a zip: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("cannot read the photo {sha256}: {source}")]
    Photo { sha256: PhotoHash, source: io::Error },
    #[error("cannot look for the child's photos: {0}")]
    Photos(io::Error),
}

/// Writes the whole file of the child `child_id` as a zip to `out` and gives `out` back
/// with what it holds. The records are read first; the zip is written on a blocking
/// thread, photos streamed from the photo folder one at a time.
pub async fn child_archive<W: Write + Seek + Send + 'static>(
    pool: &AnyPool,
    photos: &PhotoStore,
    child_id: Uuid,
    out: W,
) -> Result<(W, ChildArchive), ChildArchiveError> {
    let contents = Contents::read(pool, photos, child_id).await?;
    let photos = photos.clone();
    tokio::task::spawn_blocking(move || contents.write(&photos, out))
        .await
        .map_err(|join| ChildArchiveError::Write(io::Error::other(format!("the zip writer stopped: {join}"))))?
}

/// Everything the archive holds, read.
struct Contents {
    folder: String,
    child: Option<ChildRow>,
    child_history: Vec<ChildRow>,
    visits: Vec<VisitRow>,
    visit_history: Vec<VisitRow>,
    plans: Vec<CasePlanRow>,
    plan_history: Vec<CasePlanRow>,
    notes: Vec<PhotoRow>,
}

/// A photo note of a visit, and the file it puts in the zip.
struct PhotoRow {
    visit_id: String,
    visit_date: String,
    caption: String,
    taken_at: DateTime<Utc>,
    sha256: String,
    /// The photo and its path inside the folder, when the server holds it.
    file: Option<(PhotoHash, String)>,
}

impl Contents {
    async fn read(pool: &AnyPool, store: &PhotoStore, child_id: Uuid) -> Result<Contents, ChildArchiveError> {
        let current = Selection::of_child(child_id, Revisions::Current);
        let child = reads::files_of_one_child(pool, &current).await?.into_iter().next();
        let visits = reads::visits_of_one_child(pool, &current).await?;
        if child.is_none() && visits.is_empty() {
            return Err(ChildArchiveError::UnknownChild(child_id));
        }
        let every = Selection::of_child(child_id, Revisions::All);
        let child_history = reads::files_of_one_child(pool, &every).await?;
        let visit_history = reads::visits_of_one_child(pool, &every).await?;
        let plans = reads::case_plans_of_one_child(pool, &current).await?;
        let plan_history = reads::case_plans_of_one_child(pool, &every).await?;
        let name = child.as_ref().map(|row| row.child.name.as_str()).unwrap_or_default();
        let folder = tongxing_core::export::child_folder(name, child_id);
        let notes = photo_rows(pool, store, &visits).await?;
        Ok(Contents { folder, child, child_history, visits, visit_history, plans, plan_history, notes })
    }

    fn write<W: Write + Seek>(self, photos: &PhotoStore, out: W) -> Result<(W, ChildArchive), ChildArchiveError> {
        let mut zip = ZipWriter::new(out);
        let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
        let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        let folder = &self.folder;
        let mut index: Vec<[String; 7]> = Vec::new();
        let mut entry = |path: &str, what: &str| {
            index.push([
                path.to_owned(),
                what.to_owned(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        };

        // An xlsx is a zip already: stored as it is.
        zip.start_file(format!("{folder}/{WORKBOOK}"), stored)?;
        zip.write_all(&workbook(&self.sheets().iter().collect::<Vec<_>>())?)?;
        entry(WORKBOOK, "儿童档案、走访记录、帮扶计划和照片清单（Excel）");

        if let Some(child) = &self.child {
            zip.start_file(format!("{folder}/{CHILD_JSON}"), deflated)?;
            serde_json::to_writer_pretty(&mut zip, &child.child).map_err(ExportError::from)?;
            entry(CHILD_JSON, "儿童档案，最新版本（JSON）");
        }
        zip.start_file(format!("{folder}/{CHILD_REVISIONS_JSON}"), deflated)?;
        let revisions: Vec<Revision<'_, _>> =
            self.child_history.iter().map(|row| Revision::of(&row.child, row.received_at)).collect();
        serde_json::to_writer_pretty(&mut zip, &revisions).map_err(ExportError::from)?;
        entry(CHILD_REVISIONS_JSON, "儿童档案的每个版本及接收时间（JSON）");

        zip.start_file(format!("{folder}/{VISITS_JSON}"), deflated)?;
        let visits: Vec<_> = self.visits.iter().map(|row| &row.visit).collect();
        serde_json::to_writer_pretty(&mut zip, &visits).map_err(ExportError::from)?;
        entry(VISITS_JSON, "走访记录，每次走访的最新版本（JSON）");

        zip.start_file(format!("{folder}/{VISIT_REVISIONS_JSON}"), deflated)?;
        let revisions: Vec<Revision<'_, _>> =
            self.visit_history.iter().map(|row| Revision::of(&row.visit, row.received_at)).collect();
        serde_json::to_writer_pretty(&mut zip, &revisions).map_err(ExportError::from)?;
        entry(VISIT_REVISIONS_JSON, "走访记录的每个版本及接收时间（JSON）");

        zip.start_file(format!("{folder}/{CASE_PLANS_JSON}"), deflated)?;
        let plans: Vec<_> = self.plans.iter().map(|row| &row.plan).collect();
        serde_json::to_writer_pretty(&mut zip, &plans).map_err(ExportError::from)?;
        entry(CASE_PLANS_JSON, "帮扶计划，每份计划的最新版本（JSON）");

        zip.start_file(format!("{folder}/{CASE_PLAN_REVISIONS_JSON}"), deflated)?;
        let revisions: Vec<Revision<'_, _>> =
            self.plan_history.iter().map(|row| Revision::of(&row.plan, row.received_at)).collect();
        serde_json::to_writer_pretty(&mut zip, &revisions).map_err(ExportError::from)?;
        entry(CASE_PLAN_REVISIONS_JSON, "帮扶计划的每个版本及接收时间（JSON）");

        let mut report = ChildArchive {
            folder: folder.clone(),
            has_child_file: self.child.is_some(),
            visits: self.visits.len(),
            photos: 0,
            missing_photos: 0,
        };
        let mut in_zip = HashSet::new();
        for note in &self.notes {
            let Some((source, name)) = &note.file else {
                report.missing_photos += 1;
                continue;
            };
            // A photo named by two visits is one file.
            if !in_zip.insert(name.as_str()) {
                continue;
            }
            let mut photo = photos
                .open_blocking(source)
                .map_err(|error| ChildArchiveError::Photo { sha256: source.clone(), source: error })?;
            zip.start_file(format!("{folder}/{name}"), stored)?;
            io::copy(&mut photo, &mut zip)?;
            report.photos += 1;
        }
        for note in &self.notes {
            let (file, what) = match &note.file {
                Some((_, name)) => (name.clone(), "照片"),
                None => (String::new(), "照片（服务器未收到）"),
            };
            index.push([
                file,
                what.to_owned(),
                note.visit_id.clone(),
                note.visit_date.clone(),
                note.caption.clone(),
                Cell::DateTime(china_time(&note.taken_at)).display(),
                note.sha256.clone(),
            ]);
        }

        zip.start_file(format!("{folder}/{INDEX_CSV}"), deflated)?;
        zip.write_all(CSV_BOM)?;
        let mut csv = csv::Writer::from_writer(&mut zip);
        csv.write_record(INDEX_COLUMNS).map_err(ExportError::from)?;
        for row in &index {
            csv.write_record(row.iter().map(|value| spreadsheet_safe(value).into_owned()))
                .map_err(ExportError::from)?;
        }
        csv.flush()?;
        drop(csv);

        let out = zip.finish()?;
        Ok((out, report))
    }

    /// The workbook's sheets: the child (when its file is here), the visits, the case plans,
    /// the photos.
    fn sheets(&self) -> Vec<Table> {
        let mut sheets: Vec<Table> = self.child.iter().map(child_record_table).collect();
        sheets.push(visit_table(tongxing_core::form::FormCatalog::builtin(), &self.visits));
        sheets.push(case_plan_table(&self.plans));
        let rows = self
            .notes
            .iter()
            .map(|note| {
                vec![
                    Cell::text(&note.visit_date),
                    Cell::Text(note.visit_id.clone()),
                    Cell::text(&note.caption),
                    Cell::DateTime(china_time(&note.taken_at)),
                    Cell::text(
                        note.file
                            .as_ref()
                            .map(|(_, name)| name.clone())
                            .unwrap_or_else(|| "（服务器未收到）".to_owned()),
                    ),
                ]
            })
            .collect();
        let headers = ["走访日期", "走访编号", "照片说明", "拍摄时间", "文件"].map(str::to_owned).to_vec();
        sheets.push(Table::list("照片", headers, rows));
        sheets
    }
}

/// One revision as the history files hold it.
#[derive(Serialize)]
struct Revision<'a, R> {
    received_at: String,
    record: &'a R,
}

impl<'a, R> Revision<'a, R> {
    fn of(record: &'a R, received_at: DateTime<Utc>) -> Revision<'a, R> {
        Revision { received_at: crate::store::db::timestamp(received_at), record }
    }
}

/// The photo notes of `visits`, each with its file when the server holds it.
async fn photo_rows(
    pool: &AnyPool,
    store: &PhotoStore,
    visits: &[VisitRow],
) -> Result<Vec<PhotoRow>, ChildArchiveError> {
    let named: Vec<PhotoHash> =
        visits.iter().flat_map(|row| row.visit.answers.photos().map(|note| note.sha256.clone())).collect();
    let held = store.held_among(&named).await.map_err(ChildArchiveError::Photos)?;
    let mut kinds: HashMap<String, Option<ImageKind>> = HashMap::new();
    let mut rows = Vec::new();
    for row in visits {
        let visit = &row.visit;
        let visit_date = visit.visit_date().map(|date| date.to_string()).unwrap_or_default();
        for note in visit.answers.photos() {
            let hash = note.sha256.as_str().to_owned();
            let kind = match kinds.get(&hash) {
                Some(kind) => *kind,
                None => {
                    let kind = photo_kind(pool, &hash).await?;
                    kinds.insert(hash.clone(), kind);
                    kind
                }
            };
            let file = match kind {
                Some(kind) if held.contains(&note.sha256) => {
                    let day = if visit_date.is_empty() { "undated" } else { visit_date.as_str() };
                    let short = hash.get(..12).unwrap_or(&hash);
                    Some((note.sha256.clone(), format!("{PHOTOS_FOLDER}/{day}_{short}.{}", kind.extension())))
                }
                _ => None,
            };
            rows.push(PhotoRow {
                visit_id: visit.id.to_string(),
                visit_date: visit_date.clone(),
                caption: note.caption.clone(),
                taken_at: note.taken_at,
                sha256: hash,
                file,
            });
        }
    }
    Ok(rows)
}

/// The kind of a photo the server holds, by the `photos` table; `None` when it is not held.
async fn photo_kind(pool: &AnyPool, hash: &str) -> Result<Option<ImageKind>, StorageError> {
    let kind: Option<String> =
        sqlx::query_scalar("SELECT content_type FROM photos WHERE sha256 = $1").bind(hash).fetch_optional(pool).await?;
    Ok(kind.as_deref().and_then(ImageKind::from_mime_type))
}
