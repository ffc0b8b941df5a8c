//! The photo folder in the data directory: photos named by the SHA-256 of their bytes,
//! `photos/<first two hex digits>/<sha256>`, received through a temp file in `tmp/` and
//! renamed into place only once their bytes are checked and synced to disk.

use std::io;
use std::path::{Path, PathBuf};

use axum::body::{Body, Bytes};
use chrono::{SecondsFormat, Utc};
use http_body_util::BodyExt;
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;
use tokio::io::AsyncWriteExt;

use crate::db::StorageError;
pub use tongxing_core::photo::{BadPhotoHash, PhotoHash};

/// The folder of the photos inside the data directory.
pub const PHOTOS_DIR: &str = "photos";
/// The folder of uploads under way inside the data directory.
pub const TMP_DIR: &str = "tmp";
/// How photos are limited unless configured otherwise: 10 MiB, far above the ~350 KB a phone
/// sends after shrinking.
pub const DEFAULT_MAX_PHOTO_BYTES: u64 = 10 * 1024 * 1024;
/// The name prefix of the temp files, so that clearing `tmp/` touches only ours.
const TEMP_PREFIX: &str = "photo-";
/// Bytes enough to tell JPEG (3), PNG (8) and WebP (12) apart by their magic numbers.
const SNIFF_LEN: usize = 16;

/// The image formats taken, told by their bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Jpeg,
    Png,
    Webp,
}

impl ImageKind {
    /// The kind of image that `head`, the first bytes of a file, begins, if any we take.
    pub fn sniff(head: &[u8]) -> Option<ImageKind> {
        if infer::image::is_jpeg(head) {
            Some(ImageKind::Jpeg)
        } else if infer::image::is_png(head) {
            Some(ImageKind::Png)
        } else if infer::image::is_webp(head) {
            Some(ImageKind::Webp)
        } else {
            None
        }
    }

    pub fn mime_type(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Png => "image/png",
            ImageKind::Webp => "image/webp",
        }
    }
}

/// Why a photo was not kept.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    #[error("the photo is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("the bytes are not a JPEG, PNG or WebP image")]
    NotAnImage,
    #[error("the bytes hash to {actual}, not to the {expected} of the address")]
    HashMismatch { expected: PhotoHash, actual: PhotoHash },
    #[error("the body could not be read to its end: {0}")]
    BodyCut(axum::Error),
    #[error("cannot write the photo to disk: {0}")]
    Io(#[from] io::Error),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Whether the photo was new to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoOutcome {
    /// This request put the file in place.
    Created,
    /// The file was there already (sent before, or by a request racing this one).
    Held,
}

/// A photo that is durably kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptPhoto {
    pub hash: PhotoHash,
    pub bytes: u64,
    pub kind: ImageKind,
    pub outcome: PhotoOutcome,
}

/// The photo folder of a data directory and the size limit of one photo.
#[derive(Debug, Clone)]
pub struct PhotoStore {
    photos: PathBuf,
    tmp: PathBuf,
    max_bytes: u64,
}

impl PhotoStore {
    /// Creates `photos/` and `tmp/` in `data_dir` if they are missing, and removes temp
    /// files that a stopped server left behind (no upload is under way before it starts).
    pub async fn open(data_dir: &Path, max_bytes: u64) -> io::Result<PhotoStore> {
        let store = PhotoStore { photos: data_dir.join(PHOTOS_DIR), tmp: data_dir.join(TMP_DIR), max_bytes };
        tokio::fs::create_dir_all(&store.photos).await?;
        tokio::fs::create_dir_all(&store.tmp).await?;
        let mut entries = tokio::fs::read_dir(&store.tmp).await?;
        while let Some(entry) = entries.next_entry().await? {
            if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
                if let Err(error) = tokio::fs::remove_file(entry.path()).await {
                    tracing::warn!(%error, path = %entry.path().display(), "cannot remove a stale temp file");
                }
            }
        }
        Ok(store)
    }

    /// Where the photo `hash` is kept.
    pub fn path_of(&self, hash: &PhotoHash) -> PathBuf {
        self.photos.join(&hash.as_str()[..2]).join(hash.as_str())
    }

    /// The largest photo taken, in bytes.
    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// The folder of uploads under way.
    pub fn tmp_dir(&self) -> &Path {
        &self.tmp
    }

    /// Streams `body` to a temp file, checking it as it comes (size, then kind, then hash),
    /// and moves it into place, synced to disk; then records it in the database. On any
    /// failure the temp file is removed.
    pub async fn receive(&self, pool: &SqlitePool, expected: &PhotoHash, body: Body) -> Result<KeptPhoto, PhotoError> {
        let (file, temp_path) = tempfile::Builder::new().prefix(TEMP_PREFIX).tempfile_in(&self.tmp)?.into_parts();
        // From here on, dropping `temp_path` (an early return included) removes the file.
        let mut file = tokio::fs::File::from_std(file);
        let mut hasher = Sha256::new();
        let mut head: Vec<u8> = Vec::with_capacity(SNIFF_LEN);
        let mut kind = None;
        let mut bytes: u64 = 0;
        let mut body = body;
        while let Some(frame) = body.frame().await {
            let Ok(data) = frame.map_err(PhotoError::BodyCut)?.into_data() else {
                continue; // trailers
            };
            bytes += data.len() as u64;
            if bytes > self.max_bytes {
                return Err(PhotoError::TooLarge { limit: self.max_bytes });
            }
            if kind.is_none() {
                kind = sniff_more(&mut head, &data, false)?;
            }
            hasher.update(&data);
            file.write_all(&data).await?;
        }
        let kind = match kind {
            Some(kind) => kind,
            None => sniff_more(&mut head, &Bytes::new(), true)?.ok_or(PhotoError::NotAnImage)?,
        };
        let actual = PhotoHash::of_digest(&hasher.finalize());
        if &actual != expected {
            return Err(PhotoError::HashMismatch { expected: expected.clone(), actual });
        }
        file.sync_all().await?;
        drop(file);

        let target = self.path_of(expected);
        let outcome = tokio::task::spawn_blocking(move || put_in_place(temp_path, &target))
            .await
            .map_err(|join| io::Error::other(format!("the file mover stopped: {join}")))??;
        record(pool, expected, bytes, kind).await?;
        Ok(KeptPhoto { hash: actual, bytes, kind, outcome })
    }
}

