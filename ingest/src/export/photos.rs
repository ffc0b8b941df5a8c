//! `tongxing-ingest export --what photos`: the photos that the newest revision of each visit
//! names, as one zip file with a folder per child (`<child name>_<child id first 8>/`) or per
//! month of the visit (`2026-11/`), each photo `<visit date>_<sha256 first 12>.<jpg|png|webp>`,
//! and an `index.csv` (after a UTF-8 byte order mark, like the other CSVs) with a row per
//! photo note of a visit. Photos are stored as they are (they are compressed already) and
//! streamed from disk one at a time; the zip is written beside its destination and renamed
//! into place once complete.

use std::collections::{HashMap, HashSet};
use std::io::{self, BufWriter, Write};
use std::path::Path;

use sqlx::AnyPool;
use tongxing_core::export::child_folder;
use tongxing_core::Visit;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::export::{formula_safe, ExportError, CSV_BOM};
use crate::photos::{ImageKind, PhotoHash, PhotoStore};
use crate::store::db::StorageError;
use crate::store::reads;

/// The name of the index inside the zip.
pub const INDEX_CSV: &str = "index.csv";

/// The columns of `index.csv`, in order: `file` is the photo's path inside the zip, empty when
/// the server does not hold the photo.
pub const INDEX_COLUMNS: [&str; 8] =
    ["child_id", "child_name", "visit_id", "visit_date", "caption", "taken_at", "sha256", "file"];

/// What a visit without a readable date is filed under (validation does not let one in).
const UNDATED: &str = "undated";

/// How the photos are put in folders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum PhotoGrouping {
    /// A folder per child: `<child name>_<child id first 8>/`.
    #[default]
    Child,
    /// A folder per month of the visit: `2026-11/`.
    Month,
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PhotoExport {
    /// Photo files in the zip.
    pub files: usize,
    /// Rows of the index: photo notes of visits.
    pub notes: usize,
    /// Notes of photos the server does not hold (their rows have no file).
    pub missing: usize,
}

/// One row of the index, and the photo it puts in the zip.
#[derive(Debug, Clone, PartialEq, Eq)]
struct IndexRow {
    values: [String; 8],
    /// The photo and its path inside the zip, when it is held.
    file: Option<(PhotoHash, String)>,
    /// The time the photo was taken, at the phone's UTC offset, for the zip entry.
    taken: zip::DateTime,
}

/// Writes the photos of the newest revision of each visit in `pool` to a zip file at `out`.
pub async fn export_photos(
    pool: &AnyPool,
    store: &PhotoStore,
    by: PhotoGrouping,
    out: &Path,
) -> Result<PhotoExport, ExportError> {
    let rows = index_rows(pool, store, by).await?;
    let (out, store) = (out.to_owned(), store.clone());
    tokio::task::spawn_blocking(move || write_zip(&rows, &store, &out))
        .await
        .map_err(|join| ExportError::Write(io::Error::other(format!("the zip writer stopped: {join}"))))?
}

/// The rows of the index, visit by visit (by child, then date), from the visits whose newest
/// revision names photos (found by the `visit_photos` index).
async fn index_rows(pool: &AnyPool, store: &PhotoStore, by: PhotoGrouping) -> Result<Vec<IndexRow>, ExportError> {
    let visits: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT v.body, c.name FROM visits AS v LEFT JOIN children AS c ON c.id = v.child_id \
         WHERE EXISTS (SELECT 1 FROM visit_photos AS p WHERE p.visit_id = v.id AND p.revision = v.revision) \
         ORDER BY v.child_id, v.visit_date, v.id",
    )
    .fetch_all(pool)
    .await
    .map_err(StorageError::from)?;
    let kinds: HashMap<String, String> =
        sqlx::query_as::<_, (String, String)>("SELECT sha256, content_type FROM photos")
            .fetch_all(pool)
            .await
            .map_err(StorageError::from)?
            .into_iter()
            .collect();

    let visits: Vec<(Visit, Option<String>)> = visits
        .into_iter()
        .map(|(body, child_name)| Ok((reads::parse_body(&body, "visit")?, child_name)))
        .collect::<Result<_, ExportError>>()?;
    let named: Vec<PhotoHash> =
        visits.iter().flat_map(|(visit, _)| visit.answers.photos().map(|note| note.sha256.clone())).collect();
    let held = store.held_among(&named).await?;

    let mut rows = Vec::new();
    for (visit, child_name) in visits {
        let child_name = child_name.unwrap_or_default();
        let date = visit.visit_date();
        let visit_date = date.map_or_else(|| UNDATED.to_owned(), |date| date.to_string());
        let folder = match by {
            PhotoGrouping::Child => child_folder(&child_name, visit.child_id),
            PhotoGrouping::Month => date.map_or_else(|| UNDATED.to_owned(), |date| date.format("%Y-%m").to_string()),
        };
        for note in visit.answers.photos() {
            let hash = note.sha256.as_str();
            let kind = kinds.get(hash).and_then(|kind| ImageKind::from_mime_type(kind));
            let file = match kind {
                Some(kind) if held.contains(&note.sha256) => {
                    Some((note.sha256.clone(), format!("{folder}/{visit_date}_{}.{}", &hash[..12], kind.extension())))
                }
                _ => None,
            };
            let taken = note.taken_at.with_timezone(visit.updated_at.offset()).naive_local();
            rows.push(IndexRow {
                values: [
                    visit.child_id.to_string(),
                    child_name.clone(),
                    visit.id.to_string(),
                    visit_date.clone(),
                    note.caption.clone(),
                    note.taken_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    hash.to_owned(),
                    file.as_ref().map(|(_, name)| name.clone()).unwrap_or_default(),
                ],
                file,
                taken: zip::DateTime::try_from(taken).unwrap_or_default(),
            });
        }
    }
    Ok(rows)
}

fn write_zip(rows: &[IndexRow], store: &PhotoStore, out: &Path) -> Result<PhotoExport, ExportError> {
    let folder = out.parent().filter(|folder| !folder.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let temp = tempfile::Builder::new().prefix(".tongxing-photos-").suffix(".zip").tempfile_in(folder)?;
    let mut zip = ZipWriter::new(BufWriter::new(temp));
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let mut report = PhotoExport { notes: rows.len(), ..PhotoExport::default() };
    let mut in_zip = HashSet::new();
    for row in rows {
        let Some((source, name)) = &row.file else {
            report.missing += 1;
            continue;
        };
        // The same photo in two visits of one day (or one month) is one file.
        if !in_zip.insert(name.as_str()) {
            continue;
        }
        let mut photo = store
            .open_blocking(source)
            .map_err(|error| ExportError::Write(io::Error::new(error.kind(), format!("photo {source}: {error}"))))?;
        zip.start_file(name.as_str(), stored.last_modified_time(row.taken))?;
        io::copy(&mut photo, &mut zip)?;
        report.files += 1;
    }

    zip.start_file(INDEX_CSV, SimpleFileOptions::default().compression_method(CompressionMethod::Deflated))?;
    zip.write_all(CSV_BOM)?;
    let mut index = csv::Writer::from_writer(&mut zip);
    index.write_record(INDEX_COLUMNS)?;
    for row in rows {
        index.write_record(row.values.iter().map(|value| formula_safe(value).into_owned()))?;
    }
    index.flush()?;
    drop(index);

    let temp = zip.finish()?.into_inner().map_err(io::IntoInnerError::into_error)?;
    temp.as_file().sync_all()?;
    temp.persist(out).map_err(|error| ExportError::Write(error.error))?;
    Ok(report)
}
