//! A photo sent in pieces, `Content-Range: bytes <first>-<last>/<size>`: each piece must
//! start where the server's durable bytes end; its bytes are appended to the upload's
//! partial file and synced (or written to the bucket as an object of their own), then
//! counted, so that only durable bytes are ever reported. A piece cut short keeps the bytes
//! that arrived. The piece that makes the photo whole has it hashed and kept like a photo
//! sent whole.

use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::time::Duration;

use axum::body::{Body, Bytes};
use chrono::Utc;
use http_body_util::BodyExt;
use sha2::{Digest, Sha256};
use sqlx::AnyPool;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tongxing_core::photo::UploadPiece;
use tongxing_core::wire::{PhotoReply, PhotoStatus};
use tongxing_core::worker::Place;

use crate::store::db::StorageError;
use crate::store::photo_places;

use super::{
    placing, sniff_more, Checked, HashGuard, KeptPhoto, PartialUpload, PhotoError, PhotoHash, PhotoStore, SNIFF_LEN,
};
use crate::store::private_files::private_file_options;

/// How long a piece's body may pause before the server keeps what came and lets the
/// photo's next request have its turn (a phone that lost its network without closing).
pub const PIECE_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// How a piece's body ended.
enum BodyEnd {
    /// All of it came.
    Complete,
    /// The connection broke.
    Cut(axum::Error),
    /// Nothing came for [`PIECE_IDLE_TIMEOUT`].
    Stalled,
}

impl PhotoStore {
    /// Appends `piece`, whose bytes are `body`, to the upload in pieces of `hash`: `partial`
    /// with the bytes now held, or `created`/`held` once the photo is whole (and `held` at
    /// once when it was whole already). Refused: a photo over the limit (`TooLarge`), a
    /// size other than the upload's (`BadRange`), a piece that does not start where the
    /// held bytes end (`UploadOffset`, the upload untouched), a first piece that is no image
    /// (`NotAnImage`) and a whole photo that does not hash to `hash` (`HashMismatch`); the
    /// last two drop the upload, so the phone starts over.
    ///
    /// The upload belongs to `place`, whose phone sent its first piece: a phone of another
    /// place is refused (`OtherPlace`) and the upload untouched. A photo held whole for
    /// another place only is received again from this place's pieces, as if new, and is then
    /// this place's too ([`crate::store::photo_places`]).
    pub async fn receive_piece(
        &self,
        pool: &AnyPool,
        hash: &PhotoHash,
        place: &Place,
        piece: UploadPiece,
        body: Body,
    ) -> Result<PhotoReply, PhotoError> {
        if piece.size > self.max_bytes {
            return Err(PhotoError::TooLarge { limit: self.max_bytes });
        }
        let turn = self.lock(hash).await;
        let mut conn = pool.acquire().await.map_err(StorageError::from)?;
        if let Some(bytes) = PhotoStore::held_bytes(pool, hash).await? {
            if photo_places::usable_by(&mut conn, hash, place).await? {
                return Ok(reply(hash, PhotoStatus::Held, bytes, bytes));
            }
        }
        if photo_places::upload_place(&mut conn, hash)
            .await?
            .is_some_and(|upload| !photo_places::upload_usable_by(&upload, place))
        {
            tracing::warn!("a piece of another place's upload was refused");
            return Err(PhotoError::OtherPlace);
        }
        drop(conn);
        let upload = PartialUpload::find(pool, self, hash).await?;
        if let Some(upload) = upload {
            if upload.size != piece.size {
                return Err(PhotoError::BadRange("another size than the upload under way"));
            }
            if upload.received == upload.size {
                // Whole, but not kept yet (keeping it failed, say, on a busy database).
                return self.complete(&turn, pool, hash, upload.size, place).await;
            }
        }
        let held = upload.map_or(0, |upload| upload.received);
        if piece.range.start != held {
            return Err(PhotoError::UploadOffset { received: held });
        }
        if upload.is_none() {
            PartialUpload::start(pool, hash, piece.size, place, Utc::now()).await?;
        }

        let (written, end) = match self.stage_piece(hash, held, piece.len(), body).await {
            Ok(staged) => staged,
            // No image, or pieces the bucket lost: the phone starts over.
            Err(error @ (PhotoError::NotAnImage | PhotoError::UploadOffset { received: 0 })) => {
                PartialUpload::drop_upload(pool, self, hash).await?;
                return Err(error);
            }
            Err(error) => return Err(error),
        };
        let received = held + written;
        if written > 0 && !PartialUpload::record(pool, hash, held, received, Utc::now()).await? {
            // Another server counted a piece of this upload meanwhile, or a cleanup removed it.
            return match PartialUpload::find(pool, self, hash).await? {
                Some(upload) => Err(PhotoError::UploadOffset { received: upload.received }),
                None => {
                    self.drop_staged(hash).await?;
                    Err(PhotoError::UploadOffset { received: 0 })
                }
            };
        }
        match end {
            BodyEnd::Complete => {}
            BodyEnd::Cut(error) => {
                tracing::info!(received, "a piece was cut short; the bytes that came are kept");
                return Err(PhotoError::BodyCut(error));
            }
            BodyEnd::Stalled => {
                tracing::info!(received, "a piece stopped coming; the bytes that came are kept");
                return Err(PhotoError::BodyStalled);
            }
        }
        if received < piece.size {
            return Ok(reply(hash, PhotoStatus::Partial, received, piece.size));
        }
        self.complete(&turn, pool, hash, piece.size, place).await
    }