/// Adds `data` to the first bytes kept for sniffing and says what they are once enough are
/// in (or at the end, `done`): `Ok(None)` while undecided, `NotAnImage` when decided against.
fn sniff_more(head: &mut Vec<u8>, data: &[u8], done: bool) -> Result<Option<ImageKind>, PhotoError> {
    let wanted = SNIFF_LEN.saturating_sub(head.len()).min(data.len());
    head.extend_from_slice(&data[..wanted]);
    if head.len() < SNIFF_LEN && !done {
        return Ok(None);
    }
    ImageKind::sniff(head).map(Some).ok_or(PhotoError::NotAnImage)
}

/// Renames the synced temp file to `target` unless a file is there already, then syncs the
/// folders, so that the name survives a power cut. Two requests racing with the same photo
/// cannot both create it: the rename refuses to replace, so one is `Created` and the other
/// `Held`, and both answer only once the name is synced.
fn put_in_place(temp_path: tempfile::TempPath, target: &Path) -> io::Result<PhotoOutcome> {
    let shard = target.parent().ok_or_else(|| io::Error::other("a photo path has a folder"))?;
    let photos = shard.parent().ok_or_else(|| io::Error::other("a photo folder has a parent"))?;
    if !shard.exists() {
        std::fs::create_dir_all(shard)?;
        sync_dir(photos)?;
    }
    let outcome = match temp_path.persist_noclobber(target) {
        Ok(()) => PhotoOutcome::Created,
        // The temp file is removed when the error (which holds it) is dropped.
        Err(error) if error.error.kind() == io::ErrorKind::AlreadyExists => PhotoOutcome::Held,
        Err(error) => return Err(error.error),
    };
    sync_dir(shard)?;
    Ok(outcome)
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(()) // folders cannot be opened for syncing on Windows; renames there are journaled
}

/// Notes the photo in the database; a photo noted already stays as it was.
async fn record(pool: &SqlitePool, hash: &PhotoHash, bytes: u64, kind: ImageKind) -> Result<(), StorageError> {
    let bytes = i64::try_from(bytes).map_err(|_| StorageError::Corrupt {
        what: format!("photo {hash}"),
        detail: "more bytes than the database can count".to_owned(),
    })?;
    sqlx::query(
        "INSERT INTO photos (sha256, bytes, content_type, received_at) VALUES (?, ?, ?, ?) \
         ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(hash.as_str())
    .bind(bytes)
    .bind(kind.mime_type())
    .bind(Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true))
    .execute(pool)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_64_lower_case_hex_digits() {
        let good = "a".repeat(63) + "0";
        assert_eq!(PhotoHash::parse(&good).map(|h| h.to_string()), Ok(good));
        assert!(PhotoHash::parse(&"A".repeat(64)).is_err(), "upper case");
        assert!(PhotoHash::parse(&"a".repeat(63)).is_err(), "short");
        assert!(PhotoHash::parse(&"a".repeat(65)).is_err(), "long");
        assert!(PhotoHash::parse(&"g".repeat(64)).is_err(), "not hex");
        assert!(PhotoHash::parse(&"é".repeat(32)).is_err(), "64 bytes, not hex");
        assert!(PhotoHash::parse("").is_err());
    }

    #[test]
    fn the_hash_of_a_digest_is_lower_case_hex() {
        let hash = PhotoHash::of_digest(&Sha256::digest(b"abc"));
        assert_eq!(hash.as_str(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn images_are_told_by_their_bytes() {
        assert_eq!(ImageKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F']), Some(ImageKind::Jpeg));
        assert_eq!(ImageKind::sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some(ImageKind::Png));
        assert_eq!(ImageKind::sniff(b"RIFF\x24\0\0\0WEBPVP8 "), Some(ImageKind::Webp));
        assert_eq!(ImageKind::sniff(b"GIF89a\x01\0\x01\0"), None, "GIF is not taken");
        assert_eq!(ImageKind::sniff(b"hello, this is text"), None);
        assert_eq!(ImageKind::sniff(b""), None);
    }

    #[test]
    fn sniffing_waits_for_enough_bytes_unless_the_body_ended() {
        let mut head = Vec::new();
        assert!(matches!(sniff_more(&mut head, &[0xFF, 0xD8], false), Ok(None)));
        assert!(matches!(sniff_more(&mut head, &[0xFF], true), Ok(Some(ImageKind::Jpeg))));
        let mut head = Vec::new();
        assert!(matches!(sniff_more(&mut head, b"not an image at all", false), Err(PhotoError::NotAnImage)));
    }
}
