//! Where photos are kept: the photo folder in the data directory (a county's default), or
//! an S3-compatible bucket ([`bucket`], a province's). Photos are named by the SHA-256 of
//! their bytes, `photos/<first two hex digits>/<sha256>`. A photo sent whole is received
//! through a temp file in `tmp/`. In the folder, one sent in pieces is received through its
//! partial file in `partial/`, and either is renamed into place only once its bytes are
//! checked and synced to disk, and noted in the `photos` table in the same transaction. In
//! a bucket, pieces are objects of their own until the photo is whole, and a photo is
//! written whole before its row is noted.
//!
//! Whose a photo is and which visits name it are tables of the store
//! ([`crate::store::photo_places`], [`crate::store::visit_photos`]); the cleanup of what no
//! visit needs is [`cleanup`].

mod aside;
pub mod bucket;
pub mod cleanup;
mod hash_locks;
mod image_kind;
pub mod move_up;
mod partial_upload;
mod pieces;
mod placing;

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

use axum::body::{Body, Bytes};
use chrono::Utc;
use http_body_util::BodyExt;
use sha2::{Digest, Sha256};
use sqlx::AnyPool;
use tokio::io::AsyncWriteExt;
use tongxing_core::wire::{PhotoReply, PhotoStatus};
use tongxing_core::worker::Place;

use crate::store::db::{self, StorageError};
use crate::store::photo_places;
pub use bucket::PhotoBucket;
pub use hash_locks::{HashGuard, HashLocks};
pub use image_kind::{sniff_more, ImageKind, SNIFF_LEN};
pub use partial_upload::PartialUpload;
use placing::remove_if_present;
pub use tongxing_core::photo::{BadPhotoHash, PhotoHash};

/// The folder of the photos inside the data directory.
pub const PHOTOS_DIR: &str = "photos";
/// The folder of whole uploads under way inside the data directory.
pub const TMP_DIR: &str = "tmp";
/// The folder of uploads in pieces inside the data directory, `partial/<sha256>`; they
/// outlive a restart of the server.
pub const PARTIAL_DIR: &str = "partial";
/// How photos are limited unless configured otherwise: 10 MiB, far above the ~350 KB a phone
/// sends after shrinking.
pub const DEFAULT_MAX_PHOTO_BYTES: u64 = 10 * 1024 * 1024;
/// The name prefix of the temp files, so that clearing `tmp/` touches only ours.
const TEMP_PREFIX: &str = "photo-";