    /// Stages the bytes of `body` (at most `room` of them) after the `held` bytes of the
    /// upload of `hash`, durably: appended to its partial file and synced, or written to the
    /// bucket as a piece. Returns how many came and how the body ended; `NotAnImage` when
    /// the photo's first bytes are no image, `UploadOffset { received: 0 }` when the bucket
    /// lacks the pieces its first bytes are read from.
    async fn stage_piece(
        &self,
        hash: &PhotoHash,
        held: u64,
        room: u64,
        body: Body,
    ) -> Result<(u64, BodyEnd), PhotoError> {
        let Some(bucket) = &self.bucket else {
            let opened = self.partial_path_of(hash);
            let (file, mut head) = tokio::task::spawn_blocking(move || open_partial(&opened, held))
                .await
                .map_err(|join| io::Error::other(format!("the file opener stopped: {join}")))??;
            let mut file = tokio::fs::File::from_std(file);
            let appended = append(&mut file, body, room, &mut head).await;
            // Writes under way end before the photo's next request opens the file, refused
            // piece or not.
            let flushed = file.flush().await;
            let appended = appended?;
            // Whatever came, cut short or not, is synced before it is counted.
            flushed?;
            file.sync_all().await?;
            return Ok(appended);
        };
        let mut head = Vec::with_capacity(SNIFF_LEN);
        if held > 0 && held < SNIFF_LEN as u64 {
            let read = bucket.read_pieces(hash, held, |bytes| {
                head.extend_from_slice(bytes);
                Ok(())
            });
            if !read.await.map_err(pieces_error)? {
                return Err(PhotoError::UploadOffset { received: 0 });
            }
        } else if held > 0 {
            head.resize(SNIFF_LEN, 0); // sniffed when the first piece came
        }
        let mut bytes = Vec::new();
        let (written, end) = append(&mut bytes, body, room, &mut head).await?;
        if written > 0 {
            bucket.put_piece(hash, held, Bytes::from(bytes)).await?;
        }
        Ok((written, end))
    }

    /// Removes the staged bytes of the upload of `hash`: its partial file, or its pieces in
    /// the bucket.
    pub(crate) async fn drop_staged(&self, hash: &PhotoHash) -> Result<(), PhotoError> {
        if let Some(bucket) = &self.bucket {
            return Ok(bucket.drop_pieces(hash).await?);
        }
        let file = self.partial_path_of(hash);
        tokio::task::spawn_blocking(move || placing::remove_if_present(&file))
            .await
            .map_err(|join| io::Error::other(format!("the file remover stopped: {join}")))??;
        Ok(())
    }

    /// Hashes the whole upload and keeps it as the photo, or drops it when its bytes are
    /// not the photo of `hash`.
    pub(super) async fn complete(
        &self,
        turn: &HashGuard,
        pool: &AnyPool,
        hash: &PhotoHash,
        size: u64,
        place: &Place,
    ) -> Result<PhotoReply, PhotoError> {
        let Some((staged, actual, mut head)) = self.staged_whole(hash, size).await? else {
            tracing::warn!(sha256 = %hash, "an upload's pieces lack bytes its row counts; it starts over");
            PartialUpload::drop_upload(pool, self, hash).await?;
            return Err(PhotoError::UploadOffset { received: 0 });
        };
        let kind = match sniff_more(&mut head, &[], true) {
            Ok(Some(kind)) => kind,
            _ => {
                PartialUpload::drop_upload(pool, self, hash).await?;
                return Err(PhotoError::NotAnImage);
            }
        };
        if actual != *hash {
            PartialUpload::drop_upload(pool, self, hash).await?;
            return Err(PhotoError::HashMismatch { expected: hash.clone(), actual });
        }
        let sniffed = super::Sniffed { bytes: size, kind };
        let outcome = self.keep(turn, pool, staged, hash, sniffed, place).await?;
        Ok(KeptPhoto { hash: hash.clone(), bytes: size, kind, outcome }.reply())
    }

    /// The staged bytes of the whole upload of `hash`, their hash and their first bytes;
    /// `None` when the bucket lacks a piece of them.
    async fn staged_whole(
        &self,
        hash: &PhotoHash,
        size: u64,
    ) -> Result<Option<(Checked, PhotoHash, Vec<u8>)>, PhotoError> {
        let Some(bucket) = &self.bucket else {
            let path = self.partial_path_of(hash);
            let read = path.clone();
            let (actual, head) = tokio::task::spawn_blocking(move || hash_file(&read))
                .await
                .map_err(|join| io::Error::other(format!("the file reader stopped: {join}")))??;
            return Ok(Some((Checked::Partial(path), actual, head)));
        };
        let mut whole = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        let read = bucket.read_pieces(hash, size, |bytes| {
            whole.extend_from_slice(bytes);
            Ok(())
        });
        if !read.await.map_err(pieces_error)? {
            return Ok(None);
        }
        let actual = PhotoHash::of_digest(&Sha256::digest(&whole));
        let head = whole[..whole.len().min(SNIFF_LEN)].to_vec();
        Ok(Some((Checked::Assembled(Bytes::from(whole)), actual, head)))
    }
}

fn pieces_error(error: super::bucket::PiecesError) -> PhotoError {
    match error {
        super::bucket::PiecesError::Bucket(error) => PhotoError::Bucket(error),
        super::bucket::PiecesError::Io(error) => PhotoError::Io(error),
    }
}

fn reply(hash: &PhotoHash, status: PhotoStatus, received: u64, size: u64) -> PhotoReply {
    PhotoReply { sha256: hash.clone(), status, received, size: Some(size) }
}

/// Opens the partial file at `path` to append after its `held` synced bytes, cutting off a
/// tail that was never counted, and reads its first bytes (up to [`SNIFF_LEN`]) for
/// sniffing. A new file's name is synced in its folder.
fn open_partial(path: &Path, held: u64) -> io::Result<(std::fs::File, Vec<u8>)> {
    let mut file = private_file_options().read(true).write(true).create(true).truncate(false).open(path)?;
    file.set_len(held)?;
    if held == 0 {
        if let Some(folder) = path.parent() {
            placing::sync_dir(folder)?;
        }
    }
    let mut head = Vec::with_capacity(SNIFF_LEN);
    (&mut file).take(SNIFF_LEN as u64).read_to_end(&mut head)?;
    file.seek(SeekFrom::End(0))?;
    Ok((file, head))
}