/// Why a photo or a piece of it was not kept.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    #[error("the photo is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("the bytes are not a JPEG, PNG or WebP image")]
    NotAnImage,
    #[error("the bytes hash to {actual}, not to the {expected} of the address")]
    HashMismatch { expected: PhotoHash, actual: PhotoHash },
    #[error("the piece does not fit the upload: {0}")]
    BadRange(&'static str),
    #[error("the piece does not start at byte {received}, where the server's bytes end")]
    UploadOffset { received: u64 },
    #[error("the photo is being sent in pieces by a phone of another place")]
    OtherPlace,
    #[error("the body could not be read to its end: {0}")]
    BodyCut(axum::Error),
    #[error("the body stopped coming for {} seconds", pieces::PIECE_IDLE_TIMEOUT.as_secs())]
    BodyStalled,
    #[error("cannot write the photo to disk: {0}")]
    Io(#[from] io::Error),
    #[error("cannot reach the photo bucket: {0}")]
    Bucket(#[from] object_store::Error),
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

impl KeptPhoto {
    /// The answer to the phone.
    pub fn reply(&self) -> PhotoReply {
        let status = match self.outcome {
            PhotoOutcome::Created => PhotoStatus::Created,
            PhotoOutcome::Held => PhotoStatus::Held,
        };
        PhotoReply { sha256: self.hash.clone(), status, received: self.bytes, size: Some(self.bytes) }
    }
}

/// A photo whose bytes are checked (and synced, on disk), to be put into place.
enum Checked {
    /// A photo sent whole, in `tmp/`; removed when it is not used.
    Temp(tempfile::TempPath),
    /// An upload in pieces, in `partial/`; left where it is when keeping fails before it is
    /// moved, so that a later request can keep it.
    Partial(PathBuf),
    /// An upload in pieces read back from the bucket, whose pieces stay until it is kept.
    Assembled(Bytes),
}

impl Checked {
    /// The photo's bytes, to be written to a bucket.
    async fn bytes(&self) -> io::Result<Bytes> {
        match self {
            Checked::Temp(path) => tokio::fs::read(path).await.map(Bytes::from),
            Checked::Partial(path) => tokio::fs::read(path).await.map(Bytes::from),
            Checked::Assembled(bytes) => Ok(bytes.clone()),
        }
    }
}

/// How many times a photo is written to a bucket and noted before the server gives up: a
/// cleanup may remove an old copy between the write and the note (see
/// [`PhotoStore::keep_in_bucket`]), which happens once in a long while, not thrice.
const BUCKET_KEEP_ATTEMPTS: usize = 3;
/// How many photos an export looks for one by one in a bucket before it lists the bucket
/// instead.
const LOOKS_BEFORE_A_LISTING: usize = 100;

/// What checking a photo's bytes told: how many and what kind of image.
#[derive(Debug, Clone, Copy)]
struct Sniffed {
    bytes: u64,
    kind: ImageKind,
}

/// The photo folders of a data directory (or its temp folder and a bucket), the size limit
/// of one photo, and the turns of the requests about each photo.
#[derive(Debug, Clone)]
pub struct PhotoStore {
    photos: PathBuf,
    tmp: PathBuf,
    partial: PathBuf,
    max_bytes: u64,
    locks: HashLocks,
    /// Where photos and pieces are kept instead of `photos/` and `partial/`, if anywhere.
    bucket: Option<PhotoBucket>,
}

impl PhotoStore {
    /// The photo folders of `data_dir` as they are, for a command that runs beside a
    /// running server (cleanup, export): nothing is created or cleared.
    pub fn at(data_dir: &Path, max_bytes: u64) -> PhotoStore {
        PhotoStore {
            photos: data_dir.join(PHOTOS_DIR),
            tmp: data_dir.join(TMP_DIR),
            partial: data_dir.join(PARTIAL_DIR),
            max_bytes,
            locks: HashLocks::default(),
            bucket: None,
        }
    }

    /// The same store with its photos in `bucket` (when there is one) instead of the folder.
    pub fn in_bucket(self, bucket: Option<PhotoBucket>) -> PhotoStore {
        PhotoStore { bucket, ..self }
    }

    /// The bucket the photos are kept in, if they are not in the folder.
    pub fn bucket(&self) -> Option<&PhotoBucket> {
        self.bucket.as_ref()
    }

    /// Creates `photos/`, `tmp/` and `partial/` in `data_dir` if they are missing, and
    /// removes temp files that a stopped server left behind (no whole upload is under way
    /// before it starts). Uploads in pieces are kept, to be resumed.
    pub async fn open(data_dir: &Path, max_bytes: u64, bucket: Option<PhotoBucket>) -> io::Result<PhotoStore> {
        let store = PhotoStore::at(data_dir, max_bytes).in_bucket(bucket);
        let folders = match store.bucket {
            None => vec![&store.photos, &store.tmp, &store.partial],
            Some(_) => vec![&store.tmp],
        };
        for dir in folders {
            crate::store::private_files::create_private_dir_all(dir)?;
        }
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

    /// Whether a file can be made and written in the photo store now (the readiness check):
    /// a temp file of one byte, removed at once, and as much in the bucket, if there is one.
    pub async fn check_writable(&self) -> Result<(), PhotoError> {
        if let Some(bucket) = &self.bucket {
            bucket.check_writable().await?;
        }
        let tmp = self.tmp.clone();
        let made = tokio::task::spawn_blocking(move || {
            let mut probe = tempfile::Builder::new().prefix(TEMP_PREFIX).tempfile_in(&tmp)?;
            std::io::Write::write_all(&mut probe, b".")?;
            probe.close()
        });
        Ok(made.await.map_err(io::Error::other)??)
    }

    /// Where the photo `hash` is kept in the folder.
    pub fn path_of(&self, hash: &PhotoHash) -> PathBuf {
        self.photos.join(&hash.as_str()[..2]).join(hash.as_str())
    }

    /// Where the bytes of an upload in pieces of `hash` are kept until it is whole.
    pub fn partial_path_of(&self, hash: &PhotoHash) -> PathBuf {
        self.partial.join(hash.as_str())
    }

    /// The largest photo taken, in bytes.
    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// The folder of whole uploads under way.
    pub fn tmp_dir(&self) -> &Path {
        &self.tmp
    }

    /// Waits for the turn of the photo `hash`: its pieces, a whole copy, its status and its
    /// removal take turns.
    pub async fn lock(&self, hash: &PhotoHash) -> HashGuard {
        self.locks.lock(hash).await
    }

    /// Streams `body` to a temp file, checking it as it comes (size, then kind, then hash),
    /// and keeps it (see [`PhotoStore::keep`]). On any failure the temp file is removed.
    pub async fn receive(
        &self,
        pool: &AnyPool,
        expected: &PhotoHash,
        place: &Place,
        body: Body,
    ) -> Result<KeptPhoto, PhotoError> {
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
        file.flush().await?;
        file.sync_all().await?;
        drop(file);

        let turn = self.lock(expected).await;
        let outcome =
            self.keep(&turn, pool, Checked::Temp(temp_path), expected, Sniffed { bytes, kind }, place).await?;
        Ok(KeptPhoto { hash: actual, bytes, kind, outcome })
    }

    /// Renames `file` into place as the photo `hash` (or writes it to the bucket:
    /// [`PhotoStore::keep_in_bucket`]), notes it in the `photos` table as (also) `place`'s,
    /// whose phone sent its bytes, and forgets any upload in pieces of it, then removes that
    /// upload's file. It happens under
    /// the database's write lock, as the cleanup's removal of a photo does, so that a photo
    /// found on disk here is never removed before it is noted.
    async fn keep(
        &self,
        _turn: &HashGuard,
        pool: &AnyPool,
        file: Checked,
        hash: &PhotoHash,
        Sniffed { bytes, kind }: Sniffed,
        place: &Place,
    ) -> Result<PhotoOutcome, PhotoError> {
        if let Some(bucket) = &self.bucket {
            return self.keep_in_bucket(bucket, pool, file, hash, Sniffed { bytes, kind }, place).await;
        }
        let column_bytes = db::column_count(bytes, || format!("photo {hash}"))?;
        let mut tx = db::begin_write(pool).await.map_err(StorageError::from)?;
        let (target, tmp) = (self.path_of(hash), self.tmp.clone());
        let outcome = tokio::task::spawn_blocking(move || {
            let file = match file {
                Checked::Temp(file) => file,
                Checked::Partial(path) => tempfile::TempPath::try_from_path(path)?,
                Checked::Assembled(bytes) => placing::synced_temp_file(&tmp, TEMP_PREFIX, &bytes)?,
            };
            placing::put_in_place(file, &target)
        })
        .await
        .map_err(|join| io::Error::other(format!("the file mover stopped: {join}")))??;
        // A file without its row (a commit that failed after the rename) is noted now.
        note_photo(&mut tx, hash, column_bytes, kind).await?;
        photo_places::claim(&mut tx, std::slice::from_ref(hash), place).await?;
        PartialUpload::forget(&mut tx, hash).await?;
        tx.commit().await.map_err(StorageError::from)?;
        let partial = self.partial_path_of(hash);
        match tokio::task::spawn_blocking(move || remove_if_present(&partial)).await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::warn!(%error, "cannot remove the partial file of a photo kept whole"),
            Err(error) => tracing::warn!(%error, "the partial file remover stopped"),
        }
        Ok(outcome)
    }

    /// Writes the photo to the bucket (unless its row says it is there), then notes it as
    /// `place`'s under the database's write lock, as [`PhotoStore::keep`] does in the folder.
    /// The object is written before the lock is taken, to hold the lock for no upload; so a
    /// cleanup may set an old copy of it aside between the two (the row it removed was
    /// old). A photo newly noted is therefore looked for once more under the lock, where no
    /// cleanup can move it, and written again if it went. `Created` when this noted it.
    async fn keep_in_bucket(
        &self,
        bucket: &PhotoBucket,
        pool: &AnyPool,
        file: Checked,
        hash: &PhotoHash,
        Sniffed { bytes, kind }: Sniffed,
        place: &Place,
    ) -> Result<PhotoOutcome, PhotoError> {
        let column_bytes = db::column_count(bytes, || format!("photo {hash}"))?;
        let contents = file.bytes().await?;
        for _ in 0..BUCKET_KEEP_ATTEMPTS {
            if PhotoStore::held_bytes(pool, hash).await?.is_none() {
                bucket.put_photo(hash, contents.clone()).await?;
            }
            let mut tx = db::begin_write(pool).await.map_err(StorageError::from)?;
            let noted = note_photo(&mut tx, hash, column_bytes, kind).await?;
            if noted && !bucket.holds(hash).await? {
                tx.rollback().await.map_err(StorageError::from)?;
                continue;
            }
            photo_places::claim(&mut tx, std::slice::from_ref(hash), place).await?;
            PartialUpload::forget(&mut tx, hash).await?;
            tx.commit().await.map_err(StorageError::from)?;
            drop(file);
            if let Err(error) = bucket.drop_pieces(hash).await {
                tracing::warn!(%error, "cannot remove the pieces of a photo kept whole; the cleanup will");
            }
            return Ok(if noted { PhotoOutcome::Created } else { PhotoOutcome::Held });
        }
        Err(PhotoError::Io(io::Error::other("the photo went from the bucket each time it was noted")))
    }

    /// Which of `hashes` are there to be read (an export's check before it names the photos'
    /// files): a look at each in the folder; in a bucket, one listing of it for many (a
    /// thousand names a request) and a look at each for few.
    pub async fn held_among(&self, hashes: &[PhotoHash]) -> io::Result<HashSet<PhotoHash>> {
        let mut held = HashSet::new();
        match &self.bucket {
            Some(bucket) if hashes.len() > LOOKS_BEFORE_A_LISTING => {
                let wanted: HashSet<&PhotoHash> = hashes.iter().collect();
                let listed = bucket.photo_hashes().await.map_err(io::Error::other)?;
                held.extend(listed.into_iter().filter(|hash| wanted.contains(hash)));
            }
            _ => {
                for hash in hashes {
                    if self.holds(hash).await.map_err(io::Error::other)? {
                        held.insert(hash.clone());
                    }
                }
            }
        }
        Ok(held)
    }

    /// The photo `hash` to be read by blocking code (an export's zip writer, on a blocking
    /// thread of the runtime). `NotFound` when it is not there.
    pub fn open_blocking(&self, hash: &PhotoHash) -> io::Result<Box<dyn io::Read + Send>> {
        match &self.bucket {
            Some(bucket) => {
                let got = tokio::runtime::Handle::current().block_on(bucket.photo(hash)).map_err(io::Error::other)?;
                let bytes = got.ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "not in the bucket"))?;
                Ok(Box::new(io::Cursor::new(bytes)))
            }
            None => Ok(Box::new(std::fs::File::open(self.path_of(hash))?)),
        }
    }

    /// The size of the photo `hash` if the server holds it whole.
    pub async fn held_bytes(pool: &AnyPool, hash: &PhotoHash) -> Result<Option<u64>, StorageError> {
        let bytes: Option<i64> = sqlx::query_scalar("SELECT bytes FROM photos WHERE sha256 = $1")
            .bind(hash.as_str())
            .fetch_optional(pool)
            .await?;
        bytes.map(|bytes| db::count(bytes, || format!("photo {hash}"))).transpose()
    }

    /// How much of the photo `hash` the server holds for `place`: `held` (whole), `partial`
    /// (the bytes synced to disk of an upload in pieces) or `absent`. Waits for a piece under
    /// way, so that a phone that lost its connection learns what that piece left. A photo
    /// or an upload of another place is `absent`, as one the server never saw
    /// ([`crate::store::photo_places`]).
    pub async fn upload_status(
        &self,
        pool: &AnyPool,
        hash: &PhotoHash,
        place: &Place,
    ) -> Result<PhotoReply, PhotoError> {
        let turn = self.lock(hash).await;
        let reply = |status, received, size| PhotoReply { sha256: hash.clone(), status, received, size };
        let mut conn = pool.acquire().await.map_err(StorageError::from)?;
        if let Some(bytes) = PhotoStore::held_bytes(pool, hash).await? {
            if photo_places::usable_by(&mut conn, hash, place).await? {
                return Ok(reply(PhotoStatus::Held, bytes, Some(bytes)));
            }
            return Ok(reply(PhotoStatus::Absent, 0, None));
        }
        let upload_place = photo_places::upload_place(&mut conn, hash).await?;
        drop(conn);
        if upload_place.is_some_and(|upload| !photo_places::upload_usable_by(&upload, place)) {
            return Ok(reply(PhotoStatus::Absent, 0, None));
        }
        match PartialUpload::find(pool, self, hash).await? {
            // Whole, but not kept yet (keeping it failed, say, on a busy database): kept now.
            Some(upload) if upload.received == upload.size => {
                let kept = self.complete(&turn, pool, hash, upload.size, place).await?;
                Ok(PhotoReply { status: PhotoStatus::Held, ..kept })
            }
            Some(upload) => Ok(reply(PhotoStatus::Partial, upload.received, Some(upload.size))),
            None => Ok(reply(PhotoStatus::Absent, 0, None)),
        }
    }
}

/// Notes the photo `hash` in the `photos` table unless it is there; `true` when this noted it.
async fn note_photo(
    conn: &mut sqlx::AnyConnection,
    hash: &PhotoHash,
    column_bytes: i64,
    kind: ImageKind,
) -> Result<bool, StorageError> {
    let inserted = sqlx::query(
        "INSERT INTO photos (sha256, bytes, content_type, received_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(hash.as_str())
    .bind(column_bytes)
    .bind(kind.mime_type())
    .bind(db::timestamp(Utc::now()))
    .execute(conn)
    .await?;
    Ok(inserted.rows_affected() == 1)
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

    /// An export asks which of its photos are there: in a bucket, by a look at each for few
    /// and by one listing for many; the same answer either way.
    #[tokio::test]
    async fn which_photos_are_held_is_the_same_by_looks_or_by_a_listing() {
        let dir = tempfile::tempdir().unwrap();
        let bucket = PhotoBucket::in_memory();
        let store = PhotoStore::open(dir.path(), 1024, Some(bucket.clone())).await.unwrap();
        let hashes: Vec<PhotoHash> =
            (0..LOOKS_BEFORE_A_LISTING + 50).map(|n| PhotoHash::of_bytes(&n.to_le_bytes())).collect();
        for hash in hashes.iter().step_by(3) {
            bucket.put_photo(hash, Bytes::from_static(b"photo")).await.unwrap();
        }
        let expected: HashSet<PhotoHash> = hashes.iter().step_by(3).cloned().collect();
        let unasked = PhotoHash::of_bytes(b"in the bucket, not asked about");
        bucket.put_photo(&unasked, Bytes::from_static(b"photo")).await.unwrap();

        assert_eq!(store.held_among(&hashes).await.unwrap(), expected, "by a listing");
        let few = &hashes[..6];
        let expected_few: HashSet<PhotoHash> = few.iter().step_by(3).cloned().collect();
        assert_eq!(store.held_among(few).await.unwrap(), expected_few, "by looks");
    }

    /// A photo written to the bucket, then taken away by another server's cleanup (an old
    /// copy it was removing) before this server noted it: noticed under the write lock and
    /// written again; and when that goes on, a clear failure with nothing noted.
    #[tokio::test]
    async fn a_photo_a_cleanup_took_meanwhile_is_written_again() {
        use std::sync::atomic::Ordering;
        use std::sync::Arc;

        use bucket::racing_cleanup::RacingCleanup;

        let dir = tempfile::tempdir().unwrap();
        let pool = db::open_for_test(dir.path()).await.unwrap();
        let racing = Arc::new(RacingCleanup::default());
        racing.to_take.store(1, Ordering::SeqCst);
        let bucket = PhotoBucket::over(racing.clone());
        let store = PhotoStore::open(dir.path(), 1 << 20, Some(bucket.clone())).await.unwrap();
        let place = Place { township: "石门镇".into(), village: "桃源村".into() };
        let photo = [&[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10][..], b"JFIF\0", &[7; 500], &[0xFF, 0xD9]].concat();
        let hash = PhotoHash::of_bytes(&photo);

        let kept = store.receive(&pool, &hash, &place, Body::from(photo.clone())).await.unwrap();

        assert_eq!(kept.outcome, PhotoOutcome::Created);
        assert_eq!(racing.written.load(Ordering::SeqCst), 2, "written again once it was found gone");
        assert_eq!(bucket.photo(&hash).await.unwrap().as_deref(), Some(&photo[..]));

        let other = [&photo[..photo.len() - 2], b"x", &[0xFF, 0xD9]].concat();
        let other_hash = PhotoHash::of_bytes(&other);
        racing.to_take.store(BUCKET_KEEP_ATTEMPTS, Ordering::SeqCst);
        let failed = store.receive(&pool, &other_hash, &place, Body::from(other)).await;
        assert!(matches!(failed, Err(PhotoError::Io(_))), "{failed:?}");
        assert_eq!(PhotoStore::held_bytes(&pool, &other_hash).await.unwrap(), None, "nothing noted");
    }

    #[test]
    fn the_hash_of_a_digest_is_lower_case_hex() {
        let hash = PhotoHash::of_digest(&Sha256::digest(b"abc"));
        assert_eq!(hash.as_str(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