/// Writes `body` to `file`, at most `room` bytes (more is `BadRange`), sniffing the photo's
/// first bytes while `head` lacks them. Returns the bytes written and how the body ended.
async fn append(
    file: &mut (impl AsyncWrite + Unpin),
    mut body: Body,
    room: u64,
    head: &mut Vec<u8>,
) -> Result<(u64, BodyEnd), PhotoError> {
    let mut written: u64 = 0;
    loop {
        let frame = match tokio::time::timeout(PIECE_IDLE_TIMEOUT, body.frame()).await {
            Err(_elapsed) => return Ok((written, BodyEnd::Stalled)),
            Ok(None) => return Ok((written, BodyEnd::Complete)),
            Ok(Some(Err(error))) => return Ok((written, BodyEnd::Cut(error))),
            Ok(Some(Ok(frame))) => frame,
        };
        let Ok(data) = frame.into_data() else {
            continue; // trailers
        };
        if written + data.len() as u64 > room {
            return Err(PhotoError::BadRange("the body is longer than its Content-Range"));
        }
        if head.len() < SNIFF_LEN {
            sniff_more(head, &data, false)?;
        }
        file.write_all(&data).await?;
        written += data.len() as u64;
    }
}

/// The SHA-256 of the file at `path`, read as a stream, and its first bytes.
fn hash_file(path: &Path) -> io::Result<(PhotoHash, Vec<u8>)> {
    let mut file = std::fs::File::open(path)?;
    let mut head = Vec::with_capacity(SNIFF_LEN);
    (&mut file).take(SNIFF_LEN as u64).read_to_end(&mut head)?;
    let mut hasher = Sha256::new();
    hasher.update(&head);
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        match file.read(&mut buffer)? {
            0 => break,
            read => hasher.update(&buffer[..read]),
        }
    }
    Ok((PhotoHash::of_digest(&hasher.finalize()), head))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::photos::PhotoBucket;
    use crate::store::db;

    /// A JPEG as far as sniffing goes, of `len` bytes.
    fn jpeg(len: usize) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01, 0x01, 0x00];
        bytes.resize(len - 2, 7);
        bytes.extend_from_slice(&[0xFF, 0xD9]);
        bytes
    }

    fn piece(photo: &[u8], range: std::ops::Range<u64>) -> (UploadPiece, Body) {
        let bytes = photo[range.start as usize..range.end as usize].to_vec();
        (UploadPiece { range, size: photo.len() as u64 }, Body::from(bytes))
    }

    /// Pieces in a bucket: each an object, the photo whole from them; pieces the bucket lost
    /// under an upload make the phone start over rather than be asked for bytes after them.
    #[tokio::test]
    async fn in_a_bucket_pieces_make_the_photo_and_lost_pieces_start_it_over() {
        let dir = tempfile::tempdir().unwrap();
        let pool = db::open_for_test(dir.path()).await.unwrap();
        let bucket = PhotoBucket::in_memory();
        let store = PhotoStore::open(dir.path(), 1 << 20, Some(bucket.clone())).await.unwrap();
        let place = Place { township: "石门镇".into(), village: "桃源村".into() };
        let photo = jpeg(3_000);
        let hash = PhotoHash::of_bytes(&photo);

        let (first, body) = piece(&photo, 0..4);
        let reply = store.receive_piece(&pool, &hash, &place, first, body).await.unwrap();
        assert_eq!((reply.status, reply.received), (PhotoStatus::Partial, 4));
        assert!(bucket.has_pieces(&hash).await.unwrap());
        bucket.drop_pieces(&hash).await.unwrap();
        let (second, body) = piece(&photo, 4..1_000);
        let lost = store.receive_piece(&pool, &hash, &place, second, body).await;
        assert!(matches!(lost, Err(PhotoError::UploadOffset { received: 0 })), "{lost:?}");
        assert_eq!(PartialUpload::find(&pool, &store, &hash).await.unwrap(), None, "the upload starts over");

        for range in [0..1_000, 1_000..2_000, 2_000..3_000] {
            let (next, body) = piece(&photo, range);
            store.receive_piece(&pool, &hash, &place, next, body).await.unwrap();
        }
        assert_eq!(bucket.photo(&hash).await.unwrap().as_deref(), Some(&photo[..]), "byte for byte");
        assert!(!bucket.has_pieces(&hash).await.unwrap(), "the pieces go once the photo is whole");
        assert_eq!(PhotoStore::held_bytes(&pool, &hash).await.unwrap(), Some(3_000));
    }
}
